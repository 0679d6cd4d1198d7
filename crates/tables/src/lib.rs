//! Rebuilds the rows and columns of a table from its lines: header rows (split,
//! nested, garbled), the 栏次 numbering row, value columns, classification codes
//! (joined over 类/款/项), two-sided summaries, side-by-side detail groups, and the
//! row and column keys of the facts contract.

mod columns;
mod continuation;
mod position;
mod row_keys;
mod rows;
mod scramble;

use gongkai_extract::Line;
use gongkai_model::{catalogue, compact, normalize_label, parse_amount, Layout, Provenance, Table};
use gongkai_segment::TableBlock;

pub use columns::ColumnMap;

/// What building one table has to tell: its warnings, and how many of its printed amounts
/// it could not keep. The count is for readers of the table's identities (an identity
/// over a table with amounts left out may fail for the missing term), who should not
/// have to learn it from the warnings' wording.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    pub lines: Vec<String>,
    pub left_out: usize,
}

impl Warnings {
    /// A warning that costs no amount.
    pub(crate) fn note(&mut self, m: impl Into<String>) {
        self.lines.push(m.into());
    }

    /// A warning that `cells` printed amounts were not kept (at least one).
    pub(crate) fn left_out(&mut self, cells: usize, m: impl Into<String>) {
        self.left_out += cells.max(1);
        self.lines.push(m.into());
    }
}

/// Cells of `lines` that read as amounts: what a table loses when it places none of them.
pub(crate) fn amounts_in<'a>(lines: impl IntoIterator<Item = &'a Line>) -> usize {
    lines.into_iter().flat_map(|l| &l.cells).filter(|c| matches!(cell_amount(c), Ok(Some(_)))).count()
}


pub(crate) fn norm(s: &str) -> String {
    let n = normalize_label(s);
    catalogue().standard_label(&n).to_string()
}

/// A coded table's grand total: printed 合计 or 总计, keyed 合计 (facts contract rule 3).
pub(crate) fn is_grand_total(std: &str) -> bool {
    matches!(std, "合计" | "总计")
}

pub(crate) fn is_header_line(l: &Line) -> bool {
    l.cells.iter().any(|c| catalogue().is_header_word(&normalize_label(c)))
}

/// A numbering row: 栏次 and/or consecutive small integers, nothing else.
pub(crate) fn numbering(l: &Line) -> Option<Vec<(usize, u32)>> {
    let mut nums = Vec::new();
    for (i, c) in l.cells.iter().enumerate() {
        let t = compact(c);
        // Stray punctuation (an OCR speck such as `,` or `·`) is not a column.
        let speck = t.chars().all(|c| !c.is_alphanumeric());
        if speck || t == "栏次" || t == "行次" || t == "金额单位" {
            continue;
        }
        match t.parse::<u32>() {
            Ok(n) if n < 100 => nums.push((i, n)),
            _ => return None,
        }
    }
    let ok = !nums.is_empty()
        && nums.first().map(|n| n.1) == Some(1)
        && (l.cells.iter().any(|c| normalize_label(c) == "栏次") || nums.len() >= 2);
    ok.then_some(nums)
}

/// Build the canonical table. `doc_unit` is the unit the rest of the document agrees on,
/// used only where the table's own header and note state none.
pub fn build(block: &TableBlock<'_>, doc_unit: Option<&str>, warnings: &mut Vec<String>) -> Table {
    // The title and captions printed again at the top of a continuation page are not rows.
    let kept: Option<Vec<Line>> = (!block.repeated.is_empty()).then(|| {
        block.body.iter().enumerate().filter(|(j, _)| !block.repeated.contains(j)).map(|(_, l)| l.clone()).collect()
    });
    let base: &[Line] = kept.as_deref().unwrap_or(block.body);
    // Every cell in the column it sits over, whatever grid its page printed.
    let placed = position::place(base);
    let local = TableBlock { body: placed.as_deref().unwrap_or(base), repeated: Vec::new(), ..block.clone() };
    let block = &local;
    let spec = block.spec;
    let (unit, unit_source) = match (&block.unit_header, &block.unit_note, doc_unit) {
        (Some(u), _, _) => (Some(u.clone()), Some("header")),
        (None, Some(u), _) => (Some(u.clone()), Some("note")),
        (None, None, Some(u)) => (Some(u.to_string()), Some("document")),
        _ => (None, None),
    };
    let where_ = block.printed_number.clone().unwrap_or_else(|| block.title.clone());
    let mut w = Warnings::default();
    let (columns, rows) = match spec.layout {
        Layout::BasicDetail => rows::basic_detail(block, &mut w),
        _ => rows::grid(block, &mut w),
    };
    let rows = one_row_per_key(rows, &mut w);
    let rows = one_precision(rows, &mut w);
    if unit.is_none() && !rows.is_empty() {
        w.note("no unit (单位) could be read for this table");
    }
    // A table the catalogue does not know keeps its cells under its own title.
    let id = if spec.id == "unknown" { format!("unknown:{}", normalize_label(&block.title)) } else { spec.id.clone() };
    if spec.id == "unknown" {
        // Its columns are named by their printed headers: that is the point, not a problem.
        w.lines.retain(|m| !m.contains("matches no standard column"));
        if rows.iter().any(|r| !r.cells.is_empty()) {
            w.note("not a table of the catalogue: its cells are kept under this id");
        }
    }
    let cells_left_out = w.left_out;
    warnings.extend(w.lines.into_iter().map(|m| format!("{} ({}): {}", id, where_, m)));
    Table {
        id,
        printed_number: block.printed_number.clone(),
        title: block.title.clone(),
        department: block.department.clone(),
        unit,
        unit_source: unit_source.map(str::to_string),
        columns,
        rows,
        empty_statement: block.empty_statement.clone(),
        note: block.note.clone(),
        provenance: Provenance { start: block.start, end: block.end },
        cells_left_out,
    }
}

/// A cell's amount, `Ok(None)` for a blank cell, `Err` for text that is not a number.
pub(crate) fn cell_amount(s: &str) -> Result<Option<gongkai_model::Amount>, ()> {
    if gongkai_model::amount::is_blank_cell(s) {
        return Ok(None);
    }
    parse_amount(s).map(Some).ok_or(())
}

/// Digits of a classification code cell (`201`, `20105`, `06`), else `None`.
pub(crate) fn code_cell(s: &str) -> Option<String> {
    let t = compact(s);
    (!t.is_empty() && t.len() <= 7 && t.chars().all(|c| c.is_ascii_digit())).then_some(t)
}

/// A column prints its amounts with one precision (`2,940.05`, `0.00`; whole 元 without):
/// a whole number in a column whose amounts mostly show decimals is none of them but a
/// 行次 or a code that fell into it (layout text of a page printed on another grid, its
/// `总计 29` or the next group's `31001` put under the amounts): left out with a warning.
fn one_precision(mut rows: Vec<gongkai_model::Row>, w: &mut Warnings) -> Vec<gongkai_model::Row> {
    let mut count: std::collections::HashMap<String, (usize, usize)> = std::collections::HashMap::new();
    for c in rows.iter().flat_map(|r| &r.cells) {
        let e = count.entry(c.col.clone()).or_default();
        if c.value.scale() > 0 {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    for r in &mut rows {
        let before = r.cells.len();
        r.cells.retain(|c| c.value.scale() > 0 || count.get(&c.col).is_some_and(|&(dec, whole)| dec <= whole));
        if r.cells.len() < before {
            w.left_out(before - r.cells.len(), format!("row `{}`: a whole number in a column whose amounts show decimals is no amount of it; left out", r.key));
        }
    }
    rows
}

/// Two rows under one key would make two facts of one name. The same cells printed twice
/// are one row; rows that disagree are left out, all of them, with a warning: which one
/// the key names is not known (missing, never wrong).
fn one_row_per_key(rows: Vec<gongkai_model::Row>, w: &mut Warnings) -> Vec<gongkai_model::Row> {
    let cells = |r: &gongkai_model::Row| r.cells.iter().map(|c| (c.col.clone(), c.value.to_string())).collect::<Vec<_>>();
    let mut out: Vec<gongkai_model::Row> = Vec::with_capacity(rows.len());
    let mut ambiguous = std::collections::BTreeSet::new();
    for r in rows {
        match out.iter().find(|o| o.key == r.key) {
            None => out.push(r),
            Some(o) if cells(o) == cells(&r) => {
                w.note(format!("row key `{}` printed twice with the same amounts (`{}`); kept once", r.key, r.label))
            }
            Some(_) => {
                if ambiguous.insert(r.key.clone()) {
                    w.note(format!(
                        "row key `{}` appears twice with different amounts (`{}`); which row it names is not known, so its facts are left out",
                        r.key, r.label
                    ));
                }
            }
        }
    }
    let before: usize = out.iter().map(|r| r.cells.len()).sum();
    out.retain(|r| !ambiguous.contains(&r.key));
    w.left_out += before - out.iter().map(|r| r.cells.len()).sum::<usize>();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, cells: &[(&str, &str)]) -> gongkai_model::Row {
        gongkai_model::Row {
            key: key.into(),
            side: None,
            code: None,
            level: None,
            label: String::new(),
            line_number: None,
            cells: cells.iter().map(|(c, v)| gongkai_model::Cell { col: c.to_string(), value: parse_amount(v).unwrap(), bbox: None, ocr: None }).collect(),
            at: Default::default(),
        }
    }

    /// A 行次 (`29`) that layout text of a page on another grid put under 金额, among amounts
    /// with decimals: no amount of the column. Whole 元 columns keep their numbers.
    #[test]
    fn a_whole_number_among_amounts_with_decimals_is_left_out() {
        let rows = vec![
            row("收入/一般公共预算财政拨款", &[("金额", "5,896.65"), ("元", "100")]),
            row("收入/本年收入合计", &[("金额", "11,396.65"), ("元", "117200")]),
            row("收入/总计", &[("金额", "29"), ("元", "3078200")]),
        ];
        let mut w = Warnings::default();
        let kept = one_precision(rows, &mut w);
        assert_eq!(kept[1].cells.len(), 2);
        assert_eq!(kept[2].cells.iter().map(|c| c.col.as_str()).collect::<Vec<_>>(), ["元"]);
        assert_eq!(w.lines.len(), 1, "{w:?}");
        assert_eq!(w.left_out, 1, "the one 总计 amount under 金额");
    }
}
