//! Raw text with layout. Every input becomes a sequence of [`Line`]s: the cells of one
//! printed line in reading order, with where it came from. Tables downstream are
//! rebuilt from cells, whatever the input format.

pub mod align;
pub mod content;
pub mod detect;
pub mod docx;
mod encodings;
pub mod grid;
pub mod html;
pub mod lattice;
pub mod layout_text;
pub mod markdown;
pub mod pdf;
mod plain_columns;
pub mod reading_order;
pub mod sheet;
pub mod text;
pub mod truetype;
pub mod xls_formats;

pub use detect::{read_any, read_any_report, Format};
pub use text::{read_text, TextEncoding};

/// One printed line: its cells (a tab-separated field of extracted text, or a grid
/// cell of a PDF table) and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the text input.
    pub line: Option<u32>,
    /// 1-based page number, where known.
    pub page: Option<u32>,
    pub cells: Vec<String>,
    /// Columns each cell spans, where a grid says so (0 for a cell covered by a merged
    /// cell to its left); empty when the input does not tell (text).
    pub spans: Vec<usize>,
    /// Where each cell sits, one per cell; empty when the input does not tell (tab-separated
    /// text). Cells belong to columns by these positions, not by their index.
    pub boxes: Vec<CellBox>,
}

/// A cell's place: left and right edges in its input's horizontal coordinates (PDF page
/// points, display columns of layout text, grid columns of a markup table or
/// spreadsheet), top and bottom in PDF page points (origin bottom-left; 0 where the
/// input has no page geometry). A merged cell's box covers everything it spans.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CellBox {
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Line {
    /// The text of the cell covering column `idx`: its own, or that of a merged cell
    /// spanning it from the left.
    pub fn covering(&self, idx: usize) -> Option<&str> {
        if self.spans.is_empty() {
            return self.cells.get(idx).map(String::as_str);
        }
        (0..=idx.min(self.cells.len().saturating_sub(1)))
            .rev()
            .find(|&j| self.spans.get(j).copied().unwrap_or(1) > 0)
            .filter(|&j| j + self.spans[j] > idx)
            .map(|j| self.cells[j].as_str())
    }
    /// The line's text with cells joined by a space.
    pub fn text(&self) -> String {
        self.cells.join(" ")
    }
    /// Where the line came from, as the model records it.
    pub fn at(&self) -> gongkai_model::Location {
        gongkai_model::Location { page: self.page, line: self.line }
    }
    /// The box of cell `idx`, where the input tells.
    pub fn cell_box(&self, idx: usize) -> Option<CellBox> {
        self.boxes.get(idx).copied()
    }
    /// Non-empty cells count.
    pub fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.trim().is_empty()).count()
    }
}

/// A document as lines, plus what the reader knows about its source.
#[derive(Debug, Clone)]
pub struct LaidOut {
    pub lines: Vec<Line>,
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub pages: Option<u32>,
    pub warnings: Vec<String>,
    /// Set when the file was damaged and only partly read: what was wrong.
    pub damaged: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("unreadable text encoding: the bytes are neither UTF-8 nor GB18030/GBK text")]
    Encoding,
    #[error("empty input: the file has no content")]
    Empty,
    #[error("not a disclosure text: {0}")]
    NotText(String),
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    #[error("no text layer: {0}")]
    NoText(String),
    #[error("fonts without a Unicode mapping: {0}")]
    Unmapped(String),
    /// A format gongkai does not read (legacy .doc, a damaged office file, …); the message
    /// says how to convert it into one it reads.
    #[error("unsupported format: {0}")]
    Unsupported(String),
}

/// Page numbers as a short list: `1-3, 7`.
fn page_list(pages: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        out.push(if i == j { pages[i].to_string() } else { format!("{}-{}", pages[i], pages[j]) });
        i = j + 1;
    }
    out.join(", ")
}

/// A PDF read into lines, with what the caller needs to name the right error when no
/// table is found in them.
#[derive(Debug, Clone)]
pub struct PdfRead {
    pub laid: LaidOut,
    /// Glyphs drawn without a Unicode mapping in the whole document.
    pub unmapped_glyphs: usize,
    /// Glyphs read (with Unicode) in the whole document.
    pub mapped_glyphs: usize,
    /// Pages on which a tenth or more of the glyphs drawn have no Unicode mapping: their
    /// text could not be read.
    pub unreadable_pages: Vec<u32>,
    /// Pages that draw images and no readable text (scans, no text layer).
    pub scanned_pages: Vec<u32>,
    /// Pages dropped whole because they went past a limit (the document is partial).
    pub dropped_pages: Vec<u32>,
}

impl PdfRead {
    /// When no table is found, the reason may be that the text could not be read: a page on
    /// which glyphs without a Unicode mapping make up a tenth or more of what it draws (a
    /// logo in a symbol font does not). Then the error is `Unmapped`, naming those pages.
    pub fn unmapped_error(&self) -> Option<ExtractError> {
        let total = self.unmapped_glyphs + self.mapped_glyphs;
        (!self.unreadable_pages.is_empty()).then(|| {
            let pages = &self.unreadable_pages;
            ExtractError::Unmapped(format!(
                "{} {} ({} of {} glyphs have no Unicode mapping; no known table in the rest)",
                if pages.len() == 1 { "page" } else { "pages" },
                page_list(pages),
                self.unmapped_glyphs,
                total
            ))
        })
    }
}

/// Read a PDF into lines: every page's grids and text, with per-page warnings for
/// scanned pages, unmapped fonts and content that could not be read. A file with no
/// readable text at all is an error, never an empty document.
/// A caption's unit (`单位：万元`, `金额单位: 元`): the one reading of it, for the
/// segmenter's captions and for layout text's whole-元 pages.
pub fn unit_caption() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| regex::Regex::new(r"(?:单位|金额单位)\s*[:：]\s*(亿元|万元|元)").expect("static regex"))
}

pub fn read_pdf(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    read_pdf_report(bytes).map(|r| r.laid)
}

/// `read_pdf`, with the counts behind its warnings.
pub fn read_pdf_report(bytes: &[u8]) -> Result<PdfRead, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let opened = pdf::open_repaired(bytes)?;
    let doc = &opened.doc;
    let mut warnings: Vec<String> = opened.repair.iter().map(|r| format!("damaged file: {r}")).collect();
    let listed = doc.get_pages().len();
    if listed > pdf::MAX_PAGES {
        warnings.push(format!("the file lists {listed} pages; only the first {} were read (limit)", pdf::MAX_PAGES));
    }
    let pages = pdf::pages(doc);
    let mut lines = Vec::new();
    let (mut scans, mut unmapped, mut textless, mut dropped) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut unreadable, mut scanned) = (Vec::new(), Vec::new());
    let (mut unmapped_glyphs, mut mapped_glyphs) = (0, 0);
    // What went wrong, one entry per distinct message with the pages it happened on (a
    // problem of 5,000 pages is one warning, not 5,000).
    let mut problems: Vec<(String, Vec<u32>)> = Vec::new();
    for p in &pages {
        unmapped_glyphs += p.unmapped;
        mapped_glyphs += p.glyphs.len();
        if p.dropped.is_some() {
            dropped.push(p.number);
        }
        for m in &p.problems {
            match problems.iter_mut().find(|(g, _)| g == m) {
                Some((_, on)) => on.push(p.number),
                None => problems.push((m.clone(), vec![p.number])),
            }
        }
        let readable = p.glyphs.iter().any(|g| !g.text.trim().is_empty());
        if p.scanned() {
            scanned.push(p.number);
        }
        if p.unmapped > 0 {
            unmapped.push(p.number);
            if p.unreadable() {
                unreadable.push(p.number);
            }
        }
        if !readable && p.unmapped == 0 && p.dropped.is_none() {
            if p.images > 0 {
                scans.push(p.number);
            } else {
                textless.push(p.number);
            }
        }
        lines.extend(lattice::page_lines_checked(p, &mut warnings));
    }
    let on = |pages: &[u32]| if pages.len() == 1 { format!("page {}", pages[0]) } else { format!("pages {}", page_list(pages)) };
    for (m, at) in &problems {
        warnings.push(format!("{}: {m}", on(at)));
    }
    if !unmapped.is_empty() {
        warnings.push(format!("{}: {unmapped_glyphs} glyphs drawn with fonts that have no Unicode mapping were left out", on(&unmapped)));
    }
    if !scans.is_empty() {
        warnings.push(format!("{}: image only (a scan), no text layer", on(&scans)));
    }
    let all: Vec<u32> = pages.iter().map(|p| p.number).collect();
    if !dropped.is_empty() {
        warnings.push(format!(
            "partial document: {} of {} pages dropped ({}) because they went past a limit; the other pages are complete",
            dropped.len(),
            all.len(),
            on(&dropped)
        ));
    }
    if lines.iter().all(|l| l.filled() == 0) {
        // At most ten distinct problems in an error message; the count of the rest.
        let mut said: Vec<String> = problems.iter().take(10).map(|(m, at)| format!("{}: {m}", on(at))).collect();
        if problems.len() > 10 {
            said.push(format!("and {} more", problems.len() - 10));
        }
        if let Some(r) = &opened.repair {
            return Err(ExtractError::Pdf(pdf::PdfError::Damaged(format!("{r}; no text could be read from it"))));
        }
        return Err(if pages.is_empty() {
            ExtractError::NoText("the document has no pages (an empty or cyclic page tree)".into())
        } else if dropped.len() == all.len() {
            ExtractError::Pdf(pdf::PdfError::Damaged(format!("every page went past a limit: {}", said.join("; "))))
        } else if !unmapped.is_empty() {
            ExtractError::Unmapped(format!("pages {}", page_list(&unmapped)))
        } else if !problems.is_empty() {
            ExtractError::Pdf(pdf::PdfError::Damaged(format!("no page could be read: {}", said.join("; "))))
        } else if !scans.is_empty() {
            ExtractError::NoText(format!("image-only pages (scans) {} of {}", page_list(&scans), all.len()))
        } else {
            ExtractError::NoText(format!("pages {} hold no text", page_list(&all)))
        });
    }
    let damaged = opened.repair.clone();
    let laid = LaidOut { lines, format: "pdf", encoding: None, pages: Some(pages.len() as u32), warnings, damaged };
    Ok(PdfRead { laid, unmapped_glyphs, mapped_glyphs, unreadable_pages: unreadable, scanned_pages: scanned, dropped_pages: dropped })
}
