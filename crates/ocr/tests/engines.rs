//! The engines: where installed, each reads a blank crop as nothing; where one is
//! missing, the error says how to install it. One test, because it changes the
//! environment the engines are found by.

use gongkai_ocr::engine::{self, EngineKind, Kind};
use gongkai_ocr::raster::Gray;

#[test]
fn engines_read_blank_as_nothing_and_a_missing_one_says_how_to_install_it() {
    for kind in [EngineKind::Paddle, EngineKind::Tesseract] {
        let Ok(e) = engine::open(kind) else {
            eprintln!("skipped {kind:?}: not installed");
            continue;
        };
        let r = e.read(&[Gray::new(120, 48, 255)], Kind::Amount).unwrap();
        assert_eq!(r.len(), 1);
        assert!(
            r[0].text.trim().is_empty(),
            "{kind:?} read {:?} on a blank crop",
            r[0].text
        );
    }
    std::env::set_var("GONGKAI_TESSERACT", "/nonexistent/tesseract");
    let e = engine::open(EngineKind::Tesseract)
        .err()
        .expect("no tesseract there")
        .to_string();
    assert!(
        e.contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
        "{e}"
    );
    std::env::remove_var("GONGKAI_TESSERACT");
    std::env::set_var("GONGKAI_OCR_MODEL", "/nonexistent/rec.onnx");
    match engine::open(EngineKind::Paddle) {
        Err(e) => assert!(
            e.to_string()
                .contains("pip install rapidocr-onnxruntime onnxruntime"),
            "{e}"
        ),
        Ok(_) => panic!("a model that is not there was loaded"),
    }
    std::env::remove_var("GONGKAI_OCR_MODEL");
}
