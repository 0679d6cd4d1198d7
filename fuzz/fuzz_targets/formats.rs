//! Every reader chosen by the bytes (HTML, XLSX/XLS/ODS, DOCX, Markdown, layout and
//! reading-order text), then the whole pipeline: no input may panic or hang it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = gongkai::convert_bytes(data, "download.bin") {
        let _ = gongkai::document_json(&doc);
        let _ = gongkai::facts_jsonl(&doc);
    }
});
