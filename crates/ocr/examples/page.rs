//! Read one page of a scan and print its lines (cells separated by `|`) and the time:
//! `cargo run --release -p gongkai-ocr --example page -- FILE.pdf PAGE [paddle|tesseract] [DPI]`
//! (`DPI` `decode`: the scan's own image decoded, not the page rendered)
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (file, page) = (&a[1], a[2].parse().unwrap());
    let engine = a.get(3).map(|s| s.parse().unwrap()).unwrap_or_default();
    let decode = a.get(4).is_some_and(|s| s == "decode");
    let dpi = a.get(4).filter(|_| !decode).map(|s| s.parse().unwrap()).unwrap_or(300);
    let t = std::time::Instant::now();
    let e = gongkai_ocr::engine::open(engine).unwrap();
    let t_open = t.elapsed();
    let (img, at) = if decode {
        let bytes = std::fs::read(file).unwrap();
        let doc = gongkai_extract::pdf::open_repaired(&bytes).unwrap().doc;
        let pages = gongkai_extract::pdf::pages(&doc);
        let d = gongkai_ocr::scan::decode_page(&doc, &pages[page as usize - 1]).unwrap();
        (d.img, d.dpi)
    } else {
        (gongkai_ocr::render(std::path::Path::new(file), page, dpi).unwrap(), dpi as f32)
    };
    let t_render = t.elapsed();
    let p = gongkai_ocr::read_page_at(&img, at, page, e.as_ref()).unwrap();
    let t_read = t.elapsed();
    if std::env::var_os("CELLS").is_some() {
        for c in &p.cells {
            println!("{:?} {:?}", c.text, c.chars);
        }
    }
    // RULES=1: the rulings found, in page points (y up).
    if std::env::var_os("RULES").is_some() {
        for r in &p.page.rules {
            println!("rule x {:.1}..{:.1} y {:.1}..{:.1}", r.x0, r.x1, r.y0, r.y1);
        }
    }
    for l in gongkai_extract::lattice::page_lines(&p.page) {
        println!("{}", l.cells.join("|"));
    }
    eprintln!(
        "skew {:.2}°, {} rulings, {} cells read; open {:?} render {:?} read {:?}",
        p.skew,
        p.page.rules.len(),
        p.cells.len(),
        t_open,
        t_render - t_open,
        t_read - t_render
    );
}
