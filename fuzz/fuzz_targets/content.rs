//! The content-stream lexer alone, on raw bytes: it must end, never panic, never recurse deep.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lexer = gongkai_extract::content::Lexer::new(data);
    let mut operands = Vec::new();
    while lexer.next_op(&mut operands).is_some() {}
});
