//! The PDF path: parse, interpret every page (fonts, text, rulings, clips, forms), rebuild
//! the grid lines, then the whole pipeline. Any panic, overflow or leak is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = gongkai_extract::pdf::open(data) {
        for page in gongkai_extract::pdf::pages(&doc) {
            let _ = gongkai_extract::lattice::page_lines(&page);
        }
    }
    let _ = gongkai::convert_bytes(data, "fuzz.pdf");
});
