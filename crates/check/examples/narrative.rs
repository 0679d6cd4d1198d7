//! Print every narrative statement that was checked, held or not:
//! `cargo run -p gongkai-check --example narrative -- DOC.json`
fn main() {
    let path = std::env::args().nth(1).expect("a canonical document (.json)");
    let doc: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("parse");
    for o in gongkai_check::narrative_outcomes(&doc) {
        let f = o.finding;
        println!("{} {:<20} {} | {}", if o.holds_exactly { "ok " } else { "BAD" }, f.rule, f.message, f.sentence.unwrap_or_default().chars().take(50).collect::<String>());
    }
}
