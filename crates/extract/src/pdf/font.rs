//! Fonts: which Unicode text each character code draws, and how wide it is — ToUnicode
//! CMaps, predefined CJK encodings, single-byte encodings, and an embedded TrueType
//! program's own cmap where nothing else says.

use std::collections::HashMap;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use super::{dict_get, num, resolve, MAX_CONTENT_BYTES};
use crate::encodings;

#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    map: HashMap<u32, CompactString>,
    two_byte: bool,
}

fn hex_bytes(s: &str) -> Vec<u8> {
    crate::content::hex_decode(s.as_bytes())
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| (a << 8) | *b as u32)
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks(2).map(|c| ((c[0] as u16) << 8) | *c.get(1).unwrap_or(&0) as u16).collect();
    String::from_utf16_lossy(&units)
}

/// Parse the bfchar/bfrange sections of a ToUnicode CMap.
pub(crate) fn parse_cmap(data: &[u8]) -> CMap {
    let text = String::from_utf8_lossy(data);
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .flat_map(|t| t.split_inclusive('>'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut cm = CMap::default();
    let mut i = 0;
    let mut mode = "";
    while i < tokens.len() {
        let t = tokens[i];
        match t {
            "begincodespacerange" | "beginbfchar" | "beginbfrange" => {
                mode = t;
                i += 1;
                continue;
            }
            s if s.starts_with("end") => {
                mode = "";
                i += 1;
                continue;
            }
            _ => {}
        }
        match mode {
            "begincodespacerange" if t.starts_with('<') => {
                cm.two_byte = hex_bytes(t).len() >= 2;
                i += 2;
            }
            "beginbfchar" if t.starts_with('<') && i + 1 < tokens.len() => {
                cm.map.insert(be(&hex_bytes(t)), utf16(&hex_bytes(tokens[i + 1])).into());
                i += 2;
            }
            "beginbfrange" if t.starts_with('<') && i + 2 < tokens.len() => {
                let (lo, hi) = (be(&hex_bytes(t)), be(&hex_bytes(tokens[i + 1])));
                if tokens[i + 2].starts_with('[') {
                    let mut j = i + 2;
                    let mut code = lo;
                    loop {
                        let tok = tokens[j].trim_start_matches('[');
                        if !tok.is_empty() && tok != "]" {
                            cm.map.insert(code, utf16(&hex_bytes(tok)).into());
                            code += 1;
                        }
                        if tokens[j].ends_with(']') || tokens[j] == "]" || j + 1 >= tokens.len() {
                            break;
                        }
                        j += 1;
                    }
                    i = j + 1;
                } else {
                    let dst = hex_bytes(tokens[i + 2]);
                    let base = utf16(&dst);
                    for (k, code) in (lo..=hi.min(lo + 0xFFFF)).enumerate() {
                        // The last UTF-16 unit increments across the range.
                        let mut units: Vec<u16> = base.encode_utf16().collect();
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(k as u16);
                        }
                        cm.map.insert(code, String::from_utf16_lossy(&units).into());
                    }
                    i += 3;
                }
            }
            _ => i += 1,
        }
    }
    cm
}

/// How a font's character codes become Unicode.
enum Decoding {
    /// ToUnicode CMap (with the simple encoding behind it for codes it omits).
    ToUnicode(CMap),
    /// Predefined GBK-EUC-H / GBpc-EUC-H: the codes are GBK bytes.
    Gbk,
    /// Predefined UniGB-UCS2-H / UniGB-UTF16-H: the codes are UTF-16 units.
    Ucs2,
    /// A simple font's single-byte encoding.
    Simple,
    /// Identity-H without ToUnicode and the like: CIDs with no Unicode.
    Unknown,
}

/// The character as printed: fonts that map glyphs to Kangxi radicals (⼀ U+2F00) or CJK
/// compatibility ideographs draw the unified ideograph (一); their compatibility
/// decomposition is that ideograph. Every other character is kept as the font maps it.
fn printed_form(t: CompactString) -> CompactString {
    let odd = |c: char| matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F);
    if !t.chars().any(odd) {
        return t;
    }
    let mut out = CompactString::default();
    for c in t.chars() {
        if odd(c) {
            let mut d = String::new();
            unicode_normalization::char::decompose_compatible(c, |x| d.push(x));
            if d.chars().count() == 1 {
                out.push_str(&d);
                continue;
            }
        }
        out.push(c);
    }
    out
}

pub(crate) struct Font {
    decoding: Decoding,
    /// Bytes per code: 1 for simple fonts, 2 for CID fonts; GBK is variable.
    pub(crate) two_byte: bool,
    simple: [Option<char>; 256],
    widths: HashMap<u32, f32>,
    default_width: f32,
}

impl Font {
    /// Split a string operand into (code, Unicode text).
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<(u32, Option<CompactString>)>) {
        let mut i = 0;
        while i < bytes.len() {
            let n = match self.decoding {
                Decoding::Gbk
                    if bytes[i] >= 0x81 && i + 1 < bytes.len() => {
                        2
                    }
                _ if self.two_byte => 2.min(bytes.len() - i),
                _ => 1,
            };
            let raw = &bytes[i..i + n];
            let code = be(raw);
            let text = match &self.decoding {
                Decoding::ToUnicode(m) => m.map.get(&code).cloned().or_else(|| self.simple_char(code, n)),
                Decoding::Gbk => {
                    let (s, bad) = encoding_rs::GBK.decode_without_bom_handling(raw);
                    (!bad).then(|| CompactString::from(s))
                }
                Decoding::Ucs2 => Some(utf16(raw).into()),
                Decoding::Simple => self.simple_char(code, n),
                Decoding::Unknown => None,
            };
            out.push((code, text.map(printed_form)));
            i += n;
        }
    }

    fn simple_char(&self, code: u32, n: usize) -> Option<CompactString> {
        (n == 1 && !self.two_byte).then(|| self.simple[code as usize & 0xFF]).flatten().map(|c| CompactString::from(&*c.encode_utf8(&mut [0; 4])))
    }

    pub(crate) fn width(&self, code: u32, bytes: usize) -> f32 {
        match self.widths.get(&code) {
            Some(w) => *w,
            // A GBK font's single-byte codes are half-width roman glyphs.
            None if matches!(self.decoding, Decoding::Gbk) && bytes == 1 => 500.0,
            None => self.default_width,
        }
    }
}

fn simple_encoding(doc: &Document, dict: &Dictionary) -> [Option<char>; 256] {
    let mut table = [None; 256];
    let enc = dict_get(doc, dict, b"Encoding");
    let base = match enc {
        Some(Object::Name(n)) => n.as_slice(),
        Some(Object::Dictionary(d)) => d.get(b"BaseEncoding").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"WinAnsiEncoding"),
        _ => b"WinAnsiEncoding",
    };
    for (c, slot) in table.iter_mut().enumerate() {
        *slot = encodings::base_char(base, c as u8);
    }
    if let Some(Object::Dictionary(d)) = enc {
        if let Some(Object::Array(diffs)) = dict_get(doc, d, b"Differences") {
            let mut code = 0usize;
            for o in diffs {
                match o {
                    Object::Integer(i) => code = (*i).clamp(0, 255) as usize,
                    Object::Name(n) => {
                        if code < 256 {
                            table[code] = encodings::glyph_char(n);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    table
}

/// CID -> Unicode of an Identity-H font from its embedded TrueType program: the font's
/// cmap inverted, through /CIDToGIDMap where the CIDs are not the glyph ids.
fn embedded_cmap(doc: &Document, dict: &Dictionary) -> Option<CMap> {
    let desc = dict_get(doc, dict, b"DescendantFonts")?.as_array().ok()?.first().map(|o| resolve(doc, o))?.as_dict().ok()?;
    let fd = dict_get(doc, desc, b"FontDescriptor")?.as_dict().ok()?;
    let file = dict_get(doc, fd, b"FontFile2")?.as_stream().ok()?;
    let data = file.decompressed_content_with_limit(MAX_CONTENT_BYTES).ok()?;
    let by_gid = crate::truetype::glyph_unicode(&data)?;
    let mut map = HashMap::new();
    match dict_get(doc, desc, b"CIDToGIDMap") {
        Some(Object::Stream(st)) => {
            let cids = st.decompressed_content_with_limit(MAX_CONTENT_BYTES).ok()?;
            for (cid, gid) in cids.chunks_exact(2).enumerate() {
                if let Some(c) = by_gid.get(&u16::from_be_bytes([gid[0], gid[1]])) {
                    map.insert(cid as u32, CompactString::from(&*c.encode_utf8(&mut [0; 4])));
                }
            }
        }
        _ => {
            for (gid, c) in &by_gid {
                map.insert(*gid as u32, CompactString::from(&*c.encode_utf8(&mut [0; 4])));
            }
        }
    }
    Some(CMap { map, two_byte: true })
}

pub(crate) fn load_font(doc: &Document, dict: &Dictionary) -> Font {
    let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let type0 = subtype == b"Type0";
    let to_unicode = dict_get(doc, dict, b"ToUnicode")
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| s.decompressed_content_with_limit(MAX_CONTENT_BYTES).ok().or_else(|| Some(s.content.clone())))
        .map(|d| parse_cmap(&d))
        .filter(|c| !c.map.is_empty());
    let encoding_name = dict_get(doc, dict, b"Encoding").and_then(|o| o.as_name().ok()).unwrap_or(b"");
    // Without ToUnicode, an embedded TrueType CID font still says which character each
    // glyph draws, through its own cmap table.
    let to_unicode = to_unicode.or_else(|| if type0 && encoding_name.starts_with(b"Identity") { embedded_cmap(doc, dict) } else { None });
    let decoding = match to_unicode {
        Some(c) => Decoding::ToUnicode(c),
        None if type0 && (encoding_name.starts_with(b"GBK") || encoding_name.starts_with(b"GBpc-EUC") || encoding_name.starts_with(b"GBK2K")) => Decoding::Gbk,
        None if type0 && encoding_name.starts_with(b"UniGB-U") => Decoding::Ucs2,
        None if type0 => Decoding::Unknown,
        None => Decoding::Simple,
    };
    let simple = if type0 { [None; 256] } else { simple_encoding(doc, dict) };
    let mut widths = HashMap::new();
    let mut default_width = if type0 { 1000.0 } else { 500.0 };
    if type0 {
        let desc = dict_get(doc, dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = desc {
            if let Some(dw) = dict_get(doc, d, b"DW").and_then(num) {
                default_width = dw;
            }
            // Widths are keyed by CID, which equals the code only under Identity-H.
            let identity = !matches!(decoding, Decoding::Gbk | Decoding::Ucs2);
            if let (true, Some(w)) = (identity, dict_get(doc, d, b"W").and_then(|o| o.as_array().ok())) {
                let mut i = 0;
                while i + 1 < w.len() {
                    let first = num(resolve(doc, &w[i])).unwrap_or(0.0) as u32;
                    match resolve(doc, &w[i + 1]) {
                        Object::Array(list) => {
                            for (k, o) in list.iter().enumerate().take(0x10000) {
                                widths.insert(first + k as u32, num(resolve(doc, o)).unwrap_or(default_width));
                            }
                            i += 2;
                        }
                        o => {
                            let last = num(o).unwrap_or(0.0) as u32;
                            let wv = w.get(i + 2).and_then(num).unwrap_or(default_width);
                            for c in first..=last.min(first + 0xFFFF) {
                                widths.insert(c, wv);
                            }
                            i += 3;
                        }
                    }
                }
            }
        }
    } else if let Some(first) = dict_get(doc, dict, b"FirstChar").and_then(num) {
        if let Some(w) = dict_get(doc, dict, b"Widths").and_then(|o| o.as_array().ok()) {
            for (k, o) in w.iter().enumerate().take(256) {
                widths.insert(first as u32 + k as u32, num(resolve(doc, o)).unwrap_or(default_width));
            }
        }
    }
    let two_byte = match &decoding {
        Decoding::ToUnicode(c) => c.two_byte || type0,
        _ => type0,
    };
    Font { decoding, two_byte, simple, widths, default_width }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kangxi_radicals_and_compatibility_ideographs_read_as_printed() {
        assert_eq!(printed_form("⼀般公共服务⽀出".into()), "一般公共服务支出");
        assert_eq!(printed_form("\u{F900}".into()), "豈");
        assert_eq!(printed_form("收入".into()), "收入");
        assert_eq!(printed_form("①".into()), "①");
    }

    #[test]
    fn cmap_chars_and_ranges() {
        let cm = parse_cmap(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n2 beginbfchar <0003> <0020> <0010> <6536> endbfchar\n\
              1 beginbfrange <0020> <0022> <0031> endbfrange 1 beginbfrange <0030> <0031> [<5165> <51B3>] endbfrange",
        );
        assert!(cm.two_byte);
        assert_eq!(cm.map[&0x10], "收");
        assert_eq!(cm.map[&0x22], "3");
        assert_eq!(cm.map[&0x30], "入");
        assert_eq!(cm.map[&0x31], "决");
    }
}
