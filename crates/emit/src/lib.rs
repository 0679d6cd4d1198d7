//! Output: the canonical JSON document and the facts (JSON Lines), exactly per the
//! facts contract (`docs/facts.md`). Both are deterministic: same document, same bytes.
//!
//! A fact stands alone: besides the contract's fields it carries its document (sha256,
//! file, department, year, kind, scope), its table's printed number and title, and its
//! row's code and level, so facts of many documents concatenate into one table.

use gongkai_model::{Amount, Document};
use serde::{Serialize, Serializer};

/// One non-blank table cell. The contract's fields come first, in the contract's order
/// (`table`, `row`, `col`, `value`, `unit`); the document's fields follow, then provenance.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fact<'a> {
    pub table: &'a str,
    pub row: &'a str,
    pub col: &'a str,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'a str>,
    /// The value as an exact decimal: a JSON number with exactly the printed digits
    /// (never through a binary float); `value` keeps the printed string.
    #[serde(serialize_with = "exact_number")]
    pub amount: Amount,
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
    /// 类 / 款 / 项 for coded rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The table's printed number (`公开01表`), where printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_number: Option<&'a str>,
    /// The table's printed title.
    pub table_title: &'a str,
    /// The source file's sha256 (hex): the document's identity.
    pub doc: &'a str,
    /// The source file's name as given.
    pub file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    /// The printed cell's box on its page (PDF inputs): `[x0, y0, x1, y1]`, points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    /// A fact read by OCR: the reading, its confidence, corrected, proven (the contract allows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<&'a gongkai_model::OcrRead>,
}

/// A JSON number written from the decimal's own digits (`0.00`, `-12`, `371514655.00`).
fn exact_number<S: Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
    // Decimal's Display is a valid JSON number: optional `-`, digits, `.` and digits,
    // no exponent, no leading zeros beyond `0.`.
    let raw = serde_json::value::RawValue::from_string(a.to_string()).map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

/// Facts in document order: tables as printed, rows top-down, columns left to right.
pub fn facts(doc: &Document) -> Vec<Fact<'_>> {
    let mut out = Vec::new();
    let m = &doc.metadata;
    for t in &doc.tables {
        for r in &t.rows {
            for c in &r.cells {
                out.push(Fact {
                    table: &t.id,
                    row: &r.key,
                    col: &c.col,
                    value: c.value.to_string(),
                    unit: t.unit.as_deref(),
                    amount: c.value,
                    label: &r.label,
                    code: r.code.as_deref(),
                    level: r.level.as_deref(),
                    page: r.at.page,
                    line: r.at.line,
                    table_number: t.printed_number.as_deref(),
                    table_title: &t.title,
                    doc: &doc.source.sha256,
                    file: &doc.source.file,
                    department: m.department.as_deref(),
                    year: m.year,
                    kind: m.kind.as_deref(),
                    scope: m.scope.as_deref(),
                    bbox: c.bbox,
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
            toc: vec![],
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
                    cells: vec![Cell { col: "本年收入合计".into(), value: parse_amount("4.65").unwrap(), bbox: None, ocr: None }],
                    at: Location { page: Some(7), line: None },
                }],
                empty_statement: None,
                note: None,
                provenance: Provenance { start: Location::default(), end: Location::default() },
                cells_left_out: 0,
            }],
            narrative: vec![],
            warnings: vec![],
            findings: vec![],
        };
        assert_eq!(
            facts_jsonl(&doc),
            "{\"table\":\"income\",\"row\":\"2010550\",\"col\":\"本年收入合计\",\"value\":\"4.65\",\"unit\":\"万元\",\"amount\":4.65,\
             \"label\":\"事业运行\",\"code\":\"2010550\",\"level\":\"项\",\"page\":7,\"table_title\":\"收入决算表\",\"doc\":\"0\",\"file\":\"x.txt\"}\n"
        );
        // The amount is the printed digits, trailing zeros and all.
        let mut zero = doc.clone();
        zero.tables[0].rows[0].cells[0].value = parse_amount("0.00").unwrap();
        assert!(facts_jsonl(&zero).contains("\"value\":\"0.00\",\"unit\":\"万元\",\"amount\":0.00,"));
    }
}
