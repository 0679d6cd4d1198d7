//! Every input form of the same document gives its facts (scripts/make-format-samples
//! writes samples/formats/ from the Jiaozuo golden): exactly the golden's facts for layout
//! text, Markdown, HTML, XLSX, XLS, ODS and DOCX; for reading-order text a share of them with
//! nothing wrong and nothing extra. The format is found from the bytes: each sample is
//! also converted under a misleading name. And `pdftotext -layout` / `-raw` of the corpus
//! PDFs (skipped where ../shared/corpus or pdftotext is absent) give no wrong fact.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (table, row, col, unit) → value.
type Facts = BTreeMap<(String, String, String, String), String>;

fn facts_of(jsonl: &str) -> Facts {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let f = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            ((f("table"), f("row"), f("col"), f("unit")), f("value"))
        })
        .collect()
}

/// The golden facts of `dir/stem.facts.jsonl`.
fn golden(dir: &str, stem: &str) -> Facts {
    facts_of(&std::fs::read_to_string(root().join("golden").join(dir).join(format!("{stem}.facts.jsonl"))).unwrap())
}

fn jiaozuo() -> Facts {
    golden("jiaozuo-2024", "jiaozuo-2024-final-accounts")
}

/// (matching, missing, wrong-or-extra examples).
fn compare(got: &Facts, want: &Facts) -> (usize, usize, Vec<String>) {
    let mut same = 0;
    let mut bad = Vec::new();
    for (k, v) in got {
        match want.get(k) {
            Some(w) if w == v => same += 1,
            Some(w) => bad.push(format!("wrong {k:?}: {v} (golden {w})")),
            None => bad.push(format!("extra {k:?}: {v}")),
        }
    }
    (same, want.len() - same, bad)
}

fn convert(name: &str, as_name: &str) -> gongkai_model::Document {
    let bytes = std::fs::read(root().join("samples/formats").join(name)).unwrap();
    gongkai::convert_bytes(&bytes, as_name).unwrap_or_else(|e| panic!("{name}: {} {e}", e.kind()))
}

fn assert_exact(name: &str, format: &str) {
    let want = jiaozuo();
    // The name says nothing: the bytes decide the reader.
    for as_name in [name.to_string(), "download.bin".to_string()] {
        let doc = convert(name, &as_name);
        assert_eq!(doc.source.format, format, "{name}");
        let (same, missing, bad) = compare(&facts_of(&gongkai::facts_jsonl(&doc)), &want);
        assert!(bad.is_empty() && missing == 0, "{name}: {same} same, {missing} missing, {:#?}", &bad[..bad.len().min(10)]);
        assert_eq!(doc.tables.len(), 9, "{name}");
        assert_eq!(doc.metadata.year, Some(2024), "{name}");
        assert!(doc.warnings.is_empty(), "{name}: {:#?}", doc.warnings);
    }
}

#[test]
fn layout_text_gives_the_golden_facts() {
    assert_exact("jiaozuo-2024.layout.txt", "text-layout");
    assert_exact("jiaozuo-2024-henan.layout.txt", "text-layout");
}

#[test]
fn markup_gives_the_golden_facts() {
    assert_exact("jiaozuo-2024.html", "html");
    assert_exact("jiaozuo-2024.md", "markdown");
}

#[test]
fn spreadsheets_and_word_give_the_golden_facts() {
    assert_exact("jiaozuo-2024.xlsx", "xlsx");
    assert_exact("jiaozuo-2024.ods", "ods");
    // BIFF: the number formats come from the workbook's own FORMAT and XF records.
    assert_exact("jiaozuo-2024.xls", "xls");
    assert_exact("jiaozuo-2024.docx", "docx");
}

/// The HTML page carries the narrative too: its parts and sections are read around the
/// tables, as from the text.
#[test]
fn html_narrative_is_read() {
    let doc = convert("jiaozuo-2024.html", "x.html");
    assert_eq!(doc.metadata.department.as_deref(), Some("焦作市工业和信息化局"));
    let parts: Vec<u32> = doc.narrative.iter().map(|p| p.number).collect();
    assert_eq!(parts, [1, 2, 3, 4, 5]);
    assert!(doc.narrative[2].sections.len() >= 9, "{:?}", doc.narrative[2].sections.len());
}

/// Reading-order text: rows rebuilt from the catalogue; nothing wrong, nothing extra,
/// and most of the cells.
#[test]
fn reading_order_text_gives_no_wrong_fact() {
    let want = jiaozuo();
    for name in ["jiaozuo-2024.raw.txt", "jiaozuo-2024-henan.raw.txt"] {
        let doc = convert(name, name);
        assert_eq!(doc.source.format, "text-reading-order");
        let (same, missing, bad) = compare(&facts_of(&gongkai::facts_jsonl(&doc)), &want);
        let share = same as f64 / want.len() as f64;
        println!("{name}: {same} of {} facts ({:.1}%), {missing} missing", want.len(), share * 100.0);
        assert!(bad.is_empty(), "{name}: {:#?}", &bad[..bad.len().min(10)]);
        assert!(share >= 0.95, "{name}: {share}");
        assert!(doc.warnings.iter().any(|w| w.contains("left out")), "{name}: what was left out is said");
    }
}

/// pdftotext's default mode (one cell per line): rows put back where the cells come in
/// row order; the Jiaozuo prints leave its blank cells blank and flow columns together,
/// so every table is left out with a warning and nothing is wrong or extra.
#[test]
fn default_mode_text_gives_no_wrong_fact() {
    let want = jiaozuo();
    for name in ["jiaozuo-2024.default.txt", "jiaozuo-2024-henan.default.txt"] {
        let doc = convert(name, name);
        let (same, missing, bad) = compare(&facts_of(&gongkai::facts_jsonl(&doc)), &want);
        println!("{name}: {} {same} of {} facts, {missing} missing", doc.source.format, want.len());
        assert!(bad.is_empty(), "{name}: {:#?}", &bad[..bad.len().min(10)]);
        let out_of_order = doc.warnings.iter().filter(|w| w.contains("out of row order")).count();
        assert!(same > 0 || out_of_order >= 5, "{name}: what was left out is said: {:?}", doc.warnings);
    }
}

#[test]
fn unreadable_office_files_say_how_to_convert() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    doc.resize(4096, 0);
    let e = gongkai::convert_bytes(&doc, "report.doc").unwrap_err();
    assert_eq!(e.kind(), "unsupported_format");
    assert!(e.to_string().contains("soffice --headless --convert-to docx"), "{e}");
    // A truncated .xlsx is a zip that does not open.
    let xlsx = std::fs::read(root().join("samples/formats/jiaozuo-2024.xlsx")).unwrap();
    let e = gongkai::convert_bytes(&xlsx[..xlsx.len() / 3], "report.xlsx").unwrap_err();
    assert_eq!(e.kind(), "unsupported_format", "{e}");
}

/// pdftotext's layout and reading-order text of each corpus PDF: no fact differs from
/// the PDF's golden, none is extra; the share found is printed.
#[test]
fn pdftotext_of_the_corpus_gives_no_wrong_fact() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() || std::process::Command::new("pdftotext").arg("-v").output().is_err() {
        println!("skipped: ../shared/corpus or pdftotext is absent");
        return;
    }
    for name in ["putuo-finance-bureau-2024-final-accounts", "putuo-social-work-dept-2024-final-accounts", "putuo-commerce-commission-2025-budget"] {
        let pdf = corpus.join(format!("{name}.pdf"));
        if !pdf.exists() {
            println!("skipped {name}: absent");
            continue;
        }
        let want = golden(name, name);
        for mode in ["-layout", "-raw", "default"] {
            let args: &[&str] = if mode == "default" { &[] } else { &[mode] };
            let out = std::process::Command::new("pdftotext").args(args).arg(&pdf).arg("-").output().unwrap();
            assert!(out.status.success());
            let label = format!("{name} pdftotext {mode}");
            let doc = match gongkai::convert_bytes(&out.stdout, &format!("{name}.txt")) {
                Ok(d) => d,
                Err(e) => panic!("{label}: {} {e}", e.kind()),
            };
            let (same, missing, bad) = compare(&facts_of(&gongkai::facts_jsonl(&doc)), &want);
            println!("{label}: {} {same} of {} facts, {missing} missing, {} wrong or extra", doc.source.format, want.len(), bad.len());
            let wrong: Vec<&String> = bad.iter().filter(|b| b.starts_with("wrong")).collect();
            assert!(wrong.is_empty(), "{label}: {wrong:#?}");
        }
    }
}

/// `gongkai convert` of a download folder holding the same document as PDF and in every
/// other form writes the same facts for each (reading-order text: a subset, ≥ 95%).
#[test]
fn convert_of_a_folder_of_every_form_writes_the_same_facts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("downloads");
    std::fs::create_dir(&input).unwrap();
    let copy = |from: PathBuf, to: &str| std::fs::copy(from, input.join(to)).unwrap();
    copy(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf"), "a-pdf.pdf");
    let forms = [
        ("jiaozuo-2024.layout.txt", "b-layout.txt"),
        ("jiaozuo-2024.raw.txt", "c-raw.txt"),
        ("jiaozuo-2024.html", "d-page.html"),
        ("jiaozuo-2024.md", "e-mineru.md"),
        ("jiaozuo-2024.xlsx", "f-book.xlsx"),
        ("jiaozuo-2024.xls", "g-book.xls"),
        ("jiaozuo-2024.ods", "h-book.ods"),
        ("jiaozuo-2024.docx", "i-report.docx"),
    ];
    for (from, to) in forms {
        copy(root().join("samples/formats").join(from), to);
    }
    let out = dir.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).args(["convert", "--quiet", "--out"]).arg(&out).arg(&input).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |stem: &str| facts_of(&std::fs::read_to_string(out.join(format!("{stem}.facts.jsonl"))).unwrap());
    let pdf = read("a-pdf");
    assert_eq!(pdf, jiaozuo());
    for (_, to) in forms {
        let stem = to.rsplit_once('.').unwrap().0;
        let got = read(stem);
        if stem == "c-raw" {
            let (same, _, bad) = compare(&got, &pdf);
            assert!(bad.is_empty() && same * 100 >= pdf.len() * 95, "{stem}: {same} {bad:?}");
        } else {
            assert_eq!(got, pdf, "{stem}");
        }
    }
}
