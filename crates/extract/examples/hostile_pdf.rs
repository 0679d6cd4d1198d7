//! Writes the hostile PDFs of the limit tests to files, to measure the whole converter on
//! them (`/usr/bin/time -v gongkai convert FILE --out DIR`):
//! `cargo run -p gongkai-extract --example hostile_pdf -- DIR`.
#[path = "../tests/support/mod.rs"]
mod support;
use support::hostile;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: hostile_pdf DIR"));
    std::fs::create_dir_all(&dir).expect("create DIR");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("tables-with-form-bomb.pdf", hostile::tables_with_bomb(4, 3)),
        ("tables-alone.pdf", hostile::tables_with_bomb(4, 0)),
        ("form-bomb-page.pdf", hostile::tables_with_bomb(0, 1)),
        ("string-60mb.pdf", hostile::huge_string(60_000_000)),
        ("cmap-64-full-ranges.pdf", hostile::cid_font_page(&hostile::full_ranges_cmap(64), vec![])),
        ("w-300k-ranges.pdf", hostile::cid_font_page(hostile::SIMPLE_CMAP, hostile::many_width_ranges(300_000))),
        ("shared-63mib-5000-pages.pdf", hostile::shared_content(5_000, 63 << 20)),
        ("actual-text-10mb-5000-spans.pdf", hostile::actual_text_spans(10_000_000, 5_000)),
        ("actual-text-100kb-5000-spans.pdf", hostile::actual_text_spans(100_000, 5_000)),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), &bytes).expect("write");
        println!("{name}: {} bytes", bytes.len());
    }
}
