//! What the grid builder costs on one page of `N` horizontal and `N` vertical rulings
//! (a full N×N ruled grid, the hostile case) or of `R` rows of a real table's ruling
//! pattern (each cell's four borders drawn on their own): prints the time and the peak
//! memory of the process.
//! `cargo run --release -p gongkai-extract --example grid_cost -- full 4000`,
//! `... -- table 200` (200 rows × 12 columns, each cell ruled separately).
use gongkai_extract::lattice::{page_lines_checked, MAX_GRID_CELLS, MAX_RULINGS_PER_PAGE};
use gongkai_extract::pdf::{Glyph, Page, Rect};

fn peak_rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).map(String::as_str).unwrap_or("full");
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(4000);
    let mut page = Page { number: 1, width: 842.0, height: 595.0, ..Page::default() };
    let glyph = |s: &str, x: f32, y: f32| Glyph { text: s.into(), x, y, width: 5.0, size: 8.0, turn: 0 };
    match kind {
        "full" => {
            let (step, len) = (2.0f32, n as f32 * 2.0);
            for i in 0..n {
                let at = i as f32 * step;
                page.rules.push(Rect { x0: 0.0, y0: at, x1: len, y1: at });
                page.rules.push(Rect { x0: at, y0: 0.0, x1: at, y1: len });
            }
            page.glyphs.push(glyph("1", 10.0, 10.0));
        }
        _ => {
            let cols = 12;
            for r in 0..n {
                for c in 0..cols {
                    let (x0, x1) = (20.0 + c as f32 * 60.0, 80.0 + c as f32 * 60.0);
                    let (y1, y0) = (20_000.0 - r as f32 * 16.0, 20_000.0 - (r + 1) as f32 * 16.0);
                    page.rules.extend([
                        Rect { x0, y0: y1, x1, y1 },
                        Rect { x0, y0, x1, y1: y0 },
                        Rect { x0, y0, x1: x0, y1 },
                        Rect { x0: x1, y0, x1, y1 },
                    ]);
                    page.glyphs.push(glyph("9", x0 + 30.0, y0 + 4.0));
                }
            }
        }
    }
    let rulings = page.rules.len();
    let t = std::time::Instant::now();
    let mut warnings = Vec::new();
    let lines = page_lines_checked(&page, &mut warnings);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{kind} {n}: {rulings} rulings, {} lines, {ms:.1} ms, peak RSS {} MiB (limits: {MAX_RULINGS_PER_PAGE} rulings, {MAX_GRID_CELLS} grid cells per page)",
        lines.len(),
        peak_rss_kib() / 1024
    );
    for w in warnings {
        println!("warning: {w}");
    }
}
