//! How much of interpretation is lopdf's content parsing: `cargo run --release -p gongkai-extract --example decode_cost -- FILE.pdf`.
fn main() {
    let bytes = std::fs::read(std::env::args().nth(1).expect("a PDF")).expect("read");
    let doc = gongkai_extract::pdf::open(&bytes).expect("open");
    let t = std::time::Instant::now();
    let mut ops = 0;
    for _ in 0..20 {
        for (_, id) in doc.get_pages() {
            let c = doc.get_page_content(id);
            ops += lopdf::content::Content::decode(&c).map(|c| c.operations.len()).unwrap_or(0);
        }
    }
    println!("decompress + decode: {:?} per pass ({} ops)", t.elapsed() / 20, ops / 20);
    let t = std::time::Instant::now();
    for _ in 0..20 {
        std::hint::black_box(gongkai_extract::pdf::pages(&doc));
    }
    println!("pages(): {:?} per pass", t.elapsed() / 20);
}
