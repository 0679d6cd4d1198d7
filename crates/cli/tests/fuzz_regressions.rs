//! Every input the fuzzers once broke gongkai with converts to an answer — a document or
//! a kinded error — without a panic (see tests/fuzz-regressions/README.md).

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let r = std::panic::catch_unwind(|| gongkai::convert_bytes(&bytes, &name).map(|d| gongkai::document_json(&d).len()));
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => assert!(!e.kind().is_empty(), "{name}"),
            Err(_) => panic!("{name}: panicked"),
        }
        n += 1;
    }
    eprintln!("{n} fuzz regressions replayed");
}
