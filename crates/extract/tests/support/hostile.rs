//! Hostile PDFs for the limit tests (and `examples/hostile_pdf.rs`, which writes them to
//! files for measuring the whole converter): good table pages, a page whose form draws
//! itself twelve times per level, a 60 MB string, a ToUnicode CMap of 64 full ranges, a
//! /W array of 300,000 ranges, one 63 MiB content stream shared by 5,000 pages, one
//! /ActualText of many bytes used by thousands of spans.

use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};

pub struct Builder {
    pub pdf: super::MiniPdf,
    pub fonts: Dictionary,
}

impl Builder {
    pub fn new() -> Builder {
        let mut pdf = super::MiniPdf::new("1.5");
        let w = pdf.doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial", "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 32, "LastChar" => 126, "Widths" => (32..=126).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
        });
        Builder { pdf, fonts: dictionary! { "W" => w } }
    }

    /// A page drawing `content` (an existing stream where `shared` is given), with the
    /// builder's fonts and the given XObjects.
    pub fn page(&mut self, content: Option<Vec<u8>>, shared: Option<ObjectId>, xobjects: Dictionary) {
        let content = shared.unwrap_or_else(|| self.pdf.doc.add_object(Stream::new(dictionary! {}, content.unwrap_or_default())));
        let resources = dictionary! { "Font" => self.fonts.clone(), "XObject" => xobjects };
        self.pdf.page_with(content, Object::Dictionary(resources));
    }

    pub fn bytes(self) -> Vec<u8> {
        self.pdf.bytes()
    }
}

/// A ruled table of 5 rows × 3 columns: a label and two amounts a row, different per `seed`.
pub fn table_page(seed: usize) -> Vec<u8> {
    let mut c = String::from("0 0 0 RG 0.5 w ");
    for r in 0..=5 {
        let y = 700 - 30 * r;
        c.push_str(&format!("50 {y} m 550 {y} l S "));
    }
    for x in [50, 250, 400, 550] {
        c.push_str(&format!("{x} 700 m {x} 550 l S "));
    }
    for r in 0..5 {
        let y = 700 - 30 * r - 20;
        let (a, b) = (seed * 1000 + r * 37, seed * 10 + r);
        c.push_str(&format!("BT /W 10 Tf 55 {y} Td (Item{seed}-{r}) Tj ET BT /W 10 Tf 300 {y} Td ({a}.50) Tj ET BT /W 10 Tf 450 {y} Td ({b}.00) Tj ET "));
    }
    c.into_bytes()
}

/// Adds a page of about 1 KB whose form XObject draws a glyph, a ruling and itself twelve
/// times per level (12^8 invocations without a budget).
pub fn form_bomb_page(b: &mut Builder) {
    let id = b.pdf.doc.new_object_id();
    let mut body = String::from("BT /W 10 Tf 100 100 Td (x) Tj ET 0 0 m 100 0 l S ");
    for k in 0..12 {
        body.push_str(&format!("q 1 0 0 1 {k} 1 cm /Fm Do Q "));
    }
    let fonts = b.fonts.clone();
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Resources" => dictionary! { "Font" => fonts, "XObject" => dictionary! { "Fm" => id } } },
        body.into_bytes(),
    );
    b.pdf.doc.objects.insert(id, Object::Stream(form));
    b.page(Some(b"/Fm Do".to_vec()), None, dictionary! { "Fm" => id });
}

/// Good table pages with the form bomb as page `bomb_at` (1-based; 0 for none).
pub fn tables_with_bomb(good: usize, bomb_at: usize) -> Vec<u8> {
    let mut b = Builder::new();
    let mut seed = 0;
    for n in 1..=good + usize::from(bomb_at > 0) {
        if n == bomb_at {
            form_bomb_page(&mut b);
        } else {
            seed += 1;
            b.page(Some(table_page(seed)), None, dictionary! {});
        }
    }
    b.bytes()
}

/// One page showing a `len`-byte string in one TJ, then a readable line.
pub fn huge_string(len: usize) -> Vec<u8> {
    let mut c = b"BT /W 10 Tf 100 700 Td [(".to_vec();
    c.resize(c.len() + len, b'A');
    c.extend_from_slice(b")] TJ ET BT /W 10 Tf 100 600 Td (12.50) Tj ET");
    let mut b = Builder::new();
    b.page(Some(c), None, dictionary! {});
    b.bytes()
}

/// A Type0 font /C with the given ToUnicode CMap and /W array; a page drawing <0041> in it.
pub fn cid_font_page(cmap: &[u8], widths: Vec<Object>) -> Vec<u8> {
    let mut b = Builder::new();
    let cmap = b.pdf.doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
    let font = b.pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H", "ToUnicode" => cmap,
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun", "DW" => 1000, "W" => widths,
        })],
    });
    b.fonts.set("C", font);
    b.page(Some(b"BT /C 10 Tf 100 700 Td <00410042> Tj ET".to_vec()), None, dictionary! {});
    b.bytes()
}

/// A ToUnicode CMap mapping <0041> to 收 and <0042> to 入.
pub const SIMPLE_CMAP: &[u8] = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0041> <6536> <0042> <5165> endbfchar";

/// A ToUnicode CMap of `n` bfranges of 65,536 codes each (4-byte codes).
pub fn full_ranges_cmap(n: u32) -> Vec<u8> {
    let mut c = format!("1 begincodespacerange <0000> <FFFF> endcodespacerange\n{n} beginbfrange\n");
    for k in 0..n {
        c.push_str(&format!("<{k:04X}0000> <{k:04X}FFFF> <4E00>\n"));
    }
    c.push_str("endbfrange\n1 beginbfchar <0041> <6536> endbfchar\n");
    c.into_bytes()
}

/// A /W array of `n` ranges `0 65535 500`.
pub fn many_width_ranges(n: usize) -> Vec<Object> {
    (0..n).flat_map(|_| [Object::Integer(0), Object::Integer(65535), Object::Integer(500)]).collect()
}

/// `pages` pages sharing one content stream of `len` bytes: a readable line, then a
/// comment filling the rest.
pub fn shared_content(pages: usize, len: usize) -> Vec<u8> {
    let mut b = Builder::new();
    let mut c = b"BT /W 10 Tf 100 700 Td (12.50) Tj ET\n%".to_vec();
    c.resize(len, b'x');
    let id = b.pdf.doc.add_object(Stream::new(dictionary! {}, c));
    for _ in 0..pages {
        b.page(None, Some(id), dictionary! {});
    }
    b.bytes()
}

/// A table page, then a page of `spans` `/Span /MC0 BDC (A) Tj EMC` whose /Properties
/// /MC0 has an /ActualText of `len` bytes, then a readable line; then another table page.
pub fn actual_text_spans(len: usize, spans: usize) -> Vec<u8> {
    let mut b = Builder::new();
    b.page(Some(table_page(1)), None, dictionary! {});
    let props = dictionary! { "MC0" => dictionary! { "ActualText" => Object::String(vec![b'x'; len], lopdf::StringFormat::Hexadecimal) } };
    let props = b.pdf.doc.add_object(props);
    let mut c = b"BT /W 10 Tf 100 700 Td ".to_vec();
    for _ in 0..spans {
        c.extend_from_slice(b"/Span /MC0 BDC (A) Tj EMC ");
    }
    c.extend_from_slice(b"ET BT /W 10 Tf 100 600 Td (12.50) Tj ET");
    let content = b.pdf.doc.add_object(Stream::new(dictionary! {}, c));
    let resources = dictionary! { "Font" => b.fonts.clone(), "Properties" => props };
    b.pdf.page_with(content, Object::Dictionary(resources));
    b.page(Some(table_page(2)), None, dictionary! {});
    b.bytes()
}
