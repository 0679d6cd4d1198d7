//! Print a page's rulings: `cargo run -p gongkai-extract --example rules -- FILE.pdf PAGE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("read");
    let page: u32 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(1);
    let doc = gongkai_extract::pdf::open(&bytes).expect("open");
    for p in gongkai_extract::pdf::pages(&doc).into_iter().filter(|p| p.number == page) {
        for r in &p.rules {
            println!("{:8.2} {:8.2} {:8.2} {:8.2}", r.x0, r.y0, r.x1, r.y1);
        }
    }
}
