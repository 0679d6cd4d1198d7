//! `gongkai review`: static HTML that a real browser opens from disk, showing every fact
//! and every finding, with no request leaving the files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gongkai")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].iter().map(PathBuf::from).find(|p| p.exists())
}

/// Headless Chromium as the machine allows it (root, no network, no first-run chatter).
fn headless(chrome: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chrome);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Any request that tried to leave the files would fail here.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// A screenshot that shows something: a good share of its pixels are not the background.
fn not_blank(png_path: &Path) -> bool {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let data = &buf[..info.buffer_size()];
    let first = &data[..px];
    let differing = data.chunks(px).filter(|p| p != &first).count();
    differing * 20 > data.len() / px
}

fn edited_document(dir: &Path) -> PathBuf {
    // A canonical document whose 收入决算表 合计 is changed: its hierarchy fails.
    let out = dir.join("converted");
    let st = Command::new(bin())
        .args(["convert", "-q", "--out"])
        .arg(&out)
        .arg(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt"))
        .status()
        .unwrap();
    assert!(st.success());
    let path = out.join("jiaozuo-2024-final-accounts.json");
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let income = doc["tables"].as_array_mut().unwrap().iter_mut().find(|t| t["id"] == "income").unwrap();
    let total = income["rows"].as_array_mut().unwrap().iter_mut().find(|r| r["key"] == "合计").unwrap();
    total["cells"][0]["value"] = serde_json::json!("1.00");
    let edited = dir.join("edited.json");
    std::fs::write(&edited, serde_json::to_vec(&doc).unwrap()).unwrap();
    edited
}

#[test]
fn review_pages_show_every_fact_and_finding_and_load_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let edited = edited_document(dir.path());
    let pdf = root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts-henan-layout.pdf");
    let out = dir.path().join("review");
    let st = Command::new(bin()).arg("review").arg(&edited).arg(&pdf).arg("--out").arg(&out).status().unwrap();
    assert!(st.success());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"edited.html\"") && index.contains("href=\"jiaozuo-2024-final-accounts-henan-layout.html\""));

    for page in ["index.html", "edited.html", "jiaozuo-2024-final-accounts-henan-layout.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        // Self-contained: no script, style, image or link from anywhere else.
        for bad in ["http://", "https://", "src=\"//", "href=\"//", "<link", "<script src", "url("] {
            assert!(!html.contains(bad), "{page} refers outside itself: {bad}");
        }
    }

    // The edited document: the changed total in red, its classes amber, expected and printed.
    let html = std::fs::read_to_string(out.join("edited.html")).unwrap();
    let doc: gongkai_model::Document = serde_json::from_slice(&std::fs::read(&edited).unwrap()).unwrap();
    let findings = gongkai_check::check(&doc);
    let bad: Vec<_> = findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error && f.table == "income" && f.row.as_deref() == Some("合计")).collect();
    assert!(!bad.is_empty(), "the edit makes the income hierarchy fail");
    assert!(!bad[0].terms.is_empty(), "a failing sum names its terms");
    assert!(html.contains("class=\"v bad\"") && html.contains("class=\"v term\""), "total red, terms amber");
    assert!(html.contains(&format!("expected <b>{}</b>, printed <b>1.00</b>", bad[0].expected)));

    // The PDF: every fact outlined on its page and linked both ways.
    let html = std::fs::read_to_string(out.join("jiaozuo-2024-final-accounts-henan-layout.html")).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    let pdoc = gongkai::convert_bytes(&bytes, "x.pdf").unwrap();
    let n = gongkai::facts(&pdoc).len();
    assert_eq!(n, 910);
    for k in 0..n {
        assert!(html.contains(&format!("<rect id=\"b{k}\"")), "fact {k} has no outline on its page");
        assert!(html.contains(&format!("<td id=\"c{k}\"")), "fact {k} has no cell in the rebuilt table");
    }
    assert!(html.contains("<svg class=\"sheet\"") && html.contains("<text x="), "pages drawn from glyphs, text selectable");

    let Some(chrome) = chromium() else {
        eprintln!("skipped the browser part: Chromium is not installed (apt-get install chromium)");
        return;
    };
    for (page, doc) in [("edited.html", &doc), ("jiaozuo-2024-final-accounts-henan-layout.html", &pdoc)] {
        let url = format!("file://{}", out.join(page).display());
        let profile = tempfile::tempdir().unwrap();
        let dom = headless(&chrome, profile.path()).arg("--dump-dom").arg(&url).output().unwrap();
        assert!(dom.status.success(), "{}", String::from_utf8_lossy(&dom.stderr));
        let dom = String::from_utf8_lossy(&dom.stdout);
        // Every fact's value is in its cell of the DOM, every finding's rule is shown.
        let facts = gongkai::facts(doc);
        for (k, f) in facts.iter().enumerate() {
            let at = dom.find(&format!("id=\"c{k}\"")).unwrap_or_else(|| panic!("{page}: cell {k} missing from the DOM"));
            let cell = &dom[at..at + dom[at..].find("</td>").unwrap()];
            assert!(cell.contains(&format!(">{}", f.value)), "{page}: cell {k} does not show {}: {cell}", f.value);
        }
        for f in gongkai_check::check(doc) {
            assert!(dom.contains(&f.rule), "{page}: finding {} missing", f.rule);
        }
        let shot = profile.path().join("shot.png");
        let st = headless(&chrome, profile.path())
            .arg("--window-size=1400,1800")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url)
            .output()
            .unwrap();
        assert!(st.status.success());
        assert!(not_blank(&shot), "{page}: the screenshot is blank");
    }
    let profile = tempfile::tempdir().unwrap();
    let shot = profile.path().join("index.png");
    let st = headless(&chrome, profile.path())
        .arg("--window-size=1200,600")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", out.join("index.html").display()))
        .output()
        .unwrap();
    assert!(st.status.success());
    assert!(not_blank(&shot), "the index screenshot is blank");
}

/// The largest corpus document: its review stays light (figures printed, size asserted).
#[test]
fn a_thirty_page_review_is_light() {
    let pdf = root().join("../shared/corpus/putuo-finance-bureau-2024-final-accounts.pdf");
    if !pdf.exists() {
        eprintln!("skipped: {} is absent (the corpus PDFs are not part of the repository)", pdf.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let st = Command::new(bin()).arg("review").arg(&pdf).arg("--out").arg(dir.path()).status().unwrap();
    assert!(st.success());
    let size = std::fs::metadata(dir.path().join("putuo-finance-bureau-2024-final-accounts.html")).unwrap().len();
    eprintln!("review of a 25-page PDF: {} KiB in {:.2} s (whole process)", size / 1024, started.elapsed().as_secs_f64());
    assert!(size < 2 << 20, "{size} bytes");
}
