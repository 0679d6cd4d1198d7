//! PDF pages as positioned glyphs: lopdf parses the file and decodes each page's
//! content; this module interprets the text operators (text state and matrices,
//! Tj/TJ/'/"), maps character codes to Unicode through the font's ToUnicode CMap and
//! places every glyph with its advance width. Table rebuilding from glyphs and ruling
//! lines comes on top of this (not wired into the pipeline yet).

use std::collections::HashMap;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use crate::content::{Lexer, Operand};
use crate::encodings;

/// Decompressed content larger than this is refused (a decompression bomb).
pub const MAX_CONTENT_BYTES: usize = 64 << 20;
/// Pages beyond this are not read (a disclosure has a few dozen).
pub const MAX_PAGES: usize = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The glyph's Unicode text, inline (no allocation for the one or few characters a glyph is).
    pub text: CompactString,
    /// Baseline origin in page space (points, origin bottom-left).
    pub x: f32,
    pub y: f32,
    /// Advance width and font size in page space.
    pub width: f32,
    pub size: f32,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub number: u32,
    /// Media box size in points.
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    /// Ruling lines (stroked segments and thin filled rectangles; white ones are not rulings).
    pub rules: Vec<Rule>,
    /// Images drawn on the page (a page of images and no text is a scan).
    pub images: usize,
    /// Glyphs drawn with a font that has no Unicode mapping.
    pub unmapped: usize,
    /// What could not be read on this page.
    pub problems: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF: no %PDF- header")]
    NotPdf,
    #[error("damaged PDF: {0}")]
    Damaged(String),
    #[error("encrypted PDF that the empty password does not open")]
    Encrypted,
}

/// Code -> Unicode map of one font, with the code length in bytes.
#[derive(Debug, Default, Clone)]
struct CMap {
    map: HashMap<u32, CompactString>,
    two_byte: bool,
}

fn hex_bytes(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    digits
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap_or("0"), 16).unwrap_or(0) << if c.len() == 1 { 4 } else { 0 })
        .collect()
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| (a << 8) | *b as u32)
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks(2).map(|c| ((c[0] as u16) << 8) | *c.get(1).unwrap_or(&0) as u16).collect();
    String::from_utf16_lossy(&units)
}

/// Parse the bfchar/bfrange sections of a ToUnicode CMap.
fn parse_cmap(data: &[u8]) -> CMap {
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

struct Font {
    decoding: Decoding,
    /// Bytes per code: 1 for simple fonts, 2 for CID fonts; GBK is variable.
    two_byte: bool,
    simple: [Option<char>; 256],
    widths: HashMap<u32, f32>,
    default_width: f32,
}

impl Font {
    /// Split a string operand into (code, Unicode text).
    fn decode(&self, bytes: &[u8], out: &mut Vec<(u32, Option<CompactString>)>) {
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
            out.push((code, text));
            i += n;
        }
    }

    fn simple_char(&self, code: u32, n: usize) -> Option<CompactString> {
        (n == 1 && !self.two_byte).then(|| self.simple[code as usize & 0xFF]).flatten().map(|c| CompactString::from(&*c.encode_utf8(&mut [0; 4])))
    }

    fn width(&self, code: u32, bytes: usize) -> f32 {
        match self.widths.get(&code) {
            Some(w) => *w,
            // A GBK font's single-byte codes are half-width roman glyphs.
            None if matches!(self.decoding, Decoding::Gbk) && bytes == 1 => 500.0,
            None => self.default_width,
        }
    }
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| resolve(doc, o))
}

/// The single-byte base encoding named by a simple font, with its /Differences.
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

fn load_font(doc: &Document, dict: &Dictionary) -> Font {
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

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// Open a PDF: the empty user password is tried on an encrypted file, as viewers do. A
/// file whose cross-reference index is broken or cut off (a half-downloaded file) is
/// read from an index rebuilt by scanning its objects; what that cost is in `Opened::repair`.
pub fn open(bytes: &[u8]) -> Result<Document, PdfError> {
    open_repaired(bytes).map(|o| o.doc)
}

pub struct Opened {
    pub doc: Document,
    /// Set when the file was damaged: what was wrong and what was recovered.
    pub repair: Option<String>,
}

pub fn open_repaired(bytes: &[u8]) -> Result<Opened, PdfError> {
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let truncated = !bytes[bytes.len().saturating_sub(1024)..].windows(5).any(|w| w == b"%%EOF");
    match Document::load_mem(bytes) {
        Ok(d) if d.is_encrypted() => Err(PdfError::Encrypted),
        Ok(d) => Ok(Opened {
            repair: truncated.then(|| "the file ends without %%EOF: it was cut off".to_string()),
            doc: d,
        }),
        Err(e) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("decrypt") || msg.to_lowercase().contains("password") {
                return Err(PdfError::Encrypted);
            }
            let (fixed, objects, dropped) =
                rebuild_index(bytes).ok_or_else(|| PdfError::Damaged(format!("{msg}; no page survives in what can be read")))?;
            let doc = Document::load_mem(&fixed).map_err(|_| PdfError::Damaged(msg.clone()))?;
            if doc.is_encrypted() {
                return Err(PdfError::Encrypted);
            }
            let cut = if truncated { "the file is cut off and " } else { "" };
            Ok(Opened {
                repair: Some(format!(
                    "{cut}its index was unreadable ({msg}); rebuilt from {objects} objects found in the file{}",
                    if dropped > 0 { format!(", {dropped} incomplete ones lost") } else { String::new() }
                )),
                doc,
            })
        }
    }
}

/// Rebuild a cross-reference table by scanning for `N G obj … endobj`: the last complete
/// definition of each object wins, an object cut off before its `endobj` is dropped, and
/// the catalog becomes the root. Returns the repaired bytes and the counts kept and lost.
fn rebuild_index(bytes: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    static OBJ: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let obj = OBJ.get_or_init(|| regex::bytes::Regex::new(r"(?m)(?:^|[\r\n\s])(\d{1,7})\s+(\d{1,5})\s+obj\b").expect("static regex"));
    let mut found: std::collections::BTreeMap<u32, (usize, u16)> = Default::default();
    let mut dropped = 0;
    let starts: Vec<(usize, u32, u16)> = obj
        .captures_iter(bytes)
        .filter_map(|c| {
            let m = c.get(1)?;
            let id = std::str::from_utf8(&c[1]).ok()?.parse().ok()?;
            let gen = std::str::from_utf8(&c[2]).ok()?.parse().ok()?;
            Some((m.start(), id, gen))
        })
        .collect();
    let mut end_of_complete = 0;
    for (k, &(at, id, gen)) in starts.iter().enumerate() {
        let until = starts.get(k + 1).map_or(bytes.len(), |n| n.0);
        match bytes[at..until].windows(6).rposition(|w| w == b"endobj") {
            Some(e) => {
                found.insert(id, (at, gen));
                end_of_complete = end_of_complete.max(at + e + 6);
            }
            None => dropped += 1,
        }
    }
    let head = |at: usize| &bytes[at..(at + 2048).min(bytes.len())];
    let has = |h: &[u8], w: &[u8]| h.windows(w.len()).any(|x| x == w);
    let is_type = |h: &[u8], t: &[u8]| {
        let compact: Vec<u8> = h.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
        let mut want = b"/Type".to_vec();
        want.extend_from_slice(t);
        compact.windows(want.len()).enumerate().any(|(i, x)| x == want.as_slice() && compact.get(i + want.len()).is_none_or(|c| !c.is_ascii_alphanumeric()))
    };
    let catalog = found.iter().rev().find(|(_, &(at, _))| is_type(head(at), b"/Catalog")).map(|(id, _)| *id);
    let mut max = *found.keys().next_back()?;
    let mut out = bytes[..end_of_complete].to_vec();
    let mut extra: Vec<(u32, usize)> = Vec::new();
    let root = match catalog {
        Some(r) => r,
        None => {
            // The catalog was cut off: a new one over the page tree's root, or over a new
            // page tree holding every page found.
            let pages_root = found.iter().find(|(_, &(at, _))| is_type(head(at), b"/Pages") && !has(head(at), b"/Parent")).map(|(id, _)| *id);
            let pages_id = match pages_root {
                Some(p) => p,
                None => {
                    let kids: Vec<String> = found
                        .iter()
                        .filter(|(_, &(at, _))| is_type(head(at), b"/Page"))
                        .map(|(id, &(_, g))| format!("{id} {g} R"))
                        .collect();
                    if kids.is_empty() {
                        return None;
                    }
                    max += 1;
                    extra.push((max, out.len() + 1));
                    out.extend_from_slice(format!("\n{max} 0 obj\n<< /Type /Pages /Kids [{}] /Count {} >>\nendobj\n", kids.join(" "), kids.len()).as_bytes());
                    max
                }
            };
            max += 1;
            extra.push((max, out.len() + 1));
            out.extend_from_slice(format!("\n{max} 0 obj\n<< /Type /Catalog /Pages {pages_id} 0 R >>\nendobj\n").as_bytes());
            max
        }
    };
    for (id, at) in extra {
        found.insert(id, (at, 0));
    }
    out.push(b'\n');
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for id in 1..=max {
        match found.get(&id) {
            Some((at, gen)) => out.extend_from_slice(format!("{at:010} {gen:05} n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n", max + 1).as_bytes());
    Some((out, found.len(), dropped))
}

/// An axis-aligned rectangle in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    fn intersect(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.max(o.x0), y0: self.y0.max(o.y0), x1: self.x1.min(o.x1), y1: self.y1.min(o.y1) }
    }
    fn contains(&self, x: f32, y: f32, tol: f32) -> bool {
        x >= self.x0 - tol && x <= self.x1 + tol && y >= self.y0 - tol && y <= self.y1 + tol
    }
}

/// A ruling line: horizontal (`y0 == y1`) or vertical (`x0 == x1`), in page space.
pub type Rule = Rect;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    clip: Option<Rect>,
    fill_white: bool,
    stroke_white: bool,
    line_width: f32,
}

/// Rulings thinner than this (points) are lines; thicker filled shapes are backgrounds.
const THIN: f32 = 3.0;
/// Form XObjects nest at most this deep (a cycle of forms cannot recurse forever).
const MAX_FORM_DEPTH: usize = 8;

fn is_white(a: &[Operand<'_>], op: &str) -> bool {
    let v: Vec<f32> = a.iter().filter_map(Operand::num).collect();
    match op {
        "k" | "K" => v.len() == 4 && v.iter().all(|c| *c <= 0.001),
        _ => !v.is_empty() && v.iter().all(|c| *c >= 0.999),
    }
}

struct Interp<'a> {
    doc: &'a Document,
    page: Page,
    fonts: HashMap<Vec<u8>, std::rc::Rc<Font>>,
}

struct Resources<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    fn lookup(&self, doc: &'a Document, kind: &[u8], name: &[u8]) -> Option<&'a Object> {
        self.dicts.iter().find_map(|d| {
            let sub = dict_get(doc, d, kind)?.as_dict().ok()?;
            dict_get(doc, sub, name)
        })
    }
}

impl<'a> Interp<'a> {
    fn font(&mut self, res: &Resources<'a>, name: &[u8]) -> Option<std::rc::Rc<Font>> {
        let obj = res.lookup(self.doc, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        // Cache by dictionary address: one parse per font per page (names differ across forms).
        let key = format!("{:p}", dict as *const Dictionary).into_bytes();
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let f = std::rc::Rc::new(load_font(self.doc, dict));
        self.fonts.insert(key, f.clone());
        Some(f)
    }

    fn rule(&mut self, r: Rect, clip: Option<Rect>) {
        let r = match clip {
            Some(c) => {
                let i = r.intersect(&Rect { x0: c.x0 - 1.0, y0: c.y0 - 1.0, x1: c.x1 + 1.0, y1: c.y1 + 1.0 });
                if i.x1 < i.x0 || i.y1 < i.y0 {
                    return;
                }
                i
            }
            None => r,
        };
        self.page.rules.push(r);
    }

    fn paint(&mut self, path: &[Vec<(f32, f32)>], gs: &GState, stroke: bool, fill: bool) {
        if stroke && !gs.stroke_white {
            for sub in path {
                for w in sub.windows(2) {
                    let ((ax, ay), (bx, by)) = (w[0], w[1]);
                    if (ay - by).abs() < 0.5 && (ax - bx).abs() > 0.5 {
                        let y = (ay + by) / 2.0;
                        self.rule(Rect { x0: ax.min(bx), y0: y, x1: ax.max(bx), y1: y }, gs.clip);
                    } else if (ax - bx).abs() < 0.5 && (ay - by).abs() > 0.5 {
                        let x = (ax + bx) / 2.0;
                        self.rule(Rect { x0: x, y0: ay.min(by), x1: x, y1: ay.max(by) }, gs.clip);
                    }
                }
            }
        }
        if fill && !gs.fill_white {
            for sub in path {
                let Some(b) = bbox(sub) else { continue };
                let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
                if h <= THIN && w > h {
                    let y = (b.y0 + b.y1) / 2.0;
                    self.rule(Rect { x0: b.x0, y0: y, x1: b.x1, y1: y }, gs.clip);
                } else if w <= THIN && h > w {
                    let x = (b.x0 + b.x1) / 2.0;
                    self.rule(Rect { x0: x, y0: b.y0, x1: x, y1: b.y1 }, gs.clip);
                }
            }
        }
    }

    fn run(&mut self, content: &[u8], res: &Resources<'a>, gs0: GState, depth: usize) {
        let mut lexer = Lexer::new(content);
        let mut a: Vec<Operand<'_>> = Vec::new();
        let mut gs = gs0;
        let mut stack: Vec<GState> = Vec::new();
        let (mut tm, mut tlm): (Matrix, Matrix) = (IDENTITY, IDENTITY);
        let (mut size, mut tc, mut tw, mut th, mut tl, mut rise) = (0.0f32, 0.0f32, 0.0f32, 1.0f32, 0.0f32, 0.0f32);
        let mut render = 0i64;
        let mut font: Option<std::rc::Rc<Font>> = None;
        let mut path: Vec<Vec<(f32, f32)>> = Vec::new();
        let mut pending_clip = false;
        let mut codes = Vec::new();
        while let Some(opb) = lexer.next_op(&mut a) {
            let Ok(op) = std::str::from_utf8(opb) else { continue };
            let f = |i: usize| a.get(i).and_then(Operand::num).unwrap_or(0.0);
            match op {
                "q"
                    if stack.len() < 4096 => {
                        stack.push(gs.clone());
                    }
                "Q" => gs = stack.pop().unwrap_or(gs),
                "cm" => gs.ctm = mul(&[f(0), f(1), f(2), f(3), f(4), f(5)], &gs.ctm),
                "w" => gs.line_width = f(0),
                "g" | "rg" | "k" | "sc" | "scn" => gs.fill_white = is_white(&a, op),
                "G" | "RG" | "K" | "SC" | "SCN" => gs.stroke_white = is_white(&a, op),
                "m" => path.push(vec![apply(&gs.ctm, f(0), f(1))]),
                "l" => {
                    let p = apply(&gs.ctm, f(0), f(1));
                    match path.last_mut() {
                        Some(s) => s.push(p),
                        None => path.push(vec![p]),
                    }
                }
                "c" | "v" | "y" => {
                    let n = a.len();
                    let p = apply(&gs.ctm, f(n.saturating_sub(2)), f(n.saturating_sub(1)));
                    // Curves are not rulings: a break in the subpath keeps them from becoming one.
                    path.push(vec![p]);
                }
                "h" => {
                    if let Some(s) = path.last_mut() {
                        if let Some(&p) = s.first() {
                            s.push(p);
                        }
                    }
                }
                "re" => {
                    let (x, y, w, h) = (f(0), f(1), f(2), f(3));
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                    path.push(pts.iter().map(|&(px, py)| apply(&gs.ctm, px, py)).collect());
                }
                "W" | "W*" => pending_clip = true,
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    let o = op;
                    let stroke = matches!(o, "S" | "s" | "B" | "B*" | "b" | "b*");
                    let fill = matches!(o, "f" | "F" | "f*" | "B" | "B*" | "b" | "b*");
                    self.paint(&path, &gs, stroke, fill);
                    if pending_clip {
                        if let Some(b) = path.iter().filter_map(|s| bbox(s)).reduce(|a, b| Rect {
                            x0: a.x0.min(b.x0),
                            y0: a.y0.min(b.y0),
                            x1: a.x1.max(b.x1),
                            y1: a.y1.max(b.y1),
                        }) {
                            gs.clip = Some(gs.clip.map_or(b, |c| c.intersect(&b)));
                        }
                        pending_clip = false;
                    }
                    path.clear();
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    font = a.first().and_then(Operand::name).and_then(|n| self.font(res, n));
                    size = f(1);
                }
                "Tc" => tc = f(0),
                "Tw" => tw = f(0),
                "Tz" => th = f(0) / 100.0,
                "TL" => tl = f(0),
                "Ts" => rise = f(0),
                "Tr" => render = a.first().and_then(Operand::num).map_or(0, |n| n as i64),
                "Td" | "TD" => {
                    if op == "TD" {
                        tl = -f(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op == "'" || op == "\"" {
                        if op == "\"" {
                            tw = f(0);
                            tc = f(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Operand<'_>> = match op {
                        "TJ" => match a.first() {
                            Some(Operand::Array(v)) => v.iter().collect(),
                            _ => Vec::new(),
                        },
                        "\"" => a.get(2).into_iter().collect(),
                        _ => a.first().into_iter().collect(),
                    };
                    let Some(fnt) = font.clone() else {
                        // Text in a font the page does not define (lost, or never there): unreadable.
                        let n: usize = items.iter().map(|o| if let Operand::Str(b) = o { b.len() } else { 0 }).sum();
                        if n > 0 {
                            self.page.unmapped += n;
                            if !self.page.problems.iter().any(|p| p.starts_with("text drawn in a font")) {
                                self.page.problems.push("text drawn in a font the page does not define".into());
                            }
                        }
                        continue;
                    };
                    // Invisible (3) and clip-only (7) text is not printed.
                    let visible = render != 3 && render != 7;
                    for it in items {
                        match it {
                            Operand::Str(bytes) => {
                                codes.clear();
                                fnt.decode(bytes, &mut codes);
                                for (c, text) in codes.drain(..) {
                                    let nbytes = if c > 0xFF || fnt.two_byte { 2 } else { 1 };
                                    let w0 = fnt.width(c, nbytes) / 1000.0;
                                    let trm = mul(&[size * th, 0.0, 0.0, size, 0.0, rise], &mul(&tm, &gs.ctm));
                                    let single_space = nbytes == 1 && c == 32;
                                    let adv = (w0 * size + tc + if single_space { tw } else { 0.0 }) * th;
                                    let scale_x = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt() / (size * th).abs().max(1e-6);
                                    let gsize = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                                    let width = w0 * size * th * scale_x;
                                    match text {
                                        Some(t) if visible => {
                                            let (cx, cy) = (trm[4] + width / 2.0, trm[5] + gsize * 0.3);
                                            if gs.clip.is_none_or(|r| r.contains(cx, cy, 0.5)) {
                                                self.page.glyphs.push(Glyph { text: t, x: trm[4], y: trm[5], width, size: gsize });
                                            }
                                        }
                                        Some(_) => {}
                                        None => self.page.unmapped += 1,
                                    }
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], &tm);
                                }
                            }
                            o => {
                                if let Some(k) = o.num() {
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, -k / 1000.0 * size * th, 0.0], &tm);
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    let Some(name) = a.first().and_then(Operand::name) else { continue };
                    let Some(Object::Stream(st)) = res.lookup(self.doc, b"XObject", name) else { continue };
                    let sub = st.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                    if sub == b"Image" {
                        self.page.images += 1;
                    } else if sub == b"Form" {
                        if depth >= MAX_FORM_DEPTH {
                            self.page.problems.push("form XObjects nested too deep (a cycle?): skipped".into());
                            continue;
                        }
                        let m = dict_get(self.doc, &st.dict, b"Matrix")
                            .and_then(|o| o.as_array().ok())
                            .map(|v| v.iter().filter_map(num).collect::<Vec<_>>())
                            .filter(|v| v.len() == 6)
                            .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
                            .unwrap_or(IDENTITY);
                        let mut inner = gs.clone();
                        inner.ctm = mul(&m, &gs.ctm);
                        let mut dicts = Vec::new();
                        if let Some(d) = dict_get(self.doc, &st.dict, b"Resources").and_then(|o| o.as_dict().ok()) {
                            dicts.push(d);
                        }
                        dicts.extend(res.dicts.iter().copied());
                        let inner_res = Resources { dicts };
                        match st.decompressed_content_with_limit(MAX_CONTENT_BYTES) {
                            Ok(data) => self.run(&data, &inner_res, inner, depth + 1),
                            Err(_) if st.filters().map_or(true, |f| f.is_empty()) => {
                                let data = st.content.clone();
                                self.run(&data, &inner_res, inner, depth + 1)
                            }
                            Err(e) => self.page.problems.push(format!("a form XObject could not be decoded: {e}")),
                        }
                    }
                }
                "BI" => self.page.images += 1,
                _ => {}
            }
        }
        if lexer.too_deep {
            self.page.problems.push("the content nests arrays past the depth limit: that part was skipped".into());
        }
    }
}

fn bbox(pts: &[(f32, f32)]) -> Option<Rect> {
    let first = pts.first()?;
    Some(pts.iter().fold(Rect { x0: first.0, y0: first.1, x1: first.0, y1: first.1 }, |r, &(x, y)| Rect {
        x0: r.x0.min(x),
        y0: r.y0.min(y),
        x1: r.x1.max(x),
        y1: r.y1.max(y),
    }))
}

/// Fake bold draws a glyph twice, a hair apart: keep one.
fn drop_overprint(glyphs: &mut Vec<Glyph>) {
    let mut kept: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs.drain(..) {
        let twin = kept.iter().rev().take(64).any(|k| k.text == g.text && (k.x - g.x).abs() < 1.0 && (k.y - g.y).abs() < 1.0);
        if !twin {
            kept.push(g);
        }
    }
    *glyphs = kept;
}

/// Every page: glyphs, rulings, images, and what could not be read.
pub fn pages(doc: &Document) -> Vec<Page> {
    let mut out = Vec::new();
    let mut fonts = HashMap::new();
    for (number, id) in doc.get_pages().into_iter().take(MAX_PAGES) {
        let (mw, mh, origin) = media_box(doc, id);
        // Page space is the page as displayed: /Rotate turns the media box (clockwise).
        let (rotate, (width, height)) = match inherited(doc, id, b"Rotate").and_then(num).map_or(0, |r| (r as i64).rem_euclid(360)) {
            90 => ([0.0, -1.0, 1.0, 0.0, 0.0, mw], (mh, mw)),
            180 => ([-1.0, 0.0, 0.0, -1.0, mw, mh], (mw, mh)),
            270 => ([0.0, 1.0, -1.0, 0.0, mh, 0.0], (mh, mw)),
            _ => (IDENTITY, (mw, mh)),
        };
        let page = Page { number, width, height, ..Page::default() };
        let mut it = Interp { doc, page, fonts: std::mem::take(&mut fonts) };
        let dicts: Vec<&Dictionary> = match doc.get_page_resources(id) {
            Ok((inline, ids)) => inline.into_iter().chain(ids.iter().filter_map(|i| doc.get_dictionary(*i).ok())).collect(),
            Err(_) => vec![],
        };
        let res = Resources { dicts };
        match page_content(doc, id) {
            Ok(content) => {
                // Page space with the media box origin at (0, 0), turned as displayed.
                let gs = GState {
                    ctm: mul(&[1.0, 0.0, 0.0, 1.0, -origin.0, -origin.1], &rotate),
                    clip: None,
                    fill_white: false,
                    stroke_white: false,
                    line_width: 1.0,
                };
                it.run(&content, &res, gs, 0);
            }
            Err(e) => it.page.problems.push(e),
        }
        drop_overprint(&mut it.page.glyphs);
        // Fonts are keyed by their dictionary, which pages share: each is parsed once per file.
        fonts = it.fonts;
        out.push(it.page);
    }
    out
}

/// A page's content streams, decompressed once each within `MAX_CONTENT_BYTES` in all.
/// A stream that does not decompress is a problem named for the page, never read as
/// its raw bytes (those would be garbage operators).
fn page_content(doc: &Document, id: lopdf::ObjectId) -> Result<Vec<u8>, String> {
    let mut content = Vec::new();
    for sid in doc.get_page_contents(id) {
        let Ok(stream) = doc.get_object(sid).and_then(Object::as_stream) else {
            return Err(format!("content stream {} {} is missing", sid.0, sid.1));
        };
        let remaining = MAX_CONTENT_BYTES.saturating_sub(content.len());
        let filtered = stream.filters().is_ok_and(|f| !f.is_empty());
        match stream.decompressed_content_with_limit(remaining) {
            // lopdf's lenient inflate yields nothing from garbage: that is a corrupt stream.
            Ok(data) if data.is_empty() && filtered && stream.content.len() > 16 => {
                return Err(format!("content stream {} {} does not decompress: corrupt", sid.0, sid.1));
            }
            Ok(data) => content.extend_from_slice(&data),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(format!("the content inflates past the {} MiB limit (a decompression bomb?): not read", MAX_CONTENT_BYTES >> 20));
            }
            // An unfiltered stream has nothing to decompress.
            Err(_) if stream.filters().map_or(true, |f| f.is_empty()) && stream.content.len() <= remaining => {
                content.extend_from_slice(&stream.content)
            }
            Err(e) => return Err(format!("content stream {} {} does not decompress ({e}): corrupt", sid.0, sid.1)),
        }
        content.push(b'\n');
    }
    Ok(content)
}

/// A page attribute, inherited from the page tree where the page does not set it.
fn inherited<'a>(doc: &'a Document, id: lopdf::ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(id).ok();
    for _ in 0..32 {
        let d = node?;
        if let Some(o) = dict_get(doc, d, key) {
            return Some(o);
        }
        node = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok()).and_then(|r| doc.get_dictionary(r).ok());
    }
    None
}

fn media_box(doc: &Document, id: lopdf::ObjectId) -> (f32, f32, (f32, f32)) {
    if let Some(Object::Array(a)) = inherited(doc, id, b"MediaBox") {
        let v: Vec<f32> = a.iter().filter_map(|o| num(resolve(doc, o))).collect();
        if v.len() == 4 {
            return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs(), (v[0].min(v[2]), v[1].min(v[3])));
        }
    }
    (595.0, 842.0, (0.0, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// On the real corpus (skipped where ../shared/corpus is absent): every page's text
    /// maps to Unicode and the first table title is found at a place on its page.
    #[test]
    fn corpus_pdfs_yield_positioned_unicode_glyphs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        if !dir.exists() {
            eprintln!("skipped: {} is absent (the corpus PDFs are not part of the repository)", dir.display());
            return;
        }
        for name in ["putuo-finance-bureau-2024-final-accounts.pdf", "putuo-social-work-dept-2024-final-accounts.pdf"] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let doc = open(&bytes).unwrap();
            let pages = pages(&doc);
            assert!(pages.len() > 20, "{name}");
            assert!(pages.iter().all(|p| p.unmapped == 0), "{name}: unmapped glyphs");
            let all: String = pages.iter().flat_map(|p| p.glyphs.iter().map(|g| g.text.as_str())).collect();
            assert!(all.contains("收入支出决算总表"), "{name}");
            assert!(all.contains("普陀"), "{name}");
            let g = pages.iter().flat_map(|p| &p.glyphs).find(|g| g.text == "收").unwrap();
            assert!(g.x > 0.0 && g.x < 1200.0 && g.y > 0.0 && g.y < 1200.0 && g.size > 4.0, "{name}: {g:?}");
        }
    }
}
