//! Profile the checks: `cargo run --release -p gongkai-check --example check_cost -- DOC.json [N]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let doc: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(args.next().expect("DOC.json")).expect("read")).expect("parse");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(gongkai_check::outcomes(&doc));
    }
    let a = t.elapsed() / n as u32;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(gongkai_check::narrative_outcomes(&doc));
    }
    let b = t.elapsed() / n as u32;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(gongkai_check::check(&doc));
    }
    println!("identities {a:?}, narrative {b:?}, check() {:?}", t.elapsed() / n as u32);
}
