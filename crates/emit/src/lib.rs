//! Output: the canonical JSON document and the facts (JSON Lines), exactly per
//! `facts.md`. Both are deterministic: same document, same bytes.

use gongkai_model::Document;
use serde::Serialize;

/// One non-blank table cell, in the facts contract's field order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fact<'a> {
    pub table: &'a str,
    pub row: &'a str,
    pub col: &'a str,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'a str>,
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// A fact read by OCR: the reading, its confidence, corrected, proven (the contract allows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<&'a gongkai_model::OcrRead>,
}

/// Facts in document order: tables as printed, rows top-down, columns left to right.
pub fn facts(doc: &Document) -> Vec<Fact<'_>> {
    let mut out = Vec::new();
    for t in &doc.tables {
        for r in &t.rows {
            for c in &r.cells {
                out.push(Fact {
                    table: &t.id,
                    row: &r.key,
                    col: &c.col,
                    value: c.value.to_string(),
                    unit: t.unit.as_deref(),
                    label: &r.label,
                    page: r.at.page,
                    line: r.at.line,
                    ocr: c.ocr.as_ref(),
                });
            }
        }
    }
    out
}

pub fn facts_jsonl(doc: &Document) -> String {
    let mut s = String::new();
    for f in facts(doc) {
        // Serializing plain strings and integers cannot fail.
        s.push_str(&serde_json::to_string(&f).expect("fact serializes"));
        s.push('\n');
    }
    s
}

pub fn document_json(doc: &Document) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("document serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::*;

    #[test]
    fn facts_follow_the_contract() {
        let doc = Document {
            schema: SCHEMA.into(),
            source: Source { file: "x.txt".into(), sha256: "0".into(), format: "text".into(), encoding: None, pages: None },
            metadata: Metadata::default(),
            tables: vec![Table {
                id: "income".into(),
                printed_number: None,
                title: "收入决算表".into(),
                department: None,
                unit: Some("万元".into()),
                unit_source: Some("header".into()),
                columns: vec![],
                rows: vec![Row {
                    key: "2010550".into(),
                    side: None,
                    code: Some("2010550".into()),
                    level: Some("项".into()),
                    label: "事业运行".into(),
                    line_number: None,
                    cells: vec![Cell { col: "本年收入合计".into(), value: parse_amount("4.65").unwrap(), ocr: None }],
                    at: Location { page: Some(7), line: None },
                }],
                empty_statement: None,
                note: None,
                provenance: Provenance { start: Location::default(), end: Location::default() },
            }],
            narrative: vec![],
            warnings: vec![],
            findings: vec![],
        };
        assert_eq!(
            facts_jsonl(&doc),
            "{\"table\":\"income\",\"row\":\"2010550\",\"col\":\"本年收入合计\",\"value\":\"4.65\",\"unit\":\"万元\",\"label\":\"事业运行\",\"page\":7}\n"
        );
    }
}
