//! PDF pages as positioned glyphs: lopdf parses the file and decodes each page's
//! content; this module interprets the text operators (text state and matrices,
//! Tj/TJ/'/"), maps character codes to Unicode through the font's ToUnicode CMap and
//! places every glyph with its advance width. Table rebuilding from glyphs and ruling
//! lines comes on top of this (not wired into the pipeline yet).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

/// Decompressed content larger than this is refused (a decompression bomb).
pub const MAX_CONTENT_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    /// Baseline origin in page space (points, origin bottom-left).
    pub x: f32,
    pub y: f32,
    /// Advance width and font size in page space.
    pub width: f32,
    pub size: f32,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub number: u32,
    pub glyphs: Vec<Glyph>,
    /// Glyphs drawn with a font that has no Unicode mapping.
    pub unmapped: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("damaged or not a PDF: {0}")]
    Damaged(String),
    #[error("encrypted PDF that the empty password does not open")]
    Encrypted,
}

/// Code -> Unicode map of one font, with the code length in bytes.
#[derive(Debug, Default, Clone)]
struct CMap {
    map: HashMap<u32, String>,
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
                cm.map.insert(be(&hex_bytes(t)), utf16(&hex_bytes(tokens[i + 1])));
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
                            cm.map.insert(code, utf16(&hex_bytes(tok)));
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
                        cm.map.insert(code, String::from_utf16_lossy(&units));
                    }
                    i += 3;
                }
            }
            _ => i += 1,
        }
    }
    cm
}

struct Font {
    cmap: Option<CMap>,
    two_byte: bool,
    widths: HashMap<u32, f32>,
    default_width: f32,
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

fn load_font(doc: &Document, dict: &Dictionary) -> Font {
    let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let two_byte = subtype == b"Type0";
    let cmap = dict
        .get(b"ToUnicode")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| s.decompressed_content().ok().or_else(|| Some(s.content.clone())))
        .map(|d| parse_cmap(&d));
    let mut widths = HashMap::new();
    let mut default_width = if two_byte { 1000.0 } else { 500.0 };
    if two_byte {
        let desc = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| resolve(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = desc {
            if let Some(dw) = d.get(b"DW").ok().and_then(num) {
                default_width = dw;
            }
            if let Some(w) = d.get(b"W").ok().map(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
                let mut i = 0;
                while i + 1 < w.len() {
                    let first = num(&w[i]).unwrap_or(0.0) as u32;
                    match resolve(doc, &w[i + 1]) {
                        Object::Array(list) => {
                            for (k, o) in list.iter().enumerate() {
                                widths.insert(first + k as u32, num(o).unwrap_or(default_width));
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
    } else if let Some(first) = dict.get(b"FirstChar").ok().and_then(num) {
        if let Some(w) = dict.get(b"Widths").ok().map(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
            for (k, o) in w.iter().enumerate() {
                widths.insert(first as u32 + k as u32, num(resolve(doc, o)).unwrap_or(default_width));
            }
        }
    }
    let two_byte = cmap.as_ref().map_or(two_byte, |c| c.two_byte || two_byte);
    Font { cmap, two_byte, widths, default_width }
}

type Matrix = [f32; 6];

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

/// Open a PDF: the empty user password is tried on an encrypted file, as viewers do.
pub fn open(bytes: &[u8]) -> Result<Document, PdfError> {
    match Document::load_mem(bytes) {
        Ok(d) if d.is_encrypted() => Err(PdfError::Encrypted),
        Ok(d) => Ok(d),
        Err(e) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("decrypt") || msg.to_lowercase().contains("password") {
                Err(PdfError::Encrypted)
            } else {
                Err(PdfError::Damaged(msg))
            }
        }
    }
}

/// The glyphs of every page.
pub fn pages(doc: &Document) -> Vec<Page> {
    let mut out = Vec::new();
    for (number, id) in doc.get_pages() {
        let mut page = Page { number, glyphs: Vec::new(), unmapped: 0 };
        let fonts: HashMap<Vec<u8>, Font> = doc
            .get_page_fonts(id)
            .map(|m| m.into_iter().map(|(k, d)| (k, load_font(doc, d))).collect())
            .unwrap_or_default();
        let Ok(content) = doc.get_page_content_with_limit(id, MAX_CONTENT_BYTES) else {
            out.push(page);
            continue;
        };
        let Ok(ops) = lopdf::content::Content::decode(&content) else {
            out.push(page);
            continue;
        };
        let mut ctm: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let mut stack: Vec<Matrix> = Vec::new();
        let (mut tm, mut tlm): (Matrix, Matrix) = ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let (mut size, mut tc, mut tw, mut th, mut tl, mut rise) = (0.0f32, 0.0f32, 0.0f32, 1.0f32, 0.0f32, 0.0f32);
        let mut font: Option<&Font> = None;
        for op in &ops.operations {
            let a = &op.operands;
            let f = |i: usize| a.get(i).and_then(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(ctm),
                "cm" => ctm = mul(&[f(0), f(1), f(2), f(3), f(4), f(5)], &ctm),
                "BT" => {
                    tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                    tlm = tm;
                }
                "Tf" => {
                    font = a.first().and_then(|o| o.as_name().ok()).and_then(|n| fonts.get(n));
                    size = f(1);
                }
                "Tc" => tc = f(0),
                "Tw" => tw = f(0),
                "Tz" => th = f(0) / 100.0,
                "TL" => tl = f(0),
                "Ts" => rise = f(0),
                "Td" | "TD" => {
                    if op.operator == "TD" {
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
                    if op.operator != "Tj" && op.operator != "TJ" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Object> = match op.operator.as_str() {
                        "TJ" => a.first().and_then(|o| o.as_array().ok()).map(|v| v.iter().collect()).unwrap_or_default(),
                        "\"" => a.get(2).into_iter().collect(),
                        _ => a.first().into_iter().collect(),
                    };
                    let Some(fnt) = font else { continue };
                    for it in items {
                        match it {
                            Object::String(bytes, _) => {
                                let step = if fnt.two_byte { 2 } else { 1 };
                                for code in bytes.chunks(step) {
                                    let c = be(code);
                                    let text = match &fnt.cmap {
                                        Some(m) => m.map.get(&c).cloned(),
                                        None if !fnt.two_byte => Some((c as u8 as char).to_string()),
                                        None => None,
                                    };
                                    let w0 = fnt.widths.get(&c).copied().unwrap_or(fnt.default_width) / 1000.0;
                                    let trm = mul(&[size * th, 0.0, 0.0, size, 0.0, rise], &mul(&tm, &ctm));
                                    let adv = (w0 * size + tc + if step == 1 && c == 32 { tw } else { 0.0 }) * th;
                                    let scale_x = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt() / (size * th).max(1e-6);
                                    match text {
                                        Some(t) => page.glyphs.push(Glyph {
                                            text: t,
                                            x: trm[4],
                                            y: trm[5],
                                            width: w0 * size * th * scale_x,
                                            size: (trm[2] * trm[2] + trm[3] * trm[3]).sqrt(),
                                        }),
                                        None => page.unmapped += 1,
                                    }
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], &tm);
                                }
                            }
                            o => {
                                if let Some(k) = num(o) {
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, -k / 1000.0 * size * th, 0.0], &tm);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(page);
    }
    out
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
