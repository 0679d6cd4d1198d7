//! One benchmark per pipeline stage, so a regression shows where it happens:
//! `cargo bench -p gongkai --bench stages`. Input: the bundled Jiaozuo PDF (LibreOffice,
//! 17 pages) and its text; the corpus PDFs too where ../shared/corpus is present.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut v = vec![("jiaozuo.pdf".to_string(), std::fs::read(root.join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")).unwrap())];
    let finance = root.join("../shared/corpus/putuo-finance-bureau-2024-final-accounts.pdf");
    if let Ok(b) = std::fs::read(finance) {
        v.push(("putuo-finance.pdf".to_string(), b));
    }
    v
}

fn stages(c: &mut Criterion) {
    for (name, bytes) in inputs() {
        let mut g = c.benchmark_group(name.as_str());
        g.bench_function("1 parse (lopdf load)", |b| b.iter(|| gongkai_extract::pdf::open(black_box(&bytes)).unwrap()));
        let doc = gongkai_extract::pdf::open(&bytes).unwrap();
        g.bench_function("2 interpret content (glyphs, rulings)", |b| b.iter(|| gongkai_extract::pdf::pages(black_box(&doc))));
        let pages = gongkai_extract::pdf::pages(&doc);
        g.bench_function("3 lattice (grids to lines)", |b| {
            b.iter(|| pages.iter().map(|p| gongkai_extract::lattice::page_lines(black_box(p)).len()).sum::<usize>())
        });
        let laid = gongkai_extract::read_pdf(&bytes).unwrap();
        g.bench_function("4 segment", |b| b.iter(|| gongkai_segment::segment(black_box(&laid.lines)).tables.len()));
        let seg = gongkai_segment::segment(&laid.lines);
        g.bench_function("5 table rebuild", |b| {
            b.iter(|| {
                let mut w = Vec::new();
                seg.tables.iter().map(|t| gongkai_tables::build(black_box(t), Some("万元"), &mut w).rows.len()).sum::<usize>()
            })
        });
        let converted = gongkai::convert_bytes(&bytes, &name).unwrap();
        g.bench_function("6 checks", |b| b.iter(|| gongkai_check::check(black_box(&converted)).len()));
        g.bench_function("7 emit (JSON + facts)", |b| {
            b.iter(|| gongkai::document_json(black_box(&converted)).len() + gongkai::facts_jsonl(&converted).len())
        });
        g.bench_function("all (convert_bytes)", |b| b.iter(|| gongkai::convert_bytes(black_box(&bytes), &name).unwrap()));
        g.finish();
    }
    let text = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).unwrap();
    c.bench_function("jiaozuo.txt/all (convert_bytes)", |b| b.iter(|| gongkai::convert_bytes(black_box(&text), "j.txt").unwrap()));
}

criterion_group!(benches, stages);
criterion_main!(benches);
