//! The OCR image path without recognition, as `fuzz_targets/ocr.rs` fuzzes it and
//! `crates/cli/tests/fuzz_regressions.rs` replays its findings (one harness for both).
//!
//! The first byte chooses how the rest becomes a page image (bits 0–1), the dpi it is
//! read at (bits 2–3: 150, 200, 300) and which engine the stand-in is named as (bit 7;
//! "tesseract" reads amounts a second time). The image: a PGM file through
//! the decoder the product reads pdftoppm's output with (`Gray::from_pgm`, its size
//! limit included), a page drawn from 7-byte commands (rulings, filled areas, ink blots, at a
//! skew, so rulings, grids, deskew and crops meet tables), or raw pixels. The drawn and
//! raw pages are at most an A4 sheet at the dpi the product renders at (150, 200 or
//! 300). Then everything `read_page` does: binarize, deskew, despeckle, raster rulings,
//! the lattice grid, cell and line crops, the engines' scaling of each crop, the clean-up
//! of readings and the placing of text; then the page's lines. The engine is a stand-in
//! that answers from the bytes (no model in the fuzz build).

use gongkai_ocr::raster::Gray;
use gongkai_ocr::{Engine, Kind, OcrError, Reading};

/// Readings the stand-in engine gives: amounts, a garbled one, specks, labels, nothing.
const TEXTS: &[&str] = &["1,234.56", "5,500..0", "0.00時·", "一般公共服务支出", "合计", "", "  ", "-", "12.3.4", "收入决算表"];

struct StandIn {
    name: &'static str,
    seed: Vec<u8>,
}

impl Engine for StandIn {
    fn name(&self) -> &'static str {
        self.name
    }
    fn read(&self, crops: &[Gray], _kind: Kind) -> Result<Vec<Reading>, OcrError> {
        let mut out = Vec::with_capacity(crops.len());
        for (i, c) in crops.iter().enumerate() {
            // The engines' own scaling of a crop (their functions): PP-OCRv4's (48 px, width clamped) and
            // tesseract's (40 px).
            let _ = gongkai_ocr::engine::paddle_scale(c);
            let _ = gongkai_ocr::engine::tesseract_scale(c);
            let b = self.seed.get(i % self.seed.len().max(1)).copied().unwrap_or(0) as usize;
            let text = if b % 11 == 10 {
                // Whatever the bytes say, as text (the label matcher meets garble).
                String::from_utf8_lossy(&self.seed[..self.seed.len().min(40)]).into_owned()
            } else {
                TEXTS[b % TEXTS.len()].to_string()
            };
            let n = text.chars().count() + usize::from(b % 7 == 6);
            let chars = (0..n).map(|k| ((b * 31 + k * 17) % 101) as f32 / 100.0).collect();
            out.push(Reading { text, chars });
        }
        Ok(out)
    }
}

fn u16_at(d: &[u8], i: usize) -> usize {
    u16::from_le_bytes([d.get(i).copied().unwrap_or(0), d.get(i + 1).copied().unwrap_or(0)]) as usize
}

/// A page drawn from 7-byte commands: op, x, y, length, thickness+gray.
fn drawn(w: usize, h: usize, cmds: &[u8]) -> Gray {
    let mut g = Gray::new(w, h, 255);
    for c in cmds.chunks_exact(7) {
        let (x, y, len) = (u16_at(c, 1) % w, u16_at(c, 3) % h, u16_at(c, 5));
        let (thick, gray) = ((c[6] & 0x0f) as usize + 1, c[6] & 0xf0);
        let mut fill = |x0: usize, y0: usize, x1: usize, y1: usize| {
            for yy in y0..y1.min(h) {
                g.px[yy * w + x0.min(w)..yy * w + x1.min(w)].iter_mut().for_each(|p| *p = gray);
            }
        };
        match c[0] % 4 {
            0 => fill(x, y, x + len, y + thick),
            1 => fill(x, y, x + thick, y + len),
            2 => fill(x, y, x + len % 256, y + len / 256),
            _ => {
                // A blot of ink like a glyph: dots in a small box.
                for k in 0..(len % 64) {
                    let (xx, yy) = (x + (k * 7 + len) % 24, y + (k * 5) % 24);
                    if xx < w && yy < h {
                        g.px[yy * w + xx] = gray;
                    }
                }
            }
        }
    }
    g
}

pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let dpi = [150u32, 200, 300, 300][((mode >> 2) & 3) as usize];
    let img = match mode & 3 {
        0 => match Gray::from_pgm(rest) {
            Some(g) => g,
            None => return,
        },
        m => {
            // At most an A4 sheet (210 × 297 mm) at this dpi; bytes 0–3 its size, 4 its skew.
            let (max_w, max_h) = ((8.27 * dpi as f32) as usize, (11.69 * dpi as f32) as usize);
            let (w, h) = (1 + u16_at(rest, 0) % max_w, 1 + u16_at(rest, 2) % max_h);
            let skew = (rest.get(4).copied().unwrap_or(0) as i8) as f32 / 40.0;
            let body = rest.get(5..).unwrap_or(&[]);
            let g = if m == 2 {
                let mut g = Gray::new(w, h, 255);
                if !body.is_empty() {
                    g.px.iter_mut().enumerate().for_each(|(i, p)| *p = body[i % body.len()]);
                }
                g
            } else {
                drawn(w, h, body)
            };
            if skew.abs() >= 0.05 {
                g.rotate(skew)
            } else {
                g
            }
        }
    };
    let engine = StandIn { name: if mode & 0x80 != 0 { "tesseract" } else { "paddle" }, seed: rest.iter().rev().take(64).copied().collect() };
    if let Ok(p) = gongkai_ocr::read_page(&img, dpi, 1, &engine) {
        let _ = gongkai_extract::lattice::page_lines(&p.page);
    }
}
