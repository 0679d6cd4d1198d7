//! Rows of grid tables (coded, two-sided, single-row) and of the basic-expenditure
//! detail table (side-by-side groups of code | name | amount).

use gongkai_extract::Line;
use gongkai_model::{catalogue, Cell, CodeKind, Column, Layout, Location, Row};
use gongkai_segment::TableBlock;

use crate::columns::{map_columns, ValueCol};
use crate::continuation;
use crate::row_keys::{self, RowKey, SummaryRow};
use crate::{amounts_in, cell_amount, code_cell, is_grand_total, is_header_line, norm, numbering, scramble, Warnings};

fn level(code: &str) -> Option<String> {
    match code.len() {
        3 => Some("类"),
        5 => Some("款"),
        7 => Some("项"),
        _ => None,
    }
    .map(str::to_string)
}

struct Layouted<'a> {
    header: Vec<&'a Line>,
    numbers: Option<Vec<(usize, u32)>>,
    body: Vec<&'a Line>,
}

fn has_amount(l: &Line) -> bool {
    l.cells.iter().any(|c| gongkai_model::parse_amount(c).is_some_and(|a| a.scale() > 0))
}

/// A row that opens the data even with no decimal amount in it (an empty table, or
/// whole-元 amounts): it opens with a classification code, or every cell is blank, a
/// code, an amount, 合计/总计 or an ordinal label of a summary (一、…). A header row that
/// prints 合计 beside other column names is not one.
fn data_start(l: &Line) -> bool {
    let rowish = |c: &String| {
        let n = norm(c);
        let folded = gongkai_model::compact(c);
        code_cell(c).is_some_and(|d| d.len() >= 3)
            || is_grand_total(&n)
            || (gongkai_model::strip_ordinal(&folded) != folded && !catalogue().is_header_word(&n))
    };
    let filled: Vec<&String> = l.cells.iter().filter(|c| !c.trim().is_empty()).collect();
    // A header never opens with a classification code; a row with a code is data even
    // when its amounts are whole numbers (budgets in 元) and its label follows.
    let opens_with_code = filled.first().and_then(|c| code_cell(c)).is_some_and(|d| d.len() >= 3);
    opens_with_code || (!filled.is_empty() && filled.iter().all(|c| rowish(c) || cell_amount(c).is_ok()))
}

/// A header row printed again further down (spreadsheet print titles repeat the header on
/// every page): no number, no code, and every filled cell a word of the table's header
/// (its printed header texts, header words, the parts of its column keys); a line of one
/// filled cell only where it repeats a header line exactly.
fn repeats_header(l: &Line, header: &[&Line], vocab: &[String]) -> bool {
    let filled: Vec<(usize, String)> =
        l.cells.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()).map(|(i, c)| (i, norm(c))).collect();
    if filled.is_empty() || l.cells.iter().any(|c| code_cell(c).is_some() || cell_amount(c).is_ok_and(|a| a.is_some())) {
        return false;
    }
    let same = |h: &&Line| {
        let hf: Vec<(usize, String)> =
            h.cells.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()).map(|(i, c)| (i, norm(c))).collect();
        hf == filled
    };
    header.iter().any(same)
        || (filled.len() >= 2 && filled.iter().all(|(_, t)| vocab.contains(t) || catalogue().is_header_word(t)))
}

/// The words a header of this table prints: its header lines' cells and its column keys' parts.
fn header_vocab(header: &[&Line], keys: &[String], drop_bands: &[String]) -> Vec<String> {
    let mut v: Vec<String> = header.iter().flat_map(|l| l.cells.iter().map(|c| norm(c))).filter(|c| !c.is_empty()).collect();
    v.extend(keys.iter().flat_map(|k| k.split('/').map(str::to_string)));
    v.extend(drop_bands.iter().cloned());
    v.sort();
    v.dedup();
    v
}

/// Split a table body into header lines, the numbering row and data lines; a header row
/// repeated on a continuation page is a header there too, not data.
fn layout<'a>(body: &'a [Line], keys: &[String], drop_bands: &[String]) -> Layouted<'a> {
    let mut lay = layout_first(body, keys, drop_bands);
    let vocab = header_vocab(&lay.header, keys, drop_bands);
    let header = lay.header.clone();
    lay.body.retain(|l| !repeats_header(l, &header, &vocab) && numbering(l).is_none());
    lay
}

/// Whether a line prints amounts (whole 元 or not) in the columns the header read so far
/// names as value columns of the table, and nothing but amounts or blanks there: a row of
/// the body, whatever its labels (a label spilling into the 行次 cell, an OCR misreading),
/// since a header has no amounts. A garbled header row (`7-1-10/10 | 11000 | 大匹収入`)
/// has text under its value headers.
fn amounts_under_value_headers(l: &Line, header: &[&Line], keys: &[String], drop_bands: &[String]) -> bool {
    if header.is_empty() {
        return false;
    }
    let bands = crate::columns::bands(keys, drop_bands);
    let mut amounts = 0;
    for (i, c) in l.cells.iter().enumerate() {
        let frags = crate::columns::fragments(header, i, i, &bands, drop_bands);
        let value = crate::columns::match_key(&frags, keys).is_some() || frags.last().is_some_and(|f| catalogue().is_value_header(f));
        if !value {
            continue;
        }
        match cell_amount(c) {
            Ok(Some(_)) => amounts += 1,
            Ok(None) => {}
            Err(()) => return false,
        }
    }
    amounts > 0
}

fn layout_first<'a>(body: &'a [Line], keys: &[String], drop_bands: &[String]) -> Layouted<'a> {
    // A header opens with a header word (项目, 科目编码 …), the 栏次 row, or — in a ruled
    // grid — its first row of text without amounts (a 三公 table heads with its bands).
    let start = body.iter().position(|l| {
        (l.filled() >= 2 && is_header_line(l)) || numbering(l).is_some() || (!l.spans.is_empty() && l.filled() >= 1 && !has_amount(l))
    });
    let Some(start) = start else {
        return Layouted { header: vec![], numbers: None, body: body.iter().collect() };
    };
    let mut header = Vec::new();
    let mut numbers = None;
    let mut i = start;
    while i < body.len() {
        let l = &body[i];
        if let Some(n) = numbering(l) {
            numbers = Some(n);
            i += 1;
            break;
        }
        if has_amount(l) || data_start(l) || amounts_under_value_headers(l, &header, keys, drop_bands) {
            break;
        }
        if l.filled() > 0 {
            header.push(l);
        }
        i += 1;
    }
    Layouted { header, numbers, body: body[i..].iter().collect() }
}

/// Value columns: from the numbering row, else the columns that hold amounts and the
/// columns whose header names a value column of the table and whose cells hold no
/// text (blank means zero: an all-blank column is still a column).
fn value_columns(lay: &Layouted<'_>, keys: &[String], drop_bands: &[String]) -> Vec<(usize, Option<u32>)> {
    if let Some(n) = &lay.numbers {
        return n.iter().map(|&(i, k)| (i, Some(k))).collect();
    }
    let width = lay.header.iter().chain(&lay.body).map(|l| l.cells.len()).max().unwrap_or(0);
    let mut amounts = vec![false; width];
    let mut text = vec![false; width];
    for l in &lay.body {
        // Text in a row of numbers marks a label column; a line without a number (a caption
        // printed again on a continuation page) says nothing about the columns.
        let numbers = l.cells.iter().any(|c| cell_amount(c).is_ok_and(|a| a.is_some()));
        for (i, c) in l.cells.iter().enumerate() {
            match cell_amount(c) {
                Err(()) if !numbers => {}
                Ok(Some(a)) if a.scale() > 0 => amounts[i] = true,
                Ok(_) => {}
                Err(()) => text[i] = !catalogue().is_header_word(&norm(c)) || text[i],
            }
        }
    }
    let bands = crate::columns::bands(keys, drop_bands);
    (0..width)
        .filter(|&i| {
            let frags = crate::columns::fragments(&lay.header, i, i, &bands, drop_bands);
            if frags.iter().any(|f| catalogue().is_code_header(f)) {
                return false;
            }
            amounts[i]
                || (!text[i]
                    && (crate::columns::match_key(&frags, keys).is_some()
                        || frags.last().is_some_and(|f| catalogue().is_value_header(f))))
        })
        .map(|i| (i, None))
        .collect()
}

/// Value cells of a line at the given columns; `Err` when one is text, not a number.
fn values(l: &Line, cols: &[ValueCol]) -> Result<Vec<Cell>, String> {
    let mut out = Vec::new();
    for c in cols {
        let raw = l.cells.get(c.idx).map(String::as_str).unwrap_or("");
        match cell_amount(raw) {
            Ok(Some(_)) if !c.known => {}
            Ok(Some(v)) => out.push(Cell { col: c.key.clone(), value: v, bbox: cell_bbox(l, c.idx), ocr: None }),
            Ok(None) => {}
            Err(()) => return Err(raw.to_string()),
        }
    }
    Ok(out)
}

/// Value cells of `l` with something printed: what leaving the line out costs.
fn filled_values(l: &Line, cols: &[ValueCol]) -> usize {
    cols.iter().filter(|c| l.cells.get(c.idx).is_some_and(|s| !gongkai_model::amount::is_blank_cell(s))).count()
}

/// The column map's warnings, and the amounts under columns it could not key: `values`
/// keeps none of them.
fn unmapped(lay: &Layouted<'_>, map: &crate::ColumnMap, warnings: Vec<String>, w: &mut Warnings) {
    let lost: usize = lay
        .body
        .iter()
        .map(|l| map.cols.iter().filter(|c| !c.known).filter(|c| l.cells.get(c.idx).is_some_and(|s| matches!(cell_amount(s), Ok(Some(_))))).count())
        .sum();
    w.left_out += lost;
    w.lines.extend(warnings);
}

/// The printed box of a PDF line's cell (page points, rounded to 0.01 so output stays
/// short); other inputs have no page geometry.
pub(crate) fn cell_bbox(l: &Line, idx: usize) -> Option<[f32; 4]> {
    let b = l.cell_box(idx)?;
    let r = |v: f32| (v * 100.0).round() / 100.0;
    (l.page.is_some() && b.top > b.bottom && b.x1 > b.x0).then(|| [r(b.x0), r(b.bottom), r(b.x1), r(b.top)])
}

fn where_(l: &Line) -> String {
    match (l.page, l.line) {
        (Some(p), _) => format!("page {p}"),
        (None, Some(n)) => format!("line {n}"),
        _ => "a line".into(),
    }
}

pub fn grid(block: &TableBlock<'_>, w: &mut Warnings) -> (Vec<Column>, Vec<Row>) {
    let spec = block.spec;
    let keys: Vec<String> = if spec.layout == Layout::TwoSided {
        spec.sides.iter().flat_map(|s| s.columns.iter().cloned()).collect()
    } else {
        spec.columns.clone()
    };
    let lay = layout(block.body, &keys, &spec.drop_bands);
    let vcols = value_columns(&lay, &keys, &spec.drop_bands);
    if vcols.is_empty() {
        if block.empty_statement.is_none() {
            w.left_out(amounts_in(block.body.iter()), "no value columns found: the table is empty or unreadable");
        }
        return (vec![], vec![]);
    }
    let joined = continuation::joins(&lay.body, &|i| vcols.iter().any(|v| v.0 == i), w);
    let lay = Layouted {
        header: lay.header.clone(),
        numbers: lay.numbers.clone(),
        body: lay.body.iter().enumerate().filter_map(|(k, l)| joined.get(&k).map_or(Some(*l), |j| j.as_ref())).collect(),
    };
    match spec.layout {
        Layout::TwoSided => two_sided(block, &lay, &vcols, w),
        _ => {
            let (map, mw) = map_columns(&lay.header, &vcols, &spec.columns, &spec.drop_bands);
            unmapped(&lay, &map, mw, w);
            let columns = map
                .cols
                .iter()
                .filter(|c| c.known)
                .map(|c| Column { key: c.key.clone(), printed: c.printed.clone(), number: c.number, side: None })
                .collect();
            let rows = if spec.layout == Layout::SingleRow {
                single_row(&lay, &map.cols, w)
            } else {
                coded_rows(&lay, &map.cols, spec.codes, w)
            };
            (columns, rows)
        }
    }
}

fn skip_line(l: &Line, cols: &[ValueCol]) -> bool {
    l.filled() == 0 || numbering(l).is_some() || numbers_columns(l) || (is_header_line(l) && values(l, cols).map_or(true, |v| v.is_empty()))
}

/// A line that names itself the columns' numbering (a cell opening with `栏次` or `行次`)
/// is no row, whatever its numbers read: on a scan whose ruling between 2 and 3 was lost
/// and another read as `|` (`栏次|1 | 23 | 4 | 5 | 6`) they no longer count up, and were
/// taken for a code and an amount.
fn numbers_columns(l: &Line) -> bool {
    l.cells.iter().any(|c| {
        let t = gongkai_model::compact(c);
        t.starts_with("栏次") || t.starts_with("行次")
    })
}

fn coded_rows(lay: &Layouted<'_>, cols: &[ValueCol], codes: Option<CodeKind>, w: &mut Warnings) -> Vec<Row> {
    let first_value = cols.iter().map(|c| c.idx).min().unwrap_or(0);
    let mut rows: Vec<Row> = Vec::new();
    let mut last_parts: Vec<Option<String>> = Vec::new();
    let mut prev_page: Option<u32> = None;
    let blank = String::new();
    let line_col = (0..first_value).find(|&i| lay.header.iter().any(|h| h.covering(i).is_some_and(|t| norm(t) == "行次")));
    for l in &lay.body {
        if skip_line(l, cols) {
            continue;
        }
        // The first line of a page below its header, before any row of it.
        let opens_page = l.page.is_some() && l.page != prev_page;
        prev_page = l.page;
        let cells = match values(l, cols) {
            Ok(c) => c,
            Err(bad) => {
                w.left_out(filled_values(l, cols), format!("{}: ignored a line whose value cells are not numbers (`{}`)", where_(l), bad.trim()));
                continue;
            }
        };
        // A 行次 column (known by its header) among the label columns is neither code nor label.
        let label_cells: Vec<&String> = (0..first_value.min(l.cells.len()))
            .map(|i| if line_col == Some(i) { &blank } else { &l.cells[i] })
            .collect();
        let line_number = line_col.and_then(|i| l.cells.get(i)).and_then(|c| c.trim().parse().ok());
        // Codes split over 类/款/项 cells are joined; a part left blank repeats the one above
        // (a 款 or 项 row printed under its 类 without it). A 款 or 项 printed with one digit
        // is zero-padded (`301 | 2` is 30102).
        let parts: Vec<Option<String>> = label_cells
            .iter()
            .map(|c| code_cell(c).map(|d| if d.len() == 1 { format!("0{d}") } else { d }))
            .collect();
        let mut code = String::new();
        let positions: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].is_some()).collect();
        if let (Some(&first), Some(&last)) = (positions.first(), positions.last()) {
            // Blanks before the first part inherit only where that part is a 款 or 项 (two
            // digits): a whole code printed one column over stands alone.
            let from = if parts[first].as_ref().is_some_and(|p| p.len() == 2) { 0 } else { first };
            let mut resolved: Vec<Option<String>> = vec![None; parts.len()];
            for k in from..=last {
                resolved[k] = parts[k].clone().or_else(|| last_parts.get(k).cloned().flatten());
            }
            code = resolved.iter().flatten().cloned().collect::<Vec<_>>().concat();
            last_parts = resolved;
        }
        // Header words sharing the row (类 | 款 | 项 printed beside 合计) are not the label.
        let label: String = label_cells
            .iter()
            .filter(|c| code_cell(c).is_none() && !catalogue().is_header_word(&norm(c)))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("");
        if code.is_empty() && label.is_empty() && cells.is_empty() {
            continue;
        }
        if code.is_empty() && label.is_empty() {
            w.left_out(cells.len(), format!("{}: a row of numbers with neither code nor label was ignored", where_(l)));
            continue;
        }
        if cells.is_empty() && code.is_empty() {
            // The rest of a label wrapped over a page break (a row the page split) opens the
            // next page: it ends the label of the coded row above.
            if let Some(prev) = rows.last_mut().filter(|r| opens_page && r.code.is_some() && r.at.page.zip(l.page).is_some_and(|(a, b)| a + 1 == b)) {
                prev.label.push_str(&label);
                continue;
            }
            // A label with no numbers: a caption or a garbled header, not a row.
            continue;
        }
        // A table keyed by classification codes: a known code or a closing row, else no fact.
        let (code, key, label) = match codes.map(|k| row_keys::key(k, &code, &label)) {
            Some(Ok(RowKey::Code { code, label })) => (code.clone(), code, label),
            Some(Ok(RowKey::Closing(key))) => (String::new(), key, label),
            Some(Err(why)) => {
                w.left_out(cells.len(), format!("{}: {}; its {} value cells were left out", where_(l), why, cells.len()));
                continue;
            }
            None => {
                let std = norm(&label);
                let key = if !code.is_empty() {
                    code.clone()
                } else if is_grand_total(&std) {
                    "合计".to_string()
                } else {
                    std
                };
                (code, key, label)
            }
        };
        rows.push(Row {
            level: if code.is_empty() { None } else { level(&code) },
            code: (!code.is_empty()).then_some(code),
            key,
            side: None,
            label,
            line_number,
            cells,
            at: l.at(),
        });
    }
    rows
}

fn single_row(lay: &Layouted<'_>, cols: &[ValueCol], w: &mut Warnings) -> Vec<Row> {
    for l in &lay.body {
        if skip_line(l, cols) {
            continue;
        }
        match values(l, cols) {
            Ok(cells) if !cells.is_empty() => {
                let first = cols.iter().map(|c| c.idx).min().unwrap_or(0);
                let label = l.cells.iter().take(first).map(|c| c.trim()).collect::<Vec<_>>().join("");
                return vec![Row {
                    key: "合计".into(),
                    side: None,
                    code: None,
                    level: None,
                    label,
                    line_number: None,
                    cells,
                    at: l.at(),
                }];
            }
            Ok(_) => {}
            Err(bad) => w.left_out(filled_values(l, cols), format!("{}: ignored a line whose value cells are not numbers (`{}`)", where_(l), bad.trim())),
        }
    }
    vec![]
}

struct Side {
    name: String,
    label_idx: usize,
    line_idx: Option<usize>,
    cols: Vec<ValueCol>,
}

fn two_sided(
    block: &TableBlock<'_>,
    lay: &Layouted<'_>,
    vcols: &[(usize, Option<u32>)],
    w: &mut Warnings,
) -> (Vec<Column>, Vec<Row>) {
    let spec = block.spec;
    // Runs of adjacent value columns are the sides' value columns.
    let mut runs: Vec<Vec<(usize, Option<u32>)>> = Vec::new();
    for &v in vcols {
        match runs.last_mut() {
            Some(r) if r.last().unwrap().0 + 1 == v.0 => r.push(v),
            _ => runs.push(vec![v]),
        }
    }
    // Which side a value belongs to is certain only where each side has its own run of
    // value columns, each named once; otherwise a value could land on the other side or
    // under its neighbour's name, so none is placed.
    if runs.len() != spec.sides.len() {
        w.left_out(amounts_in(lay.body.iter().copied()), format!("expected {} sides, found {} groups of value columns: no row placed", spec.sides.len(), runs.len()));
        return (vec![], vec![]);
    }
    let mut sides = Vec::new();
    let mut prev_end = 0;
    for (run, sspec) in runs.iter().zip(&spec.sides) {
        let start = run[0].0;
        let (map, mw) = map_columns(&lay.header, run, &sspec.columns, &[]);
        unmapped(lay, &map, mw, w);
        let mut names: Vec<&String> = map.cols.iter().filter(|c| c.known).map(|c| &c.key).collect();
        names.sort();
        if names.windows(2).any(|p| p[0] == p[1]) {
            w.left_out(amounts_in(lay.body.iter().copied()), format!("the {} side names a column twice: no row placed", sspec.side));
            return (vec![], vec![]);
        }
        let between: Vec<usize> = (prev_end..start).collect();
        let line_idx = if between.len() >= 2 { between.last().copied() } else { None };
        sides.push(Side { name: sspec.side.clone(), label_idx: prev_end, line_idx, cols: map.cols });
        prev_end = run.last().unwrap().0 + 1;
    }
    let columns = sides
        .iter()
        .flat_map(|s| {
            s.cols.iter().filter(|c| c.known).map(move |c| Column {
                key: c.key.clone(),
                printed: c.printed.clone(),
                number: c.number,
                side: Some(s.name.clone()),
            })
        })
        .collect();
    let cat = catalogue();
    let mut rows = Vec::new();
    let mut parents: Vec<Option<(String, Vec<String>)>> = vec![None; sides.len()];
    for l in &lay.body {
        if skip_line(l, &sides.iter().flat_map(|s| s.cols.clone()).collect::<Vec<_>>()) {
            continue;
        }
        for (si, s) in sides.iter().enumerate() {
            let label = l.cells.get(s.label_idx).map(|c| c.trim().to_string()).unwrap_or_default();
            let std = norm(&label);
            let read = values(l, &s.cols);
            // A repeated header (项目 | 行次 | 决算数 on a continuation page) has no amounts;
            // a header word with amounts is a row (本年收入合计).
            if cat.is_header_word(&std) && read.as_ref().map_or(true, |c| c.is_empty()) {
                continue;
            }
            let cells = match read {
                Ok(c) => c,
                Err(bad) => {
                    w.left_out(filled_values(l, &s.cols), format!("{}: ignored a {} cell that is not a number (`{}`)", where_(l), s.name, bad.trim()));
                    continue;
                }
            };
            if std.is_empty() {
                if !cells.is_empty() {
                    w.left_out(cells.len(), format!("{}: a {} amount without a label was ignored", where_(l), s.name));
                }
                continue;
            }
            let line_number = s.line_idx.and_then(|i| l.cells.get(i)).and_then(|c| c.trim().parse().ok());
            let children = parents[si].as_ref().map(|(_, c)| c.as_slice());
            let row = match row_keys::summary_row(spec, &s.name, &std, children) {
                Ok((row, note)) => {
                    if let Some(n) = note {
                        w.note(format!("{}: {n}", where_(l)));
                    }
                    row
                }
                Err(why) => {
                    if !cells.is_empty() {
                        w.left_out(cells.len(), format!("{}: {why}; its amounts are left out", where_(l)));
                    }
                    continue;
                }
            };
            // Sub-lines under a parent such as 年初财政拨款结转和结余.
            let key = match row {
                SummaryRow::Child(c) => format!("{}/{}/{}", s.name, parents[si].as_ref().unwrap().0, c),
                SummaryRow::Class(code) => {
                    parents[si] = None;
                    code
                }
                SummaryRow::Row(r) => {
                    parents[si] = cat.children_of(&r).map(|c| (r.clone(), c.to_vec()));
                    format!("{}/{}", s.name, r)
                }
            };
            let code = key.chars().all(|c| c.is_ascii_digit()).then(|| key.clone());
            rows.push(Row {
                level: code.as_ref().map(|_| "类".to_string()),
                code,
                key,
                side: Some(s.name.clone()),
                label,
                line_number,
                cells,
                at: l.at(),
            });
        }
    }
    // Reading order of a two-sided print: the income side top to bottom, then the other.
    rows.sort_by_key(|r| sides.iter().position(|s| Some(&s.name) == r.side.as_ref()));
    (columns, rows)
}


/// The basic-expenditure detail: groups of (code, name, amount) side by side; a page
/// that extraction flowed into one line of words is rebuilt by [`scramble`].
pub fn basic_detail(block: &TableBlock<'_>, w: &mut Warnings) -> (Vec<Column>, Vec<Row>) {
    let key = block.spec.columns.first().cloned().unwrap_or_else(|| "决算数".into());
    let mut grouped: Vec<Vec<Row>> = Vec::new();
    let mut closing: Vec<Row> = Vec::new();
    let mut groups: Option<Vec<usize>> = None; // cell index of each group's code column
    let mut last_class: Vec<String> = Vec::new();
    // A group's amount is the cell before the next group's code column; rows a page
    // break split are joined where that is certain.
    let header_starts = block.body.iter().find(|l| is_header_line(l)).map(|l| {
        (0..l.cells.len()).filter(|&i| norm(&l.cells[i]).contains("编码") || norm(&l.cells[i]).contains("代码")).collect::<Vec<_>>()
    });
    let lines: Vec<&Line> = block.body.iter().collect();
    // The header printed again on a continuation page stands between the rows a break split.
    let rows_at: Vec<usize> = (0..lines.len()).filter(|&k| !is_header_line(lines[k])).collect();
    let joined: std::collections::HashMap<usize, Option<Line>> = match header_starts.filter(|s| !s.is_empty()) {
        Some(starts) => {
            let width = block.body.iter().map(|l| l.cells.len()).max().unwrap_or(0);
            let ends: Vec<usize> = starts.iter().skip(1).map(|&s| s - 1).chain([width.saturating_sub(1)]).collect();
            let content: Vec<&Line> = rows_at.iter().map(|&k| lines[k]).collect();
            continuation::joins(&content, &|i| ends.contains(&i), w).into_iter().map(|(j, l)| (rows_at[j], l)).collect()
        }
        None => Default::default(),
    };
    let body: Vec<&Line> = lines.iter().enumerate().filter_map(|(k, l)| joined.get(&k).map_or(Some(*l), |j| j.as_ref())).collect();
    for l in body {
        if l.filled() == 0 {
            continue;
        }
        if l.filled() == 1 {
            let text = l.text();
            if scramble::looks_scrambled(&text) {
                let (entries, sw) = scramble::unscramble(&text);
                for m in sw {
                    w.note(format!("{}: {}", where_(l), m));
                }
                for e in entries {
                    if grouped.len() <= e.group {
                        grouped.resize(e.group + 1, Vec::new());
                    }
                    if let Some(v) = e.value {
                        grouped[e.group].push(econ_row(&e.code, &e.name, Cell { col: key.clone(), value: v, bbox: None, ocr: None }, l.at()));
                    }
                }
            }
            continue;
        }
        if is_header_line(l) {
            let starts: Vec<usize> = (0..l.cells.len())
                .filter(|&i| {
                    let n = norm(&l.cells[i]);
                    n.contains("编码") || n.contains("代码")
                })
                .collect();
            if !starts.is_empty() {
                groups = Some(starts);
            }
            continue;
        }
        // Before the header: captions (部门：… 单位：…), not rows, unless a line holds codes.
        if groups.is_none() && !l.cells.iter().any(|c| code_cell(c).is_some_and(|d| d.len() >= 3)) {
            continue;
        }
        let starts = groups.clone().unwrap_or_else(|| (0..l.cells.len()).step_by(3).collect());
        for (g, &s) in starts.iter().enumerate() {
            // A group runs to the next group's code column; its amount is its last cell,
            // its code the digits of its code cells (类 | 款 split or whole), its name the rest.
            let end = starts.get(g + 1).copied().unwrap_or(l.cells.len()).min(l.cells.len());
            if end < s + 2 {
                continue;
            }
            // A merged label covers this group's amount cell: the label names the amount
            // after it (公用经费合计 merged over two groups), not one here.
            let covered = |i: usize| l.spans.get(i) == Some(&0);
            if covered(end - 1) {
                continue;
            }
            let raw = l.cells[end - 1].as_str();
            let mut parts: Vec<String> = Vec::new();
            let mut name = String::new();
            // A label merged in from the group to the left is this group's label.
            let inherited = covered(s).then(|| l.covering(s).unwrap_or("").to_string());
            for c in inherited.iter().chain(&l.cells[s + usize::from(inherited.is_some())..end - 1]) {
                match code_cell(c) {
                    Some(d) if d.len() == 1 => parts.push(format!("0{d}")),
                    Some(d) => parts.push(d),
                    None if !catalogue().is_header_word(&norm(c)) => name.push_str(c.trim()),
                    None => {}
                }
            }
            if parts.len() == 1 && parts[0].len() == 2 && last_class.len() > g {
                // A 款 printed without its 类: the class above it.
                parts.insert(0, last_class[g].clone());
            }
            let code = (!parts.is_empty()).then(|| parts.concat());
            if let Some(c) = &code {
                if last_class.len() <= g {
                    last_class.resize(g + 1, String::new());
                }
                last_class[g] = c[..3.min(c.len())].to_string();
            }
            let v = match cell_amount(raw) {
                Ok(v) => v,
                Err(()) => {
                    w.left_out(1, format!("{}: ignored a cell that is not a number (`{}`)", where_(l), raw.trim()));
                    None
                }
            };
            let Some(v) = v else { continue };
            let cell = Cell { col: key.clone(), value: v, bbox: cell_bbox(l, end - 1), ocr: None };
            // Keyed by an economic code the catalogue knows or a closing row it names, else no fact.
            let code = match (block.spec.codes, code) {
                (Some(kind), code) if code.is_some() || !name.is_empty() => {
                    match row_keys::key(kind, code.as_deref().unwrap_or(""), &name) {
                        Ok(RowKey::Code { code, label }) => {
                            name = label;
                            Some(code)
                        }
                        Ok(RowKey::Closing(_)) => None,
                        Err(why) => {
                            w.left_out(1, format!("{}: {}; its value cell was left out", where_(l), why));
                            continue;
                        }
                    }
                }
                (_, code) => code,
            };
            match code {
                Some(code) => {
                    if grouped.len() <= g {
                        grouped.resize(g + 1, Vec::new());
                    }
                    grouped[g].push(econ_row(&code, &name, cell, l.at()));
                }
                None if !name.is_empty() => {
                    let std = norm(&name);
                    closing.push(Row {
                        key: if is_grand_total(&std) { "合计".into() } else { std },
                        side: None,
                        code: None,
                        level: None,
                        label: name,
                        line_number: None,
                        cells: vec![cell],
                        at: l.at(),
                    });
                }
                None => w.left_out(1, format!("{}: an amount without code or label was ignored", where_(l))),
            }
        }
    }
    let rows: Vec<Row> = grouped.into_iter().flatten().chain(closing).collect();
    let columns = vec![Column { key: key.clone(), printed: key, number: None, side: None }];
    (columns, rows)
}

fn econ_row(code: &str, name: &str, cell: Cell, at: Location) -> Row {
    Row {
        key: code.to_string(),
        side: None,
        code: Some(code.to_string()),
        level: Some(if code.len() == 3 { "类" } else { "款" }.to_string()),
        label: name.to_string(),
        line_number: None,
        cells: vec![cell],
        at,
    }
}
