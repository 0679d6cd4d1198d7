//! Every input the fuzzers once broke gongkai with still gets an answer without a panic
//! (see tests/fuzz-regressions/README.md). A file is replayed through what its target
//! fuzzed: `font-*` the TrueType cmap reader, `content-*` the content lexer, `ocr-*` the
//! OCR image path without recognition (the fuzz target's own harness), anything else the
//! whole conversion.

#[path = "../../../fuzz/harness/ocr.rs"]
mod ocr_harness;

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
        let r = std::panic::catch_unwind(|| {
            if name.starts_with("font-") {
                let _ = gongkai_extract::truetype::glyph_unicode(&bytes);
            } else if name.starts_with("ocr-") {
                ocr_harness::run(&bytes);
            } else if name.starts_with("content-") {
                let mut lexer = gongkai_extract::content::Lexer::new(&bytes);
                let mut ops = Vec::new();
                while lexer.next_op(&mut ops).is_some() {}
            } else if let Err(e) = gongkai::convert_bytes(&bytes, &name) {
                assert!(!e.kind().is_empty());
            }
        });
        assert!(r.is_ok(), "{name}: panicked");
        n += 1;
    }
    assert!(n >= 1, "the regression files are gone");
}
