//! The TrueType cmap reader alone, on raw bytes: every offset is untrusted.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongkai_extract::truetype::glyph_unicode(data);
});
