//! Print a page's glyphs grouped into baselines: `cargo run -p gongkai-extract --example glyphs -- FILE.pdf PAGE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("read");
    let page: u32 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(1);
    let doc = gongkai_extract::pdf::open(&bytes).expect("open");
    for p in gongkai_extract::pdf::pages(&doc).into_iter().filter(|p| p.number == page) {
        let mut g = p.glyphs.clone();
        g.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let mut y = f32::NAN;
        let mut line = String::new();
        for x in g {
            if y.is_nan() || (x.y - y).abs() > 1.0 {
                if !line.is_empty() {
                    println!("{y:7.1} {line}");
                }
                line.clear();
                y = x.y;
            }
            line.push_str(&x.text);
        }
        println!("{y:7.1} {line}");
    }
}
