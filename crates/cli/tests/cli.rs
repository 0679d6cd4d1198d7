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
    let o = bin().args(["convert", "--quiet", "--out"]).arg(&out).arg(&input).output().unwrap();
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
