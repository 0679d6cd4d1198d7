//! Conversion time per table for each input given (in process, the median of RUNS runs,
//! default 15): `cargo run --release -p gongkai --example format_speed -- FILE...`.
//! Prints, per file, its format, tables, facts, median ms per file and per table.

fn main() {
    let runs: usize = std::env::var("RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    println!("{:<44} {:<20} {:>6} {:>6} {:>9} {:>9}", "file", "format", "tables", "facts", "ms/file", "ms/table");
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read");
        let name = std::path::Path::new(&path).file_name().unwrap().to_string_lossy().to_string();
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let t = std::time::Instant::now();
            let doc = gongkai::convert_bytes(&bytes, &name);
            let facts = doc.as_ref().map(|d| gongkai::facts(d).len()).unwrap_or(0);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some((doc.map(|d| (d.source.format.clone(), d.tables.len())).unwrap_or_default(), facts));
        }
        times.sort_by(f64::total_cmp);
        let med = times[times.len() / 2];
        let ((format, tables), facts) = last.unwrap();
        println!("{name:<44} {format:<20} {tables:>6} {facts:>6} {med:>9.2} {:>9.2}", med / tables.max(1) as f64);
    }
}
