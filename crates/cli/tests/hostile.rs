//! Hostile input (issue 7): a download folder of bad files mixed with good ones. Every bad
//! file gets its own clear error of the right kind, the good ones convert exactly as they
//! do alone, nothing panics, the batch exits 1; a crash or a hang in one file costs that
//! file only; --resume skips what is done. The bad files are made here, byte by byte.
//!
//! Second round (issue 16): output names unique by construction, two runs into one
//! folder, resume by content, pairs written as pairs, paths that are not files, long
//! messages, signals, amounts beyond exact decimals, text encodings, closed pipes.

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
    let run = gongkai().args(["convert"]).arg(&input).arg("--out").arg(&out).output().unwrap();
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
    assert_eq!(names.len(), 6, "{names:?}"); // two outputs per good file, errors.jsonl, manifest.jsonl
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
    let second = gongkai().args(["convert", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("2 up to date, skipped"), "{stderr}");
    // The same bytes written again (a newer date) are still up to date.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let txt = input.join("jiaozuo-2024-final-accounts.txt");
    let bytes = std::fs::read(&txt).unwrap();
    std::fs::write(&txt, bytes).unwrap();
    let third = gongkai().args(["convert", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&third.stderr);
    // The same content rewritten is still up to date: resume goes by content, not dates.
    assert!(stderr.contains("2 up to date, skipped"), "{stderr}");
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
    let resumed = gongkai().args(["convert", "--resume"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(stderr.contains("up to date, skipped"), "{stderr}");
    assert!(out.join("jiaozuo-2024-final-accounts.txt.facts.jsonl").exists());
    assert_eq!(resumed.status.code(), Some(1)); // the bad files are still bad
}

// ---- Second round (issue 16) ----

fn jiaozuo_text() -> String {
    std::fs::read_to_string(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn manifest(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("manifest.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    n.sort();
    n
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Every `ok` entry of the manifest has both outputs, made from its input's bytes; no
/// output file is there that no entry claims; no temporary is left.
fn assert_outputs_belong(out: &Path) {
    let m = manifest(out);
    let mut claimed = vec!["manifest.jsonl".to_string(), "errors.jsonl".to_string()];
    for e in m.iter().filter(|e| e["status"] == "ok") {
        let outs: Vec<String> = e["outputs"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().to_string()).collect();
        assert_eq!(outs.len(), 2, "{e}");
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(&outs[0])).unwrap()).unwrap();
        assert_eq!(doc["source"]["sha256"], e["doc"], "{e}");
        let input = std::fs::read(e["file"].as_str().unwrap()).unwrap();
        assert_eq!(e["doc"].as_str().unwrap(), sha256(&input), "{e}");
        assert!(out.join(&outs[1]).is_file(), "{e}");
        claimed.extend(outs);
    }
    for n in names_in(out) {
        assert!(claimed.contains(&n), "{n} is claimed by no manifest entry");
    }
}

/// Issue 16.1 and 16.4: names that would collide (`a/same-name.txt`, `b/same-name.txt`,
/// `a/same-name.txt-2.txt`) and a name too long once suffixed (80 CJK characters) get
/// one output pair each, recorded in the manifest.
#[test]
fn every_input_gets_its_own_output_pair() {
    let dir = tempfile::tempdir().unwrap();
    let text = jiaozuo_text();
    let long = format!("{}.txt", "焦".repeat(80)); // 243 bytes: legal, too long with .facts.jsonl
    let inputs = ["a/same-name.txt", "b/same-name.txt", "a/same-name.txt-2.txt", "a/Same-Name.txt", &format!("a/{long}")];
    for (i, n) in inputs.iter().enumerate() {
        // Different bytes each (trailing blank lines), so an overwrite would show.
        write(&dir.path().join("in").join(n), format!("{text}{}", "\n".repeat(i + 1)));
    }
    let out = dir.path().join("out");
    let run = gongkai().arg("convert").arg(dir.path().join("in")).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("converted 5 of 5"), "{stderr}");
    let m = manifest(&out);
    assert_eq!(m.len(), 5);
    assert_outputs_belong(&out);
    let names = names_in(&out);
    assert_eq!(names.len(), 11, "{names:?}"); // five pairs and the manifest
    assert!(names.iter().all(|n| n.len() <= 200), "{names:?}");
    // Names differ also when compared without case.
    let lower: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), names.len());
    // A single file keeps its plain stem (the goldens are named so).
    let single = dir.path().join("single");
    let run = gongkai().arg("convert").arg(dir.path().join("in/b/same-name.txt")).arg("--out").arg(&single).output().unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(names_in(&single), ["manifest.jsonl", "same-name.facts.jsonl", "same-name.json"]);
}

/// Issue 16.2: a second run into a folder another run is writing is refused with a
/// clear message and destroys nothing; runs one after the other keep each other's
/// outputs, errors and manifest lines, and never take each other's names.
#[test]
fn two_runs_into_one_folder_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = jiaozuo_text();
    let (one, two, out) = (dir.path().join("one"), dir.path().join("two"), dir.path().join("out"));
    write(&one.join("good.txt"), &text);
    write(&one.join("slow.txt"), format!("{text}\n"));
    write(&two.join("good.txt"), format!("{text}\n\n"));
    write(&two.join("bad.txt"), b"");
    let mut first = gongkai()
        .env("GONGKAI_TEST_FAULT", "hang:slow")
        .args(["convert", "--quiet", "--jobs", "1", "--timeout", "6"])
        .arg(&one)
        .arg("--out")
        .arg(&out)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !out.join("good.json").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = gongkai().arg("convert").arg(&two).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("another `gongkai convert`") && stderr.contains(&format!("pid {}", first.id())), "{stderr}");
    assert_eq!(first.wait().unwrap().code(), Some(1)); // slow.txt timed out
    let again = gongkai().arg("convert").arg(&two).arg("--out").arg(&out).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "{}", String::from_utf8_lossy(&again.stderr));
    // Both runs' outputs, both runs' errors.
    let kinds: Vec<(String, String)> =
        errors(&out).iter().map(|e| (e["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), e["kind"].as_str().unwrap().to_string())).collect();
    assert_eq!(kinds, [("slow.txt".to_string(), "timeout".to_string()), ("bad.txt".to_string(), "empty".to_string())]);
    assert_eq!(manifest(&out).len(), 4);
    assert_outputs_belong(&out);
    let good_one: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("good.json")).unwrap()).unwrap();
    assert_eq!(good_one["source"]["sha256"].as_str().unwrap(), sha256(text.as_bytes()));
    assert!(out.join("good.txt.json").exists(), "{:?}", names_in(&out));
    assert!(!out.join(".gongkai.lock").exists());
}

fn set_old_mtime(p: &Path) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000)).unwrap();
}

/// Issue 16.3: --resume goes by content. An input replaced by an older-dated copy of
/// another document is converted again; an input that now fails loses its old outputs.
#[test]
fn resume_goes_by_content_and_a_failing_input_keeps_no_old_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let text = jiaozuo_text();
    let (doc, out) = (dir.path().join("in/doc.txt"), dir.path().join("out"));
    write(&doc, &text);
    let convert = || gongkai().args(["convert", "--resume"]).arg(dir.path().join("in")).arg("--out").arg(&out).output().unwrap();
    assert_eq!(convert().status.code(), Some(0));
    let line = "2150599\t其他工业和信息产业监管支出\t169. 88\t126. 40\t43. 48\t\t\t";
    write(&doc, text.replacen(line, "2150599\t其他工业和信息产业监管支出\t169. 98\t126. 40\t43. 48\t\t\t", 1));
    set_old_mtime(&doc);
    let run = convert();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("converted 1 of 1") && !stderr.contains("skipped"), "{stderr}");
    assert!(std::fs::read_to_string(out.join("doc.facts.jsonl")).unwrap().contains("\"169.98\""));
    assert_outputs_belong(&out);
    write(&doc, b"");
    set_old_mtime(&doc);
    let run = convert();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("were removed"), "{stderr}");
    assert_eq!(names_in(&out), ["errors.jsonl", "manifest.jsonl"]);
    assert_eq!(errors(&out)[0]["kind"], "empty");
}

/// Issue 16.4: a full disk after the first output leaves neither (also where an older
/// pair was there), and says what could not be written.
#[test]
fn a_pair_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input.join("doc.txt"), jiaozuo_text());
    write(&input.join("other.txt"), format!("{}\n", jiaozuo_text()));
    for earlier in [false, true] {
        if earlier {
            assert_eq!(gongkai().args(["convert", "-q"]).arg(&input).arg("--out").arg(&out).status().unwrap().code(), Some(0));
        }
        let run = gongkai().env("GONGKAI_TEST_FAULT", "full:doc").args(["convert", "-q"]).arg(&input).arg("--out").arg(&out).output().unwrap();
        assert_eq!(run.status.code(), Some(1));
        let e = &errors(&out)[0];
        assert_eq!(e["kind"], "io", "{e}");
        // Whichever of the pair could not be written is named, and neither is kept.
        let msg = e["error"].as_str().unwrap();
        assert!((msg.contains("doc.json") || msg.contains("doc.facts.jsonl")) && msg.contains("neither output was kept"), "{e}");
        let names = names_in(&out);
        assert!(!names.iter().any(|n| n.starts_with("doc.")), "{names:?}");
        assert!(names.contains(&"other.facts.jsonl".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
        assert_outputs_belong(&out);
    }
}

/// Issue 16.6: a missing argument, a FIFO given or found, a link loop: each reported
/// with its kind, never opened or waited on; the rest converted; exit 1.
#[cfg(unix)]
#[test]
fn one_path_costs_only_itself() {
    use std::ffi::CString;
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input.join("good.txt"), jiaozuo_text());
    for fifo in [input.join("pipe.pdf"), dir.path().join("fifo-arg.pdf")] {
        let c = CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a path in our temporary folder.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    }
    std::os::unix::fs::symlink("loop.txt", input.join("loop.txt")).unwrap();
    let unreadable = input.join("locked");
    write(&unreadable.join("x.txt"), b"x");
    // SAFETY: geteuid has no preconditions.
    let root_user = unsafe { libc::geteuid() } == 0;
    std::fs::set_permissions(&unreadable, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let started = std::time::Instant::now();
    let run = gongkai()
        .args(["convert", "-q", "--timeout", "60"])
        .arg(&input)
        .arg(dir.path().join("missing.txt"))
        .arg(dir.path().join("fifo-arg.pdf"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    std::fs::set_permissions(&unreadable, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    let kind = |name: &str| errors(&out).iter().find(|e| e["file"].as_str().unwrap().ends_with(name)).map(|e| e["kind"].as_str().unwrap().to_string());
    assert_eq!(kind("missing.txt").as_deref(), Some("io"));
    assert_eq!(kind("fifo-arg.pdf").as_deref(), Some("not_a_file"));
    assert_eq!(kind("pipe.pdf").as_deref(), Some("not_a_file"));
    assert_eq!(kind("loop.txt").as_deref(), Some("not_a_file"));
    if root_user {
        eprintln!("note: running as root, a folder without permissions is still readable: its part is not checked");
    } else {
        assert_eq!(kind("locked").as_deref(), Some("io"));
    }
    assert!(out.join("good.facts.jsonl").exists());
    // `facts` and `check` do not open a FIFO either.
    for cmd in ["facts", "check"] {
        let o = gongkai().arg(cmd).arg(dir.path().join("fifo-arg.pdf")).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("[not_a_file]"));
    }
}

/// A PDF of `n` pages whose content streams are all missing.
fn pages_without_content(n: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![CATALOG.to_vec(), format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes()];
    objects.extend((0..n).map(|_| b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 99999 0 R >>".to_vec()));
    pdf(&objects)
}

/// Issue 16.7: a worker's report longer than a pipe buffer does not block it; the
/// message is summarised.
#[test]
fn a_long_error_is_read_and_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input.join("many.pdf"), pages_without_content(5000));
    let started = std::time::Instant::now();
    let run = gongkai().args(["convert", "--timeout", "60"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(run.status.code(), Some(1));
    let e = &errors(&out)[0];
    assert_eq!(e["kind"], "damaged", "{e}");
    let msg = e["error"].as_str().unwrap();
    // One line for the 5,000 pages, naming their range (grouped where it is made, or by the batch).
    assert!(msg.contains("content stream 99999 0 is missing") && (msg.contains("1–5000") || msg.contains("1-5000")) && msg.len() < 500, "{msg}");
}

#[cfg(target_os = "linux")]
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) {
                found.push(cmd);
            }
        }
    }
    found
}

/// Issue 16.8: SIGTERM or SIGHUP to `convert` alone (not its group) ends its workers too.
#[cfg(target_os = "linux")]
#[test]
fn a_terminated_batch_ends_its_workers() {
    for sig in [libc::SIGTERM, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let (input, out) = (dir.path().join("in"), dir.path().join("out"));
        write(&input.join("hang.txt"), jiaozuo_text());
        let mut child = gongkai()
            .env("GONGKAI_TEST_FAULT", "hang:hang")
            .args(["convert", "-q", "--timeout", "600"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .spawn()
            .unwrap();
        let needle = input.join("hang.txt").display().to_string();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !processes_mentioning(&needle).iter().any(|c| c.contains(" worker ")) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // SAFETY: kill(2) on our own child.
        unsafe { libc::kill(child.id() as i32, sig) };
        let started = std::time::Instant::now();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "signal {sig}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(processes_mentioning(&needle).is_empty(), "signal {sig}: {:?}", processes_mentioning(&needle));
    }
}

/// Issue 16.9: amounts with 28 decimals, larger than the decimal type holds, longer than
/// it holds, in a text and in an edited canonical document: no panic anywhere; what
/// cannot be held exactly is not read, and said.
#[test]
fn amounts_beyond_exact_decimals_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let text = jiaozuo_text();
    let line = "2150599\t其他工业和信息产业监管支出\t169. 88\t126. 40\t43. 48\t\t\t";
    let variants = [
        ("decimals28.txt", "0.3000000000000000000000000000\t0.1000000000000000000000000000\t0.2000000000000000000000000000"),
        ("largest.txt", "79228162514264337593543950335\t79228162514264337593543950335\t79228162514264337593543950335"),
        ("too-long.txt", "1234567890123456789012345678901234567890\t0.123456789012345678901234567890\t43. 48"),
    ];
    let input = dir.path().join("in");
    for (name, cells) in variants {
        write(&input.join(name), text.replacen(line, &format!("2150599\t其他工业和信息产业监管支出\t{cells}\t\t\t"), 1));
    }
    let out = dir.path().join("out");
    let run = gongkai().arg("convert").arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let long: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("too-long.json")).unwrap()).unwrap();
    let warnings = long["warnings"].to_string();
    assert!(warnings.contains("1234567890123456789012345678901234567890") && warnings.contains("not read as an amount"), "{warnings}");
    for (name, _) in variants {
        let c = gongkai().arg("check").arg(input.join(name)).output().unwrap();
        assert!(matches!(c.status.code(), Some(0 | 1)), "{name}: {}", String::from_utf8_lossy(&c.stderr));
        assert!(!String::from_utf8_lossy(&c.stderr).contains("panicked"));
    }
    // An edited canonical document: every amount the largest the type holds.
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("largest.json")).unwrap()).unwrap();
    for t in doc["tables"].as_array_mut().unwrap() {
        for r in t["rows"].as_array_mut().unwrap() {
            for c in r["cells"].as_array_mut().unwrap() {
                c["value"] = "79228162514264337593543950335".into();
            }
        }
    }
    let edited = dir.path().join("edited.json");
    write(&edited, serde_json::to_vec(&doc).unwrap());
    for cmd in ["check", "facts"] {
        let c = gongkai().arg(cmd).arg(&edited).output().unwrap();
        let stderr = String::from_utf8_lossy(&c.stderr);
        assert!(matches!(c.status.code(), Some(0 | 1)), "{cmd}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let c = gongkai().args(["check", "--format", "json"]).arg(&edited).output().unwrap();
    assert!(String::from_utf8_lossy(&c.stdout).contains("beyond exact decimal arithmetic"));
    // A value the type would have to round is refused by name, not changed.
    let first = doc["tables"][0]["rows"][0]["cells"][0]["value"].clone();
    assert!(first.is_string());
    doc["tables"][0]["rows"][0]["cells"][0]["value"] = "0.12345678901234567890123456789".into();
    write(&edited, serde_json::to_vec(&doc).unwrap());
    let c = gongkai().arg("check").arg(&edited).output().unwrap();
    let stderr = String::from_utf8_lossy(&c.stderr);
    assert_eq!(c.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("0.12345678901234567890123456789"), "{stderr}");
}

/// Issue 16.11: --jobs 0 and --timeout 0 are refused; a --jobs past the machine is clamped, and said.
#[test]
fn jobs_and_timeout_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    write(&input, jiaozuo_text());
    for bad in [["--jobs", "0"], ["--timeout", "0"]] {
        let r = gongkai().arg("convert").arg(&input).arg("--out").arg(dir.path().join("o")).args(bad).output().unwrap();
        assert_eq!(r.status.code(), Some(2), "{bad:?}");
    }
    let r = gongkai().arg("convert").arg(&input).arg("--out").arg(dir.path().join("o")).args(["--jobs", "100000"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--jobs 100000 is more than this machine can run"), "{stderr}");
}

/// Issue 16.12: UTF-16 with a BOM (both orders), lone CR line ends, a title quoting
/// `%PDF-`, a UTF-8 file cut inside its last character: each reads as the UTF-8 text does.
#[test]
fn text_in_other_shapes_reads_as_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = jiaozuo_text();
    let utf16 = |be: bool| {
        let mut b = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in text.encode_utf16() {
            b.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        b
    };
    let (first, rest) = text.split_once('\n').unwrap();
    let cut = [text.as_bytes(), &"合".as_bytes()[..2]].concat();
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("utf16le.txt", utf16(false)),
        ("utf16be.txt", utf16(true)),
        ("cr-only.txt", text.replace('\n', "\r").into_bytes()),
        ("pdf-in-title.txt", format!("{first} %PDF-1.7\n{rest}").into_bytes()),
        ("cut.txt", cut),
    ];
    let want = gongkai().arg("facts").arg(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).output().unwrap().stdout;
    for (name, bytes) in shapes {
        let f = dir.path().join(name);
        write(&f, bytes);
        let o = gongkai().arg("facts").arg(&f).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{name}: {stderr}");
        // The facts name their file and its sha256, which differ by construction.
        assert!(without_document(&o.stdout) == without_document(&want), "{name}: facts differ");
        assert_eq!(stderr.contains("middle of a character"), name == "cut.txt", "{name}: {stderr}");
    }
    // And the other half of the rule: junk before a real PDF's header, whatever the name.
    let pdf = std::fs::read(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")).unwrap();
    let f = dir.path().join("download.bin");
    write(&f, [b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n".as_slice(), &pdf].concat());
    let o = gongkai().arg("facts").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let alone = gongkai().arg("facts").arg(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")).output().unwrap();
    assert!(without_document(&o.stdout) == without_document(&alone.stdout), "junk-prefixed PDF: facts differ");
}

/// Whether bytes with `%PDF-` after other bytes are a PDF is decided by the readers by
/// content under every `--ocr` mode: a text whose title quotes `%PDF-` reads as the text
/// even where OCR is asked for every page.
#[test]
fn a_text_quoting_a_pdf_header_is_text_under_every_ocr_mode() {
    let text = jiaozuo_text();
    let (first, rest) = text.split_once('\n').unwrap();
    let bytes = format!("{first} %PDF-1.7\n{rest}").into_bytes();
    let want = gongkai::document_json(&gongkai::convert_bytes(&bytes, "t.txt").unwrap());
    for mode in [gongkai::OcrMode::Auto, gongkai::OcrMode::Always] {
        let doc = gongkai::convert_bytes_with(&bytes, "t.txt", &gongkai::OcrOptions { mode, ..Default::default() }).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        assert_eq!(gongkai::document_json(&doc), want, "{mode:?}");
    }
}

/// Issue 16.13: `check`, `facts` and `convert` into a pipe closed early end quietly,
/// every time.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let txt = root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt");
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let out = dir.path().join("out");
    let commands = [
        format!("'{bin}' check '{}' | head -1", txt.display()),
        format!("'{bin}' facts '{}' | head -1", txt.display()),
        format!("'{bin}' check --format json '{}' | head -c 10", txt.display()),
        format!("'{bin}' convert -v '{}' --out '{}' 2>&1 | head -c 1", txt.display(), out.display()),
    ];
    for cmd in &commands {
        for _ in 0..20 {
            let o = Command::new("bash").arg("-c").arg(format!("{cmd} >/dev/null; echo \"status ${{PIPESTATUS[0]}}\" >&2")).output().unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(stderr.trim() == "status 0" || stderr.trim() == "status 141", "{cmd}: {stderr}");
        }
    }
}

/// Issue 16.13: -q prints nothing, -v each file with its warnings; an unusable --out is
/// named with what was being written; `facts` reads a canonical document.
#[test]
fn quiet_verbose_out_and_facts_of_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let text = jiaozuo_text();
    write(&input.join("good.txt"), &text);
    write(&input.join("cut.txt"), [text.as_bytes(), &"合".as_bytes()[..1]].concat());
    write(&input.join("empty.txt"), b"");
    let out = dir.path().join("out");
    let q = gongkai().args(["convert", "-q"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    assert_eq!(q.status.code(), Some(1));
    assert!(q.stderr.is_empty() && q.stdout.is_empty(), "{}", String::from_utf8_lossy(&q.stderr));
    let v = gongkai().args(["convert", "-v"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&v.stderr);
    assert!(stderr.contains("ok: ") && stderr.contains("good.txt") && stderr.contains("warning: the text ends in the middle"), "{stderr}");
    assert!(stderr.contains("1 document with warnings"), "{stderr}");
    // An output folder that cannot be made: its path and what was being made.
    let blocked = input.join("good.txt").join("sub");
    let r = gongkai().arg("convert").arg(input.join("good.txt")).arg("--out").arg(&blocked).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr.contains("cannot create the output folder") && stderr.contains(&blocked.display().to_string()), "{stderr}");
    // facts of the canonical document are the facts of its input.
    let a = gongkai().arg("facts").arg(out.join("good.json")).output().unwrap();
    assert_eq!(a.status.code(), Some(0), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(a.stdout == std::fs::read(out.join("good.facts.jsonl")).unwrap());
}

/// Issue 16, done when: a folder of every class mixed with good files: each bad file
/// answered with its kind within 10 s and 1 GiB, the good ones as alone, no panic,
/// exit 1, every output pair complete and one per input.
#[cfg(unix)]
#[test]
fn a_second_hostile_folder_is_answered_file_by_file() {
    let (_dir, input, out) = setup();
    let text = jiaozuo_text();
    write(&input.join("many-pages.pdf"), pages_without_content(5000));
    write(&input.join("a/jiaozuo-2024-final-accounts.txt"), format!("{text}\n"));
    write(&input.join("jiaozuo-2024-final-accounts.txt-2.txt"), format!("{text}\n\n"));
    write(&input.join(format!("{}.txt", "决".repeat(80))), format!("{text}\n\n\n"));
    let line = "2150599\t其他工业和信息产业监管支出\t169. 88\t126. 40\t43. 48\t\t\t";
    write(&input.join("largest.txt"), text.replacen(line, "2150599\t其他工业和信息产业监管支出\t79228162514264337593543950335\t79228162514264337593543950335\t1\t\t\t", 1));
    std::os::unix::fs::symlink("loop.pdf", input.join("loop.pdf")).unwrap();
    let fifo = std::ffi::CString::new(input.join("pipe.txt").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in our temporary folder.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    // OCR of the scan is its own matter (crates/cli/tests/ocr.rs): here every bad file is
    // answered from what the file itself holds, within the 10 s.
    let run = gongkai().args(["convert", "--ocr", "never", "--timeout", "10", "--max-memory", "1024"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errs = errors(&out);
    let mut want: Vec<(String, &str)> = bad_files().into_iter().map(|(n, _, k)| (n.to_string(), k)).collect();
    want.extend([("many-pages.pdf".to_string(), "damaged"), ("loop.pdf".into(), "not_a_file"), ("pipe.txt".into(), "not_a_file")]);
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
    for (name, kind) in &want {
        let e = errs.iter().find(|e| e["file"].as_str().unwrap().ends_with(&format!("/{name}"))).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(e["kind"], *kind, "{name}: {e}");
    }
    let m = manifest(&out);
    assert!(m.iter().all(|e| e["seconds"].as_f64().unwrap_or(0.0) < 10.0));
    assert_eq!(m.iter().filter(|e| e["status"] == "ok").count(), 6);
    assert_outputs_belong(&out);
    for good in ["jiaozuo-2024-final-accounts.txt", "jiaozuo-2024-final-accounts.pdf"] {
        let entry = m.iter().find(|e| e["file"].as_str().unwrap().ends_with(&format!("downloads/{good}"))).unwrap();
        let alone = gongkai().arg("facts").arg(input.join(good)).output().unwrap();
        assert!(alone.stdout == std::fs::read(out.join(entry["outputs"][1].as_str().unwrap())).unwrap(), "{good}");
    }
}

/// Facts without the fields that name the input (`doc`, `file`).
fn without_document(facts: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(facts)
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("doc");
            o.remove("file");
            v
        })
        .collect()
}
