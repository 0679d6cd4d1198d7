//! The binary end to end: a batch with good and bad files, exit codes, outputs.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")
}

#[test]
fn batch_converts_good_files_and_reports_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    std::fs::write(input.join("good.txt"), &text).unwrap();
    // The same document in GBK converts to the same facts.
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(input.join("sub/good-gbk.txt"), &gbk).unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    std::fs::write(input.join("random.txt"), [0xffu8, 0x80, 0x81, 0xfe, 0x00, 0x80]).unwrap();
    std::fs::write(input.join("prose.txt"), "这是一段与决算无关的文字。\n").unwrap();
    std::fs::write(input.join("ignored.csv"), "a,b").unwrap();
    let out = dir.path().join("out");
    let o = bin().args(["convert", "--out"]).arg(&out).arg(&input).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("converted 2 of 5 files"), "{stderr}");
    let a = std::fs::read_to_string(out.join("good.facts.jsonl")).unwrap();
    let b = std::fs::read_to_string(out.join("good-gbk.facts.jsonl")).unwrap();
    // Facts name their document (sha256 and file name), which differ; all else is equal.
    let without_document = |s: &str| -> Vec<serde_json::Value> {
        s.lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                let o = v.as_object_mut().unwrap();
                assert!(o.remove("doc").is_some() && o.remove("file").is_some(), "{l}");
                v
            })
            .collect()
    };
    assert_eq!(without_document(&a), without_document(&b));
    assert!(a.lines().count() > 900);
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    let kinds: Vec<String> = errors
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["empty", "not_a_disclosure", "text_encoding"]);
    // No temporary file is left behind.
    for e in std::fs::read_dir(&out).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!n.contains(".tmp"), "{n}");
    }
}

#[test]
fn facts_and_check_commands() {
    let o = bin().arg("facts").arg(sample()).output().unwrap();
    assert!(o.status.success());
    let first = String::from_utf8(o.stdout).unwrap().lines().next().unwrap().to_string();
    assert!(first.starts_with(r#"{"table":"income_expenditure_summary","row":"收入/一般公共预算财政拨款收入","col":"决算数","value":"5896.65","unit":"万元""#), "{first}");
    let o = bin().args(["check", "--format", "json"]).arg(sample()).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|f| f["severity"] == "notice"));
}

#[test]
fn check_reports_an_injected_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    // 公开05表 row 2150599: 169.88 = 126.40 + 43.48; print 169.98 instead.
    let line = "2150599\t其他工业和信息产业监管支出\t169. 88\t126. 40\t43. 48\t\t\t";
    assert!(text.contains(line));
    let f = dir.path().join("bad.txt");
    std::fs::write(&f, text.replacen(line, "2150599\t其他工业和信息产业监管支出\t169. 98\t126. 40\t43. 48\t\t\t", 1)).unwrap();
    let o = bin().args(["check", "--format", "json"]).arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let errors: Vec<_> = v.as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert!(!errors.is_empty());
    assert!(errors.iter().any(|f| f["rule"] == "table.columns"
        && f["table"] == "general_budget_expenditure"
        && f["row"] == "2150599"
        && f["diff"] == "0.10"));
    assert!(errors.iter().any(|f| f["rule"] == "table.hierarchy" && f["row"] == "21505"));
}

#[test]
fn pdf_input_gets_a_clear_error_for_now() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.pdf");
    std::fs::write(&f, b"%PDF-1.7\n").unwrap();
    let o = bin().arg("facts").arg(&f).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("x.pdf"));
}

/// Issue 14.4: the batch ends with a verdict per document, `--fail-on` makes the exit code
/// say so, and manifest.jsonl holds one line per input with what it is and what it gave.
#[test]
fn convert_gives_a_verdict_per_document_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    std::fs::write(input.join("good.txt"), &text).unwrap();
    let line = "2150599\t其他工业和信息产业监管支出\t169. 88\t126. 40\t43. 48\t\t\t";
    std::fs::write(input.join("wrong-sum.txt"), text.replacen(line, "2150599\t其他工业和信息产业监管支出\t169. 98\t126. 40\t43. 48\t\t\t", 1)).unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| bin().arg("convert").arg(&input).arg("--out").arg(&out).args(extra).output().unwrap();
    let o = run(&[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 document: every identity holds"), "{stderr}");
    assert!(stderr.contains("1 document with error findings:"), "{stderr}");
    let m: Vec<serde_json::Value> =
        std::fs::read_to_string(out.join("manifest.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(m.len(), 2);
    let wrong = &m[1];
    assert!(wrong["file"].as_str().unwrap().ends_with("wrong-sum.txt"));
    let errors = wrong["errors"].as_u64().unwrap();
    assert!(errors >= 2, "{wrong}");
    assert!(stderr.contains(&format!("wrong-sum.txt ({errors} errors)")), "{stderr}");
    for e in &m {
        for field in ["file", "doc", "format", "pages", "tables", "facts", "errors", "warnings", "seconds", "outputs", "size"] {
            assert!(e.get(field).is_some(), "{field} missing: {e}");
        }
        assert_eq!(e["format"], "text");
        assert_eq!(e["tables"], 9);
        assert!(e["facts"].as_u64().unwrap() > 900);
    }
    assert_eq!(m[0]["errors"], 0);
    assert_eq!(run(&["--fail-on", "error"]).status.code(), Some(1));
    // Without warnings and with the wrong sum gone, --fail-on warning passes.
    std::fs::remove_file(input.join("wrong-sum.txt")).unwrap();
    let fresh = dir.path().join("fresh");
    let o = bin().arg("convert").arg(&input).arg("--out").arg(&fresh).args(["--fail-on", "warning"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let cut = [text.as_bytes(), &"合".as_bytes()[..1]].concat();
    std::fs::write(input.join("cut.txt"), cut).unwrap();
    let o = bin().arg("convert").arg(&input).arg("--out").arg(&fresh).args(["--fail-on", "warning"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 document with warnings"));
}
