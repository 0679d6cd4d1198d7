//! Columns of a table printed without rulings, from where its cells sit: the extents of
//! the cells that hold amounts make the value columns, the extents of the other cells of
//! the amount rows that lie outside them the text columns (codes, labels); every cell of
//! the block then goes to the column it overlaps most, so a blank cell stays a blank
//! column instead of shifting the amounts to its right left. A header cell printed over
//! several columns (a band) spans the columns whose middles it covers.
//!
//! The same idea as lattice.rs's alignment of a PDF's unruled baselines, in any
//! horizontal unit (display columns of layout text here); a shared function so that one
//! rule serves both (lattice.rs could call it).

use crate::CellBox;

/// A cell of one printed line: its text and horizontal extent.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// The cell is an amount: printed with decimals, or in a print of whole 元 a number
    /// right of a label (what the reader decided, see layout_text::runs).
    pub amount: bool,
}

/// An amount as printed in a table (decimals shown): the mark of a value column.
pub fn is_amount(s: &str) -> bool {
    gongkai_model::parse_amount(s).is_some_and(|a| a.scale() > 0)
}

fn overlap(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.1.min(b.1) - a.0.max(b.0)).max(0.0)
}

/// Merge extents that touch (within `slack`) into columns, left to right.
fn merge(mut spans: Vec<(f32, f32)>, slack: f32) -> Vec<(f32, f32)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match cols.last_mut() {
            Some(c) if a <= c.1 + slack => c.1 = c.1.max(b),
            _ => cols.push((a, b)),
        }
    }
    cols
}

/// The columns of a block of lines: value columns from the amount cells, text columns
/// from the other cells of the amount lines that no value column overlaps. None when
/// fewer than `min_rows` lines hold amounts (not a table). `narrow_cjk`: the unit gives a
/// full-width character one column (pdftotext -layout), so a header's CJK text stands
/// columns off where it is printed (see `drift`).
pub fn columns(block: &[Vec<Run>], min_rows: usize, narrow_cjk: bool) -> Option<Vec<(f32, f32)>> {
    let data: Vec<&Vec<Run>> = block.iter().filter(|l| l.iter().any(|r| r.amount)).collect();
    if data.len() < min_rows.max(1) {
        return None;
    }
    let values = merge(data.iter().flat_map(|l| l.iter().filter(|r| r.amount).map(|r| (r.x0, r.x1))).collect(), 0.0);
    let texts = merge(
        data.iter()
            .flat_map(|l| l.iter().filter(|r| !r.amount).map(|r| (r.x0, r.x1)))
            .filter(|&t| values.iter().all(|&v| overlap(t, v) == 0.0))
            .collect(),
        0.0,
    );
    let mut cols: Vec<(f32, f32)> = values.into_iter().chain(texts).collect();
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    // A header cell over no column heads a column no amount line fills (a column left
    // blank in every row, 科目编码 over a table whose only row is its 合计). Header lines
    // are taken bottom-up, so a band over such columns does not become one of them.
    let first_data = block.iter().position(|l| l.iter().any(|r| r.amount)).unwrap_or(0);
    for (k, l) in block.iter().enumerate().rev().filter(|(_, l)| !l.iter().any(|r| r.amount)) {
        // Within two columns of a column, a header cell is that column's (centred over it);
        // a header (above the first amounts) whose CJK glyphs stand narrower than printed
        // may stand as many columns further off: a column of its own there would put the
        // amounts below it one column off their headers.
        let near = |h: &Run, c: (f32, f32)| {
            let d = 2.0 + if narrow_cjk && k < first_data { drift(&h.text) } else { 0.0 };
            h.x0 < c.1 + d && h.x1 > c.0 - d
        };
        let new: Vec<(f32, f32)> = l.iter().filter(|h| cols.iter().all(|&c| !near(h, c))).map(|h| (h.x0, h.x1)).collect();
        cols.extend(new);
    }
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    Some(cols)
}

/// How many columns a text given one column per glyph stands narrower than printed (its
/// full-width characters): how far off its printed place pdftotext -layout may set it.
pub fn drift(text: &str) -> f32 {
    text.chars().filter(|&c| unicode_width::UnicodeWidthChar::width(c) == Some(2)).count() as f32
}

/// The column a cell belongs to: most overlap, else the nearest middle.
pub(crate) fn column_of(cols: &[(f32, f32)], r: &Run) -> usize {
    let mid = |c: (f32, f32)| (c.0 + c.1) / 2.0;
    let dist = |c: (f32, f32)| ((r.x0 + r.x1) / 2.0 - mid(c)).abs();
    (0..cols.len())
        .max_by(|&i, &j| overlap((r.x0, r.x1), cols[i]).total_cmp(&overlap((r.x0, r.x1), cols[j])).then(dist(cols[j]).total_cmp(&dist(cols[i]))))
        .unwrap_or(0)
}

/// What a block's rows put in a column: amounts, other text (codes, labels), or nothing
/// (a column only a header names, blank in every row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Value,
    Text,
    Head,
}

/// The kind of each of a block's columns, from its rows (lines holding an amount).
pub fn kinds(cols: &[(f32, f32)], block: &[Vec<Run>]) -> Vec<Kind> {
    let mut out = vec![Kind::Head; cols.len()];
    for l in block.iter().filter(|l| l.iter().any(|r| r.amount)) {
        for r in l {
            let k = column_of(cols, r);
            if r.amount {
                out[k] = Kind::Value;
            } else if out[k] == Kind::Head {
                out[k] = Kind::Text;
            }
        }
    }
    out
}

/// Which of a table's columns (`prev`, with their kinds) each column of its continuation
/// on a later page is, where that is certain. The extractor lays out every page on its
/// own: a column's extent follows the amounts printed in it on that page (shorter amounts
/// end a character or two short of where they ended before), and the blank space of a
/// column left blank on a page is squeezed out, so the columns right of it stand further
/// left there — position alone does not tell which column a cell is in. What does not
/// change is the order. So: where the continuation has as many value columns as the
/// table had columns holding amounts, they are those columns in order; its text columns
/// (codes, labels) likewise where as many, else each by the one text column of the table
/// it overlaps. Where it has fewer value columns (some blank on this page), only a shift
/// that puts every column's left or right edge within one column of a table column's
/// (the largest such: a two-sided summary continues on its right side) is taken; where
/// none does, there is none. `in_order`: the amounts are known as such (printed with
/// decimals); whole 元 are told from codes by where they stand, and one code read as an
/// amount (its label wrapped away) makes a column of codes a value column, which the
/// order would then take for the table's: only the shift is taken there.
pub fn continuation(prev: &[(f32, f32)], prev_kinds: &[Kind], cols: &[(f32, f32)], cols_kinds: &[Kind], in_order: bool) -> Option<Vec<usize>> {
    if cols.is_empty() || cols.len() > prev.len() {
        return None;
    }
    let of = |ks: &[Kind], k: Kind| (0..ks.len()).filter(|&i| ks[i] == k).collect::<Vec<_>>();
    let (pv, cv) = (of(prev_kinds, Kind::Value), of(cols_kinds, Kind::Value));
    let (pt, ct) = (of(prev_kinds, Kind::Text), of(cols_kinds, Kind::Text));
    if in_order && cv.len() == pv.len() && ct.len() + cv.len() == cols.len() {
        let mut map = vec![usize::MAX; cols.len()];
        for (c, p) in cv.iter().zip(&pv) {
            map[*c] = *p;
        }
        if ct.len() == pt.len() {
            for (c, p) in ct.iter().zip(&pt) {
                map[*c] = *p;
            }
        } else {
            for &c in &ct {
                let on: Vec<usize> = pt.iter().copied().filter(|&j| overlap(cols[c], prev[j]) > 0.0).collect();
                if on.len() == 1 {
                    map[c] = on[0];
                }
            }
        }
        if map.iter().all(|&m| m != usize::MAX) && map.windows(2).all(|w| w[0] < w[1]) {
            return Some(map);
        }
    }
    let near = |c: (f32, f32), s: f32| prev.iter().position(|p| (p.0 - (c.0 + s)).abs() <= 1.0 || (p.1 - (c.1 + s)).abs() <= 1.0);
    let shift = prev
        .iter()
        .map(|p| p.0 - cols[0].0)
        .filter(|&s| cols.iter().all(|&c| near(c, s).is_some()))
        .max_by(f32::total_cmp)?;
    let map: Vec<usize> = cols
        .iter()
        .map(|&c| {
            let r = Run { text: String::new(), x0: c.0 + shift, x1: c.1 + shift, amount: false };
            column_of(prev, &r)
        })
        .collect();
    // A column of amounts is none of the table's label columns, nor a label column one of
    // its columns of amounts (a page whose 合计 label stands left of the codes shifts every
    // edge onto the wrong kind's).
    let same_kind = (0..cols.len()).all(|c| match cols_kinds[c] {
        Kind::Value => prev_kinds[map[c]] != Kind::Text,
        Kind::Text => prev_kinds[map[c]] != Kind::Value,
        Kind::Head => true,
    });
    (same_kind && map.windows(2).all(|w| w[0] < w[1])).then_some(map)
}

/// One line's cells put in the block's columns: (cells, spans, boxes). Cells that share
/// a column are joined with a space. A cell of a line without amounts that covers the
/// middles of several columns spans them (its text at the first).
pub fn slot(cols: &[(f32, f32)], runs: &[Run]) -> (Vec<String>, Vec<usize>, Vec<CellBox>) {
    let n = cols.len();
    let mut cells = vec![String::new(); n];
    let mut spans = vec![1usize; n];
    let header = !runs.iter().any(|r| r.amount);
    for r in runs {
        let covered: Vec<usize> = (0..n).filter(|&k| header && r.x0 <= (cols[k].0 + cols[k].1) / 2.0 && r.x1 >= (cols[k].0 + cols[k].1) / 2.0).collect();
        let k = if covered.len() > 1 { covered[0] } else { column_of(cols, r) };
        if covered.len() > 1 && cells[k].is_empty() && covered.iter().all(|&j| spans[j] == 1 && cells[j].is_empty()) {
            spans[k] = covered.len();
            for &j in &covered[1..] {
                spans[j] = 0;
            }
        }
        if !cells[k].is_empty() {
            cells[k].push(' ');
        }
        cells[k].push_str(&r.text);
    }
    let mut boxes = Vec::with_capacity(n);
    for k in 0..n {
        let last = if spans[k] > 1 { k + spans[k] - 1 } else { k };
        let start = if spans[k] == 0 { (0..k).rev().find(|&j| spans[j] > 1).unwrap_or(k) } else { k };
        let end = if spans[k] == 0 { start + spans[start].max(1) - 1 } else { last };
        boxes.push(CellBox { x0: cols[start].0, x1: cols[end.min(n - 1)].1, ..CellBox::default() });
    }
    (cells, spans, boxes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str, x0: f32) -> Run {
        Run { text: t.into(), x0, x1: x0 + unicode_width::UnicodeWidthStr::width(t) as f32, amount: is_amount(t) }
    }

    #[test]
    fn a_blank_cell_keeps_its_column_and_a_band_spans_its_columns() {
        let block = vec![
            vec![run("本年支出决算", 26.0)],
            vec![run("项目", 0.0), run("合计", 25.0), run("基本支出", 34.0)],
            vec![run("合计", 0.0), run("30.00", 25.0), run("20.00", 35.0)],
            vec![run("201", 0.0), run("一般公共服务支出", 5.0), run("5.00", 36.0)],
        ];
        let cols = columns(&block, 2, false).unwrap();
        let (c, s, _) = slot(&cols, &block[3]);
        assert_eq!(c, ["201", "一般公共服务支出", "", "5.00"]);
        let (c, s0, b) = slot(&cols, &block[0]);
        assert_eq!((c[2].as_str(), s0[2], s0[3]), ("本年支出决算", 2, 0));
        assert_eq!((b[3].x0, b[3].x1), (b[2].x0, b[2].x1));
        assert_eq!(s, [1, 1, 1, 1]);
        let (c, _, _) = slot(&cols, &block[2]);
        assert_eq!(c, ["合计", "", "30.00", "20.00"]);
    }

    /// A continuation's columns are the table's where certain: as many value columns as
    /// the table had with amounts are those in order, wherever the page set them (a blank
    /// column squeezed out moves the ones right of it left); fewer only where one shift
    /// puts every edge on the table's.
    #[test]
    fn a_continuation_matches_only_where_certain() {
        use Kind::*;
        let prev = [(0.0, 3.0), (10.0, 30.0), (40.0, 50.0), (55.0, 65.0), (70.0, 80.0), (90.0, 98.0)];
        let pk = [Text, Text, Value, Value, Head, Value];
        // Shorter amounts, the blank fourth column squeezed out: the third value column
        // stands where the blank one was.
        let cols = [(0.0, 3.0), (10.0, 26.0), (42.0, 48.0), (58.0, 65.0), (70.0, 76.0)];
        let ck = [Text, Text, Value, Value, Value];
        assert_eq!(continuation(&prev, &pk, &cols, &ck, true), Some(vec![0, 1, 2, 3, 5]));
        // Two value columns of three: the strict rule, which these edges do not meet…
        assert_eq!(continuation(&prev, &pk, &cols[..4], &ck[..4], true), None);
        // …and these do (the whole page shifted left by six).
        let left = [(4.0, 24.0), (34.0, 44.0), (49.0, 59.0)];
        assert_eq!(continuation(&prev, &pk, &left, &[Text, Value, Value], true), Some(vec![1, 2, 3]));
        // More columns than the table: none.
        assert_eq!(continuation(&prev[..2], &pk[..2], &cols[..3], &ck[..3], true), None);
        // Whole 元 (amounts told from codes by where they stand): no match by order, only
        // by a shift, which these edges do not meet.
        assert_eq!(continuation(&prev, &pk, &cols, &ck, false), None);
        assert_eq!(continuation(&prev, &pk, &left, &[Text, Value, Value], false), Some(vec![1, 2, 3]));
    }

    /// A continued page whose 合计 row's label (merged over the code and name) stands left
    /// of where the names stood: the one shift that puts every edge near the table's puts
    /// the label in the code column and each amount one column left, the first in the
    /// label column. A column of amounts is no label column: no match.
    #[test]
    fn a_continuation_shift_keeps_each_columns_kind() {
        use Kind::*;
        let prev = [(0.0, 7.0), (10.0, 19.0), (24.0, 31.0), (35.0, 42.0), (46.0, 53.0)];
        let pk = [Text, Text, Value, Value, Value];
        let cols = [(7.0, 9.0), (19.0, 26.0), (30.0, 37.0), (41.0, 48.0)];
        assert_eq!(continuation(&prev, &pk, &cols, &[Text, Value, Value, Value], true), None);
    }
}
