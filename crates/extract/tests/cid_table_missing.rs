//! Where the CID -> Unicode table of a collection is not installed, the glyphs are
//! unmapped and the page's warning says which table is missing and where it comes from.
//! (Its own test binary: the table folder is read once per process.)

mod support;

use gongkai_extract::pdf::{open, pages};

#[test]
fn a_missing_collection_table_is_named_in_the_warning() {
    let empty = std::env::temp_dir().join(format!("gongkai-no-cid-tables-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    // SAFETY: set before any thread of this test binary reads the environment.
    unsafe { std::env::set_var("GONGKAI_CID_TO_UNICODE", &empty) };
    let p = pages(&open(&support::collection_pdf("GB1", &[3436, 3270])).unwrap()).remove(0);
    assert!(p.glyphs.is_empty());
    assert_eq!(p.unmapped, 2);
    assert!(p.problems.iter().any(|m| m.contains("Adobe-GB1 CID -> Unicode table is not installed") && m.contains("poppler-data")), "{:?}", p.problems);
}
