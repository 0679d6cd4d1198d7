//! `gongkai facts` over many inputs: one table, in sorted input order whatever the
//! parallelism, the same rows in every format, failures reported and skipped.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn samples() -> PathBuf {
    root().join("samples/jiaozuo-2024")
}

#[test]
fn many_inputs_give_one_table_in_input_order_at_any_parallelism() {
    let one = bin().args(["facts", "--jobs", "1"]).arg(samples()).output().unwrap();
    let two = bin().args(["facts", "--jobs", "2"]).arg(samples()).output().unwrap();
    assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
    assert!(one.stdout == two.stdout, "the table depends on the number of threads");
    // The table is each input's facts, sorted by path, one after the other.
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut want = Vec::new();
    for f in &files {
        let o = bin().arg("facts").arg(f).output().unwrap();
        assert!(o.status.success());
        want.extend(o.stdout);
    }
    assert!(one.stdout == want);
    let text = String::from_utf8(one.stdout).unwrap();
    assert_eq!(text.lines().count(), 3 * 910, "three prints of the 910-fact golden");
}

#[test]
fn csv_and_parquet_hold_the_same_rows_and_failures_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.pdf");
    std::fs::write(&bad, b"<html>not found</html>").unwrap();
    let txt = samples().join("jiaozuo-2024-final-accounts.txt");
    let csv = dir.path().join("facts.csv");
    let o = bin().arg("facts").arg(&txt).arg(&bad).arg("--out").arg(&csv).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken.pdf") && stderr.contains("[not_a_pdf]"), "{stderr}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("table,row,col,value,unit,amount,label,"));
    assert_eq!(csv.lines().count(), 1 + 910);
    // Parquet needs a file, and is written whole.
    let o = bin().args(["facts", "--format", "parquet"]).arg(&txt).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let pq = dir.path().join("facts.parquet");
    let o = bin().arg("facts").arg(&txt).arg("--out").arg(&pq).output().unwrap();
    assert!(o.status.success());
    let bytes = std::fs::read(&pq).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("910 facts of 1 of 1 inputs"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 3, "a temporary file was left: {left:?}");
}

#[test]
fn a_canonical_document_is_read_as_it_stands() {
    let golden = root().join("golden/jiaozuo-2024");
    let o = bin().arg("facts").arg(golden.join("jiaozuo-2024-final-accounts.json")).output().unwrap();
    assert!(o.status.success());
    assert!(o.stdout == std::fs::read(golden.join("jiaozuo-2024-final-accounts.facts.jsonl")).unwrap());
}

/// `convert --facts-table`: the table of the batch holds exactly the facts of the pairs it
/// wrote, whatever was converted or resumed.
#[test]
fn convert_writes_the_batch_facts_table_beside_its_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let (out, table) = (dir.path().join("out"), dir.path().join("all.jsonl"));
    let st = bin().args(["convert", "-q", "--ocr", "never"]).arg(samples()).arg("--out").arg(&out).arg("--facts-table").arg(&table).status().unwrap();
    assert!(st.success());
    let mut pairs: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".facts.jsonl"))
        .flat_map(|e| std::fs::read_to_string(e.path()).unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let mut rows: Vec<String> = std::fs::read_to_string(&table).unwrap().lines().map(str::to_string).collect();
    assert_eq!(rows.len(), 3 * 910);
    pairs.sort();
    rows.sort();
    assert_eq!(rows, pairs);
}
