//! PDF pages as positioned glyphs and rulings. `open` reads (and where needed repairs)
//! the file with lopdf; `pages` interprets every page's content: text state and matrices,
//! fonts and their Unicode mappings (`font`), paths, clips and rulings (`interp`).
//! `crate::lattice` turns the result into lines of cells.

mod font;
mod interp;
mod repair;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

pub use interp::{page_size, pages};
pub use repair::{open, open_repaired, Opened};

/// Decompressed content larger than this is refused (a decompression bomb).
pub const MAX_CONTENT_BYTES: usize = 64 << 20;
/// Pages beyond this are not read (a disclosure has a few dozen).
pub const MAX_PAGES: usize = 5_000;
/// Decompressed content (page streams and every form invocation) interpreted per file:
/// one huge stream shared by thousands of pages is read only until this is spent.
pub const MAX_FILE_CONTENT_BYTES: usize = 256 << 20;

// The per-page budget: a page past any of these is dropped with a warning naming the page
// and the limit; the other pages are kept (a real table page uses a few percent of each).
/// Operators executed on one page (forms included).
pub const MAX_PAGE_OPERATORS: usize = 2_000_000;
/// Glyphs shown on one page (visible or not), an /ActualText's characters included.
pub const MAX_PAGE_GLYPHS: usize = 200_000;
/// Path segments (m, l, c, re sides, ...) on one page.
pub const MAX_PAGE_PATH_SEGMENTS: usize = 1_000_000;
/// Rulings collected on one page.
pub const MAX_PAGE_RULINGS: usize = 100_000;
/// Form XObject invocations on one page (a form drawing itself N times per level).
pub const MAX_PAGE_FORMS: usize = 10_000;
/// Wall time spent interpreting one page.
pub const MAX_PAGE_MILLIS: u64 = 10_000;
/// One string operand of Tj/TJ/'/" longer than this is not shown (a hostile 60 MB string);
/// an /ActualText longer than this is not used.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Code -> Unicode entries one ToUnicode CMap may define (bfchar and expanded bfranges;
/// a 2-byte CMap has at most 65,536 codes).
pub const MAX_CMAP_ENTRIES: usize = 1 << 17;
/// CID widths one /W array may define (a CID font has at most 65,536 CIDs).
pub const MAX_WIDTH_ENTRIES: usize = 1 << 17;
/// Saved graphics states (q without Q) per content stream.
pub const MAX_GSTATE_DEPTH: usize = 4_096;
/// Form XObjects nest at most this deep (a cycle of forms cannot recurse forever).
pub const MAX_FORM_DEPTH: usize = 8;

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
    /// The direction its baseline runs, counter-clockwise: 0 (left to right), 90 (up),
    /// 180, 270 (down). A page whose text mostly runs one way is turned upright.
    pub turn: u16,
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
    /// Each image as drawn, in order: what OCR needs to decode a scan's image itself
    /// instead of rendering the page (`gongkai_ocr::scan`).
    pub placed: Vec<PlacedImage>,
    /// Paths painted (stroked or filled, white too) and shadings: anything but an image
    /// that a renderer draws. A scan is its images alone.
    pub marks: usize,
    /// Glyphs drawn with a font that has no Unicode mapping.
    pub unmapped: usize,
    /// What could not be read on this page.
    pub problems: Vec<String>,
    /// Set when the page went past its budget and was dropped whole: which limit.
    pub dropped: Option<String>,
}

/// An image as the page draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    /// The image XObject (None for an inline image, or one not given by reference).
    pub id: Option<lopdf::ObjectId>,
    /// Image space (the unit square, §8.9.4) to page space as displayed (points, y up,
    /// /Rotate applied): the CTM at its `Do`.
    pub ctm: [f32; 6],
    /// The clip in force (page space), where one was set.
    pub clip: Option<Rect>,
    /// Drawn directly by the page with no graphics state parameter dictionary (`gs`) in
    /// force: no soft mask, alpha or blend mode can change how it paints.
    pub plain: bool,
}

impl Page {
    /// A tenth or more of the glyphs it draws have no Unicode mapping: its text could not
    /// be read (a logo in a symbol font among readable text is not that).
    pub fn unreadable(&self) -> bool {
        self.unmapped > 0 && self.unmapped * 10 >= self.unmapped + self.glyphs.len()
    }

    /// It draws images and no readable text: a scan, without a text layer.
    pub fn scanned(&self) -> bool {
        self.images > 0 && !self.glyphs.iter().any(|g| !g.text.trim().is_empty())
    }

    /// What OCR reads under `auto`: a page whose text cannot be read, or a scan.
    pub fn needs_ocr(&self) -> bool {
        self.unreadable() || self.scanned()
    }
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

/// An axis-aligned rectangle in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub(crate) fn intersect(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.max(o.x0), y0: self.y0.max(o.y0), x1: self.x1.min(o.x1), y1: self.y1.min(o.y1) }
    }
    pub(crate) fn contains(&self, x: f32, y: f32, tol: f32) -> bool {
        x >= self.x0 - tol && x <= self.x1 + tol && y >= self.y0 - tol && y <= self.y1 + tol
    }
}

/// A ruling line: horizontal (`y0 == y1`) or vertical (`x0 == x1`), in page space.
pub type Rule = Rect;

pub(crate) fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

pub(crate) fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

pub(crate) fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| resolve(doc, o))
}

#[cfg(test)]
mod tests {
    use super::*;

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
