//! Cells belong to columns by where they sit, not by their index. A table's columns are
//! the x extents of its widest grid (its header and first page); a line of another
//! grid (a continuation page whose last row merges its label over 类/款/项/科目名称, a
//! markup row whose merged cell is one cell) has its cells put in the columns their
//! boxes cover, a cell covering several columns recorded as merged over them. Works in
//! any horizontal unit (PDF points, display or grid columns); lines without boxes
//! (tab-separated text) keep their cells as they are.

use gongkai_extract::{CellBox, Line};

use crate::{cell_amount, code_cell, is_header_line};

/// The table's columns, left to right: (x0, x1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Frame {
    pub cols: Vec<(f32, f32)>,
}

impl Frame {
    /// Edges closer than this are one edge: a twentieth of the narrowest column.
    fn tol(&self) -> f32 {
        self.cols.iter().map(|c| c.1 - c.0).fold(f32::INFINITY, f32::min) * 0.05
    }
}

fn has_geometry(l: &Line) -> bool {
    l.cells.len() >= 2 && l.boxes.len() == l.cells.len() && l.boxes.iter().all(|b| b.x1 > b.x0)
}

/// The table's frame, from its first page: the lines with the most cells there (ruled grid
/// rows first, where there are any); each column is what its cells have in common, so a
/// merged cell in one row does not widen the column.
pub(crate) fn frame(body: &[Line]) -> Option<Frame> {
    let grid = body.iter().any(|l| has_geometry(l) && !l.spans.is_empty());
    let cands: Vec<&Line> = body.iter().filter(|l| has_geometry(l) && (!grid || !l.spans.is_empty())).collect();
    // The first page that prints rows of the table: a header band left alone at the foot
    // of the page before (收入 | 支出 over a grid that starts on the next page) is not it.
    let holds_amounts = |l: &&&Line| l.filled() >= 2 && l.cells.iter().any(|c| cell_amount(c).is_ok_and(|a| a.is_some()));
    let page = cands.iter().find(holds_amounts).or_else(|| cands.iter().find(|l| l.filled() >= 2))?.page;
    let cands: Vec<&Line> = cands.into_iter().filter(|l| l.page == page).collect();
    let n = cands.iter().map(|l| l.cells.len()).max()?;
    let first = *cands.iter().find(|l| l.cells.len() == n)?;
    let overlaps = |a: &CellBox, b: &CellBox| a.x0 < b.x1 && b.x0 < a.x1;
    let same_grid =
        |l: &&&Line| l.cells.len() == n && l.page == first.page && l.boxes.iter().zip(&first.boxes).all(|(a, b)| overlaps(a, b));
    let mut cols: Vec<(f32, f32)> = first.boxes.iter().map(|b| (b.x0, b.x1)).collect();
    for l in cands.iter().filter(same_grid) {
        for (c, b) in cols.iter_mut().zip(&l.boxes) {
            let (x0, x1) = (c.0.max(b.x0), c.1.min(b.x1));
            if x1 > x0 {
                *c = (x0, x1);
            }
        }
    }
    // Columns must not overlap: a column narrowed by one row and not another stays ordered.
    if cols.windows(2).any(|w| w[1].0 < w[0].1 - 1e-3 * (w[0].1 - w[0].0)) {
        return None;
    }
    Some(Frame { cols })
}

/// Lines whose cells need placing: table matter (a grid row, or a line with a number, a
/// code or a header word) with two or more filled cells. A caption or a page number
/// beside the table is left as printed.
fn tabular(l: &Line) -> bool {
    l.filled() >= 2
        && has_geometry(l)
        && (!l.spans.is_empty()
            || is_header_line(l)
            || l.cells.iter().any(|c| code_cell(c).is_some() || cell_amount(c).is_ok_and(|a| a.is_some())))
}

/// The shift that registers a grid line's edges on the frame's: a continuation page
/// printed with other margins. Zero unless another shift matches more edges.
fn shift(l: &Line, f: &Frame) -> f32 {
    let tol = f.tol();
    let fe: Vec<f32> = f.cols.iter().flat_map(|c| [c.0, c.1]).collect();
    let le: Vec<f32> = l.boxes.iter().flat_map(|b| [b.x0, b.x1]).collect();
    let score = |d: f32| le.iter().filter(|&&e| fe.iter().any(|&x| (e + d - x).abs() <= tol)).count();
    let at_zero = score(0.0);
    if at_zero == le.len() || l.spans.is_empty() {
        return 0.0;
    }
    let mut best = (at_zero, 0.0f32);
    for &e in &le {
        for &x in &fe {
            let d = x - e;
            let s = score(d);
            if s > best.0 || (s == best.0 && d.abs() < best.1.abs()) {
                best = (s, d);
            }
        }
    }
    if best.0 >= 2 {
        best.1
    } else {
        0.0
    }
}

/// The columns a box covers: those it covers for the most part, else the one it overlaps most
/// (a text run narrower than its column). `None` when it overlaps none.
fn covered(b: &CellBox, d: f32, f: &Frame) -> Option<(usize, usize)> {
    let (a, z) = (b.x0 + d, b.x1 + d);
    let ov = |c: &(f32, f32)| (z.min(c.1) - a.max(c.0)).max(0.0);
    let most: Vec<usize> = (0..f.cols.len()).filter(|&j| ov(&f.cols[j]) >= 0.5 * (f.cols[j].1 - f.cols[j].0)).collect();
    if let (Some(&lo), Some(&hi)) = (most.first(), most.last()) {
        return Some((lo, hi));
    }
    let j = (0..f.cols.len()).max_by(|&i, &j| ov(&f.cols[i]).total_cmp(&ov(&f.cols[j])).then(j.cmp(&i)))?;
    (ov(&f.cols[j]) > 0.0).then_some((j, j))
}

/// Does the line already sit in the frame, cell `k` in column `k`? A line of as many cells
/// as the frame has columns is a row of the same grid (a continuation page printed with
/// other margins included): its cells keep their places.
fn agrees(l: &Line, f: &Frame) -> bool {
    l.cells.len() == f.cols.len()
}

/// One line's cells in the frame's columns, or `None` when it is already there or does not
/// fit (a cell outside every column).
fn place_line(l: &Line, f: &Frame) -> Option<Line> {
    if agrees(l, f) || !tabular(l) {
        return None;
    }
    let n = f.cols.len();
    let d = shift(l, f);
    let mut cells = vec![String::new(); n];
    let mut spans = vec![1usize; n];
    // The first column of the cell each column belongs to.
    let mut start: Vec<Option<usize>> = vec![None; n];
    let mut boxes: Vec<Option<CellBox>> = vec![None; n];
    let mut merged = false;
    for (k, (text, b)) in l.cells.iter().zip(&l.boxes).enumerate() {
        // A cell covered by a merged cell to its left is that cell: placed with it.
        if l.spans.get(k) == Some(&0) {
            continue;
        }
        let Some((lo, hi)) = covered(b, d, f) else {
            if text.trim().is_empty() {
                continue;
            }
            return None;
        };
        // Columns already taken by a cell to the left join this cell's text to that one.
        let s = start[lo].unwrap_or(lo);
        for j in lo..=hi {
            if start[j].is_none() {
                start[j] = Some(s);
                boxes[j] = Some(*b);
            }
        }
        let t = text.trim();
        if !t.is_empty() {
            if !cells[s].is_empty() {
                cells[s].push(' ');
            }
            cells[s].push_str(t);
        }
    }
    for j in 0..n {
        match start[j] {
            Some(s) if s != j => {
                spans[j] = 0;
                spans[s] += 1;
                merged = true;
            }
            _ => {}
        }
    }
    let (top, bottom) = l.boxes.first().map(|b| (b.top, b.bottom)).unwrap_or_default();
    let boxes = boxes
        .into_iter()
        .zip(&f.cols)
        .map(|(b, c)| match b {
            Some(b) => CellBox { x0: b.x0 + d, x1: b.x1 + d, ..b },
            None => CellBox { x0: c.0, x1: c.1, top, bottom },
        })
        .collect();
    // Spans say what the input said, and a cell found merged over columns.
    let spans = if l.spans.is_empty() && !merged { vec![] } else { spans };
    Some(Line { line: l.line, page: l.page, cells, spans, boxes })
}

/// The table's lines with every cell in its column. `None` when nothing moves.
pub(crate) fn place(body: &[Line]) -> Option<Vec<Line>> {
    let f = frame(body)?;
    let placed: Vec<Option<Line>> = body.iter().map(|l| place_line(l, &f)).collect();
    if placed.iter().all(Option::is_none) {
        return None;
    }
    Some(body.iter().zip(placed).map(|(l, p)| p.unwrap_or_else(|| l.clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[&str], xs: &[(f32, f32)], spans: &[usize]) -> Line {
        Line {
            line: None,
            page: Some(1),
            cells: cells.iter().map(|s| s.to_string()).collect(),
            spans: spans.to_vec(),
            boxes: xs.iter().map(|&(x0, x1)| CellBox { x0, x1, top: 10.0, bottom: 0.0 }).collect(),
        }
    }

    #[test]
    fn a_merged_label_row_of_another_grid_is_placed_over_the_columns_it_covers() {
        let cols = [(0.0, 10.0), (10.0, 20.0), (20.0, 50.0), (50.0, 70.0), (70.0, 90.0)];
        let head = line(&["项目", "", "", "合计", "基本支出"], &[(0.0, 50.0), (0.0, 50.0), (0.0, 50.0), (50.0, 70.0), (70.0, 90.0)], &[3, 0, 0, 1, 1]);
        let data = line(&["201", "01", "行政运行", "1.00", "1.00"], &cols, &[1; 5]);
        // The same total on a page printed 100 units further right.
        let total = line(&["合计", "2.00", "2.00"], &[(100.0, 150.0), (150.0, 170.0), (170.0, 190.0)], &[1, 1, 1]);
        let body = vec![head.clone(), data.clone(), total];
        assert_eq!(frame(&body).unwrap().cols, cols.to_vec());
        let placed = place(&body).unwrap();
        assert_eq!(placed[0], head);
        assert_eq!(placed[1], data);
        assert_eq!(placed[2].cells, ["合计", "", "", "2.00", "2.00"]);
        assert_eq!(placed[2].spans, [3, 0, 0, 1, 1]);
        assert_eq!(placed[2].covering(2), Some("合计"));
        assert_eq!((placed[2].boxes[1].x0, placed[2].boxes[1].x1, placed[2].boxes[4].x0), (0.0, 50.0, 70.0));
    }

    #[test]
    fn text_without_boxes_and_captions_stay_as_they_are() {
        let cols = [(0.0, 10.0), (10.0, 20.0), (20.0, 30.0)];
        let data = line(&["201", "1.00", "1.00"], &cols, &[]);
        let caption = line(&["部门：某局", "单位：万元"], &[(0.0, 15.0), (22.0, 30.0)], &[]);
        let text = Line { boxes: vec![], ..line(&["合计", "1.00"], &[], &[]) };
        assert_eq!(place(&[data.clone(), caption, text]), None);
        // A text run narrower than its column goes to the column it sits in.
        let runs = line(&["合计", "2.00"], &[(1.0, 8.0), (24.0, 29.0)], &[]);
        let placed = place(&[data, runs]).unwrap();
        assert_eq!(placed[1].cells, ["合计", "", "2.00"]);
        assert!(placed[1].spans.is_empty());
    }

    /// The frame is the table's first page's: a wider grid further on (a box of another
    /// kind before the next title) does not re-cut the table's columns.
    #[test]
    fn the_frame_comes_from_the_first_page() {
        let cols = [(0.0, 10.0), (10.0, 20.0), (20.0, 30.0)];
        let data = line(&["201", "1.00", "1.00"], &cols, &[1, 1, 1]);
        let mut other = line(&["a", "b", "c", "d"], &[(0.0, 5.0), (5.0, 10.0), (10.0, 20.0), (20.0, 30.0)], &[1, 1, 1, 1]);
        other.page = Some(2);
        assert_eq!(frame(&[data, other]).unwrap().cols, cols.to_vec());
    }

    /// A two-sided summary whose band row (收入 | 支出) is left alone at the foot of the page
    /// before its grid (Writer): the frame is the grid of the first page that prints rows,
    /// and the band is placed over the columns it spans.
    #[test]
    fn a_header_band_alone_on_the_page_before_is_not_the_frame() {
        let mut band = line(&["收入", "支出"], &[(0.0, 20.0), (20.0, 40.0)], &[1, 1]);
        band.page = Some(1);
        let cols = [(0.0, 10.0), (10.0, 20.0), (20.0, 30.0), (30.0, 40.0)];
        let mut data = line(&["一、财政拨款收入", "1.00", "一、一般公共服务支出", "1.00"], &cols, &[1; 4]);
        data.page = Some(2);
        let body = [band, data];
        assert_eq!(frame(&body).unwrap().cols, cols.to_vec());
        let placed = place(&body).unwrap();
        assert_eq!(placed[0].cells, ["收入", "", "支出", ""]);
        assert_eq!(placed[0].spans, [2, 0, 2, 0]);
    }
}
