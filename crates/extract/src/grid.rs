//! Markup tables and spreadsheets to [`Line`]s: one line per grid row, one cell per grid
//! column, a merged cell's text at its top-left with its span (0 for the cells of that row
//! it covers), the other rows it covers blank — the lines lattice.rs makes of a ruled PDF
//! grid, so segment and tables read every format the same way. Boxes are grid columns:
//! x0 the first column a cell covers, x1 one past the last.

use crate::{CellBox, Line};

/// One cell as a markup table or a sheet gives it: its text and how far it reaches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Placed {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    pub text: String,
}

/// Cells in HTML order (each row lists the cells that start in it, covered positions
/// omitted) placed on the grid: a cell takes the first column not yet covered by a
/// rowspan from above, as browsers place them.
pub fn place_rows(rows: &[Vec<(String, usize, usize)>]) -> Vec<Placed> {
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for (text, cs, rs) in row {
            let (cs, rs) = ((*cs).clamp(1, 1000), (*rs).clamp(1, 1000).min(rows.len() - r));
            while taken.get(r).is_some_and(|t| t.get(c).copied().unwrap_or(false)) {
                c += 1;
            }
            for rr in r..r + rs {
                if taken.len() <= rr {
                    taken.resize(rr + 1, Vec::new());
                }
                if taken[rr].len() < c + cs {
                    taken[rr].resize(c + cs, false);
                }
                for t in &mut taken[rr][c..c + cs] {
                    *t = true;
                }
            }
            out.push(Placed { row: r, col: c, rows: rs, cols: cs, text: text.clone() });
            c += cs;
        }
    }
    out
}

/// The lines of one grid of `nrows` rows. `trim` drops each row's trailing blank cells
/// (a sheet's used range is wider than most of its rows; an HTML table says its width).
/// Lines are numbered from `first_line`.
pub fn grid_lines(cells: &[Placed], nrows: usize, trim: bool, first_line: u32) -> Vec<Line> {
    let ncols = cells.iter().map(|p| p.col + p.cols).max().unwrap_or(0);
    // Which placed cell covers each position.
    let mut at = vec![usize::MAX; nrows * ncols];
    for (i, p) in cells.iter().enumerate() {
        for r in p.row..(p.row + p.rows).min(nrows) {
            for c in p.col..p.col + p.cols {
                if at[r * ncols + c] == usize::MAX {
                    at[r * ncols + c] = i;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(nrows);
    for r in 0..nrows {
        let mut line = Line { line: Some(first_line + r as u32), page: None, cells: vec![String::new(); ncols], spans: vec![1; ncols], boxes: Vec::with_capacity(ncols) };
        for c in 0..ncols {
            let id = at[r * ncols + c];
            let Some(p) = cells.get(id) else {
                line.boxes.push(CellBox { x0: c as f32, x1: c as f32 + 1.0, ..CellBox::default() });
                continue;
            };
            line.boxes.push(CellBox { x0: p.col as f32, x1: (p.col + p.cols) as f32, ..CellBox::default() });
            if c > p.col {
                line.spans[c] = 0;
            } else if r == p.row {
                line.cells[c] = p.text.clone();
                line.spans[c] = p.cols;
            }
        }
        if trim {
            while line.cells.len() > 1 && line.cells.last().is_some_and(|s| s.trim().is_empty()) && line.spans.last() == Some(&1) {
                line.cells.pop();
                line.spans.pop();
                line.boxes.pop();
            }
        }
        out.push(line);
    }
    out
}

/// Running text as lines of one cell each, numbered from `first_line`.
pub fn text_lines(text: &str, first_line: u32) -> Vec<Line> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| Line {
            line: Some(first_line + i as u32),
            page: None,
            cells: vec![l.to_string()],
            spans: Vec::new(),
            boxes: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str, cs: usize, rs: usize) -> (String, usize, usize) {
        (s.to_string(), cs, rs)
    }

    /// 科目编码 spans two header rows, 本年支出 two columns: the second header row's cells
    /// land right of the rowspan, the covered cells are blank with span 0 beside a merge.
    #[test]
    fn rowspan_and_colspan_place_like_a_browser() {
        let rows = vec![vec![c("科目编码", 1, 2), c("本年支出", 2, 1)], vec![c("基本支出", 1, 1), c("项目支出", 1, 1)], vec![c("201", 1, 1), c("1.00", 1, 1), c("2.00", 1, 1)]];
        let placed = place_rows(&rows);
        let lines = grid_lines(&placed, rows.len(), false, 1);
        assert_eq!(lines[0].cells, ["科目编码", "本年支出", ""]);
        assert_eq!(lines[0].spans, [1, 2, 0]);
        assert_eq!(lines[1].cells, ["", "基本支出", "项目支出"]);
        assert_eq!(lines[2].cells, ["201", "1.00", "2.00"]);
        assert_eq!((lines[0].boxes[2].x0, lines[0].boxes[2].x1), (1.0, 3.0));
        assert_eq!(lines[0].covering(2), Some("本年支出"));
        assert_eq!(lines[2].line, Some(3));
    }
}
