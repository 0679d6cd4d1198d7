//! The OCR image path without recognition (see harness/ocr.rs): a page image decoded or
//! drawn from the bytes, deskewed, its raster rulings given to the lattice grid, every cell
//! cropped; no input may panic, hang or take the memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness/ocr.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::run(data));
