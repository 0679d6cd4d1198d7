//! Hostile input (issue 7): a download folder of bad files mixed with good ones. Every bad
//! file gets its own clear error of the right kind, the good ones convert exactly as they
//! do alone, nothing panics, the batch exits 1; a crash or a hang in one file costs that
//! file only; --resume skips what is done. The bad files are made here, byte by byte.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// A classic PDF with a correct cross-reference table from object bodies.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}

fn stream(data: &[u8], dict: &str) -> Vec<u8> {
    let mut s = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

const CATALOG: &[u8] = b"<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &[u8] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>";

fn page(resources: &str) -> Vec<u8> {
    format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources {resources} >>").into_bytes()
}

/// The bad files, each with the error kind it must get.
fn bad_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let good_pdf = std::fs::read(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")).unwrap();
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let bomb = BOMB.get_or_init(|| {
        // 96 MiB of zeros in about 100 KiB: past the 64 MiB content limit.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..96 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap()
    });
    let nested = [vec![b'['; 200_000], vec![b']'; 200_000]].concat();
    let mut nested_content = b"BT ".to_vec();
    nested_content.extend_from_slice(&nested);
    nested_content.extend_from_slice(b" TJ ET");
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    vec![
        ("empty.pdf", vec![], "empty"),
        ("random-bytes.pdf", garbage.clone(), "not_a_pdf"),
        ("html-error-page.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>".to_vec(), "not_a_pdf"),
        ("half-downloaded.pdf", good_pdf[..good_pdf.len() / 2].to_vec(), "damaged"),
        ("encrypted.pdf", std::fs::read(root().join("crates/extract/tests/fixtures/enc-user.pdf")).unwrap(), "encrypted"),
        (
            "scan.pdf",
            pdf(&[
                CATALOG.to_vec(),
                PAGES.to_vec(),
                page("<< /XObject << /Im1 5 0 R >> >>"),
                stream(b"q 600 0 0 800 0 0 cm /Im1 Do Q", ""),
                stream(&[0x80; 100], "/Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8"),
            ]),
            "no_text_layer",
        ),
        ("page-tree-cycle.pdf", pdf(&[CATALOG.to_vec(), b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec()]), "no_text_layer"),
        ("corrupt-stream.pdf", pdf(&[CATALOG.to_vec(), PAGES.to_vec(), page("<< >>"), stream(&garbage[..500], "/Filter /FlateDecode")]), "damaged"),
        ("bomb.pdf", pdf(&[CATALOG.to_vec(), PAGES.to_vec(), page("<< >>"), stream(bomb, "/Filter /FlateDecode")]), "damaged"),
        ("nested-arrays.pdf", pdf(&[CATALOG.to_vec(), PAGES.to_vec(), page("<< /X 5 0 R >>"), stream(&nested_content, ""), nested]), "damaged"),
        ("random-text.txt", b"lorem ipsum dolor sit amet\n".repeat(50), "not_a_disclosure"),
        ("invalid-utf8.txt", [b"\xff\xfe\xfa".repeat(50), b"\x80\x81".to_vec()].concat(), "text_encoding"),
    ]
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("downloads");
    std::fs::create_dir(&input).unwrap();
    for (name, bytes, _) in bad_files() {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    for good in ["jiaozuo-2024-final-accounts.txt", "jiaozuo-2024-final-accounts.pdf"] {
        std::fs::copy(root().join("samples/jiaozuo-2024").join(good), input.join(good)).unwrap();
    }
    let out = dir.path().join("out");
    (dir, input, out)
}

fn errors(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("errors.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_folder_of_bad_files_costs_only_the_bad_files() {
    let (_dir, input, out) = setup();
    let run = gongkai().args(["convert", "--quiet"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Every bad file is reported once, with its kind and a cause naming it.
    let errs = errors(&out);
    let bad = bad_files();
    assert_eq!(errs.len(), bad.len(), "{errs:#?}");
    for (name, _, kind) in &bad {
        let e = errs.iter().find(|e| e["file"].as_str().unwrap().ends_with(name)).unwrap_or_else(|| panic!("{name} not reported"));
        assert_eq!(e["kind"], *kind, "{name}: {e}");
        assert!(e["error"].as_str().unwrap().len() > 10, "{name}: {e}");
        assert!(stderr.contains(name), "{name} missing from the summary");
    }
    // The good files convert exactly as they do alone; no partial or temporary file is left.
    for good in ["jiaozuo-2024-final-accounts.txt", "jiaozuo-2024-final-accounts.pdf"] {
        let alone = gongkai().arg("facts").arg(input.join(good)).output().unwrap();
        let batch = std::fs::read(out.join(format!("{good}.facts.jsonl"))).unwrap();
        assert!(alone.stdout == batch, "{good} differs in the batch");
    }
    let mut names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}"); // two outputs per good file and errors.jsonl
}

/// A worker that crashes (abort, as a stack overflow does) or hangs is stopped and
/// reported for its file; the batch goes on with the others.
#[test]
fn a_crash_or_a_hang_costs_one_file() {
    let (_dir, input, out) = setup();
    for (fault, kind) in [("abort:random-text", "internal"), ("hang:random-text", "timeout")] {
        let _ = std::fs::remove_dir_all(&out);
        let run = gongkai()
            .env("GONGKAI_TEST_FAULT", fault)
            .args(["convert", "--quiet", "--timeout", "6"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1));
        let e = errors(&out).into_iter().find(|e| e["file"].as_str().unwrap().ends_with("random-text.txt")).unwrap();
        assert_eq!(e["kind"], kind, "{fault}: {e}");
        assert!(out.join("jiaozuo-2024-final-accounts.pdf.facts.jsonl").exists(), "{fault}: the batch did not go on");
    }
}

#[test]
fn resume_skips_complete_outputs_and_redoes_changed_inputs() {
    let (_dir, input, out) = setup();
    let first = gongkai().args(["convert", "--quiet"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    let second = gongkai().args(["convert", "--quiet", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("2 up to date, skipped"), "{stderr}");
    // A newer input is converted again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let txt = input.join("jiaozuo-2024-final-accounts.txt");
    let bytes = std::fs::read(&txt).unwrap();
    std::fs::write(&txt, bytes).unwrap();
    let third = gongkai().args(["convert", "--quiet", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&third.stderr);
    assert!(stderr.contains("1 up to date, skipped"), "{stderr}");
}

/// Damaged but readable: a file whose cross-reference index is wrong or gone is read
/// from its objects, and yields every fact of the intact file.
#[test]
fn a_broken_index_is_rebuilt_and_nothing_is_lost() {
    let good = std::fs::read(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")).unwrap();
    // Facts name their document by its sha256, which the damage changes; all else is equal.
    let facts = |mut doc: gongkai_model::Document| {
        doc.source.sha256.clear();
        gongkai::facts_jsonl(&doc)
    };
    let want = facts(gongkai::convert_bytes(&good, "j.pdf").unwrap());
    let at = good.windows(9).rposition(|w| w == b"startxref").unwrap();
    let wrong_offset = [&good[..at], b"startxref\n999999\n%%EOF\n".as_slice()].concat();
    let xref = good.windows(7).rposition(|w| w == b"xref\n0 ").unwrap();
    let no_index = [&good[..xref], b"trailer\n<<>>\n%%EOF\n".as_slice()].concat();
    for (what, bytes) in [("wrong startxref", wrong_offset), ("no xref table", no_index)] {
        let doc = gongkai::convert_bytes(&bytes, "j.pdf").unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(facts(doc) == want, "{what}: facts differ");
    }
}

/// Ctrl-C (SIGINT to the batch's process group) stops the batch: exit 130, only complete
/// outputs and no temporary file left; --resume then finishes the rest.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_only_complete_files_and_resumes() {
    use std::os::unix::process::CommandExt;
    let (_dir, input, out) = setup();
    let mut child = gongkai()
        .env("GONGKAI_TEST_FAULT", "hang:random-text")
        .args(["convert", "--quiet", "--jobs", "1"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .process_group(0)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the batch reaches the hanging file (files go in sorted order).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !out.join("jiaozuo-2024-final-accounts.txt.json").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: kill(2) on the child's own process group.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".json") || n.ends_with(".jsonl")), "{names:?}");
    let resumed = gongkai().args(["convert", "--quiet", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(stderr.contains("up to date, skipped"), "{stderr}");
    assert!(out.join("jiaozuo-2024-final-accounts.txt.facts.jsonl").exists());
    assert_eq!(resumed.status.code(), Some(1)); // the bad files are still bad
}
