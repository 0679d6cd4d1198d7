//! The 目录 against the body. Every table the 目录 lists (an item whose title names a
//! catalogue table) is in the body (`toc.missing`), under the same title (`toc.title`)
//! and number (`toc.number`: the printed 公开NN表, else its place among the body's
//! tables); every part (第N部分) is in the body under its title; where the 目录 gives
//! pages, each entry starts on its page (`toc.page`: the 目录 counts the document's own
//! page numbers, which differ from the file's by a constant offset, so the offset most
//! entries agree on is the document's and an entry off it is wrong). A table of the body
//! the 目录 does not list is a notice (`toc.unlisted`).

use gongkai_model::{catalogue, normalize_label, Document, Finding, Severity, TocEntry};

fn finding(rule: &str, severity: Severity, e: Option<&TocEntry>, table: &str, expected: String, actual: String, message: String) -> Finding {
    Finding {
        section: e.map(|e| if e.kind == "part" { format!("目录 {} {}", e.printed, e.title) } else { format!("目录 {}、{}", e.printed, e.title) }),
        page: e.and_then(|e| e.at.page),
        expected,
        actual,
        ..crate::finding(rule, severity, table, message)
    }
}

/// A title as compared: normalized, a leading year (2025年 / 2024年度) dropped.
fn title_key(s: &str) -> String {
    let n = normalize_label(s);
    let digits = n.chars().take_while(char::is_ascii_digit).count();
    if digits == 4 {
        let rest = &n[4..];
        if let Some(r) = rest.strip_prefix("年度").or_else(|| rest.strip_prefix('年')) {
            return r.to_string();
        }
    }
    n
}

/// Titles agree; a heading whose second line the body did not keep (…决算情况 / 说明) is
/// the same heading.
fn same_title(toc: &str, body: &str) -> bool {
    let (a, b) = (title_key(toc), title_key(body));
    a == b || (b.chars().count() >= 8 && a.starts_with(&b))
}

fn table_number(printed: Option<&str>) -> Option<u32> {
    let p = printed?;
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The most frequent value; a tie goes to the first seen.
fn mode(v: &[i64]) -> Option<i64> {
    let mut best: Option<(i64, usize)> = None;
    for x in v {
        let n = v.iter().filter(|y| *y == x).count();
        if best.is_none_or(|b| n > b.1) {
            best = Some((*x, n));
        }
    }
    best.map(|b| b.0)
}

pub fn check(doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    if doc.toc.is_empty() {
        return out;
    }
    // The body's catalogue tables in order: a table without a printed number is numbered
    // by its place.
    let body: Vec<(usize, &gongkai_model::Table)> = doc.tables.iter().filter(|t| !t.id.starts_with("unknown")).enumerate().map(|(i, t)| (i + 1, t)).collect();
    let mut listed: Vec<&str> = Vec::new();
    // (entry, page in the file) of every entry found, for the page offset.
    let mut pages: Vec<(&TocEntry, u32)> = Vec::new();
    for e in &doc.toc {
        let spec = (e.kind == "item").then(|| catalogue().match_title(&normalize_label(&e.title))).flatten().filter(|s| s.id != "unknown");
        if let Some(spec) = spec {
            listed.push(spec.id.as_str());
            let Some(&(place, t)) = body.iter().find(|(_, t)| t.id == spec.id) else {
                out.push(finding("toc.missing", Severity::Error, Some(e), &spec.id, e.title.clone(), String::new(), format!("the 目录 lists {}、{}; the body has no such table", e.printed, e.title)));
                continue;
            };
            if !same_title(&e.title, &t.title) {
                out.push(finding("toc.title", Severity::Error, Some(e), &t.id, e.title.clone(), t.title.clone(), format!("the 目录 lists `{}`; the body's table is titled `{}`", e.title, t.title)));
            }
            let number = table_number(t.printed_number.as_deref()).unwrap_or(place as u32);
            if number != e.number {
                out.push(finding("toc.number", Severity::Error, Some(e), &t.id, e.number.to_string(), number.to_string(), format!("the 目录 numbers `{}` {}; in the body it is table {number}", e.title, e.printed)));
            }
            if let (Some(_), Some(p)) = (e.page, t.provenance.start.page) {
                pages.push((e, p));
            }
        } else if e.kind == "part" {
            // A part read from the 目录's own line (the body never prints it) is not in the body.
            let parts: Vec<_> = doc.narrative.iter().filter(|p| p.number == e.number && p.at != e.at).collect();
            if doc.narrative.iter().all(|p| p.number == 0) {
                continue; // A budget's explanations are not numbered parts.
            }
            match parts.last() {
                None => {
                    // A part of tables whose body prints the tables (and its title over them)
                    // but no 第N部分 heading is there, unnumbered: a notice.
                    let tables: Vec<&TocEntry> = doc.toc.iter().filter(|x| x.kind == "item" && x.part == Some(e.number)).collect();
                    let present = |x: &&TocEntry| catalogue().match_title(&normalize_label(&x.title)).is_some_and(|s| body.iter().any(|(_, t)| t.id == s.id));
                    let (severity, what) = if !tables.is_empty() && tables.iter().all(present) {
                        (Severity::Notice, "the body prints its tables but no such numbered heading")
                    } else {
                        (Severity::Error, "the body has no such part")
                    };
                    out.push(finding("toc.missing", severity, Some(e), "目录", e.title.clone(), String::new(), format!("the 目录 lists {} {}; {what}", e.printed, e.title)));
                }
                Some(p) => {
                    if !same_title(&e.title, &p.title) {
                        out.push(finding("toc.title", Severity::Error, Some(e), "目录", e.title.clone(), p.title.clone(), format!("the 目录 lists {} `{}`; the body's heading is `{}`", e.printed, e.title, p.title)));
                    }
                    if let (Some(_), Some(pg)) = (e.page, p.at.page) {
                        pages.push((e, pg));
                    }
                }
            }
        }
    }
    // Pages: the offset between printed and file pages most entries agree on.
    let offsets: Vec<i64> = pages.iter().filter_map(|(e, p)| Some(i64::from(*p) - i64::from(e.page?))).collect();
    if let Some(offset) = mode(&offsets) {
        for (e, p) in &pages {
            let Some(printed) = e.page else { continue };
            let expected = i64::from(printed) + offset;
            if expected != i64::from(*p) {
                out.push(finding(
                    "toc.page",
                    Severity::Error,
                    Some(e),
                    "目录",
                    printed.to_string(),
                    (i64::from(*p) - offset).to_string(),
                    format!("the 目录 gives `{}` page {printed}; it starts on page {} (file page {p})", e.title, i64::from(*p) - offset),
                ));
            }
        }
    }
    if !listed.is_empty() {
        for (_, t) in &body {
            if !listed.contains(&t.id.as_str()) {
                out.push(finding("toc.unlisted", Severity::Notice, None, &t.id, String::new(), t.title.clone(), format!("the body's table `{}` is not listed in the 目录", t.title)));
            }
        }
    }
    out
}
