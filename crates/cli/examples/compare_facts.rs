//! Facts of an input against a golden facts file: `cargo run -p gongkai --example
//! compare_facts -- INPUT GOLDEN.facts.jsonl` prints how many of the golden's facts the
//! input gives, how many it misses, and every wrong or extra one.

use std::collections::BTreeMap;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, golden] = &args[..] else {
        eprintln!("usage: compare_facts INPUT GOLDEN.facts.jsonl");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).expect("read input");
    let name = std::path::Path::new(input).file_name().unwrap().to_string_lossy().to_string();
    let t = std::time::Instant::now();
    let doc = match gongkai::convert_bytes(&bytes, &name) {
        Ok(d) => d,
        Err(e) => {
            println!("{name}: {} {e}", e.kind());
            std::process::exit(1);
        }
    };
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let key = |v: &serde_json::Value| {
        let f = |k: &str| v[k].as_str().unwrap_or("").to_string();
        ((f("table"), f("row"), f("col"), f("unit")), f("value"))
    };
    let got: BTreeMap<_, _> = gongkai::facts_jsonl(&doc).lines().map(|l| key(&serde_json::from_str(l).unwrap())).collect();
    let want: BTreeMap<_, _> = std::fs::read_to_string(golden).unwrap().lines().map(|l| key(&serde_json::from_str(l).unwrap())).collect();
    let (mut same, mut missing, mut wrong, mut extra) = (0, 0, 0, 0);
    for (k, v) in &want {
        match got.get(k) {
            Some(g) if g == v => same += 1,
            Some(g) => {
                wrong += 1;
                println!("wrong {k:?}: {g} (golden {v})");
            }
            None => {
                missing += 1;
                if std::env::var("SHOW_MISSING").is_ok() {
                    println!("missing {k:?} {v}");
                }
            }
        }
    }
    for (k, v) in &got {
        if !want.contains_key(k) {
            extra += 1;
            println!("extra {k:?}: {v}");
        }
    }
    println!(
        "{name}: format {} tables {} facts {}/{} ({:.1}%) missing {missing} wrong {wrong} extra {extra}; {:.1} ms; warnings {}",
        doc.source.format,
        doc.tables.len(),
        same,
        want.len(),
        100.0 * same as f64 / want.len().max(1) as f64,
        ms,
        doc.warnings.len()
    );
    for w in doc.warnings.iter().take(8) {
        println!("  warning: {w}");
    }
}
