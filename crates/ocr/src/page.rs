//! One scanned page to a [`Page`] of glyphs and rulings: straightened, its rulings found
//! in the raster and handed to the one grid builder (`lattice`), each cell cropped with
//! its rulings removed and read on its own, the text outside the grids read line by
//! line; the glyphs sit where the text was printed, so `lattice::page_lines` yields the
//! same lines a PDF with a text layer would.

use crate::engine::{Engine, Kind};
use crate::raster::{self, Gray};
use crate::OcrError;
use gongkai_extract::pdf::{Glyph, Page, Rect};
use rayon::prelude::*;

/// A grid cell read by OCR: the page, the text (lines joined) and each character's confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CellReading {
    pub page: u32,
    pub text: String,
    pub chars: Vec<f32>,
    /// Not read so much as guessed: a character filled in to make it a number, or two
    /// readers of it that disagree. The identities may correct it; they never prove it.
    pub guess: bool,
}

impl CellReading {
    /// The least confident character's confidence (1 for an empty reading).
    pub fn confidence(&self) -> f32 {
        crate::engine::confidence(&self.chars)
    }
}

pub struct OcrPage {
    pub page: Page,
    pub cells: Vec<CellReading>,
    /// The skew that was straightened, degrees.
    pub skew: f32,
    /// The resolution the page was read at (rendered: lower than asked for a page too
    /// large; decoded: the image's own, rounded).
    pub dpi: u32,
    /// Where its pixels came from.
    pub source: Source,
}

/// How a page's image was had: its scan decoded, or the page rendered (and why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The page's one image decoded directly (its filter: `DCTDecode`, `FlateDecode`, …).
    Decoded(String),
    /// Rendered by `pdftoppm`; why the image was not decoded (empty where not tried).
    Rendered(String),
}

/// A crop to read and where its text goes on the page (points, y up).
struct Job {
    crop: Gray,
    /// Index of the grid cell it belongs to, or None for free text.
    cell: Option<usize>,
    rect: Rect,
}

/// Rows (or columns) holding ink, as runs [start, end), gaps up to `gap` closed.
fn bands(count: &[usize], min: usize, gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &n) in count.iter().enumerate() {
        if n < min {
            continue;
        }
        match out.last_mut() {
            Some(b) if i <= b.1 + gap => b.1 = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// Read one page image rendered at `dpi`.
pub fn read_page(
    img: &Gray,
    dpi: u32,
    number: u32,
    engine: &dyn Engine,
) -> Result<OcrPage, OcrError> {
    read_page_at(img, dpi as f32, number, engine)
}

/// Read one page image of `dpi` pixels per inch (a scan's own resolution need not be whole).
pub fn read_page_at(
    img: &Gray,
    dpi: f32,
    number: u32,
    engine: &dyn Engine,
) -> Result<OcrPage, OcrError> {
    let d = dpi;
    let ink0 = raster::binarize(img, raster::otsu(img));
    let skew = raster::skew_angle(&ink0, img.w, img.h, 3.0);
    let straight;
    let img = if skew.abs() >= 0.05 {
        straight = img.rotate(skew);
        &straight
    } else {
        img
    };
    let (w, h) = (img.w, img.h);
    let thr = raster::otsu(img);
    let mut ink = raster::binarize(img, thr);
    // Specks: ink components of a few pixels (8 at 300 dpi, by area).
    let speck = ((8.0 * (d / 300.0) * (d / 300.0)) as usize).max(2);
    raster::despeckle(&mut ink, w, h, speck);
    // Rulings are found by their length, not their darkness: a hairline printed light gray
    // (Writer's table borders) falls apart into dashes at the text's threshold, so they are
    // looked for on a mask halfway between it and white.
    let mut lines = raster::binarize(img, thr + (255 - thr) / 2);
    raster::despeckle(&mut lines, w, h, speck);
    let (min_len, max_thick) = ((d / 4.0) as usize, (d / 30.0) as usize);
    let (hs, vs) = raster::rulings(&lines, w, h, min_len, max_thick);
    // Under an inch, a stroke is a ruling where both its ends meet rulings across it
    // (glyph strokes run together on the light mask end on paper inside their cell).
    let (hs, mut vs) = (
        raster::ruled(&hs, &vs, d as usize, max_thick),
        raster::ruled(&vs, &hs, d as usize, max_thick),
    );
    vs.extend(raster::short_verticals(&lines, w, h, &hs, min_len, max_thick));
    let s = 72.0 / d;
    let hpt = h as f32 * s;
    let mut rules: Vec<Rect> = Vec::new();
    for st in &hs {
        let y = hpt - st.at * s;
        rules.push(Rect {
            x0: st.lo as f32 * s,
            x1: st.hi as f32 * s,
            y0: y,
            y1: y,
        });
    }
    for st in &vs {
        let x = st.at * s;
        rules.push(Rect {
            x0: x,
            x1: x,
            y0: hpt - st.hi as f32 * s,
            y1: hpt - st.lo as f32 * s,
        });
    }
    let cells = gongkai_extract::lattice::grid_cells(&rules);
    // The glyphs alone: the rulings cleared (a digit beside one is kept whole), so a
    // cell is cropped just inside its rulings with no stub to read.
    let mut glyphs = ink.clone();
    raster::remove_rulings(&mut glyphs, w, h, &hs, &vs);
    let thick = hs.iter().chain(&vs).map(|s| s.thick).max().unwrap_or(2);
    let inset = thick / 2 + 1 + (d / 300.0) as usize;
    let to_px = |r: &Rect| -> (usize, usize, usize, usize) {
        let x0 = (r.x0 / s).max(0.0) as usize;
        let x1 = ((r.x1 / s) as usize).min(w);
        let y0 = ((hpt - r.y1) / s).max(0.0) as usize;
        let y1 = (((hpt - r.y0) / s) as usize).min(h);
        (x0, y0, x1, y1)
    };
    let min_ink = ((d * d) / 4000.0) as usize;
    // Cells are cropped in parallel (each reads the page, writes only its own crops).
    let per_cell: Vec<Vec<Job>> = cells.par_iter().enumerate().map(|(ci, r)| {
        let mut jobs: Vec<Job> = Vec::new();
        let (x0, y0, x1, y1) = to_px(r);
        if x1 <= x0 + 2 * inset || y1 <= y0 + 2 * inset {
            return jobs;
        }
        let (cx0, cy0, cx1, cy1) = (x0 + inset, y0 + inset, x1 - inset, y1 - inset);
        let (cw, ch) = (cx1 - cx0, cy1 - cy0);
        let mut m: Vec<bool> = (cy0..cy1)
            .flat_map(|y| (cx0..cx1).map(move |x| (x, y)))
            .map(|(x, y)| glyphs[y * w + x])
            .collect();
        // What is left of a ruling the raster did not find whole (a line broken or bent
        // more than the stroke finder joins): near the edge, across nearly all the crop,
        // where no glyph reaches (the crop keeps paper around its text).
        let edge = thick + 2;
        for y in (0..ch.min(edge)).chain(ch.saturating_sub(edge)..ch) {
            if m[y * cw..(y + 1) * cw].iter().filter(|&&b| b).count() * 10 > cw * 9 {
                m[y * cw..(y + 1) * cw].iter_mut().for_each(|b| *b = false);
            }
        }
        for x in (0..cw.min(edge)).chain(cw.saturating_sub(edge)..cw) {
            if (0..ch).filter(|&y| m[y * cw + x]).count() * 10 > ch * 9 {
                (0..ch).for_each(|y| m[y * cw + x] = false);
            }
        }
        let rows: Vec<usize> = (0..ch)
            .map(|y| m[y * cw..(y + 1) * cw].iter().filter(|&&b| b).count())
            .collect();
        if rows.iter().sum::<usize>() < min_ink {
            return jobs;
        }
        // A label wrapped over lines: each line its own crop.
        for (by0, by1) in bands(&rows, 1, (d / 60.0) as usize) {
            if by1 - by0 < (d / 40.0) as usize {
                continue;
            }
            let cols: Vec<usize> = (0..cw)
                .map(|x| (by0..by1).filter(|&y| m[y * cw + x]).count())
                .collect();
            let Some((bx0, bx1)) = text_span(&cols, by1 - by0) else {
                continue;
            };
            let crop = clean_crop(img, &m, cw, cx0, cy0, (bx0, by0, bx1, by1), pad(by1 - by0));
            let rect = Rect {
                x0: (cx0 + bx0) as f32 * s,
                x1: (cx0 + bx1) as f32 * s,
                y0: hpt - (cy0 + by1) as f32 * s,
                y1: hpt - (cy0 + by0) as f32 * s,
            };
            jobs.push(Job {
                crop,
                cell: Some(ci),
                rect,
            });
        }
        jobs
    }).collect();
    let mut jobs: Vec<Job> = per_cell.into_iter().flatten().collect();
    // Text outside the grids, line by line.
    let mut free = ink.clone();
    for r in &cells {
        let (x0, y0, x1, y1) = to_px(r);
        let (x0, y0, x1, y1) = (
            x0.saturating_sub(inset),
            y0.saturating_sub(inset),
            (x1 + inset).min(w),
            (y1 + inset).min(h),
        );
        for y in y0..y1 {
            free[y * w + x0..y * w + x1]
                .iter_mut()
                .for_each(|b| *b = false);
        }
    }
    for (bx0, by0, bx1, by1) in free_lines(&free, w, (0, 0, w, h), d, min_ink, 0) {
        if by1 - by0 > h / 10 {
            continue;
        }
        let crop = clean_crop(img, &free, w, 0, 0, (bx0, by0, bx1, by1), pad(by1 - by0));
        let rect = Rect {
            x0: bx0 as f32 * s,
            x1: bx1 as f32 * s,
            y0: hpt - by1 as f32 * s,
            y1: hpt - by0 as f32 * s,
        };
        jobs.push(Job {
            crop,
            cell: None,
            rect,
        });
    }
    let crops: Vec<Gray> = jobs.iter().map(|j| j.crop.clone()).collect();
    if let Some(dir) = std::env::var_os("GONGKAI_OCR_DUMP") {
        for (i, c) in crops.iter().enumerate() {
            let _ = std::fs::write(
                std::path::Path::new(&dir).join(format!("{number}-{i}.pgm")),
                c.to_pgm(),
            );
        }
    }
    let mut readings = engine.read(&crops, Kind::Text)?;
    if let Some(dir) = std::env::var_os("GONGKAI_OCR_DUMP") {
        // What each dumped crop was read as, beside it (crop N is line N).
        let list: String = readings
            .iter()
            .map(|r| format!("{}\t{:.3}\n", r.text, r.confidence()))
            .collect();
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(format!("{number}-readings.txt")),
            list,
        );
    }
    // A reading that is a guess: a character filled in, or two readers that disagree.
    let mut guess = vec![false; jobs.len()];
    let numeric: Vec<usize> = (0..jobs.len())
        .filter(|&i| {
            jobs[i].cell.is_some()
                && (crate::tidy::looks_like_amount(&readings[i].text)
                    || crate::tidy::looks_like_misread_amount(&readings[i].text))
        })
        .collect();
    // An engine whose misreads correlate (tesseract's: the same crop misread alike in the
    // cells that sum to each other, which the identities then cannot catch) reads what
    // looks like a number a second time, by another model narrowed to digits; where the
    // two readings differ, the amount is a guess (the identities may correct it, never
    // prove it). PP-OCRv4 narrows its alphabet within the one reading.
    if engine.needs_second_reading() && !numeric.is_empty() {
        let again = engine.read(
            &numeric
                .iter()
                .map(|&i| crops[i].clone())
                .collect::<Vec<_>>(),
            Kind::Amount,
        )?;
        for (k, &i) in numeric.iter().enumerate() {
            let mut first = readings[i].clone();
            crate::tidy::drop_specks(&mut first);
            let mut second = again[k].clone();
            crate::tidy::drop_specks(&mut second);
            if !crate::tidy::agree(&first, &second) {
                guess[i] = true;
            }
            if !again[k].text.is_empty() {
                readings[i] = again[k].clone();
            }
        }
    }
    for (i, (job, r)) in jobs.iter().zip(readings.iter_mut()).enumerate() {
        if job.cell.is_none() {
            continue;
        }
        crate::tidy::drop_specks(r);
        // The row is not lost to one bad character; only the identities can settle it.
        if crate::tidy::repair(r) {
            guess[i] = true;
        }
    }
    let mut page = Page {
        number,
        width: w as f32 * s,
        height: hpt,
        rules,
        images: 1,
        ..Page::default()
    };
    // A cell's lines joined (a wrapped label is one label), then matched to the catalogue.
    let mut per_cell: Vec<Option<(CellReading, Rect)>> = vec![None; cells.len()];
    for ((job, r), &guess) in jobs.iter().zip(&readings).zip(&guess) {
        let text = r.text.trim();
        // A line read as punctuation alone is specks (`..` under an amount would join it).
        if !text.chars().any(char::is_alphanumeric) {
            continue;
        }
        match job.cell {
            Some(ci) => {
                let (c, rect) = per_cell[ci].get_or_insert((
                    CellReading {
                        page: number,
                        text: String::new(),
                        chars: Vec::new(),
                        guess: false,
                    },
                    job.rect,
                ));
                c.text.push_str(text);
                c.guess |= guess;
                c.chars.extend(
                    r.text
                        .chars()
                        .zip(&r.chars)
                        .filter(|(ch, _)| !ch.is_whitespace())
                        .map(|(_, &p)| p),
                );
                rect.x0 = rect.x0.min(job.rect.x0);
                rect.x1 = rect.x1.max(job.rect.x1);
            }
            None => {
                let text = crate::labels::nearest_title(text).or_else(|| crate::labels::nearest(text)).unwrap_or_else(|| text.to_string());
                place(&mut page.glyphs, &text, &job.rect);
            }
        }
    }
    let mut out = Vec::new();
    for (mut c, rect) in per_cell.into_iter().flatten() {
        if let Some(fixed) = crate::labels::nearest(&c.text) {
            c.text = fixed;
        }
        place(&mut page.glyphs, &c.text, &rect);
        out.push(c);
    }
    Ok(OcrPage {
        page,
        cells: out,
        skew,
        dpi: dpi.round() as u32,
        source: Source::Rendered(String::new()),
    })
}

/// The lines of text in `area` (x0, y0, x1, y1) of `ink`: rows with ink (gaps up to
/// `dpi/60` closed), each cut into runs of columns (below), and each
/// run cut again by its own rows, where a row with a thirty-second of the densest row's
/// ink is no text. The rows of the whole page width join lines that specks link (a scan's
/// noise: a title and the line above it read as one); within its own columns, a line
/// stands alone.
fn free_lines(
    ink: &[bool],
    w: usize,
    area: (usize, usize, usize, usize),
    dpi: f32,
    min_ink: usize,
    depth: usize,
) -> Vec<(usize, usize, usize, usize)> {
    let (x0, y0, x1, y1) = area;
    let mut out = Vec::new();
    let rows: Vec<usize> = (y0..y1)
        .map(|y| ink[y * w + x0..y * w + x1].iter().filter(|&&b| b).count())
        .collect();
    // Within a run of columns, a row whose ink is a speck's beside the line's densest
    // row is a gap (a speck standing between two lines).
    let min = if depth == 0 {
        1
    } else {
        (rows.iter().copied().max().unwrap_or(0) / 32).max(1)
    };
    for (r0, r1) in bands(&rows, min, (dpi / 60.0) as usize) {
        let (by0, by1) = (y0 + r0, y0 + r1);
        let bh = by1 - by0;
        if bh < (dpi / 30.0) as usize {
            continue;
        }
        let cols: Vec<usize> = (x0..x1)
            .map(|x| (by0..by1).filter(|&y| ink[y * w + x]).count())
            .collect();
        // Pieces of ink joined into runs where the gap is at most twice the height of the
        // smaller of the two sides (as a text layer's free text splits at a gap of two
        // font sizes): a title and the smaller caption beside it are two runs, a title
        // spaced out a character apart is one. A side is never taken for less than half
        // the band high (一 is a flat stroke).
        let height = |c0: usize, c1: usize| {
            let inked = |y: usize| ink[y * w + x0 + c0..y * w + x0 + c1].iter().any(|&b| b);
            match ((by0..by1).find(|&y| inked(y)), (by0..by1).rev().find(|&y| inked(y))) {
                (Some(a), Some(b)) => b + 1 - a,
                _ => 0,
            }
        };
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for (c0, c1) in bands(&cols, 1, (bh / 4).max(1)) {
            let hh = height(c0, c1);
            if let Some(r) = runs.last_mut() {
                if c0 - r.1 <= 2 * r.2.min(hh).max(bh / 2) {
                    r.1 = c1;
                    r.2 = r.2.max(hh);
                    continue;
                }
            }
            runs.push((c0, c1, hh));
        }
        for (c0, c1, _) in runs {
            if cols[c0..c1].iter().sum::<usize>() < min_ink {
                continue;
            }
            let cut = (x0 + c0, by0, x0 + c1, by1);
            if cut != area && depth < 4 {
                out.extend(free_lines(ink, w, cut, dpi, min_ink, depth + 1));
            } else {
                out.push(cut);
            }
        }
    }
    out
}

/// Paper kept around a line of text `line_h` high, as the recognizer saw it in training.
fn pad(line_h: usize) -> usize {
    (line_h / 4).max(2)
}

/// The columns [x0, x1) of a line's text: from its first ink to its last, but a speck
/// standing apart at either end (little ink, a gap of half the line's height or more
/// from the rest) is not text: left out, so nothing is read into it.
fn text_span(cols: &[usize], line_h: usize) -> Option<(usize, usize)> {
    let runs = bands(cols, 1, (line_h / 2).max(1));
    let speck = (line_h * line_h / 25).max(2);
    let ink = |r: &(usize, usize)| cols[r.0..r.1].iter().sum::<usize>();
    let mut lo = 0;
    let mut hi = runs.len();
    while hi - lo > 1 && ink(&runs[lo]) < speck {
        lo += 1;
    }
    while hi - lo > 1 && ink(&runs[hi - 1]) < speck {
        hi -= 1;
    }
    let (a, b) = (runs.get(lo)?.0, runs.get(hi - 1)?.1);
    Some((a, b))
}

/// The crop [x0,x1)×[y0,y1) of the image (given in the coordinates of `mask`, which
/// starts at (ox, oy) and is `mw` wide), in its own gray where the mask has ink or
/// touches it (the glyphs' anti-aliased edges), paper elsewhere (rulings, specks, what
/// lies outside the text), with `pad` of paper around.
fn clean_crop(
    img: &Gray,
    mask: &[bool],
    mw: usize,
    ox: usize,
    oy: usize,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    pad: usize,
) -> Gray {
    let (cw, ch) = (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
    let mh = mask.len() / mw.max(1);
    let at = |x: usize, y: usize| -> bool { x < mw && y < mh && mask[y * mw + x] };
    let mut g = Gray::new(cw, ch, 255);
    for y in y0..y1 {
        for x in x0..x1 {
            let near = at(x, y)
                || (y.saturating_sub(1)..=y + 1).any(|yy| {
                    yy >= y0
                        && yy < y1
                        && (x.saturating_sub(1)..=x + 1).any(|xx| xx >= x0 && xx < x1 && at(xx, yy))
                });
            if near {
                g.px[(y - y0 + pad) * cw + (x - x0 + pad)] = img.get(x + ox, y + oy);
            }
        }
    }
    g
}

/// Glyphs for a line of text read in `rect`, side by side from its left edge, on one baseline.
fn place(out: &mut Vec<Glyph>, text: &str, rect: &Rect) {
    let units: f32 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum();
    let hgt = rect.y1 - rect.y0;
    let size = (0.9 * (rect.x1 - rect.x0) / units.max(0.5)).min(hgt.max(1.0));
    let y = rect.y0 + (hgt - size) / 2.0;
    let mut x = rect.x0;
    for c in text.chars() {
        let wd = if c.is_ascii() { 0.5 * size } else { size };
        out.push(Glyph {
            text: c.to_string().into(),
            x,
            y,
            width: wd,
            size,
            turn: 0,
        });
        x += wd;
    }
}
