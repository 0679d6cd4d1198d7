//! The spreadsheet readers silence the panic of a damaged workbook on their own thread
//! only: after many read at once, on parallel threads as a batch does, a panic elsewhere
//! still reaches the process's hook (one swapped per call could be left silent by a race).
//! Its own test binary: it installs a panic hook.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

static REPORTED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn a_panic_elsewhere_is_reported_after_concurrent_damaged_workbooks() {
    let damaged = Arc::new(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../cli/tests/fuzz-regressions/xls-cfb-panic.xls")).unwrap());
    std::panic::set_hook(Box::new(|_| {
        REPORTED.fetch_add(1, Ordering::SeqCst);
    }));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let damaged = damaged.clone();
            std::thread::spawn(move || {
                for _ in 0..200 {
                    let e = gongkai_extract::sheet::read_xls(&damaged).unwrap_err();
                    assert!(e.to_string().contains("damaged: its structure does not read"), "{e}");
                }
            })
        })
        .collect();
    // Panics on other threads while the readers run are reported too.
    let mut elsewhere = 0;
    while readers.iter().any(|r| !r.is_finished()) || elsewhere < 20 {
        assert!(std::thread::spawn(|| panic!("elsewhere")).join().is_err());
        elsewhere += 1;
    }
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(REPORTED.load(Ordering::SeqCst), elsewhere, "the damaged workbooks' own panics are silent, every other one reported");
    assert!(std::thread::spawn(|| panic!("after")).join().is_err());
    assert_eq!(REPORTED.load(Ordering::SeqCst), elsewhere + 1);
}
