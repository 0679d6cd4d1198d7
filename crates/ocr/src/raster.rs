//! A page image and what its pixels say about the table on it: ink against paper, the
//! skew of the sheet, the ruling lines, specks. Pure pixel work, no OCR.

use rayon::prelude::*;

/// Most pixels a page image may have: an A2 sheet at 300 dpi (4961 × 7016, 34.8 million)
/// fits. Reading a page costs some 14 bytes and 0.15 µs a pixel (A2 of noise at 300 dpi:
/// 480 MiB, 5 s), so a page stays well inside a worker's memory; a larger image, or one
/// without pixels, is refused where it is decoded (its header says the size).
pub const MAX_PAGE_PIXELS: usize = 40_000_000;

/// An 8-bit gray image, row-major, 0 black, 255 white.
#[derive(Debug, Clone)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    pub fn new(w: usize, h: usize, fill: u8) -> Gray {
        Gray {
            w,
            h,
            px: vec![fill; w * h],
        }
    }
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }
    /// A binary PGM (P5), as pdftoppm -gray writes it.
    pub fn from_pgm(b: &[u8]) -> Option<Gray> {
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 && i < b.len() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && b[i] == b'#' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            fields.push(std::str::from_utf8(&b[s..i]).ok()?.to_string());
        }
        if fields.len() < 4 || fields[0] != "P5" || fields[3] != "255" {
            return None;
        }
        let (w, h): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        let n = w.checked_mul(h).filter(|&n| n > 0 && n <= MAX_PAGE_PIXELS)?;
        let data = b.get(i + 1..i + 1 + n)?;
        Some(Gray { w, h, px: data.to_vec() })
    }
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }
    /// Bilinear resize.
    pub fn resize(&self, w: usize, h: usize) -> Gray {
        let mut g = Gray::new(w.max(1), h.max(1), 255);
        if self.w == 0 || self.h == 0 {
            return g;
        }
        let sx = self.w as f32 / g.w as f32;
        let sy = self.h as f32 / g.h as f32;
        for y in 0..g.h {
            let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (self.h - 1) as f32);
            let (y0, ty) = (fy as usize, fy.fract());
            let y1 = (y0 + 1).min(self.h - 1);
            for x in 0..g.w {
                let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (self.w - 1) as f32);
                let (x0, tx) = (fx as usize, fx.fract());
                let x1 = (x0 + 1).min(self.w - 1);
                let a = self.get(x0, y0) as f32 * (1.0 - tx) + self.get(x1, y0) as f32 * tx;
                let b = self.get(x0, y1) as f32 * (1.0 - tx) + self.get(x1, y1) as f32 * tx;
                g.px[y * g.w + x] = (a * (1.0 - ty) + b * ty).round() as u8;
            }
        }
        g
    }
    /// Turned by `deg` (counter-clockwise as seen) about the centre, paper behind.
    pub fn rotate(&self, deg: f32) -> Gray {
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (self.w as f32 / 2.0, self.h as f32 / 2.0);
        let mut g = Gray::new(self.w, self.h, 255);
        let w = self.w;
        // Rows in parallel: each output row reads the source only.
        g.px.par_chunks_mut(w.max(1)).enumerate().for_each(|(y, row)| {
            let dy = y as f32 - cy;
            for (x, out) in row.iter_mut().enumerate() {
                let dx = x as f32 - cx;
                // The source of each output pixel (image y runs down).
                let sx = c * dx - s * dy + cx;
                let sy = s * dx + c * dy + cy;
                if sx < 0.0 || sy < 0.0 || sx >= (self.w - 1) as f32 || sy >= (self.h - 1) as f32 {
                    continue;
                }
                let (x0, y0, tx, ty) = (sx as usize, sy as usize, sx.fract(), sy.fract());
                let a = self.get(x0, y0) as f32 * (1.0 - tx) + self.get(x0 + 1, y0) as f32 * tx;
                let b = self.get(x0, y0 + 1) as f32 * (1.0 - tx) + self.get(x0 + 1, y0 + 1) as f32 * tx;
                *out = (a * (1.0 - ty) + b * ty).round() as u8;
            }
        });
        g
    }
}

/// Otsu's threshold: the gray level that best splits ink from paper.
pub fn otsu(g: &Gray) -> u8 {
    let mut hist = [0u64; 256];
    for &p in &g.px {
        hist[p as usize] += 1;
    }
    let total = g.px.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut wb, mut sb, mut best, mut at) = (0.0, 0.0, 0.0, 128u8);
    for (t, &n) in hist.iter().enumerate() {
        wb += n as f64;
        if wb == 0.0 {
            continue;
        }
        let wf = total - wb;
        if wf == 0.0 {
            break;
        }
        sb += t as f64 * n as f64;
        let (mb, mf) = (sb / wb, (sum - sb) / wf);
        let between = wb * wf * (mb - mf) * (mb - mf);
        if between > best {
            best = between;
            at = t as u8;
        }
    }
    at
}

/// Ink mask: true where darker than the threshold.
pub fn binarize(g: &Gray, t: u8) -> Vec<bool> {
    g.px.iter().map(|&p| p <= t).collect()
}

/// The skew of the sheet in degrees: the slope of its ink (image y down), which
/// `Gray::rotate` by the same angle straightens;
/// from the horizontal projection of the ink: rulings and baselines are sharpest when
/// straight. Searched within ±`max` degrees, coarse then fine.
pub fn skew_angle(ink: &[bool], w: usize, h: usize, max: f32) -> f32 {
    // Every row (sampling rows would favour the unsheared angle: its bins alias), every other column.
    let pts: Vec<(f32, f32)> = (0..h)
        .flat_map(|y| {
            (0..w)
                .step_by(2)
                .filter(move |&x| ink[y * w + x])
                .map(move |x| (x as f32, y as f32))
        })
        .collect();
    if pts.len() < 100 {
        return 0.0;
    }
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let mut bins = vec![0u32; h + w];
        for &(x, y) in &pts {
            let yy = (y - (x - w as f32 / 2.0) * t) as isize + (w / 2) as isize;
            if yy >= 0 && (yy as usize) < bins.len() {
                bins[yy as usize] += 1;
            }
        }
        bins.iter().map(|&b| (b as f64) * (b as f64)).sum()
    };
    // The angles scored in parallel; the first best wins, as in order (deterministic).
    let search = |lo: f32, hi: f32, step: f32| -> f32 {
        let mut angles = Vec::new();
        let mut a = lo;
        while a <= hi + 1e-6 {
            angles.push(a);
            a += step;
        }
        let scores: Vec<f64> = angles.par_iter().map(|&a| score(a)).collect();
        let mut best = (f64::MIN, 0.0);
        for (s, a) in scores.into_iter().zip(angles) {
            if s > best.0 {
                best = (s, a);
            }
        }
        best.1
    };
    let coarse = search(-max, max, 0.2);
    let fine = search(coarse - 0.2, coarse + 0.2, 0.02);
    // The ink leans by `fine`: turning the image by it straightens it.
    fine
}

/// Ink components smaller than `min_area` pixels (specks, JPEG dust) cleared, in place.
/// Components are found over runs, so the cost follows the ink, not the page.
pub fn despeckle(ink: &mut [bool], w: usize, h: usize, min_area: usize) {
    // Runs of each row: (y, x0, x1 exclusive).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut row_start = vec![0usize; h + 1];
    for y in 0..h {
        row_start[y] = runs.len();
        let row = &ink[y * w..(y + 1) * w];
        let mut x = 0;
        while x < w {
            if row[x] {
                let s = x;
                while x < w && row[x] {
                    x += 1;
                }
                runs.push((y, s, x));
            } else {
                x += 1;
            }
        }
    }
    row_start[h] = runs.len();
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for y in 1..h {
        let (mut i, ie) = (row_start[y - 1], row_start[y]);
        let (mut j, je) = (row_start[y], row_start[y + 1]);
        while i < ie && j < je {
            let (a, b) = (runs[i], runs[j]);
            // 8-connected: runs touching diagonally join.
            if a.1 <= b.2 && b.1 <= a.2 {
                let (ra, rb) = (find(&mut parent, i), find(&mut parent, j));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
            if a.2 < b.2 {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    let mut area = vec![0usize; runs.len()];
    for i in 0..runs.len() {
        let r = find(&mut parent, i);
        area[r] += runs[i].2 - runs[i].1;
    }
    for i in 0..runs.len() {
        let r = find(&mut parent, i);
        if area[r] < min_area {
            let (y, a, b) = runs[i];
            ink[y * w + a..y * w + b]
                .iter_mut()
                .for_each(|p| *p = false);
        }
    }
}

/// A ruling found in the raster: fixed coordinate (centre of its thickness) and span, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub at: f32,
    pub lo: usize,
    pub hi: usize,
    pub thick: usize,
}

/// Long dark runs along one axis: `get(i, j)` is the ink at position `j` of line `i`
/// (rows for horizontal rulings, columns for vertical ones). Runs at least `min_len`
/// long (gaps up to `gap` closed) on neighbouring lines that overlap form one stroke;
/// strokes thicker than `max_thick` are filled areas, not rulings.
fn strokes(
    lines: usize,
    len: usize,
    get: impl Fn(usize, usize) -> bool,
    min_len: usize,
    gap: usize,
    max_thick: usize,
) -> Vec<Stroke> {
    // (first line, last line, lo, hi) of strokes still growing.
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done: Vec<(usize, usize, usize, usize)> = Vec::new();
    for i in 0..lines {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut j = 0;
        while j < len {
            if !get(i, j) {
                j += 1;
                continue;
            }
            let s = j;
            let mut e = j;
            while j < len {
                if get(i, j) {
                    e = j;
                    j += 1;
                } else if j - e <= gap {
                    j += 1;
                } else {
                    break;
                }
            }
            if e + 1 - s >= min_len {
                runs.push((s, e + 1));
            }
            j = e + 1;
            while j < len && !get(i, j) {
                j += 1;
            }
        }
        let mut next: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (s, e) in runs {
            // The run joins every stroke it overlaps, open from the line before or grown on
            // this one, into one: a ruling's anti-aliased edge line comes in pieces (on a
            // straightened scan it comes and goes every 1/tan(skew) pixels), and each piece
            // left alone beside the ruling was a ruling of its own.
            let mut m = (i, i, s, e);
            let mut k = 0;
            while k < open.len() {
                let o = open[k];
                if o.1 + 1 == i && s < o.3 && o.2 < e {
                    open.swap_remove(k);
                    m = (m.0.min(o.0), i, m.2.min(o.2), m.3.max(o.3));
                } else {
                    k += 1;
                }
            }
            let mut k = 0;
            while k < next.len() {
                let o = next[k];
                if m.2 < o.3 && o.2 < m.3 {
                    next.swap_remove(k);
                    m = (m.0.min(o.0), i, m.2.min(o.2), m.3.max(o.3));
                } else {
                    k += 1;
                }
            }
            next.push(m);
        }
        done.append(&mut open);
        open = next;
    }
    done.append(&mut open);
    done.into_iter()
        .filter(|d| d.1 + 1 - d.0 <= max_thick)
        .map(|(a, b, lo, hi)| Stroke {
            at: (a + b) as f32 / 2.0,
            lo,
            hi,
            thick: b + 1 - a,
        })
        .collect()
}

/// Horizontal and vertical rulings of an ink mask.
pub fn rulings(
    ink: &[bool],
    w: usize,
    h: usize,
    min_len: usize,
    max_thick: usize,
) -> (Vec<Stroke>, Vec<Stroke>) {
    let gap = 2;
    let hs = strokes(h, w, |y, x| ink[y * w + x], min_len, gap, max_thick);
    let vs = strokes(w, h, |x, y| ink[y * w + x], min_len, gap, max_thick);
    (hs, vs)
}

/// The strokes of `strokes` that are rulings, not glyph strokes: one at least `long` is,
/// and a shorter one is where each of its ends meets a stroke of `across` (within
/// `tol` pixels and half that stroke's thickness). On the light mask rulings are found on,
/// the strokes of a row of characters (一, the feet of `2011199`) run together past a
/// quarter inch inside a cell; such a run ends on paper, where a ruling of a table ends at
/// another ruling (its side, or the ruling under a header cell it closes), and taken for a
/// ruling it cut its cell's text in two.
pub fn ruled(strokes: &[Stroke], across: &[Stroke], long: usize, tol: usize) -> Vec<Stroke> {
    let meets = |at: f32, end: usize| {
        across.iter().any(|a| {
            let t = tol as f32 + a.thick as f32 / 2.0;
            (a.at - end as f32).abs() <= t && a.lo as f32 - t <= at && at <= a.hi as f32 + t
        })
    };
    strokes
        .iter()
        .filter(|s| s.hi - s.lo >= long || (meets(s.at, s.lo) && meets(s.at, s.hi - 1)))
        .copied()
        .collect()
}

/// Vertical rulings shorter than `min_len` that run from one horizontal ruling to another:
/// the sides of the cells of a table one row high (a closing row continued alone on a page),
/// which a length test alone takes for glyph strokes. Both ends must meet a horizontal
/// that reaches the stroke, within its thickness and a pixel or two; and no stroke may
/// cross it.
pub fn short_verticals(
    ink: &[bool],
    w: usize,
    h: usize,
    hs: &[Stroke],
    min_len: usize,
    max_thick: usize,
) -> Vec<Stroke> {
    let meets = |y: usize, x: f32| {
        hs.iter().any(|s| {
            let tol = s.thick as f32 / 2.0 + 2.0;
            (s.at - y as f32).abs() <= tol && s.lo as f32 - tol <= x && x <= s.hi as f32 + tol
        })
    };
    // A glyph's stem spanning a row too low for its text (a 9 pt header row: 车 of
    // 公务用车) meets both rulings too, but its glyph's strokes cross it: ink runs through
    // it from one side to the other, which no cell's side has (text stays on its side).
    let crossed = |v: &Stroke| {
        let t = v.thick / 2 + 3;
        let (x0, x1) = ((v.at as usize).saturating_sub(t), (v.at as usize + t).min(w - 1));
        let margin = max_thick + 2;
        (v.lo + margin..v.hi.saturating_sub(margin)).any(|y| (x0..=x1).all(|x| ink[y * w + x]))
    };
    strokes(w, h, |x, y| ink[y * w + x], (min_len / 3).max(4), 2, max_thick)
        .into_iter()
        .filter(|v| v.hi - v.lo < min_len && meets(v.lo, v.at) && meets(v.hi - 1, v.at) && !crossed(v))
        .collect()
}

/// The rulings cleared from an ink mask, in place, and nothing else: along each stroke,
/// a run of ink across it (perpendicular) no longer than the stroke is thick (and a
/// pixel either side, the anti-aliasing) is the ruling there and goes; a longer run is a
/// glyph's stroke that touches or crosses the ruling and stays whole. No stub is left
/// for the recognizer to read as a `1` or a `|`, and no digit beside a ruling is cut.
pub fn remove_rulings(ink: &mut [bool], w: usize, h: usize, hs: &[Stroke], vs: &[Stroke]) {
    // One stroke along axis: `idx(i, j)` is the pixel at position j along the stroke
    // and i across it; `across` is the image's extent across.
    fn clear(ink: &mut [bool], s: &Stroke, across: usize, idx: &dyn Fn(usize, usize) -> usize) {
        let first = ((s.at * 2.0) as usize + 1).saturating_sub(s.thick) / 2;
        let last = (first + s.thick).min(across);
        let lim = s.thick + 2;
        for j in s.lo..s.hi {
            // The run of ink across the stroke through its band, grown both ways.
            let Some(mut a) = (first..last).find(|&i| ink[idx(i, j)]) else {
                continue;
            };
            let mut b = (first..last).rev().find(|&i| ink[idx(i, j)]).unwrap_or(a);
            while a > 0 && ink[idx(a - 1, j)] && b + 1 - a <= lim {
                a -= 1;
            }
            while b + 1 < across && ink[idx(b + 1, j)] && b + 1 - a <= lim {
                b += 1;
            }
            if b + 1 - a <= lim {
                (a..=b).for_each(|i| ink[idx(i, j)] = false);
            }
        }
    }
    for s in hs {
        clear(ink, s, h, &|i, j| i * w + j);
    }
    for s in vs {
        clear(ink, s, w, &|i, j| j * w + i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawn grid, turned by 0.5°, is found straight again and its rulings found.
    #[test]
    fn skewed_grid_is_straightened_and_its_rulings_found() {
        let (w, h) = (600, 400);
        let mut g = Gray::new(w, h, 255);
        for &y in &[50usize, 150, 250, 350] {
            for x in 50..550 {
                g.px[y * w + x] = 0;
                g.px[(y + 1) * w + x] = 0;
            }
        }
        for &x in &[50usize, 300, 549] {
            for y in 50..352 {
                g.px[y * w + x] = 0;
            }
        }
        let turned = g.rotate(-0.5);
        assert!(turned.px.iter().filter(|&&p| p < 128).count() > 3000);
        let t = otsu(&turned);
        let ink = binarize(&turned, t);
        let a = skew_angle(&ink, w, h, 2.0);
        assert!((a - 0.5).abs() < 0.06, "estimated {a}");
        let straight = turned.rotate(a);
        let ink = binarize(&straight, otsu(&straight));
        let (hs, vs) = rulings(&ink, w, h, 100, 8);
        assert_eq!(hs.len(), 4, "{hs:?}");
        assert_eq!(vs.len(), 3, "{vs:?}");
        assert!(hs.iter().all(|s| s.hi - s.lo > 480));
    }

    /// A ruling goes without a stub; a digit's stroke touching it stays whole.
    #[test]
    fn a_table_one_row_high_has_its_sides_and_a_glyph_stroke_is_none() {
        // Horizontals at y 10 and 40 from x 5 to 195; cell sides at x 5, 100, 195 (30 px,
        // shorter than the 50 a ruling must run alone); a glyph's stroke at x 150 from
        // y 14 to 36 meets neither ruling, one at x 60 touches only the top.
        let (w, h) = (200, 60);
        let mut ink = vec![false; w * h];
        for x in 5..196 {
            for y in [10, 11, 40, 41] {
                ink[y * w + x] = true;
            }
        }
        for x in [5, 100, 195] {
            for y in 10..42 {
                ink[y * w + x] = true;
            }
        }
        for y in 14..37 {
            ink[y * w + 150] = true;
        }
        for y in 10..30 {
            ink[y * w + 60] = true;
        }
        // A glyph's stem at x 170 spanning the row from ruling to ruling, crossed by its
        // glyph's stroke (y 25, x 164 to 176): no side.
        for y in 10..42 {
            ink[y * w + 170] = true;
        }
        for x in 164..177 {
            ink[25 * w + x] = true;
        }
        let (hs, vs) = rulings(&ink, w, h, 50, 4);
        assert_eq!((hs.len(), vs.len()), (2, 0), "{hs:?} {vs:?}");
        let short = short_verticals(&ink, w, h, &hs, 50, 4);
        let xs: Vec<f32> = short.iter().map(|s| s.at).collect();
        assert_eq!(xs, [5.0, 100.0, 195.0]);
    }

    /// The line along a ruling's edge, ink in pieces (a scan straightened by 0.5° has
    /// its edge come and go every 114 pixels), is part of the ruling, not rulings beside it.
    #[test]
    fn a_rulings_edge_in_pieces_is_part_of_it() {
        let (w, h) = (800, 20);
        let mut ink = vec![false; w * h];
        for x in 0..w {
            ink[10 * w + x] = true;
            ink[11 * w + x] = true;
            ink[9 * w + x] = x % 114 < 70;
            ink[12 * w + x] = (x + 57) % 114 < 70;
        }
        let (hs, vs) = rulings(&ink, w, h, 50, 6);
        assert!(vs.is_empty(), "{vs:?}");
        assert_eq!(hs.len(), 1, "{hs:?}");
        assert_eq!((hs[0].lo, hs[0].hi, hs[0].thick), (0, w, 4));
    }

    #[test]
    fn rulings_removed_glyph_strokes_kept() {
        let (w, h) = (60, 40);
        let mut ink = vec![false; w * h];
        for x in 0..w {
            ink[10 * w + x] = true;
            ink[11 * w + x] = true;
        }
        for y in 0..h {
            ink[y * w + 5] = true;
            ink[y * w + 6] = true;
        }
        // A "1" standing on the ruling at x = 30, rows 2..=11.
        for y in 2..12 {
            ink[y * w + 30] = true;
        }
        let (hs, vs) = rulings(&ink, w, h, 20, 4);
        assert_eq!((hs.len(), vs.len()), (1, 1), "{hs:?} {vs:?}");
        remove_rulings(&mut ink, w, h, &hs, &vs);
        assert!((0..w)
            .filter(|&x| x != 30)
            .all(|x| !ink[10 * w + x] && !ink[11 * w + x]));
        assert!((0..h)
            .filter(|&y| y < 2 || y > 11)
            .all(|y| !ink[y * w + 5] && !ink[y * w + 6]));
        assert!(
            (2..12).all(|y| ink[y * w + 30]),
            "the glyph stroke is kept whole"
        );
    }

    #[test]
    fn specks_go_strokes_stay() {
        let (w, h) = (50, 20);
        let mut ink = vec![false; w * h];
        ink[5 * w + 5] = true;
        ink[6 * w + 6] = true;
        for x in 10..40 {
            ink[10 * w + x] = true;
        }
        despeckle(&mut ink, w, h, 4);
        assert!(!ink[5 * w + 5] && !ink[6 * w + 6]);
        assert!(ink[10 * w + 20]);
    }
}
