//! Print the lines any input reads as (cells separated by `|`, spans after `#` where a
//! line has any): `cargo run -p gongkai-extract --example any_lines -- FILE [FROM] [TO]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: any_lines FILE [FROM] [TO]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("read");
    let from: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let to: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(usize::MAX);
    match gongkai_extract::read_any(&bytes, path) {
        Ok(laid) => {
            println!("format {} lines {}", laid.format, laid.lines.len());
            for (i, l) in laid.lines.iter().enumerate().skip(from).take(to.saturating_sub(from)) {
                let spans = if l.spans.iter().any(|&s| s != 1) { format!("  #{:?}", l.spans) } else { String::new() };
                println!("{i:4} p{:?} l{:?}: {}{spans}", l.page.unwrap_or(0), l.line.unwrap_or(0), l.cells.join(" | "));
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
