//! Presence and identity: every table the catalogue requires is there, and the
//! document's year agrees with the years its headings and text state.

use std::sync::OnceLock;

use gongkai_model::{catalogue, normalize_label, Document};
use regex::Regex;

use crate::{Finding, Severity};

fn finding(rule: &'static str, severity: Severity, table: &str, expected: String, actual: String, message: String) -> Finding {
    Finding { expected, actual, ..crate::finding(rule, severity, table, message) }
}

/// A required table of the document's kind that is missing is an error; so is a table
/// with amounts whose unit could not be read (amounts without a unit mean nothing).
pub fn presence(doc: &Document) -> Vec<Finding> {
    let mut out: Vec<Finding> = doc
        .tables
        .iter()
        .filter(|t| t.unit.is_none() && t.rows.iter().any(|r| !r.cells.is_empty()))
        .map(|t| {
            finding("presence.unit", Severity::Error, &t.id, "单位: 元 / 万元 / 亿元".into(), "none".into(), format!("{}: no unit (单位) could be read for its amounts", t.id))
        })
        .collect();
    // A table printed without a single amount must say so (本表无数据 / 空表).
    out.extend(
        doc.tables
            .iter()
            .filter(|t| t.rows.iter().all(|r| r.cells.is_empty()) && t.empty_statement.is_none())
            .map(|t| {
                finding(
                    "presence.empty_statement",
                    Severity::Error,
                    &t.id,
                    "本表无数据 (or 空表) statement".into(),
                    "none".into(),
                    format!("{} ({}) prints no amount and no statement that it is empty", t.title, t.id),
                )
            }),
    );
    let Some(kind) = doc.metadata.kind.as_deref() else { return out };
    out.extend(catalogue()
        .tables
        .iter()
        .filter(|t| t.kind == kind && doc.table(&t.id).is_none())
        .map(|t| {
            finding(
                "presence.table",
                Severity::Error,
                &t.id,
                t.titles[0].clone(),
                "missing".into(),
                format!("the document has no {} ({})", t.titles[0], t.id),
            )
        }));
    out
}

fn year_res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        [
            // A reporting year: 2024年度.
            Regex::new(r"((?:19|20)\d{2})\s*年度").expect("static regex"),
            // The balance date: 截至2024年12月31日 / 2024年期末 / 2024年末.
            Regex::new(r"(?:截至|截止)?((?:19|20)\d{2})\s*年\s*(?:12\s*月\s*31\s*日|期末|末)").expect("static regex"),
        ]
    })
}

/// Years in table titles and in the narrative's headings and text (parts 1–4; the
/// appendix quotes other years legitimately) must be the document's year.
pub fn years(doc: &Document) -> Vec<Finding> {
    let Some(year) = doc.metadata.year else { return vec![] };
    let mut out = Vec::new();
    let mut scan = |text: &str, place: &str, heading: bool| {
        for re in year_res() {
            for c in re.captures_iter(text) {
                let y: u32 = c[1].parse().unwrap_or(year);
                let start = c.get(0).map_or(0, |m| m.start());
                let lead: String = text[..start].chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
                // 与2023年度相比 / 比2023年度增加: the text comparing with the year before.
                let compares = y + 1 == year && ["与", "比", "较", "同"].iter().any(|w| lead.contains(w));
                if y != year && !compares {
                    // Up to 20 characters of the clause before the year, for the reader.
                    let before: Vec<char> = text[..c.get(0).map_or(0, |m| m.start())]
                        .rsplit(['。', '\n'])
                        .next()
                        .unwrap_or("")
                        .chars()
                        .collect();
                    let sentence: String = before[before.len().saturating_sub(20)..].iter().collect();
                    // A heading, or a balance date stated as 截至…年12月31日, is the document
                    // speaking of its own year: wrong there is an error. Running text may
                    // legitimately compare with another year (与2023年末相比): a notice.
                    let own_date = c[0].starts_with("截至") || c[0].starts_with("截止");
                    out.push(finding(
                        "identity.year",
                        if heading || own_date { Severity::Error } else { Severity::Notice },
                        place,
                        year.to_string(),
                        y.to_string(),
                        format!("{place}: `{}{}` states {y} in a {year} document", sentence, &c[0]),
                    ));
                }
            }
        }
    };
    for t in &doc.tables {
        scan(&t.title, &t.id, true);
    }
    for p in doc.narrative.iter().filter(|p| p.number <= 4) {
        let place = format!("第{}部分", p.number);
        scan(&p.title, &place, true);
        scan(&p.text, &place, false);
        for s in &p.sections {
            let place = format!("第{}部分 {}、{}", p.number, s.ordinal, s.title);
            scan(&s.title, &place, true);
            scan(&s.text, &place, false);
        }
    }
    out
}

fn placeholder_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"[XＸ×xｘ]{2,}|某某").expect("static regex"))
}

fn named_year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(.{2,40}?)(?:19|20)\d{2}\s*年度").expect("static regex"))
}

/// The department is named, and named alike: a placeholder (XX局, 某某) left from a
/// template is an error wherever it is printed; a heading that names another body
/// before its year (`某某局2024年度部门决算情况说明`) is an error too.
pub fn department(doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    let dept = doc.metadata.department.as_deref().map(normalize_label);
    let mut scan = |text: &str, place: &str, heading: bool| {
        if let Some(m) = placeholder_re().find(text) {
            out.push(finding(
                "identity.department",
                Severity::Error,
                place,
                "the department's name".into(),
                text.chars().take(40).collect(),
                format!("{place}: `{}` is a template placeholder, not a department", m.as_str()),
            ));
            return;
        }
        let (true, Some(d)) = (heading, dept.as_deref()) else { return };
        let t = normalize_label(text);
        if let Some(c) = named_year_re().captures(&t) {
            let name = c[1].trim_start_matches("第二部分").trim_start_matches("第三部分").trim_start_matches("第一部分");
            let name = gongkai_model::strip_ordinal(name);
            if name.chars().count() >= 2 && !d.contains(name) && !name.contains(d) {
                out.push(finding(
                    "identity.department",
                    Severity::Error,
                    place,
                    d.to_string(),
                    name.to_string(),
                    format!("{place}: names `{name}`, the document is `{d}`'s"),
                ));
            }
        }
    };
    if let Some(t) = &doc.metadata.title {
        scan(t, "title", false);
    }
    for t in &doc.tables {
        scan(&t.title, &t.id, true);
        if let Some(d) = &t.department {
            scan(d, &t.id, false);
        }
    }
    for p in doc.narrative.iter().filter(|p| p.number <= 4) {
        let place = format!("第{}部分", p.number);
        scan(&p.title, &place, true);
        for s in &p.sections {
            let place = format!("第{}部分 {}、{}", p.number, s.ordinal, s.title);
            scan(&s.title, &place, true);
            scan(&s.text, &place, false);
        }
    }
    // Each table's caption names the document's department (部门：… / 编制部门：…).
    if let Some(d) = dept.as_deref() {
        for t in &doc.tables {
            let Some(own) = t.department.as_deref().map(normalize_label) else { continue };
            if own != d && !placeholder_re().is_match(&own) {
                out.push(finding(
                    "identity.department",
                    Severity::Error,
                    &t.id,
                    d.to_string(),
                    own.clone(),
                    format!("{}: its caption names `{own}`, the document is `{d}`'s", t.id),
                ));
            }
        }
    }
    out
}
