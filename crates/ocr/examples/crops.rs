//! Read crops dumped by `GONGKAI_OCR_DUMP` again, each stretched across by the factors
//! given, to see how the recognizer's reading depends on a crop's proportions:
//! `cargo run --release -p gongkai-ocr --example crops -- paddle 1,1.5,2 DIR/3-140.pgm…`
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let e = gongkai_ocr::engine::open(a[1].parse().unwrap()).unwrap();
    let factors: Vec<f32> = a[2].split(',').map(|f| f.parse().unwrap()).collect();
    for f in &a[3..] {
        let g = gongkai_ocr::raster::Gray::from_pgm(&std::fs::read(f).unwrap()).unwrap();
        let crops: Vec<_> = factors
            .iter()
            .map(|k| g.resize((g.w as f32 * k).round() as usize, g.h))
            .collect();
        // One crop a call: a batch pads each crop to its widest, which changes readings.
        let r: Vec<_> = crops
            .iter()
            .map(|c| e.read(std::slice::from_ref(c), gongkai_ocr::engine::Kind::Amount).unwrap().remove(0))
            .collect();
        let shown: Vec<String> = factors
            .iter()
            .zip(&r)
            .map(|(k, r)| format!("×{k}: {} ({:.3})", r.text, r.confidence()))
            .collect();
        println!("{f}: {}", shown.join("  "));
    }
}
