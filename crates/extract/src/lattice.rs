//! From a page's glyphs and rulings to [`Line`]s: the ruling lines that meet each other
//! form a grid; every grid row becomes one line with one cell per grid column (a
//! merged cell's text sits at its top-left, blank cells stay blank); glyphs outside
//! any grid become lines of their own, split into cells at wide gaps. Rows come from
//! the rulings and glyphs are grouped by baseline, so a label and an amount printed at
//! different heights in one row stay in that row, and a label wrapped over two lines
//! stays one cell.

use crate::pdf::{Glyph, Page, Rule};
use crate::{CellBox, Line};

/// Two positions closer than this (points) are the same ruling coordinate.
const SNAP: f32 = 1.5;
/// Rulings shorter than this are specks, not lines.
const MIN_RULE: f32 = 2.0;

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// The fixed coordinate (y of a horizontal, x of a vertical) and the span.
    at: f32,
    lo: f32,
    hi: f32,
}

/// Collinear segments that touch or overlap become one.
fn merge(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.lo.total_cmp(&b.lo)));
    let mut out: Vec<Seg> = Vec::new();
    for s in segs {
        if let Some(m) = out.iter_mut().rev().take_while(|m| (m.at - s.at).abs() <= SNAP).find(|m| s.lo <= m.hi + SNAP) {
            m.hi = m.hi.max(s.hi);
            m.lo = m.lo.min(s.lo);
            continue;
        }
        out.push(s);
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Distinct coordinates, snapped.
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= SNAP => {}
            _ => out.push(x),
        }
    }
    out
}

struct Grid {
    /// Column boundaries left to right, row boundaries top to bottom.
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Merged-cell id of each atomic cell, row-major.
    cell_of: Vec<usize>,
}

impl Grid {
    fn cols(&self) -> usize {
        self.xs.len() - 1
    }
    fn rows(&self) -> usize {
        self.ys.len() - 1
    }
    fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.xs[0] && x <= *self.xs.last().unwrap() && y <= self.ys[0] && y >= *self.ys.last().unwrap()
    }
    /// The atomic cell at a point inside the grid.
    fn locate(&self, x: f32, y: f32) -> (usize, usize) {
        let c = self.xs.partition_point(|&b| b <= x).saturating_sub(1).min(self.cols() - 1);
        let r = self.ys.partition_point(|&b| b >= y).saturating_sub(1).min(self.rows() - 1);
        (r, c)
    }
}

/// Does a segment cover the middle half of [lo, hi]?
fn covers(segs: &[Seg], at: f32, lo: f32, hi: f32) -> bool {
    let q = (hi - lo) / 4.0;
    segs.iter().any(|s| (s.at - at).abs() <= SNAP && s.lo <= lo + q + SNAP && s.hi >= hi - q - SNAP)
}

fn grids(rules: &[Rule]) -> Vec<Grid> {
    let mut hs = Vec::new();
    let mut vs = Vec::new();
    for r in rules {
        if (r.y1 - r.y0).abs() < 0.01 && r.x1 - r.x0 >= MIN_RULE {
            hs.push(Seg { at: r.y0, lo: r.x0, hi: r.x1 });
        } else if (r.x1 - r.x0).abs() < 0.01 && r.y1 - r.y0 >= MIN_RULE {
            vs.push(Seg { at: r.x0, lo: r.y0, hi: r.y1 });
        }
    }
    let (hs, vs) = (merge(hs), merge(vs));
    // Rulings that meet belong to one grid.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.at >= h.lo - SNAP && v.at <= h.hi + SNAP && h.at >= v.lo - SNAP && h.at <= v.hi + SNAP {
                union(&mut parent, i, hs.len() + j);
            }
        }
    }
    let mut out = Vec::new();
    let mut roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let comps = {
        let mut r = roots.clone();
        r.sort();
        r.dedup();
        r
    };
    for root in comps {
        let gh: Vec<Seg> = (0..hs.len()).filter(|&i| roots[i] == root).map(|i| hs[i]).collect();
        let gv: Vec<Seg> = (0..vs.len()).filter(|&j| roots[hs.len() + j] == root).map(|j| vs[j]).collect();
        if gh.len() < 2 || gv.len() < 2 {
            continue;
        }
        let xs = cluster(gv.iter().map(|s| s.at).collect());
        let mut ys = cluster(gh.iter().map(|s| s.at).collect());
        ys.reverse();
        if xs.len() < 2 || ys.len() < 2 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let mut p: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            for c in 0..nc {
                if c + 1 < nc && !covers(&gv, xs[c + 1], ys[r + 1], ys[r]) {
                    union(&mut p, r * nc + c, r * nc + c + 1);
                }
                if r + 1 < nr && !covers(&gh, ys[r + 1], xs[c], xs[c + 1]) {
                    union(&mut p, r * nc + c, (r + 1) * nc + c);
                }
            }
        }
        let cell_of = (0..nr * nc).map(|i| find(&mut p, i)).collect();
        out.push(Grid { xs, ys, cell_of });
    }
    roots.clear();
    out
}

fn center(g: &Glyph) -> (f32, f32) {
    (g.x + g.width / 2.0, g.y + g.size * 0.3)
}

/// Glyphs grouped into baselines, top to bottom, each left to right.
fn baselines(mut gs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    gs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match lines.last_mut() {
            Some(l) if (l[0].y - g.y).abs() <= 0.35 * l[0].size.max(g.size) => l.push(g),
            _ => lines.push(vec![g]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A cell of one baseline: its text and its x extent.
type Run = (String, f32, f32);

/// One baseline's text, with a space where the gap is wide; `split` cuts it into cells
/// at gaps wider than that many font sizes. Each cell comes with its x extent.
fn runs(line: &[&Glyph], split: Option<f32>) -> Vec<Run> {
    let mut cells: Vec<Run> = Vec::new();
    for g in line {
        let gap = cells.last().map(|c| g.x - c.2);
        match gap {
            Some(gap) if !split.is_some_and(|k| gap > k * g.size) => {
                let c = cells.last_mut().unwrap();
                if gap > 0.6 * g.size {
                    c.0.push(' ');
                }
                c.0.push_str(&g.text);
                c.2 = c.2.max(g.x + g.width);
            }
            _ => cells.push((g.text.to_string(), g.x, g.x + g.width)),
        }
    }
    cells
}

/// Text-aligned columns for a table printed without rulings: consecutive lines of two or
/// more cells form a block; the x extents of the cells of its lines that hold amounts
/// make the columns; every line's cells are put in the column they overlap most, so a
/// blank cell stays a blank column instead of shifting the amounts to its right left.
fn align_columns(block: &mut [(f32, f32, Vec<Run>)]) {
    let is_amount = |s: &str| gongkai_model::parse_amount(s).is_some_and(|a| a.scale() > 0);
    let data: Vec<&Vec<(String, f32, f32)>> =
        block.iter().map(|l| &l.2).filter(|cells| cells.iter().any(|c| is_amount(&c.0))).collect();
    if data.len() < 2 {
        return;
    }
    let mut spans: Vec<(f32, f32)> = data.iter().flat_map(|cells| cells.iter().map(|c| (c.1, c.2))).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match cols.last_mut() {
            Some(c) if a <= c.1 + 1.0 => c.1 = c.1.max(b),
            _ => cols.push((a, b)),
        }
    }
    for (_, _, cells) in block.iter_mut() {
        let mut slots: Vec<(String, f32, f32)> = cols.iter().map(|&(a, b)| (String::new(), a, b)).collect();
        for (text, a, b) in cells.drain(..) {
            let overlap = |c: &(f32, f32)| (b.min(c.1) - a.max(c.0)).max(0.0);
            let dist = |c: &(f32, f32)| ((a + b) / 2.0 - (c.0 + c.1) / 2.0).abs();
            let k = (0..cols.len())
                .max_by(|&i, &j| overlap(&cols[i]).total_cmp(&overlap(&cols[j])).then(dist(&cols[j]).total_cmp(&dist(&cols[i]))))
                .unwrap_or(0);
            if !slots[k].0.is_empty() {
                slots[k].0.push(' ');
            }
            slots[k].0.push_str(&text);
        }
        *cells = slots;
    }
}

/// The lines of one page, top to bottom.
pub fn page_lines(page: &Page) -> Vec<Line> {
    let grids = grids(&page.rules);
    // (grid, merged cell) of each glyph, or free.
    let mut in_cell: Vec<Vec<Vec<&Glyph>>> = grids.iter().map(|g| vec![Vec::new(); g.cell_of.len()]).collect();
    let mut free: Vec<&Glyph> = Vec::new();
    for g in &page.glyphs {
        if g.text.trim().is_empty() {
            continue;
        }
        let (x, y) = center(g);
        match grids.iter().position(|gr| gr.contains(x, y)) {
            Some(k) => {
                let (r, c) = grids[k].locate(x, y);
                let id = grids[k].cell_of[r * grids[k].cols() + c];
                in_cell[k][id].push(g);
            }
            None => free.push(g),
        }
    }
    let mut items: Vec<(f32, Line)> = Vec::new();
    for (k, grid) in grids.iter().enumerate() {
        let nc = grid.cols();
        let mut top_left = vec![usize::MAX; grid.cell_of.len()];
        for (i, &id) in grid.cell_of.iter().enumerate() {
            if top_left[id] == usize::MAX {
                top_left[id] = i;
            }
        }
        // The extent of each merged cell: the atomic cells it covers.
        let mut extent: Vec<Option<(usize, usize, usize, usize)>> = vec![None; grid.cell_of.len()];
        for (i, &id) in grid.cell_of.iter().enumerate() {
            let (r, c) = (i / nc, i % nc);
            let e = extent[id].get_or_insert((r, c, r, c));
            *e = (e.0.min(r), e.1.min(c), e.2.max(r), e.3.max(c));
        }
        for r in 0..grid.rows() {
            let mut cells = vec![String::new(); nc];
            let mut spans = vec![1; nc];
            let mut boxes = Vec::with_capacity(nc);
            for (c, cell) in cells.iter_mut().enumerate() {
                let id = grid.cell_of[r * nc + c];
                let (r0, c0, r1, c1) = extent[id].unwrap_or((r, c, r, c));
                boxes.push(CellBox { x0: grid.xs[c0], x1: grid.xs[c1 + 1], top: grid.ys[r0], bottom: grid.ys[r1 + 1] });
                // A merged cell's text goes to its top-left atomic cell; the row's other
                // cells it covers have span 0.
                if top_left[id] != r * nc + c {
                    if grid.cell_of[r * nc + c.saturating_sub(1)] == id && c > 0 {
                        spans[c] = 0;
                    }
                    continue;
                }
                spans[c] = (c..nc).take_while(|&k| grid.cell_of[r * nc + k] == id).count();
                let lines = baselines(std::mem::take(&mut in_cell[k][id]));
                *cell = lines.iter().flat_map(|l| runs(l, None)).map(|c| c.0).collect::<Vec<_>>().join("");
            }
            items.push((grid.ys[r], Line { line: None, page: Some(page.number), cells, spans, boxes }));
        }
    }
    // (top of the baseline, its bottom, its cells)
    let mut free_lines: Vec<(f32, f32, Vec<Run>)> = baselines(free)
        .iter()
        .map(|l| (l[0].y + l[0].size, l[0].y - 0.25 * l[0].size, runs(l, Some(2.0))))
        .collect();
    let mut i = 0;
    while i < free_lines.len() {
        let j = (i..free_lines.len()).find(|&j| free_lines[j].2.len() < 2).unwrap_or(free_lines.len());
        if j > i + 1 {
            align_columns(&mut free_lines[i..j]);
        }
        i = j + 1;
    }
    for (top, bottom, cells) in free_lines {
        let boxes = cells.iter().map(|c| CellBox { x0: c.1, x1: c.2, top, bottom }).collect();
        let line = Line { line: None, page: Some(page.number), cells: cells.into_iter().map(|c| c.0).collect(), spans: vec![], boxes };
        items.push((top, line));
    }
    items.sort_by(|a, b| b.0.total_cmp(&a.0));
    items.into_iter().map(|(_, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Rect;

    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rect { x0, y0: y, x1, y1: y }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rect { x0: x, y0, x1: x, y1 }
    }
    fn glyphs(s: &str, x: f32, y: f32) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| Glyph { text: c.to_string().into(), x: x + 10.0 * i as f32, y, width: if c.is_ascii() { 5.0 } else { 10.0 }, size: 10.0, turn: 0 })
            .collect()
    }

    /// A 3-row grid whose header cell spans two columns, a label wrapped over two
    /// baselines, an amount lower than its label, a blank cell, and a caption above.
    #[test]
    fn grid_rows_merged_cells_wrapped_labels_blank_cells() {
        let mut page = Page { number: 3, width: 600.0, height: 800.0, ..Page::default() };
        page.rules = vec![
            h(700.0, 100.0, 400.0),
            h(680.0, 100.0, 400.0),
            h(640.0, 100.0, 400.0),
            h(620.0, 100.0, 400.0),
            v(100.0, 620.0, 700.0),
            v(300.0, 620.0, 700.0),
            v(400.0, 620.0, 700.0),
            // Column 2's boundary is absent in the header row: 项目 spans both.
            v(200.0, 620.0, 680.0),
        ];
        page.glyphs.extend(glyphs("收入决算表", 150.0, 720.0));
        page.glyphs.extend(glyphs("项目", 140.0, 685.0));
        page.glyphs.extend(glyphs("金额", 320.0, 685.0));
        page.glyphs.extend(glyphs("机关事业单位", 205.0, 665.0));
        page.glyphs.extend(glyphs("支出", 205.0, 650.0));
        page.glyphs.extend(glyphs("2080505", 105.0, 658.0));
        page.glyphs.extend(glyphs("6.18", 330.0, 645.0));
        page.glyphs.extend(glyphs("合计", 205.0, 625.0));
        let lines = page_lines(&page);
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(
            cells,
            vec![
                vec!["收入决算表".to_string()],
                vec!["项目".into(), "".into(), "金额".into()],
                vec!["2080505".into(), "机关事业单位支出".into(), "6.18".into()],
                vec!["".into(), "合计".into(), "".into()],
            ]
        );
        assert!(lines.iter().all(|l| l.page == Some(3)));
        // Every grid cell keeps its extent; the merged 项目 cell covers both columns it spans.
        let b = &lines[1].boxes;
        assert_eq!((b[0].x0, b[0].x1, b[1].x0, b[1].x1, b[2].x0), (100.0, 300.0, 100.0, 300.0, 300.0));
        assert_eq!((lines[2].boxes[1].top, lines[2].boxes[1].bottom), (680.0, 640.0));
        assert_eq!(lines[0].boxes.len(), 1);
    }

    /// A table printed without rulings: the blank 事业收入 cell of the second row stays in
    /// its column instead of pulling 其他收入 left.
    #[test]
    fn borderless_rows_align_on_the_columns_of_their_amounts() {
        let mut page = Page { number: 1, ..Page::default() };
        page.glyphs.extend(glyphs("合计", 100.0, 500.0));
        page.glyphs.extend(glyphs("30.00", 200.0, 500.0));
        page.glyphs.extend(glyphs("20.00", 300.0, 500.0));
        page.glyphs.extend(glyphs("10.00", 400.0, 500.0));
        page.glyphs.extend(glyphs("201", 40.0, 480.0));
        page.glyphs.extend(glyphs("一般公共服务支出", 100.0, 480.0));
        page.glyphs.extend(glyphs("5.00", 205.0, 480.0));
        page.glyphs.extend(glyphs("5.00", 405.0, 480.0));
        let lines = page_lines(&page);
        assert_eq!(lines[0].cells, vec!["", "合计", "30.00", "20.00", "10.00"]);
        assert_eq!(lines[1].cells, vec!["201", "一般公共服务支出", "5.00", "", "5.00"]);
    }

    #[test]
    fn free_text_splits_at_wide_gaps_only() {
        let mut page = Page { number: 1, ..Page::default() };
        page.glyphs.extend(glyphs("单位：万元", 100.0, 500.0));
        page.glyphs.extend(glyphs("附注", 400.0, 500.0));
        let lines = page_lines(&page);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].cells, vec!["单位：万元".to_string(), "附注".to_string()]);
    }
}

/// The cells of the grids the rulings form, each merged cell once, as rectangles in the
/// rulings' coordinates (y up): the one grid builder, for callers that bring their own
/// rulings (rulings found in a scan's raster) and read each cell themselves.
pub fn grid_cells(rules: &[Rule]) -> Vec<crate::pdf::Rect> {
    let mut out = Vec::new();
    for g in grids(rules) {
        let nc = g.cols();
        let mut ext: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> = Default::default();
        for (i, &id) in g.cell_of.iter().enumerate() {
            let (r, c) = (i / nc, i % nc);
            let e = ext.entry(id).or_insert((r, c, r, c));
            *e = (e.0.min(r), e.1.min(c), e.2.max(r), e.3.max(c));
        }
        for (r0, c0, r1, c1) in ext.into_values() {
            out.push(crate::pdf::Rect { x0: g.xs[c0], x1: g.xs[c1 + 1], y0: g.ys[r1 + 1], y1: g.ys[r0] });
        }
    }
    out
}
