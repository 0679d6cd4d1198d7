//! Already-extracted text: UTF-8, UTF-16 with a byte-order mark, or GBK/GB18030,
//! detected from the bytes. Lines end in LF, CRLF or a lone CR.

use crate::{ExtractError, LaidOut, Line};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }
}

/// Decode text: UTF-16 when it starts with a byte-order mark (what Windows Notepad
/// writes as "Unicode"); UTF-8 when the bytes are valid UTF-8 (a BOM is dropped); else
/// GB18030 (a superset of GBK) when they decode without error; else an error. Never
/// assumed.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ExtractError> {
    decode_with_warnings(bytes).map(|(s, e, _)| (s, e))
}

/// [`decode`], and what was noticed: a UTF-8 text cut in the middle of its last
/// character is read without that character, with a warning.
pub fn decode_with_warnings(bytes: &[u8]) -> Result<(String, TextEncoding, Vec<String>), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if let Some(order) = utf16_bom(bytes) {
        if let Some(s) = decode_utf16(bytes, order) {
            return Ok((s, order, vec![]));
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => return Ok((s.to_string(), TextEncoding::Utf8, vec![])),
        // Valid up to an incomplete sequence at the very end: a download cut short.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            let s = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default();
            let cut = body.len() - e.valid_up_to();
            let w = format!("the text ends in the middle of a character (its last {cut} bytes are an incomplete UTF-8 sequence, left out): the file may be cut short");
            return Ok((s.to_string(), TextEncoding::Utf8, vec![w]));
        }
        Err(_) => {}
    }
    let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ExtractError::Encoding);
    }
    Ok((s.into_owned(), TextEncoding::Gb18030, vec![]))
}

/// The UTF-16 byte order named by a byte-order mark at the start of `bytes`.
pub fn utf16_bom(bytes: &[u8]) -> Option<TextEncoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        Some(TextEncoding::Utf16Le)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// `bytes` as UTF-16 in `order` (after its byte-order mark, if any), where they decode
/// without error and read as text: binary data can start with a BOM or hold zeros at every
/// other byte too, and text has no controls (but tab, line ends and the form feed
/// pdftotext writes between pages), private-use or special code points.
pub fn decode_utf16(bytes: &[u8], order: TextEncoding) -> Option<String> {
    let (enc, bom): (_, &[u8]) = match order {
        TextEncoding::Utf16Le => (encoding_rs::UTF_16LE, b"\xFF\xFE"),
        TextEncoding::Utf16Be => (encoding_rs::UTF_16BE, b"\xFE\xFF"),
        TextEncoding::Utf8 | TextEncoding::Gb18030 => return None,
    };
    let (s, had_errors) = enc.decode_without_bom_handling(bytes.strip_prefix(bom).unwrap_or(bytes));
    let plausible = !s.chars().any(|c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || ('\u{E000}'..='\u{F8FF}').contains(&c) || ('\u{FFF0}'..='\u{FFFF}').contains(&c)
    });
    (!had_errors && plausible).then(|| s.into_owned())
}

/// Lines ended by LF, CRLF or a lone CR (old Mac editors).
fn split_lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.find(['\n', '\r']) {
            Some(i) => {
                let skip = if r[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&r[i + skip..]).filter(|t| !t.is_empty());
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Read extracted text into lines; tabs separate cells.
pub fn read_text(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let (s, enc, warnings) = decode_with_warnings(bytes)?;
    if s.contains('\0') {
        return Err(ExtractError::NotText("the content holds NUL bytes (binary data)".into()));
    }
    let text_chars = s.chars().filter(|c| !c.is_whitespace()).count();
    if text_chars == 0 {
        return Err(ExtractError::Empty);
    }
    let lines = split_lines(&s)
        .enumerate()
        .map(|(i, l)| Line {
            spans: Vec::new(),
            boxes: Vec::new(),
            line: Some(i as u32 + 1),
            page: None,
            cells: l.split('\t').map(str::to_string).collect(),
        })
        .collect();
    Ok(LaidOut { lines, format: "text", encoding: Some(enc.name()), pages: None, warnings, damaged: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_and_gbk() {
        let (s, e) = decode("部门决算\t1.00".as_bytes()).unwrap();
        assert_eq!((s.as_str(), e), ("部门决算\t1.00", TextEncoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("收入决算表\t合计");
        let (s, e) = decode(&gbk).unwrap();
        assert_eq!((s.as_str(), e), ("收入决算表\t合计", TextEncoding::Gb18030));
        assert!(matches!(decode(b""), Err(ExtractError::Empty)));
        // 0x80 alone is invalid in both.
        assert!(matches!(decode(&[0xff, 0x80, 0x80, 0xff]), Err(ExtractError::Encoding)));
    }

    #[test]
    fn splits_cells_on_tabs() {
        let t = read_text("a\tb\r\nc".as_bytes()).unwrap();
        assert_eq!(t.lines[0].cells, vec!["a", "b"]);
        assert_eq!(t.lines[1].cells, vec!["c"]);
        assert_eq!(t.lines[1].line, Some(2));
        // A lone CR ends a line too; CRLF is one end, not two.
        let t = read_text(b"a\tb\rc\r\nd\n\ne").unwrap();
        let cells: Vec<&str> = t.lines.iter().map(|l| l.cells[0].as_str()).collect();
        assert_eq!(cells, ["a", "c", "d", "", "e"]);
    }

    #[test]
    fn reads_utf16_with_a_bom_and_a_cut_last_character() {
        let text = "收入决算表\t合计\r\n1.00";
        for (bom, be) in [([0xFFu8, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut b = bom.to_vec();
            for u in text.encode_utf16() {
                b.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            let (s, e, w) = decode_with_warnings(&b).unwrap();
            assert_eq!(s, text);
            assert_eq!(e, if be { TextEncoding::Utf16Be } else { TextEncoding::Utf16Le });
            assert!(w.is_empty());
        }
        // A form feed (pdftotext's page break) is text; other controls are not.
        let le = |t: &str| -> Vec<u8> { [0xFF, 0xFE].into_iter().chain(t.encode_utf16().flat_map(u16::to_le_bytes)).collect() };
        assert_eq!(decode_with_warnings(&le("合计\t1.00\u{c}支出")).unwrap().1, TextEncoding::Utf16Le);
        assert_eq!(decode_utf16(&le("合计\u{7}"), TextEncoding::Utf16Le), None);
        let full = "收入决算表\t合计".as_bytes();
        let (s, e, w) = decode_with_warnings(&full[..full.len() - 1]).unwrap();
        assert_eq!((s.as_str(), e), ("收入决算表\t合", TextEncoding::Utf8));
        assert_eq!(w.len(), 1, "{w:?}");
    }
}
