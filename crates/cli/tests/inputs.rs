//! One walker finds the inputs of `convert`, `facts` and the Python package
//! (`gongkai::inputs::collect`): for one folder with subfolders, a FIFO, a link loop, an
//! unreadable subfolder, links to a file and to a folder, and files of no known
//! extension, `convert` and `facts` see the same inputs and report the same paths with
//! the same kinds, in the same order. (The Python package's side:
//! crates/python/tests/test_gongkai.py::test_facts_see_the_inputs_convert_sees.)

#![cfg(unix)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn text() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).unwrap()
}

/// The folder; and whether the unreadable subfolder is unreadable (not to root).
fn folder(dir: &Path) -> (PathBuf, bool) {
    let input = dir.join("in");
    let t = text();
    write(&input.join("a.txt"), &t);
    write(&input.join("sub/b.txt"), format!("{t}\n"));
    write(&input.join("sub/deeper/c.TXT"), format!("{t}\n\n"));
    write(&input.join("sub/note.md"), "# nothing here\n");
    write(&input.join("sub/data.csv"), "not,an,input\n");
    write(&input.join("elsewhere/d.txt"), format!("{t}\n\n\n"));
    write(&dir.join("outside.txt"), format!("{t}\n\n\n\n"));
    std::os::unix::fs::symlink("../../outside.txt", input.join("sub/link-to-outside.txt")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", input.join("sub/link-to-folder")).unwrap();
    std::os::unix::fs::symlink("loop.txt", input.join("loop.txt")).unwrap();
    let fifo = std::ffi::CString::new(input.join("sub/pipe.pdf").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in our temporary folder.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let locked = input.join("locked");
    write(&locked.join("x.txt"), &t);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let root_user = unsafe { libc::geteuid() } == 0;
    (input, !root_user)
}

/// "error: PATH: message [kind]" lines of stderr, as (path, kind).
fn reported(stderr: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter_map(|l| {
            let (path, rest) = l.split_once(": ")?;
            let kind = rest.rsplit_once('[')?.1.strip_suffix(']')?;
            Some((path.to_string(), kind.to_string()))
        })
        .collect()
}

#[test]
fn convert_and_facts_see_the_same_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (input, locked_unreadable) = folder(dir.path());
    let out = dir.path().join("out");
    let convert = gongkai().args(["convert", "-q", "--ocr", "never", "--timeout", "60"]).arg(&input).arg("--out").arg(&out).output().unwrap();
    let facts = gongkai().args(["facts", "--ocr", "never"]).arg(&input).output().unwrap();
    let (found, failures) = gongkai::inputs::collect(std::slice::from_ref(&input));
    std::fs::set_permissions(input.join("locked"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert_eq!(convert.status.code(), Some(1), "{}", String::from_utf8_lossy(&convert.stderr));
    assert_eq!(facts.status.code(), Some(1), "{}", String::from_utf8_lossy(&facts.stderr));

    // The walker's answer: every file of a known extension, links to files followed,
    // links to folders not, sorted; a FIFO and a link loop not opened but reported.
    let rel = |p: &Path| p.strip_prefix(&input).unwrap().display().to_string();
    let mut want = vec!["a.txt", "elsewhere/d.txt", "sub/b.txt", "sub/deeper/c.TXT", "sub/link-to-outside.txt", "sub/note.md"];
    if !locked_unreadable {
        eprintln!("note: running as root, a folder without permissions is still readable: its part is not checked");
        want.insert(2, "locked/x.txt");
    }
    assert_eq!(found.iter().map(|f| rel(&f.path)).collect::<Vec<_>>(), want);
    let mut failed: Vec<(String, String)> = failures.iter().map(|f| (rel(&f.file), f.kind.clone())).collect();
    let mut want_failed = vec![("loop.txt".to_string(), "not_a_file".to_string()), ("sub/pipe.pdf".into(), "not_a_file".into())];
    if locked_unreadable {
        want_failed.insert(0, ("locked".into(), "io".into()));
    }
    assert_eq!(failed, want_failed);
    // The Markdown file is an input that fails; it joins the failures of both commands.
    failed.push(("sub/note.md".into(), "not_a_disclosure".into()));
    failed.sort();

    // `convert`: the manifest lists every input, ok or failed with its kind.
    let manifest: Vec<serde_json::Value> =
        std::fs::read_to_string(out.join("manifest.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let under = |f: &str| Path::new(f).strip_prefix(&input).map(|p| p.display().to_string()).unwrap_or_else(|_| f.to_string());
    let ok: BTreeSet<String> = manifest.iter().filter(|e| e["status"] == "ok").map(|e| under(e["file"].as_str().unwrap())).collect();
    let mut convert_failed: Vec<(String, String)> =
        manifest.iter().filter(|e| e["status"] == "failed").map(|e| (under(e["file"].as_str().unwrap()), e["kind"].as_str().unwrap().to_string())).collect();
    convert_failed.sort();
    assert_eq!(convert_failed, failed);
    let want_ok: BTreeSet<String> = want.iter().filter(|w| !w.ends_with(".md")).map(|w| w.to_string()).collect();
    assert_eq!(ok, want_ok);

    // `facts`: the same failures on stderr, the same inputs' facts on stdout.
    let mut facts_failed: Vec<(String, String)> = reported(&facts.stderr).into_iter().map(|(p, k)| (under(&p), k)).collect();
    facts_failed.sort();
    assert_eq!(facts_failed, failed, "{}", String::from_utf8_lossy(&facts.stderr));
    let files: BTreeSet<String> = String::from_utf8_lossy(&facts.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["file"].as_str().unwrap().to_string())
        .collect();
    let names: BTreeSet<String> = want_ok.iter().map(|w| Path::new(w).file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(files, names);
}

/// `check --corpus` and `review` read canonical `.json` documents too, found by the same
/// walker (`collect_with(.., Search::WithDocuments)`): a FIFO or a link loop named `.json`
/// is reported with its kind and never opened, as it is for `convert`.
#[test]
fn check_corpus_and_review_find_documents_with_the_same_walker() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs");
    let doc = gongkai::convert_bytes(text().as_bytes(), "a.txt").unwrap();
    write(&input.join("sub/a.json"), gongkai::document_json(&doc));
    write(&input.join("sub/other.csv"), "not,an,input\n");
    std::os::unix::fs::symlink("loop.json", input.join("loop.json")).unwrap();
    let fifo = std::ffi::CString::new(input.join("sub/pipe.json").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in our temporary folder.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);

    let (found, failures) = gongkai::inputs::collect_with(std::slice::from_ref(&input), gongkai::inputs::Search::WithDocuments);
    let rel = |p: &Path| p.strip_prefix(&input).unwrap().display().to_string();
    assert_eq!(found.iter().map(|f| rel(&f.path)).collect::<Vec<_>>(), ["sub/a.json"]);
    let failed: Vec<(String, String)> = failures.iter().map(|f| (rel(&f.file), f.kind.clone())).collect();
    let want = vec![("loop.json".to_string(), "not_a_file".to_string()), ("sub/pipe.json".into(), "not_a_file".into())];
    assert_eq!(failed, want);
    // `convert`'s search is not widened: a `.json` there is an output, not an input.
    assert!(gongkai::inputs::collect(std::slice::from_ref(&input)).0.is_empty());

    let check = gongkai().args(["check", "--corpus", "--ocr", "never"]).arg(&input).output().unwrap();
    let review = gongkai().arg("review").arg(&input).arg("--out").arg(dir.path().join("review")).output().unwrap();
    for (name, o) in [("check --corpus", &check), ("review", &review)] {
        let mut got: Vec<(String, String)> = reported(&o.stderr).into_iter().map(|(p, k)| (rel(Path::new(&p)), k)).collect();
        got.sort();
        assert_eq!(got, want, "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert_ne!(o.status.code(), Some(0), "{name}");
    }
    assert!(String::from_utf8_lossy(&check.stdout).contains("a.txt"), "{}", String::from_utf8_lossy(&check.stdout));
}
