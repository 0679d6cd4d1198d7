//! Rulings are looked for on a mask lighter than the text's (a light gray hairline must
//! not fall apart), where more than rulings is dark: a ruling's anti-aliased edge, in
//! pieces, and glyph strokes run together inside a cell. Neither is a ruling: a drawn
//! grid, 200 dpi, gets its own rulings and cells back, no more.

use gongkai_ocr::engine::{Engine, Kind, Reading};
use gongkai_ocr::raster::{self, Gray};
use gongkai_ocr::OcrError;

struct Reads;

impl Engine for Reads {
    fn name(&self) -> &'static str {
        "reads"
    }
    fn read(&self, crops: &[Gray], _: Kind) -> Result<Vec<Reading>, OcrError> {
        Ok(crops
            .iter()
            .map(|_| Reading {
                text: "1.00".into(),
                chars: vec![0.99; 4],
            })
            .collect())
    }
}

/// Light gray: ink on the rulings' mask only (checked against the image's threshold).
const LIGHT: u8 = 170;
/// A ruling's second pixel, anti-aliased: it puts the text's threshold between ink and
/// the light gray, as a scan's gray levels do.
const EDGE: u8 = 120;

/// A 3×2 grid at 200 dpi, rows 60 px high, each cell a blot of text; the line above the
/// top ruling light in pieces 70 px long every 114 px (the edge of a ruling straightened
/// by 0.5°); in the second row's first cell a light bar 80 px long at mid-height (the
/// strokes of 一般… run together) with a light stroke from its end down to the ruling
/// under it (a glyph's stem touching it).
fn grid() -> Gray {
    let (w, h) = (900, 260);
    let mut g = Gray::new(w, h, 255);
    for &y in &[60usize, 120, 180] {
        for x in 100..801 {
            g.px[y * w + x] = 0;
            g.px[(y + 1) * w + x] = EDGE;
        }
    }
    for &x in &[100usize, 333, 566, 799] {
        for y in 60..182 {
            g.px[y * w + x] = 0;
            g.px[y * w + x + 1] = EDGE;
        }
    }
    for x in 100..801 {
        if (x - 100) % 114 < 70 {
            g.px[59 * w + x] = LIGHT;
        }
    }
    for x in 150..231 {
        g.px[150 * w + x] = LIGHT;
        g.px[151 * w + x] = LIGHT;
    }
    for y in 150..180 {
        g.px[y * w + 230] = LIGHT;
    }
    for cy in [90usize, 150] {
        for cx in [216usize, 450, 683] {
            // Left of the bar in the cell that has one.
            let cx = if cy == 150 && cx == 216 { 125 } else { cx };
            for y in cy - 10..cy + 10 {
                for x in cx - 20..cx + 20 {
                    if (x / 5) % 2 == 0 {
                        g.px[y * w + x] = 0;
                    }
                }
            }
        }
    }
    g
}

#[test]
fn a_rulings_edge_and_glyph_strokes_on_the_light_mask_are_no_rulings() {
    let img = grid();
    let thr = raster::otsu(&img);
    assert!(
        LIGHT > thr && LIGHT <= thr + (255 - thr) / 2,
        "the light strokes are ink on the rulings' mask only (threshold {thr})"
    );
    let p = gongkai_ocr::read_page(&img, 200, 1, &Reads).unwrap();
    let (hs, vs): (Vec<&gongkai_extract::pdf::Rect>, Vec<_>) = p.page.rules.iter().partition(|r| r.y0 == r.y1);
    assert_eq!((hs.len(), vs.len()), (3, 4), "{hs:?} {vs:?}");
    assert!(hs.iter().all(|r| r.x1 - r.x0 > 240.0), "{hs:?}");
    assert_eq!(p.cells.len(), 6, "{:?}", p.cells);
}

/// The filter itself: a stroke under `long` stays where both ends meet a stroke across
/// (a ruling under a header cell, from side to side), goes where either ends on paper.
#[test]
fn a_short_stroke_is_a_ruling_where_both_its_ends_meet_rulings() {
    let s = |at: f32, lo: usize, hi: usize| raster::Stroke { at, lo, hi, thick: 2 };
    let across = [s(100.0, 50, 200), s(300.0, 50, 200)];
    let kept = raster::ruled(
        &[s(120.0, 99, 302), s(150.0, 140, 240), s(160.0, 99, 240), s(170.0, 20, 500)],
        &across,
        400,
        4,
    );
    let ats: Vec<f32> = kept.iter().map(|k| k.at).collect();
    assert_eq!(ats, [120.0, 170.0]);
}
