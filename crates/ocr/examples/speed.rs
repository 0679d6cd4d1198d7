//! Seconds per page of a scan, wall and CPU (this process and its children: onnxruntime's
//! threads, rayon's, pdftoppm), read two ways: the page rendered by pdftoppm at DPI
//! (the path before the scan's own image was decoded), and its image decoded directly
//! (`gongkai_ocr::scan`). Prints one line per page and the means; run by scripts/ocr-speed.
//! `cargo run --release -p gongkai-ocr --example speed -- FILE.pdf [paddle|tesseract] [DPI]`

use std::time::Instant;

/// User + system CPU seconds of this process (all its threads) and of its waited-for children.
fn cpu() -> f64 {
    let mut total = 0.0;
    for who in [libc::RUSAGE_SELF, libc::RUSAGE_CHILDREN] {
        // SAFETY: getrusage writes the struct it is given and nothing else.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(who, &mut u) };
        let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        total += s(u.ru_utime) + s(u.ru_stime);
    }
    total
}

struct Took {
    image_wall: f64,
    image_cpu: f64,
    wall: f64,
    cpu: f64,
    cells: usize,
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let file = std::path::Path::new(&a[1]);
    let engine = a.get(2).map(|s| s.parse().unwrap()).unwrap_or_default();
    let dpi: u32 = a.get(3).map(|s| s.parse().unwrap()).unwrap_or(300);
    let e = gongkai_ocr::engine::open(engine).unwrap();
    let bytes = std::fs::read(file).unwrap();
    let doc = gongkai_extract::pdf::open_repaired(&bytes).unwrap().doc;
    let pages = gongkai_extract::pdf::pages(&doc);
    // One page read first and dropped: the model's first run allocates what the others reuse.
    if let Some(p) = pages.first() {
        let img = gongkai_ocr::render(file, p.number, 100).unwrap();
        gongkai_ocr::read_page(&img, 100, p.number, e.as_ref()).unwrap();
    }
    let (mut rendered, mut decoded) = (Vec::new(), Vec::new());
    for p in &pages {
        let (w0, c0) = (Instant::now(), cpu());
        let img = gongkai_ocr::render(file, p.number, dpi).unwrap();
        let (wi, ci) = (w0.elapsed().as_secs_f64(), cpu() - c0);
        let o = gongkai_ocr::read_page(&img, dpi, p.number, e.as_ref()).unwrap();
        let r = Took { image_wall: wi, image_cpu: ci, wall: w0.elapsed().as_secs_f64(), cpu: cpu() - c0, cells: o.cells.len() };

        let (w0, c0) = (Instant::now(), cpu());
        let (lo, hi) = gongkai_ocr::scan::decoded_range(engine, dpi).unwrap_or((f32::INFINITY, 0.0));
        let d = match gongkai_ocr::scan::decode_page_within(&doc, p, lo, hi) {
            Ok(d) => d,
            Err(why) => {
                println!("page {}: not decoded ({why})", p.number);
                continue;
            }
        };
        let (wi, ci) = (w0.elapsed().as_secs_f64(), cpu() - c0);
        let o = gongkai_ocr::read_page_at(&d.img, d.dpi, p.number, e.as_ref()).unwrap();
        let t = Took { image_wall: wi, image_cpu: ci, wall: w0.elapsed().as_secs_f64(), cpu: cpu() - c0, cells: o.cells.len() };
        println!(
            "page {}: rendered at {dpi} dpi {:.2} s wall {:.2} s CPU (image {:.3} s wall {:.3} s CPU, {} cells); decoded {} {:.0} dpi {:.2} s wall {:.2} s CPU (image {:.3} s wall {:.3} s CPU, {} cells)",
            p.number, r.wall, r.cpu, r.image_wall, r.image_cpu, r.cells, d.filter, d.dpi, t.wall, t.cpu, t.image_wall, t.image_cpu, t.cells
        );
        rendered.push(r);
        decoded.push(t);
    }
    let mean = |v: &[Took], f: fn(&Took) -> f64| v.iter().map(f).sum::<f64>() / v.len().max(1) as f64;
    for (name, v) in [("rendered", &rendered), ("decoded", &decoded)] {
        println!(
            "{name}: {} pages, {:.2} s/page wall, {:.2} s/page CPU; the image alone {:.3} s/page wall, {:.3} s/page CPU",
            v.len(),
            mean(v, |t| t.wall),
            mean(v, |t| t.cpu),
            mean(v, |t| t.image_wall),
            mean(v, |t| t.image_cpu)
        );
    }
}
