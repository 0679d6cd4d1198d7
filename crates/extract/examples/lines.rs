//! Print the lines (cells separated by ` | `) of a PDF's pages: `cargo run -p gongkai-extract --example lines -- FILE.pdf [PAGE]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("read");
    let page: Option<u32> = args.get(2).and_then(|p| p.parse().ok());
    let laid = gongkai_extract::read_pdf(&bytes).expect("read_pdf");
    for w in &laid.warnings {
        eprintln!("warning: {w}");
    }
    for l in laid.lines.iter().filter(|l| page.is_none_or(|p| l.page == Some(p))) {
        println!("p{:<3} {}", l.page.unwrap_or(0), l.cells.join(" | "));
    }
}
