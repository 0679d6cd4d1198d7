//! Presence and identity: every table the catalogue requires is there, and the
//! document's year agrees with the years its headings and text state.

use std::sync::OnceLock;

use gongkai_model::{catalogue, Document};
use regex::Regex;

use crate::{Finding, Severity};

fn finding(rule: &'static str, severity: Severity, table: &str, expected: String, actual: String, message: String) -> Finding {
    Finding {
        rule,
        severity,
        table: table.to_string(),
        row: None,
        col: None,
        expected,
        actual,
        diff: String::new(),
        tolerance: String::new(),
        message,
    }
}

/// A required table of the document's kind that is missing is an error.
pub fn presence(doc: &Document) -> Vec<Finding> {
    let Some(kind) = doc.metadata.kind.as_deref() else { return vec![] };
    catalogue()
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
        })
        .collect()
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
                if y != year {
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
