//! Check canonical documents against each other and print the report as JSON:
//! `cargo run -p gongkai-check --example corpus -- A.json B.json …`
fn main() {
    let docs: Vec<gongkai_model::Document> = std::env::args()
        .skip(1)
        .map(|p| serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("a canonical document"))
        .collect();
    println!("{}", serde_json::to_string_pretty(&gongkai_check::check_corpus(&docs)).expect("json"));
}
