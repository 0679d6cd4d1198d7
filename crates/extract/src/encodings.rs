//! Single-byte font encodings (PDF 32000 Annex D) and glyph names, as data: what a
//! simple font without ToUnicode means by its codes.

/// WinAnsiEncoding 0x80..=0x9F (the rest of its upper half is Latin-1).
const WIN_ANSI_80: [Option<char>; 32] = [
    Some('€'), None, Some('‚'), Some('ƒ'), Some('„'), Some('…'), Some('†'), Some('‡'),
    Some('ˆ'), Some('‰'), Some('Š'), Some('‹'), Some('Œ'), None, Some('Ž'), None,
    None, Some('‘'), Some('’'), Some('“'), Some('”'), Some('•'), Some('–'), Some('—'),
    Some('˜'), Some('™'), Some('š'), Some('›'), Some('œ'), None, Some('ž'), Some('Ÿ'),
];

/// MacRomanEncoding 0x80..=0xFF.
const MAC_ROMAN_80: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

/// The character a base encoding gives a code.
pub fn base_char(base: &[u8], code: u8) -> Option<char> {
    match code {
        0x20..=0x7E => Some(match (base, code) {
            (b"StandardEncoding", 0x27) => '’',
            (b"StandardEncoding", 0x60) => '‘',
            _ => code as char,
        }),
        0x80..=0xFF if base == b"MacRomanEncoding" => MAC_ROMAN_80.chars().nth(code as usize - 0x80),
        0x80..=0x9F => WIN_ANSI_80[code as usize - 0x80],
        0xA0..=0xFF => char::from_u32(code as u32),
        _ => None,
    }
}

/// Glyph names of the standard Latin set that tables and numbers use.
const NAMES: &[(&str, char)] = &[
    ("space", ' '), ("exclam", '!'), ("quotedbl", '"'), ("numbersign", '#'), ("dollar", '$'),
    ("percent", '%'), ("ampersand", '&'), ("quotesingle", '\''), ("quoteright", '’'), ("quoteleft", '‘'),
    ("parenleft", '('), ("parenright", ')'), ("asterisk", '*'), ("plus", '+'), ("comma", ','),
    ("hyphen", '-'), ("minus", '−'), ("period", '.'), ("slash", '/'), ("zero", '0'), ("one", '1'),
    ("two", '2'), ("three", '3'), ("four", '4'), ("five", '5'), ("six", '6'), ("seven", '7'),
    ("eight", '8'), ("nine", '9'), ("colon", ':'), ("semicolon", ';'), ("less", '<'), ("equal", '='),
    ("greater", '>'), ("question", '?'), ("at", '@'), ("bracketleft", '['), ("backslash", '\\'),
    ("bracketright", ']'), ("asciicircum", '^'), ("underscore", '_'), ("grave", '`'), ("braceleft", '{'),
    ("bar", '|'), ("braceright", '}'), ("asciitilde", '~'), ("endash", '–'), ("emdash", '—'),
    ("bullet", '•'), ("periodcentered", '·'), ("nbspace", '\u{A0}'), ("yen", '¥'), ("multiply", '×'),
];

/// The character a glyph name stands for: standard names, single letters, `uniXXXX`, `uXXXXX`.
pub fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Some(&(_, c)) = NAMES.iter().find(|(n, _)| *n == base) {
        return Some(c);
    }
    if base.len() == 1 && base.as_bytes()[0].is_ascii_alphabetic() {
        return base.chars().next();
    }
    let hex = base.strip_prefix("uni").filter(|h| h.len() == 4).or_else(|| base.strip_prefix('u').filter(|h| (4..=6).contains(&h.len())))?;
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_encodings_and_names() {
        assert_eq!(base_char(b"WinAnsiEncoding", b'7'), Some('7'));
        assert_eq!(base_char(b"WinAnsiEncoding", 0x80), Some('€'));
        assert_eq!(base_char(b"MacRomanEncoding", 0x80), Some('Ä'));
        assert_eq!(base_char(b"MacRomanEncoding", 0xFF), Some('ˇ'));
        assert_eq!(glyph_char(b"period"), Some('.'));
        assert_eq!(glyph_char(b"uni6536"), Some('收'));
        assert_eq!(glyph_char(b"five.tnum"), Some('5'));
        assert_eq!(glyph_char(b"g123"), None);
    }
}
