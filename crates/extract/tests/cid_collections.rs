//! Identity-H CIDs of Adobe's registered collections without ToUnicode (an unembedded
//! Adobe-GB1 font, as some Chinese producers write): read through the collection's
//! CID -> Unicode table, poppler-data's, where it is installed (skipped, with the reason
//! printed, where it is not; `cid_table_missing.rs` checks the warning then).

use gongkai_extract::pdf::{open, pages};
mod support;
use support::collection_pdf;

#[test]
fn adobe_gb1_cids_read_through_the_collection_table() {
    let table = std::path::Path::new("/usr/share/poppler/cidToUnicode/Adobe-GB1");
    if !table.exists() || std::env::var_os("GONGKAI_CID_TO_UNICODE").is_some() {
        eprintln!("skipped: {} is absent (Debian package poppler-data)", table.display());
        return;
    }
    // Adobe-GB1: CID 3436 收, 3270 入, 18 the digit 1 (the table's lines 3437, 3271, 19).
    let p = pages(&open(&collection_pdf("GB1", &[3436, 3270, 18])).unwrap()).remove(0);
    let got: Vec<(&str, f32)> = p.glyphs.iter().map(|g| (g.text.as_str(), g.x)).collect();
    assert_eq!(got, vec![("收", 100.0), ("入", 112.0), ("1", 124.0)], "{:?}", p.problems);
    assert_eq!(p.unmapped, 0);
    // An ordering with no table (not one of Adobe's) stays unmapped, and says so by count.
    let p = pages(&open(&collection_pdf("Other", &[3436])).unwrap()).remove(0);
    assert!(p.glyphs.is_empty());
    assert_eq!(p.unmapped, 1);
}
