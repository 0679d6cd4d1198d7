//! How a page's cost divides: decompression and lexing against the whole interpretation.
//! `cargo run --release -p gongkai-extract --example decode_cost -- FILE.pdf`
fn main() {
    let bytes = std::fs::read(std::env::args().nth(1).expect("a PDF")).expect("read");
    let doc = gongkai_extract::pdf::open(&bytes).expect("open");
    let t = std::time::Instant::now();
    let mut ops = 0;
    for _ in 0..20 {
        for (_, id) in doc.get_pages() {
            let content = doc.get_page_content(id);
            let mut lexer = gongkai_extract::content::Lexer::new(&content);
            let mut operands = Vec::new();
            while lexer.next_op(&mut operands).is_some() {
                ops += 1;
            }
        }
    }
    println!("decompress + lex: {:?} per pass ({} operators)", t.elapsed() / 20, ops / 20);
    let t = std::time::Instant::now();
    for _ in 0..20 {
        std::hint::black_box(gongkai_extract::pdf::pages(&doc));
    }
    println!("pages() (all of interpretation): {:?} per pass", t.elapsed() / 20);
}
