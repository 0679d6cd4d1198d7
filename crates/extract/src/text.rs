//! Already-extracted text: UTF-8 or GBK/GB18030, detected from the bytes.

use crate::{ExtractError, LaidOut, Line};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Gb18030 => "gb18030",
        }
    }
}

/// Decode text: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GB18030
/// (a superset of GBK) when they decode without error, else an error. Never assumed.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok((s.to_string(), TextEncoding::Utf8));
    }
    let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ExtractError::Encoding);
    }
    Ok((s.into_owned(), TextEncoding::Gb18030))
}

/// Read extracted text into lines; tabs separate cells.
pub fn read_text(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let (s, enc) = decode(bytes)?;
    if s.contains('\0') {
        return Err(ExtractError::NotText("the content holds NUL bytes (binary data)".into()));
    }
    let text_chars = s.chars().filter(|c| !c.is_whitespace()).count();
    if text_chars == 0 {
        return Err(ExtractError::Empty);
    }
    let lines = s
        .lines()
        .enumerate()
        .map(|(i, l)| Line {
            spans: Vec::new(),
            boxes: Vec::new(),
            line: Some(i as u32 + 1),
            page: None,
            cells: l.split('\t').map(|c| c.trim_end_matches('\r').to_string()).collect(),
        })
        .collect();
    Ok(LaidOut { lines, format: "text", encoding: Some(enc.name()), pages: None, warnings: vec![], damaged: None })
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
    }
}
