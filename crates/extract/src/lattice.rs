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

/// Collinear segments that touch or overlap become one: segments whose fixed coordinates
/// chain within [`SNAP`] are one line, swept left to right (a dashed ruling of thousands
/// of dashes costs a sort, not a comparison of every dash with every other).
fn merge(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.lo.total_cmp(&b.lo)));
    let mut out: Vec<Seg> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let mut j = i + 1;
        while j < segs.len() && segs[j].at - segs[j - 1].at <= SNAP {
            j += 1;
        }
        let line = &mut segs[i..j];
        line.sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.at.total_cmp(&b.at)));
        let from = out.len();
        for s in line.iter() {
            match out[from..].last_mut() {
                Some(m) if s.lo <= m.hi + SNAP => {
                    m.hi = m.hi.max(s.hi);
                    m.at = m.at.min(s.at);
                }
                _ => out.push(*s),
            }
        }
        i = j;
    }
    // Sorted by the fixed coordinate, as the sweep and `covers` expect.
    out.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.lo.total_cmp(&b.lo)));
    out
}

/// Rulings one page may bring to the grid builder (a real page has a few thousand even
/// when every cell border is drawn on its own). A page with more is read as text without
/// grids, with a warning naming the page.
pub const MAX_RULINGS_PER_PAGE: usize = 50_000;
/// Grid cells one page may make: the atomic cells of all its grids, and the crossings of
/// its rulings (a full grid has about one per cell). A real table has a few thousand; a
/// 4000×4000 ruled grid would be 16 million. A grid past it is read as text.
pub const MAX_GRID_CELLS: usize = 250_000;
/// Separate grids on one page (a real page has one to a few tables, a form some dozens of
/// boxes); the largest are kept.
pub const MAX_GRIDS_PER_PAGE: usize = 1_000;

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

/// Does a segment cover the middle half of [lo, hi]? `segs` are sorted by their fixed
/// coordinate, so only those at `at` are looked at.
fn covers(segs: &[Seg], at: f32, lo: f32, hi: f32) -> bool {
    let q = (hi - lo) / 4.0;
    let from = segs.partition_point(|s| s.at < at - SNAP);
    segs[from..].iter().take_while(|s| s.at <= at + SNAP).any(|s| s.lo <= lo + q + SNAP && s.hi >= hi - q - SNAP)
}

/// Pairs (horizontal, vertical) of rulings that meet, by a sweep down the page: each
/// vertical is active over its y span, and a horizontal meets the active verticals within
/// its x span (a range of the verticals sorted by x). `None` past `limit` crossings.
fn crossings(hs: &[Seg], vs: &[Seg], limit: usize) -> Option<Vec<(usize, usize)>> {
    // vs are sorted by x (merge sorts by the fixed coordinate).
    #[derive(PartialEq, PartialOrd)]
    enum Ev {
        Open,
        Query,
        Close,
    }
    let mut events: Vec<(f32, Ev, usize)> = Vec::with_capacity(hs.len() + 2 * vs.len());
    for (j, v) in vs.iter().enumerate() {
        events.push((v.lo - SNAP, Ev::Open, j));
        events.push((v.hi + SNAP, Ev::Close, j));
    }
    for (i, h) in hs.iter().enumerate() {
        events.push((h.at, Ev::Query, i));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.partial_cmp(&b.1).unwrap()).then(a.2.cmp(&b.2)));
    let mut active = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (_, ev, k) in events {
        match ev {
            Ev::Open => {
                active.insert(k);
            }
            Ev::Close => {
                active.remove(&k);
            }
            Ev::Query => {
                let h = &hs[k];
                let a = vs.partition_point(|v| v.at < h.lo - SNAP);
                let b = vs.partition_point(|v| v.at <= h.hi + SNAP);
                if a < b {
                    for &j in active.range(a..b) {
                        out.push((k, j));
                        if out.len() > limit {
                            return None;
                        }
                    }
                }
            }
        }
    }
    Some(out)
}

/// A row broken by the page: its borders run on past the last (or before the first)
/// horizontal ruling to the page's edge of the table, with no ruling to close it (a browser
/// splitting a tall row over two pages). Where both outer borders run on, the row they
/// enclose is a row of the grid, so its text stays in its cells.
fn open_ends(ys: &mut Vec<f32>, xs: &[f32], gv: &[Seg]) {
    let outer = |x: f32| gv.iter().filter(move |s| (s.at - x).abs() <= SNAP);
    let (left, right) = (xs[0], xs[xs.len() - 1]);
    let reach = |x: f32, down: bool| -> Option<f32> {
        let ends = outer(x).map(|s| if down { s.lo } else { s.hi });
        if down { ends.min_by(f32::total_cmp) } else { ends.max_by(f32::total_cmp) }
    };
    if let (Some(a), Some(b)) = (reach(left, true), reach(right, true)) {
        let bottom = a.max(b);
        if ys[ys.len() - 1] - bottom > 2.0 * SNAP {
            ys.push(bottom);
        }
    }
    if let (Some(a), Some(b)) = (reach(left, false), reach(right, false)) {
        let top = a.min(b);
        if top - ys[0] > 2.0 * SNAP {
            ys.insert(0, top);
        }
    }
}

/// Tables that touch only at a corner (one ends where the next begins, to its right or
/// left: the rulings meet, so they are one connected set) are two grids: a set's row
/// boundaries (top to bottom) are cut where the verticals through the rows above and the
/// rows below no longer overlap in x. A table's rows all run between its outer borders, so
/// one table is never cut; two stacked tables that share a whole edge stay one grid.
fn corner_parts(ys: &[f32], gv: &[Seg]) -> Vec<Vec<f32>> {
    // The x extent of the verticals through the middle of the band between a and b.
    let extent = |a: f32, b: f32| -> Option<(f32, f32)> {
        let mid = (a + b) / 2.0;
        let mut xs = gv.iter().filter(|s| s.lo <= mid && s.hi >= mid).map(|s| s.at);
        let first = xs.next()?;
        Some(xs.fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x))))
    };
    let apart = |p: Option<(f32, f32)>, q: Option<(f32, f32)>| match (p, q) {
        (Some(p), Some(q)) => p.1 <= q.0 + SNAP || q.1 <= p.0 + SNAP,
        _ => false,
    };
    let mut parts = vec![vec![ys[0]]];
    let mut prev = None;
    for k in 0..ys.len().saturating_sub(1) {
        let band = extent(ys[k], ys[k + 1]);
        if k > 0 && apart(prev, band) {
            parts.push(vec![ys[k]]);
        }
        parts.last_mut().unwrap().push(ys[k + 1]);
        prev = band;
    }
    parts
}

/// Column boundaries, row boundaries, horizontal and vertical rulings of one grid.
type Shape = (Vec<f32>, Vec<f32>, Vec<Seg>, Vec<Seg>);

/// The page's grids, within the limits; what was refused is said in `warnings`.
fn grids(rules: &[Rule], page: u32, warnings: &mut Vec<String>) -> Vec<Grid> {
    if rules.len() > MAX_RULINGS_PER_PAGE {
        warnings.push(format!(
            "page {page}: {} rulings exceed the limit of {MAX_RULINGS_PER_PAGE} per page (MAX_RULINGS_PER_PAGE); the page was read as text without its grids",
            rules.len()
        ));
        return Vec::new();
    }
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
    let Some(meets) = crossings(&hs, &vs, MAX_GRID_CELLS) else {
        warnings.push(format!(
            "page {page}: its rulings cross more than {MAX_GRID_CELLS} times (MAX_GRID_CELLS); the page was read as text without its grids"
        ));
        return Vec::new();
    };
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, j) in meets {
        union(&mut parent, i, hs.len() + j);
    }
    // The rulings of each connected set, in one pass (keeping each list sorted).
    let mut members: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        members.entry(find(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        members.entry(find(&mut parent, hs.len() + j)).or_default().1.push(*v);
    }
    // Each grid's column and row boundaries, with its rulings.
    let mut shapes: Vec<Shape> = Vec::new();
    for (_, (gh, gv)) in members {
        if gh.len() < 2 || gv.len() < 2 {
            continue;
        }
        let mut ys = cluster(gh.iter().map(|s| s.at).collect());
        ys.reverse();
        for ys in corner_parts(&ys, &gv) {
            // The columns of this part: the verticals through its rows.
            let (top, bottom) = (ys[0], ys[ys.len() - 1]);
            let xs = cluster(gv.iter().filter(|s| s.lo < top - SNAP && s.hi > bottom + SNAP).map(|s| s.at).collect());
            if xs.len() < 2 || ys.len() < 2 {
                continue;
            }
            let mut ys = ys;
            open_ends(&mut ys, &xs, &gv);
            shapes.push((xs, ys, gh.clone(), gv.clone()));
        }
    }
    if shapes.len() > MAX_GRIDS_PER_PAGE {
        warnings.push(format!(
            "page {page}: {} separate grids exceed the limit of {MAX_GRIDS_PER_PAGE} per page (MAX_GRIDS_PER_PAGE); the largest were kept, the text of the others read without them",
            shapes.len()
        ));
        // Largest first, ties in page order; then back to page order.
        let mut order: Vec<usize> = (0..shapes.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse((shapes[k].0.len() - 1) * (shapes[k].1.len() - 1)));
        order.truncate(MAX_GRIDS_PER_PAGE);
        order.sort();
        let mut keep = vec![false; shapes.len()];
        for k in order {
            keep[k] = true;
        }
        let mut k = 0;
        shapes.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
    let mut out = Vec::new();
    let mut budget = MAX_GRID_CELLS;
    for (xs, ys, gh, gv) in shapes {
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let cells = nr.saturating_mul(nc);
        if cells > budget {
            warnings.push(format!(
                "page {page}: a ruled grid of {nr} × {nc} cells exceeds the limit of {MAX_GRID_CELLS} grid cells per page (MAX_GRID_CELLS); its text was read without it"
            ));
            continue;
        }
        budget -= cells;
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
    page_lines_checked(page, &mut Vec::new())
}

/// [`page_lines`], saying in `warnings` (naming the page) what a limit refused.
pub fn page_lines_checked(page: &Page, warnings: &mut Vec<String>) -> Vec<Line> {
    let grids = grids(&page.rules, page.number, warnings);
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

    /// A 4000×4000 ruled grid (16 million cells) is refused by the limit, named with its
    /// page, and the page's text is still read; a real table's rulings, each cell border
    /// drawn on its own, make the same grid as one long ruling per line.
    #[test]
    fn a_huge_grid_is_refused_by_a_named_limit_and_its_text_still_read() {
        let mut page = Page { number: 7, ..Page::default() };
        for i in 0..4000 {
            let at = i as f32 * 2.0;
            page.rules.push(h(at, 0.0, 8000.0));
            page.rules.push(v(at, 0.0, 8000.0));
        }
        page.glyphs.extend(glyphs("合计", 101.0, 101.0));
        let mut w = Vec::new();
        let lines = page_lines_checked(&page, &mut w);
        assert_eq!(lines.iter().map(|l| l.cells.join("|")).collect::<Vec<_>>(), ["合计"]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("page 7: ") && w[0].contains("MAX_GRID_CELLS"), "{w:?}");

        let mut page = Page { number: 8, ..Page::default() };
        page.rules = (0..MAX_RULINGS_PER_PAGE + 1).map(|i| h(i as f32 * 2.0, 0.0, 10.0)).collect();
        page.glyphs.extend(glyphs("合计", 101.0, 101.0));
        let mut w = Vec::new();
        assert_eq!(page_lines_checked(&page, &mut w).len(), 1);
        assert!(w.len() == 1 && w[0].starts_with("page 8: ") && w[0].contains("MAX_RULINGS_PER_PAGE"), "{w:?}");
    }

    #[test]
    fn cell_borders_drawn_one_by_one_make_the_grid_of_whole_rulings() {
        let mut whole = Page { number: 1, ..Page::default() };
        let mut pieces = Page { number: 1, ..Page::default() };
        let (xs, ys) = ([100.0, 160.0, 220.0, 300.0], [700.0, 680.0, 660.0]);
        for &y in &ys {
            whole.rules.push(h(y, xs[0], xs[3]));
        }
        for &x in &xs {
            whole.rules.push(v(x, ys[2], ys[0]));
        }
        for r in 0..2 {
            for c in 0..3 {
                let (x0, x1, y0, y1) = (xs[c], xs[c + 1], ys[r + 1], ys[r]);
                pieces.rules.extend([h(y1, x0, x1), h(y0, x0, x1), v(x0, y0, y1), v(x1, y0, y1)]);
            }
        }
        // A stray ruling away from the table and a second, separate box.
        for p in [&mut whole, &mut pieces] {
            p.rules.push(h(500.0, 10.0, 50.0));
            p.rules.extend([h(400.0, 100.0, 200.0), h(380.0, 100.0, 200.0), v(100.0, 380.0, 400.0), v(200.0, 380.0, 400.0)]);
            p.glyphs.extend(glyphs("项目", 105.0, 685.0));
            p.glyphs.extend(glyphs("1.00", 230.0, 665.0));
            p.glyphs.extend(glyphs("注", 110.0, 385.0));
        }
        let (a, b) = (page_lines(&whole), page_lines(&pieces));
        assert_eq!(a, b);
        assert_eq!(a.iter().map(|l| l.cells.join("|")).collect::<Vec<_>>(), ["项目||", "||1.00", "注"]);
    }

    /// A row the page split: its borders run on to the table's end with no ruling under
    /// them (and on the next page from the top). Its text stays in its cells.
    #[test]
    fn a_row_open_at_the_page_break_is_a_row_of_the_grid() {
        let mut page = Page { number: 1, ..Page::default() };
        page.rules = vec![h(700.0, 100.0, 300.0), h(680.0, 100.0, 300.0), v(100.0, 640.0, 700.0), v(200.0, 640.0, 700.0), v(300.0, 640.0, 700.0)];
        page.glyphs.extend(glyphs("项目", 105.0, 685.0));
        page.glyphs.extend(glyphs("2150899", 105.0, 665.0));
        page.glyphs.extend(glyphs("其他支出", 205.0, 665.0));
        page.glyphs.extend(glyphs("1.00", 250.0, 650.0));
        let lines = page_lines(&page);
        assert_eq!(lines.iter().map(|l| l.cells.join("|")).collect::<Vec<_>>(), ["项目|", "2150899|其他支出1.00"]);
        assert_eq!(lines[1].boxes[0].bottom, 640.0);
        // Open at the top: the rest of the row on the next page.
        let mut next = Page { number: 2, ..Page::default() };
        next.rules = vec![h(680.0, 100.0, 300.0), h(660.0, 100.0, 300.0), v(100.0, 660.0, 700.0), v(200.0, 660.0, 700.0), v(300.0, 660.0, 700.0)];
        next.glyphs.extend(glyphs("管理", 205.0, 688.0));
        next.glyphs.extend(glyphs("合计", 105.0, 665.0));
        let lines = page_lines(&next);
        assert_eq!(lines.iter().map(|l| l.cells.join("|")).collect::<Vec<_>>(), ["|管理", "合计|"]);
        // A single vertical running on (a stray) opens nothing.
        let mut stray = Page { number: 3, ..Page::default() };
        stray.rules = vec![h(700.0, 100.0, 300.0), h(680.0, 100.0, 300.0), v(100.0, 640.0, 700.0), v(300.0, 680.0, 700.0)];
        stray.glyphs.extend(glyphs("注", 105.0, 660.0));
        assert_eq!(page_lines(&stray).iter().map(|l| l.cells.join("|")).collect::<Vec<_>>(), ["", "注"]);
    }

    /// Two ruled tables one above the other, their borders a hair apart in x (Writer): each
    /// is its own grid, and the title between them is a line of its own. Collinear pieces
    /// join only where they touch, never across the gap between the tables.
    #[test]
    fn tables_one_above_the_other_with_borders_a_hair_apart_stay_two_grids() {
        let mut page = Page { number: 2, ..Page::default() };
        // Table 1: two columns, y 700..660; table 2: three columns, y 600..560, its x a half point off.
        page.rules = vec![h(700.0, 100.0, 300.0), h(680.0, 100.0, 300.0), h(660.0, 100.0, 300.0)];
        page.rules.extend([v(100.0, 660.0, 700.0), v(200.0, 660.0, 700.0), v(300.0, 660.0, 700.0)]);
        page.rules.extend([h(600.0, 100.5, 300.5), h(580.0, 100.5, 300.5), h(560.0, 100.5, 300.5)]);
        page.rules.extend([v(100.5, 560.0, 600.0), v(150.0, 560.0, 600.0), v(250.0, 560.0, 600.0), v(300.5, 560.0, 600.0)]);
        page.glyphs.extend(glyphs("总计", 105.0, 665.0));
        page.glyphs.extend(glyphs("收入决算表", 150.0, 620.0));
        page.glyphs.extend(glyphs("合计", 155.0, 565.0));
        let lines = page_lines(&page);
        let got: Vec<String> = lines.iter().map(|l| l.cells.join("|")).collect();
        assert_eq!(got, ["|", "总计|", "收入决算表", "||", "|合计|"]);
    }

    /// A ruled grid of `widths.len()` columns from (x, top), `rows` rows of 20 pt.
    fn ruled(rules: &mut Vec<Rule>, x: f32, top: f32, edges: &[f32], rows: usize) {
        let (right, bottom) = (edges[edges.len() - 1], top - 20.0 * rows as f32);
        for r in 0..=rows {
            rules.push(h(top - 20.0 * r as f32, x, right));
        }
        for &e in edges {
            rules.push(v(e, bottom, top));
        }
    }

    /// Writer starts a table on the page where the one before ends (entry 9): a 4-column
    /// table, then its title and caption as text, then a 6-column table whose verticals fall
    /// between the first one's. Each table is its own grid of its own columns; the title and
    /// caption between them are lines of their own, in reading order.
    #[test]
    fn two_grids_on_a_page_with_a_title_between_are_two_grids() {
        let mut page = Page { number: 2, ..Page::default() };
        ruled(&mut page.rules, 50.0, 700.0, &[50.0, 200.0, 250.0, 400.0, 450.0], 2);
        ruled(&mut page.rules, 50.0, 580.0, &[50.0, 110.0, 170.0, 230.0, 300.0, 370.0, 450.0], 2);
        page.glyphs.extend(glyphs("总计", 55.0, 665.0));
        page.glyphs.extend(glyphs("9.00", 205.0, 665.0));
        page.glyphs.extend(glyphs("总计", 255.0, 665.0));
        page.glyphs.extend(glyphs("9.00", 405.0, 665.0));
        page.glyphs.extend(glyphs("收入决算表", 180.0, 625.0));
        page.glyphs.extend(glyphs("单位：万元", 360.0, 600.0));
        page.glyphs.extend(glyphs("科目编码", 55.0, 565.0));
        page.glyphs.extend(glyphs("合计", 175.0, 545.0));
        page.glyphs.extend(glyphs("9.00", 235.0, 545.0));
        let got: Vec<String> = page_lines(&page).iter().map(|l| l.cells.join("|")).collect();
        assert_eq!(got, ["|||", "总计|9.00|总计|9.00", "收入决算表", "单位：万元", "科目编码|||||", "||合计|9.00||"]);
    }

    /// Two tables that touch only at a corner (the second starts where the first ends, to
    /// its right) are one connected set of rulings but two grids; two stacked tables that
    /// share a whole edge are one grid.
    #[test]
    fn grids_touching_at_a_corner_are_two_sharing_an_edge_one() {
        let mut corner = Page { number: 1, ..Page::default() };
        ruled(&mut corner.rules, 50.0, 700.0, &[50.0, 150.0, 250.0], 2);
        ruled(&mut corner.rules, 250.0, 660.0, &[250.0, 300.0, 350.0, 400.0], 1);
        corner.glyphs.extend(glyphs("合计", 55.0, 665.0));
        corner.glyphs.extend(glyphs("1.00", 255.0, 645.0));
        let lines = page_lines(&corner);
        let got: Vec<String> = lines.iter().map(|l| l.cells.join("|")).collect();
        assert_eq!(got, ["|", "合计|", "1.00||"]);
        assert_eq!((lines[2].boxes[0].x0, lines[2].boxes[2].x1), (250.0, 400.0));

        let mut shared = Page { number: 1, ..Page::default() };
        ruled(&mut shared.rules, 50.0, 700.0, &[50.0, 150.0, 250.0], 2);
        ruled(&mut shared.rules, 50.0, 660.0, &[50.0, 100.0, 250.0], 1);
        shared.glyphs.extend(glyphs("合计", 55.0, 665.0));
        shared.glyphs.extend(glyphs("1.00", 105.0, 645.0));
        let got: Vec<String> = page_lines(&shared).iter().map(|l| l.cells.join("|")).collect();
        assert_eq!(got, ["||", "合计||", "|1.00|"]);
    }
}

/// The cells of the grids the rulings form, each merged cell once, as rectangles in the
/// rulings' coordinates (y up): the one grid builder, for callers that bring their own
/// rulings (rulings found in a scan's raster) and read each cell themselves.
pub fn grid_cells(rules: &[Rule]) -> Vec<crate::pdf::Rect> {
    let mut out = Vec::new();
    // The limits still apply; a scan's raster rulings past them give no grid (the OCR
    // engine then reads the page's text line by line).
    let mut refused = Vec::new();
    for g in grids(rules, 0, &mut refused) {
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
