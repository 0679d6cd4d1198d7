//! The document's identities as an error-correcting code over the amounts OCR read.
//!
//! A cell takes part in the identities whose outcome moves when the cell does (found by
//! moving it one unit of its last digit: no list of terms is kept twice). A reading is
//! proven when an identity it takes part in holds exactly and none fails beyond rounding
//! (every one exactly, when a character of it was read with low confidence). A
//! reading that is not proven is corrected when exactly one substitution of a single
//! low-confidence digit, in it or in any cell sharing an identity with it, makes every
//! identity it takes part in hold exactly and breaks none; otherwise it is kept as
//! read and named by an error finding (`ocr.unproven`). Nothing read is silently wrong.

use crate::page::CellReading;
use gongkai_check::Outcome;
use gongkai_model::{compact, parse_amount, Amount, Document, Finding, OcrRead, Severity};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Characters read with less confidence than this are the ones a correction may change.
pub const LOW: f32 = 0.97;

/// Where a cell sits: table, row, cell index.
type At = (usize, usize, usize);

fn cell_mut(doc: &mut Document, at: At) -> &mut gongkai_model::Cell {
    &mut doc.tables[at.0].rows[at.1].cells[at.2]
}

/// Outcomes as comparable keys: which moved between two runs.
fn moved(a: &[Outcome], b: &[Outcome]) -> Vec<usize> {
    if a.len() != b.len() {
        return (0..a.len().max(b.len())).collect();
    }
    (0..a.len())
        .filter(|&i| {
            a[i].finding.diff != b[i].finding.diff || a[i].holds_exactly != b[i].holds_exactly
        })
        .collect()
}

fn unit(a: Amount) -> Amount {
    Amount(a.0 + Decimal::new(1, a.scale()))
}

/// Whether identity `i` is evidence for cell `k`, for each identity of `part[k]`: it is
/// not where every other amount it adds up is k's own value read again on k's page (`合计 =
/// 项目支出` with 基本支出 blank, a parent with one child): two crops of one printed number
/// in one row can be misread alike (`293,810,000.00` read `293,810,00` twice), and then
/// the identity holds for the wrong value. An amount of another value, one read on another
/// page or with no doubtful character, or one from a text layer is independent of k's
/// misreading.
fn independence(doc: &Document, cells: &[(At, String, Vec<f32>)], part: &[Vec<usize>], base: &[Outcome], pages: &[u32], confident: &[bool]) -> Vec<Vec<bool>> {
    let value = |at: At| doc.tables[at.0].rows[at.1].cells[at.2].value;
    let page = |at: At| doc.tables[at.0].rows[at.1].at.page;
    (0..cells.len())
        .map(|k| {
            let (at, v) = (cells[k].0, value(cells[k].0));
            part[k]
                .iter()
                .map(|&i| {
                    let ocr_other = (0..cells.len()).filter(|&j| j != k && part[j].contains(&i)).any(|j| {
                        let w = value(cells[j].0);
                        page(cells[j].0) != page(at) || (!w.0.is_zero() && (w != v || confident[j]))
                    });
                    // A term of the identity outside the pages OCR read (a text layer).
                    let f = &base[i].finding;
                    let refs = std::iter::once((f.table.as_str(), f.row.as_deref(), f.col.as_deref()))
                        .chain(f.terms.iter().map(|t| (t.table.as_str(), Some(t.row.as_str()), Some(t.col.as_str()))));
                    let text_layer = refs.into_iter().any(|(t, r, c)| {
                        let row = doc.tables.iter().find(|x| x.id == t).and_then(|x| x.row(r?));
                        row.is_some_and(|row| !row.at.page.is_some_and(|p| pages.contains(&p)) && c.and_then(|c| row.value(c)).is_some_and(|a| !a.0.is_zero()))
                    });
                    ocr_other || text_layer
                })
                .collect()
        })
        .collect()
}

/// A reading whose separators are not a printed amount's (`293,810,00`: a comma where the
/// decimal point stands, or digits of a group lost) is read as the number it most likely
/// is, which is a guess.
fn malformed(read: &str) -> bool {
    let body = read.trim_start_matches(['-', '−']);
    let int = body.split_once('.').map_or(body, |(i, _)| i);
    !gongkai_model::amount::valid_groups(int)
}

/// Every fact of an OCR'd page gets its reading; the identities prove or correct it; the
/// findings are the checks' plus one error per unproven reading. `pages` are the pages
/// read by OCR.
pub fn prove(doc: &mut Document, readings: &[CellReading], pages: &[u32], engine: &str) {
    // Readings by page and printed value; the least confident of equal ones answers.
    let mut by_value: BTreeMap<(u32, String), &CellReading> = BTreeMap::new();
    for r in readings {
        let k = (r.page, compact(&r.text));
        let e = by_value.entry(k).or_insert(r);
        if r.confidence() < e.confidence() {
            *e = r;
        }
    }
    // A value some reading of which on the page is a guess is a guess wherever it stands
    // there (readings are matched to cells by value: which one a cell came from is not known).
    let mut guessed: BTreeMap<u32, Vec<Amount>> = BTreeMap::new();
    for r in readings.iter().filter(|r| r.guess) {
        if let Some(a) = parse_amount(&compact(&r.text)) {
            guessed.entry(r.page).or_default().push(a);
        }
    }
    let find_reading = |page: u32, value: &Amount| -> Option<&CellReading> {
        by_value
            .range((page, String::new())..)
            .take_while(|(k, _)| k.0 == page)
            .find(|(k, _)| parse_amount(&k.1).as_ref() == Some(value))
            .map(|(_, r)| *r)
    };
    let mut guess: Vec<bool> = Vec::new();
    // The OCR cells, each with its reading's text and character confidences.
    let mut cells: Vec<(At, String, Vec<f32>)> = Vec::new();
    for (ti, t) in doc.tables.iter_mut().enumerate() {
        for (ri, row) in t.rows.iter_mut().enumerate() {
            let Some(page) = row.at.page.filter(|p| pages.contains(p)) else {
                continue;
            };
            for (ci, c) in row.cells.iter_mut().enumerate() {
                let (read, chars) = match find_reading(page, &c.value) {
                    Some(r) => (compact(&r.text), r.chars.clone()),
                    // Read, but not as it now stands (the table builder joined or split it):
                    // nothing is known of its confidence.
                    None => (
                        c.value.0.to_string(),
                        vec![0.0; c.value.0.to_string().chars().count()],
                    ),
                };
                let conf = crate::engine::confidence(&chars);
                c.ocr = Some(OcrRead {
                    read: read.clone(),
                    confidence: (conf * 1000.0).round() / 1000.0,
                    corrected: false,
                    proven: false,
                });
                guess.push(guessed.get(&page).is_some_and(|v| v.contains(&c.value)) || malformed(&read));
                cells.push(((ti, ri, ci), read, chars));
            }
        }
    }
    if cells.is_empty() {
        return;
    }
    // The identities cannot see a trailing zero lost (`5,500.0` for `5,500.00` is the
    // same number): a reading printed with other decimals than most of its table's is
    // read short or long, and is not proven, however the identities stand.
    let mut scales: BTreeMap<usize, BTreeMap<u32, usize>> = BTreeMap::new();
    for (at, _, _) in &cells {
        *scales.entry(at.0).or_default().entry(cell_mut(doc, *at).value.scale()).or_default() += 1;
    }
    let usual = |t: usize| scales.get(&t).and_then(|m| m.iter().max_by_key(|(s, n)| (**n, std::cmp::Reverse(**s))).map(|(s, _)| *s));
    let mut odd = vec![false; cells.len()];
    for (k, (at, _, _)) in cells.iter().enumerate() {
        if usual(at.0).is_some_and(|u| u != cell_mut(doc, *at).value.scale()) {
            guess[k] = true;
            odd[k] = true;
        }
    }
    let mut base = gongkai_check::outcomes(doc);
    // The identities each cell takes part in.
    let mut part: Vec<Vec<usize>> = Vec::with_capacity(cells.len());
    for (at, _, _) in &cells {
        let v = cell_mut(doc, *at).value;
        cell_mut(doc, *at).value = unit(v);
        let after = gongkai_check::outcomes(doc);
        cell_mut(doc, *at).value = v;
        part.push(moved(&base, &after));
    }
    // Proven: an identity it takes part in holds exactly (which pins the value given the
    // other terms: a misread would have to be cancelled by another to the last digit),
    // and none fails beyond rounding. A difference within rounding elsewhere is the
    // document's own 尾差, not a misread (one that small is caught by the exact identity).
    // A reading with a doubtful character needs every identity to hold exactly: one
    // misread digit could otherwise happen to cancel a 尾差.
    let confident: Vec<bool> = cells
        .iter()
        .map(|(_, _, ch)| ch.iter().all(|&c| c >= LOW))
        .collect();
    let mut indep = independence(doc, &cells, &part, &base, pages, &confident);
    // A guess is never proven as read: identities that hold around it may hold because
    // its neighbours were misread alike. Only a correction (the identities' one answer
    // where they failed) settles it.
    let holds_k = |base: &[Outcome], indep: &[Vec<bool>], k: usize| {
        let p = &part[k];
        let exact = |i: &usize| base.get(*i).is_some_and(|o| o.holds_exactly);
        // Evidence: an identity that holds exactly and is independent of k's misreading; for
        // a reading with no doubtful character, one that only repeats it will do.
        let evidence = p.iter().zip(&indep[k]).any(|(i, &ind)| (ind || confident[k]) && exact(i));
        if confident[k] {
            evidence
                && p.iter().all(|&i| {
                    base.get(i)
                        .is_some_and(|o| o.finding.severity != Severity::Error)
                })
        } else {
            evidence && p.iter().all(exact)
        }
    };
    let proven_k = |base: &[Outcome], indep: &[Vec<bool>], k: usize| !guess[k] && holds_k(base, indep, k);
    // A table some of whose amounts were left out (a row whose label matched nothing, a
    // cell that is no number) is incomplete: an identity over it may fail because a term
    // is missing, and then changing a term that was read right would make it hold
    // (`结余分配` 0.00 made 0.06, the lost 年末结转和结余). Such an identity calls for no
    // correction.
    let incomplete: Vec<bool> = doc.tables.iter().map(|t| t.cells_left_out > 0).collect();
    let over_incomplete = |o: &Outcome| {
        let f = &o.finding;
        std::iter::once(f.table.as_str())
            .chain(f.terms.iter().map(|t| t.table.as_str()))
            .any(|id| doc.tables.iter().zip(&incomplete).any(|(t, &inc)| inc && t.id == id))
    };
    let no_correction: Vec<bool> = part
        .iter()
        .map(|p| p.iter().any(|&i| base.get(i).is_some_and(over_incomplete)))
        .collect();
    // Corrections: one low-confidence digit of one cell, rounds until nothing changes.
    for _round in 0..4 {
        let exact = base.iter().filter(|o| o.holds_exactly).count();
        let mut found: Vec<(usize, Amount, Vec<usize>)> = Vec::new();
        for (k, (at, read, chars)) in cells.iter().enumerate() {
            if proven_k(&base, &indep, k)
                || part[k].is_empty()
                || no_correction[k]
                || doc.tables[at.0].rows[at.1].cells[at.2]
                    .ocr
                    .as_ref()
                    .is_some_and(|o| o.corrected)
            {
                continue;
            }
            // Only an identity that fails beyond rounding calls for a correction: a
            // difference within 尾差 may be the document's own rounding, and a reading
            // is never changed to make the document agree with itself better than printed.
            if !part[k]
                .iter()
                .any(|&i| base[i].finding.severity == Severity::Error)
            {
                continue;
            }
            let orig = cell_mut(doc, *at).value;
            let text: Vec<char> = read.chars().collect();
            for (pos, ch) in text.iter().enumerate() {
                if !ch.is_ascii_digit() || chars.get(pos).copied().unwrap_or(0.0) >= LOW {
                    continue;
                }
                for d in '0'..='9' {
                    if d == *ch {
                        continue;
                    }
                    let mut t = text.clone();
                    t[pos] = d;
                    let Some(a) = parse_amount(&t.iter().collect::<String>()) else {
                        continue;
                    };
                    cell_mut(doc, *at).value = a;
                    let after = gongkai_check::outcomes(doc);
                    let ok = after.len() == base.len()
                        && part[k].iter().all(|&i| after[i].holds_exactly)
                        && after.iter().filter(|o| o.holds_exactly).count() > exact
                        && base
                            .iter()
                            .zip(&after)
                            .all(|(b, a)| !b.holds_exactly || a.holds_exactly);
                    if ok {
                        found.push((k, a, part[k].clone()));
                    }
                }
            }
            cell_mut(doc, *at).value = orig;
        }
        // Only a substitution no other one competes with (sharing an identity) is applied.
        let mut applied = false;
        for (i, (k, a, p)) in found.iter().enumerate() {
            let rival = found
                .iter()
                .enumerate()
                .any(|(j, (_, _, q))| j != i && q.iter().any(|x| p.contains(x)));
            if rival {
                continue;
            }
            let c = cell_mut(doc, cells[*k].0);
            c.value = *a;
            if let Some(o) = c.ocr.as_mut() {
                o.corrected = true;
            }
            applied = true;
        }
        if !applied {
            break;
        }
        base = gongkai_check::outcomes(doc);
        indep = independence(doc, &cells, &part, &base, pages, &confident);
    }
    let mut extra: Vec<Finding> = Vec::new();
    for (k, (at, read, _)) in cells.iter().enumerate() {
        let corrected_here = doc.tables[at.0].rows[at.1].cells[at.2]
            .ocr
            .as_ref()
            .is_some_and(|o| o.corrected);
        let ok = if corrected_here {
            !odd[k] && holds_k(&base, &indep, k)
        } else {
            proven_k(&base, &indep, k)
        };
        let table = doc.tables[at.0].id.clone();
        let row = &doc.tables[at.0].rows[at.1];
        let (key, page) = (row.key.clone(), row.at.page);
        let c = cell_mut(doc, *at);
        let (col, value) = (c.col.clone(), c.value);
        let o = c.ocr.as_mut().unwrap();
        o.proven = ok;
        let (corrected, confidence) = (o.corrected, o.confidence);
        let f = |severity, rule: &str, expected: String, message: String| Finding {
            rule: rule.into(),
            severity,
            table: table.clone(),
            row: Some(key.clone()),
            col: Some(col.clone()),
            section: None,
            sentence: None,
            page,
            expected,
            actual: read.clone(),
            diff: String::new(),
            tolerance: String::new(),
            message,
            terms: Vec::new(),
        };
        if corrected && ok {
            extra.push(f(Severity::Notice, "ocr.corrected", value.0.to_string(), format!("read by OCR ({engine}) as {read}, corrected to {} by the identities it takes part in", value.0)));
        } else if !ok {
            let why = if odd[k] {
                "printed with other decimals than its table's others (a digit lost or read in)"
            } else if part[k].is_empty() {
                "it takes part in no identity"
            } else if malformed(read) {
                "its separators are not a printed amount's (a decimal point read as a comma, or digits lost)"
            } else if part[k].iter().all(|&i| base[i].holds_exactly) && !indep[k].iter().any(|&b| b) {
                "a character of it is doubtful and the identities that hold add up only its own value read again on its page"
            } else if guess[k] {
                "a character of it was guessed"
            } else {
                "an identity it takes part in does not hold"
            };
            extra.push(f(
                Severity::Error,
                "ocr.unproven",
                String::new(),
                format!("read by OCR ({engine}) as {read} (confidence {confidence:.2}), not proven: {why}"),
            ));
        }
    }
    doc.findings = gongkai_check::check(doc);
    doc.findings.extend(extra);
    doc.findings.sort_by_key(|a| a.severity);
}
