//! Fonts: which Unicode text each character code draws, and how wide it is — ToUnicode
//! CMaps, predefined CJK encodings, single-byte encodings, and an embedded TrueType
//! program's own cmap where nothing else says.

use std::collections::HashMap;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use super::{dict_get, num, resolve, MAX_CMAP_ENTRIES, MAX_CONTENT_BYTES, MAX_WIDTH_ENTRIES};
use crate::encodings;

#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    map: HashMap<u32, CompactString>,
    two_byte: bool,
    /// The CMap defined more than `MAX_CMAP_ENTRIES` codes: the rest were not read.
    truncated: bool,
}

fn hex_bytes(s: &str) -> Vec<u8> {
    crate::content::hex_decode(s.as_bytes())
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| (a << 8) | *b as u32)
}

/// UTF-16BE, lossy (U+FFFD for an unpaired surrogate; an odd last byte is the high half).
pub(crate) fn utf16_be(bytes: &[u8]) -> String {
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
            _ if cm.map.len() >= MAX_CMAP_ENTRIES => {
                cm.truncated = true;
                break;
            }
            "beginbfchar" if t.starts_with('<') && i + 1 < tokens.len() => {
                cm.map.insert(be(&hex_bytes(t)), utf16_be(&hex_bytes(tokens[i + 1])).into());
                i += 2;
            }
            "beginbfrange" if t.starts_with('<') && i + 2 < tokens.len() => {
                let (lo, hi) = (be(&hex_bytes(t)), be(&hex_bytes(tokens[i + 1])));
                if tokens[i + 2].starts_with('[') {
                    let mut j = i + 2;
                    let mut code = lo;
                    loop {
                        let tok = tokens[j].trim_start_matches('[');
                        if !tok.is_empty() && tok != "]" && cm.map.len() < MAX_CMAP_ENTRIES {
                            cm.map.insert(code, utf16_be(&hex_bytes(tok)).into());
                            code = code.wrapping_add(1);
                        }
                        if tokens[j].ends_with(']') || tokens[j] == "]" || j + 1 >= tokens.len() {
                            break;
                        }
                        j += 1;
                    }
                    i = j + 1;
                } else {
                    let dst = hex_bytes(tokens[i + 2]);
                    let base: Vec<u16> = utf16_be(&dst).encode_utf16().collect();
                    let mut units = base.clone();
                    for (k, code) in (lo..=hi.min(lo.saturating_add(0xFFFF))).enumerate() {
                        if cm.map.len() >= MAX_CMAP_ENTRIES {
                            cm.truncated = true;
                            break;
                        }
                        // The last UTF-16 unit increments across the range.
                        if let (Some(last), Some(b)) = (units.last_mut(), base.last()) {
                            *last = b.wrapping_add(k as u16);
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
    /// Identity-H CIDs of a registered character collection (Adobe-GB1, ...), read through
    /// the collection's CID -> Unicode table (poppler-data's, where installed).
    Collection(&'static [char]),
    /// Identity-H without ToUnicode and the like: CIDs with no Unicode.
    Unknown,
}

/// Where poppler-data installs Adobe's CID -> Unicode tables (one hex code point per
/// line, the line number being the CID); `GONGKAI_CID_TO_UNICODE` names another folder.
const CID_TO_UNICODE_DIR: &str = "/usr/share/poppler/cidToUnicode";

/// The CID -> Unicode table of `Adobe-<ordering>`, read once per process; None when it is
/// not installed (or the ordering is not one of Adobe's four CJK collections).
fn collection_table(ordering: &[u8]) -> Option<&'static [char]> {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<Option<Vec<char>>>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (k, name) = match ordering {
        b"GB1" => (0, "Adobe-GB1"),
        b"CNS1" => (1, "Adobe-CNS1"),
        b"Japan1" => (2, "Adobe-Japan1"),
        b"Korea1" => (3, "Adobe-Korea1"),
        _ => return None,
    };
    TABLES[k]
        .get_or_init(|| {
            let dir = std::env::var_os("GONGKAI_CID_TO_UNICODE").map_or_else(|| CID_TO_UNICODE_DIR.into(), std::path::PathBuf::from);
            let text = std::fs::read_to_string(dir.join(name)).ok()?;
            // 65,536 CIDs at most: a longer file is not such a table.
            let table: Vec<char> = text
                .lines()
                .take(0x10000)
                .map(|l| u32::from_str_radix(l.trim(), 16).ok().and_then(char::from_u32).unwrap_or('\0'))
                .collect();
            (!table.is_empty()).then_some(table)
        })
        .as_deref()
}

/// The Unicode Character Database's Equivalent_Unified_Ideograph property, as data: every
/// Kangxi radical (⼀ U+2F00), CJK Radicals Supplement character (⻔ U+2ED4) and CJK stroke
/// with the unified ideograph it is equivalent to (source and version in the file's header;
/// `scripts/gen-equivalent-ideographs` writes it).
const EQUIVALENT_UNIFIED_IDEOGRAPH: &str = include_str!("../../data/equivalent_unified_ideograph.txt");

/// `EQUIVALENT_UNIFIED_IDEOGRAPH` parsed once: (radical or stroke, ideograph), sorted.
fn equivalent_ideographs() -> &'static [(char, char)] {
    use std::sync::OnceLock;
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<(char, char)> = EQUIVALENT_UNIFIED_IDEOGRAPH
            .lines()
            .filter_map(|l| {
                let (a, b) = l.split('#').next()?.split_once(';')?;
                let c = |s: &str| u32::from_str_radix(s.trim(), 16).ok().and_then(char::from_u32);
                Some((c(a)?, c(b)?))
            })
            .collect();
        t.sort_unstable();
        t
    })
}

/// The character as printed: a font that maps a glyph to a radical or stroke (Kangxi radicals
/// ⼀, the CJK Radicals Supplement's ⻔, CJK strokes) draws the unified ideograph the UCD says
/// it is equivalent to (一, 门); one that maps to a CJK compatibility ideograph (U+F900) draws
/// the ideograph of its canonical decomposition (豈). Every other character is kept as the
/// font maps it. The producer's mapping is the mistake: the glyph on the page is the ideograph.
pub(crate) fn printed_form(t: CompactString) -> CompactString {
    let radical = |c: char| matches!(c as u32, 0x2E80..=0x2FDF | 0x31C0..=0x31EF);
    let compatibility = |c: char| matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F);
    if !t.chars().any(|c| radical(c) || compatibility(c)) {
        return t;
    }
    let mut out = CompactString::default();
    for c in t.chars() {
        if radical(c) {
            let table = equivalent_ideographs();
            match table.binary_search_by_key(&c, |e| e.0) {
                Ok(i) => out.push(table[i].1),
                Err(_) => out.push(c),
            }
            continue;
        }
        if compatibility(c) {
            let mut d = String::new();
            unicode_normalization::char::decompose_canonical(c, |x| d.push(x));
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
    /// Glyph-space units to text space: 1/1000, or a Type3 font's FontMatrix.
    pub(crate) scale: f32,
    /// The em of the font relative to a 1000-unit glyph space (a Type3 FontMatrix can scale it).
    pub(crate) em: f32,
    /// What was wrong with the font's data (limits reached), reported once for the page
    /// that first uses it.
    pub(crate) problems: Vec<String>,
    /// Why its codes have no Unicode (a CID table not installed, a font that says nothing of
    /// its characters): reported on pages that draw them.
    pub(crate) missing_table: Option<String>,
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
                Decoding::Ucs2 => Some(utf16_be(raw).into()),
                Decoding::Collection(t) => t.get(code as usize).filter(|c| **c != '\0').map(|c| CompactString::from(&*c.encode_utf8(&mut [0; 4]))),
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

/// A simple font's code -> character table: its base encoding (WinAnsi where none is
/// named; none for a Type3 font, whose codes mean only what /Differences says) and /Differences.
fn simple_encoding(doc: &Document, dict: &Dictionary, type3: bool) -> [Option<char>; 256] {
    let mut table = [None; 256];
    let enc = dict_get(doc, dict, b"Encoding");
    let default: Option<&[u8]> = (!type3).then_some(b"WinAnsiEncoding");
    let base = match enc {
        Some(Object::Name(n)) => Some(n.as_slice()),
        Some(Object::Dictionary(d)) => d.get(b"BaseEncoding").ok().and_then(|o| o.as_name().ok()).or(default),
        _ => default,
    };
    if let Some(base) = base {
        for (c, slot) in table.iter_mut().enumerate() {
            *slot = encodings::base_char(base, c as u8);
        }
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
    Some(CMap { map, two_byte: true, truncated: false })
}

/// A simple TrueType font whose codes have no Unicode by any of §9.10.2's methods: no
/// /Encoding, flagged symbolic (FontDescriptor /Flags bit 3, not bit 6), and an embedded
/// program (FontFile2) that names no character (`truetype::names_characters`).
fn says_nothing(doc: &Document, dict: &Dictionary) -> bool {
    if dict_get(doc, dict, b"Encoding").is_some() {
        return false;
    }
    let Some(fd) = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok()) else { return false };
    let flags = dict_get(doc, fd, b"Flags").and_then(|o| o.as_i64().ok()).unwrap_or(0);
    if flags & 4 == 0 || flags & 32 != 0 {
        return false;
    }
    let Some(file) = dict_get(doc, fd, b"FontFile2").and_then(|o| o.as_stream().ok()) else { return false };
    let data = match file.decompressed_content_with_limit(MAX_CONTENT_BYTES) {
        Ok(d) => d,
        Err(_) if file.filters().map_or(true, |f| f.is_empty()) => file.content.clone(),
        Err(_) => return false,
    };
    crate::truetype::names_characters(&data) == Some(false)
}

pub(crate) fn load_font(doc: &Document, dict: &Dictionary) -> Font {
    let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let type0 = subtype == b"Type0";
    let type3 = subtype == b"Type3";
    let base_font = String::from_utf8_lossy(dict.get(b"BaseFont").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"(unnamed)")).into_owned();
    let mut problems = Vec::new();
    let to_unicode = dict_get(doc, dict, b"ToUnicode")
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| s.decompressed_content_with_limit(MAX_CONTENT_BYTES).ok().or_else(|| Some(s.content.clone())))
        .map(|d| parse_cmap(&d))
        .filter(|c| !c.map.is_empty());
    if to_unicode.as_ref().is_some_and(|c| c.truncated) {
        problems.push(format!(
            "font {base_font}: its ToUnicode CMap defines more than {MAX_CMAP_ENTRIES} codes (limit MAX_CMAP_ENTRIES): the rest are unmapped"
        ));
    }
    let descendant = dict_get(doc, dict, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok());
    let ordering: Vec<u8> = descendant
        .and_then(|d| dict_get(doc, d, b"CIDSystemInfo"))
        .and_then(|o| o.as_dict().ok())
        .filter(|i| dict_get(doc, i, b"Registry").and_then(|o| o.as_str().ok()) == Some(b"Adobe"))
        .and_then(|i| dict_get(doc, i, b"Ordering"))
        .and_then(|o| o.as_str().ok())
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let encoding_name = dict_get(doc, dict, b"Encoding").and_then(|o| o.as_name().ok()).unwrap_or(b"");
    // Without ToUnicode, an embedded TrueType CID font still says which character each
    // glyph draws, through its own cmap table.
    let to_unicode = to_unicode.or_else(|| if type0 && encoding_name.starts_with(b"Identity") { embedded_cmap(doc, dict) } else { None });
    let identity = encoding_name.starts_with(b"Identity");
    let mut missing_table = None;
    let decoding = match to_unicode {
        Some(c) => Decoding::ToUnicode(c),
        None if type0 && (encoding_name.starts_with(b"GBK") || encoding_name.starts_with(b"GBpc-EUC") || encoding_name.starts_with(b"GB-EUC")) => {
            Decoding::Gbk
        }
        None if type0 && encoding_name.starts_with(b"UniGB-U") => Decoding::Ucs2,
        // Identity CIDs of a registered collection: the collection's table says what they are.
        None if type0 && identity && !ordering.is_empty() && ordering != b"Identity" => match collection_table(&ordering) {
            Some(t) => Decoding::Collection(t),
            None => {
                let o = String::from_utf8_lossy(&ordering);
                missing_table = Some(format!(
                    "font {base_font} draws Adobe-{o} CIDs without ToUnicode, and the Adobe-{o} CID -> Unicode table is not installed \
                     ({CID_TO_UNICODE_DIR}/Adobe-{o}, Debian package poppler-data, or a folder named by GONGKAI_CID_TO_UNICODE)"
                ));
                Decoding::Unknown
            }
        },
        None if type0 => Decoding::Unknown,
        // A symbolic TrueType font without ToUnicode or /Encoding maps its codes straight to
        // glyphs through its own cmap (§9.6.6.4); where that program has no Unicode cmap and
        // no glyph names either, none of §9.10.2's ways gives its codes a character (a WinAnsi
        // reading of them is garbage: Ghostscript rewrites reportlab's subsets so).
        None if !type3 && says_nothing(doc, dict) => {
            missing_table = Some(format!(
                "font {base_font} is a symbolic TrueType subset without ToUnicode or /Encoding whose program names no character (no Unicode cmap, no glyph names): its text cannot be read"
            ));
            Decoding::Unknown
        }
        None => Decoding::Simple,
    };
    let simple = if type0 { [None; 256] } else { simple_encoding(doc, dict, type3) };
    let mut widths = HashMap::new();
    let mut default_width = if type0 { 1000.0 } else if type3 { 0.0 } else { 500.0 };
    // A Type3 font's glyph space is its own (§9.6.5): FontMatrix maps it to text space,
    // and its glyphs are as tall as FontBBox says (there is no em): that height, in text
    // space, is the size its glyphs report (1 where FontBBox is all zero, as allowed).
    let (mut scale, mut em) = (0.001f32, 1.0f32);
    if type3 {
        let nums = |key: &[u8]| -> Vec<f32> {
            dict_get(doc, dict, key).and_then(|o| o.as_array().ok()).map_or(Vec::new(), |m| m.iter().filter_map(|o| num(resolve(doc, o))).collect())
        };
        let (m, b) = (nums(b"FontMatrix"), nums(b"FontBBox"));
        if m.len() == 6 && m.iter().all(|x| x.is_finite()) && m[0] != 0.0 && m[3] != 0.0 {
            scale = m[0];
            if b.len() == 4 && b.iter().all(|x| x.is_finite()) && b[3] != b[1] {
                em = ((b[3] - b[1]) * m[3]).abs().clamp(1e-3, 1e3);
            }
        }
    }
    let mut width_entries = 0usize;
    if type0 {
        if let Some(d) = descendant {
            if let Some(dw) = dict_get(doc, d, b"DW").and_then(num) {
                default_width = dw;
            }
            // Widths are keyed by CID, which equals the code only under Identity-H.
            let identity = !matches!(decoding, Decoding::Gbk | Decoding::Ucs2);
            if let (true, Some(w)) = (identity, dict_get(doc, d, b"W").and_then(|o| o.as_array().ok())) {
                let mut i = 0;
                while i + 1 < w.len() && width_entries < MAX_WIDTH_ENTRIES {
                    let first = num(resolve(doc, &w[i])).unwrap_or(0.0) as u32;
                    match resolve(doc, &w[i + 1]) {
                        Object::Array(list) => {
                            for (k, o) in list.iter().enumerate().take(0x10000) {
                                if width_entries >= MAX_WIDTH_ENTRIES {
                                    break;
                                }
                                width_entries += 1;
                                widths.insert(first.saturating_add(k as u32), num(resolve(doc, o)).unwrap_or(default_width));
                            }
                            i += 2;
                        }
                        o => {
                            let last = num(o).unwrap_or(0.0) as u32;
                            let wv = w.get(i + 2).and_then(num).unwrap_or(default_width);
                            for c in first..=last.min(first.saturating_add(0xFFFF)) {
                                if width_entries >= MAX_WIDTH_ENTRIES {
                                    break;
                                }
                                width_entries += 1;
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
    if width_entries >= MAX_WIDTH_ENTRIES {
        problems.push(format!(
            "font {base_font}: its /W array defines more than {MAX_WIDTH_ENTRIES} widths (limit MAX_WIDTH_ENTRIES): the rest take the default width"
        ));
    }
    let two_byte = match &decoding {
        Decoding::ToUnicode(c) => c.two_byte || type0,
        _ => type0,
    };
    Font { decoding, scale, em, problems, missing_table, two_byte, simple, widths, default_width }
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
    fn radicals_supplement_reads_as_the_equivalent_ideographs() {
        // Chromium's Noto CJK maps 门 to the radical ⻔ (U+2ED4), 长 to ⻓, 马 to ⻢.
        assert_eq!(printed_form("部⻔".into()), "部门");
        assert_eq!(printed_form("⻓⻢⻘".into()), "长马青");
        // Outside the BMP: ⺇ is equivalent to U+20628.
        assert_eq!(printed_form("\u{2E87}".into()), "\u{20628}");
        // No equivalent (⺀ CJK RADICAL REPEAT): kept.
        assert_eq!(printed_form("\u{2E80}".into()), "\u{2E80}");
    }

    /// The data file is the UCD's property whole: the 214 Kangxi radicals, the 114 CJK Radicals
    /// Supplement characters that have one (all but ⺀ U+2E80; U+2E9A is unassigned) and 20 strokes; every radical with a
    /// compatibility decomposition to one ideograph (all of Kangxi's, ⺟ and ⻳) agrees with it.
    #[test]
    fn the_equivalent_ideograph_table_is_the_ucd_property() {
        let t = equivalent_ideographs();
        let count = |lo: u32, hi: u32| t.iter().filter(|e| (lo..=hi).contains(&(e.0 as u32))).count();
        assert_eq!(count(0x2F00, 0x2FDF), 214);
        assert_eq!(count(0x2E80, 0x2EFF), 114);
        assert_eq!(count(0x31C0, 0x31EF), 20);
        assert_eq!(t.len(), 348);
        assert!(EQUIVALENT_UNIFIED_IDEOGRAPH.starts_with("# Equivalent_Unified_Ideograph, Unicode 14.0.0"));
        let mut checked = 0;
        for &(r, u) in t {
            assert!(matches!(u as u32, 0x3400..=0x9FFF | 0x20000..=0x3134F), "{r} -> {u}: not a unified ideograph");
            let mut d = String::new();
            unicode_normalization::char::decompose_compatible(r, |x| d.push(x));
            if d.chars().count() == 1 && d.chars().next() != Some(r) {
                assert_eq!(d.chars().next(), Some(u), "{r}");
                checked += 1;
            }
        }
        assert_eq!(checked, 216);
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
