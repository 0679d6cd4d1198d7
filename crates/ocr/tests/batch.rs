//! A crop's reading does not depend on the crops it is batched with. PP-OCRv4 looks at the
//! whole padded line at once, so the padding must be what the model was trained with
//! (PaddleOCR pads with 0 after normalizing, a mid gray): padded with white, this crop of
//! a budget scan (`293,810,000.00` at 200 dpi, made by scripts/make-scans from a
//! reportlab variant) read `293,810,00.0` beside a wider crop and right alone.

use gongkai_ocr::engine::{self, EngineKind, Kind};
use gongkai_ocr::raster::Gray;

#[test]
fn an_amount_reads_the_same_alone_and_beside_wider_crops() {
    let Ok(e) = engine::open(EngineKind::Paddle) else {
        eprintln!("skipped: PP-OCRv4 not installed (pip install rapidocr-onnxruntime onnxruntime)");
        return;
    };
    let bytes = include_bytes!("fixtures/amount-beside-wider-crops.pgm");
    let crop = Gray::from_pgm(bytes).expect("a PGM");
    let alone = e.read(std::slice::from_ref(&crop), Kind::Amount).unwrap();
    assert_eq!(alone[0].text, "293,810,000.00");
    for wider in [1.5f32, 2.0, 3.0] {
        let blank = Gray::new((crop.w as f32 * wider) as usize, crop.h, 255);
        let stretched = crop.resize((crop.w as f32 * wider) as usize, crop.h);
        for other in [blank, stretched] {
            let r = e.read(&[crop.clone(), other], Kind::Amount).unwrap();
            assert_eq!(
                r[0].text, "293,810,000.00",
                "read beside a crop {wider}× as wide"
            );
        }
    }
}

/// A lone `0` (a whole-元 zero of a Calc print's 基本支出 table, 200 dpi, made by
/// scripts/make-scans) is an `o` to the full alphabet; a reading of digit look-alikes
/// alone is decoded again over the digits, at the digit's own low confidence, so that
/// only the identities can prove it. (Read `o` before, and the cell was lost.)
#[test]
fn a_lone_zero_read_as_a_letter_is_decoded_as_a_digit() {
    let Ok(e) = engine::open(EngineKind::Paddle) else {
        eprintln!("skipped: PP-OCRv4 not installed (pip install rapidocr-onnxruntime onnxruntime)");
        return;
    };
    let crop = Gray::from_pgm(include_bytes!("fixtures/lone-zero.pgm")).expect("a PGM");
    let r = e.read(std::slice::from_ref(&crop), Kind::Text).unwrap();
    assert_eq!(r[0].text, "0");
    assert!(r[0].confidence() < 0.9, "a look-alike's digit is no confident reading: {}", r[0].confidence());
}
