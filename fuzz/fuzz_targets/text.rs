//! The text path: encoding detection, segmenting, table rebuilding, checks, emitting.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = gongkai::convert_bytes(data, "fuzz.txt") {
        let _ = gongkai::document_json(&doc);
        let _ = gongkai::facts_jsonl(&doc);
    }
});
