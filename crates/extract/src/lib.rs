//! Raw text with layout. Every input becomes a sequence of [`Line`]s: the cells of one
//! printed line in reading order, with where it came from. Tables downstream are
//! rebuilt from cells, whatever the input format.

pub mod content;
mod encodings;
pub mod lattice;
pub mod pdf;
pub mod text;
pub mod truetype;

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

/// Read a PDF into lines: every page's grids and text, with per-page warnings for
/// scanned pages, unmapped fonts and content that could not be read. A file with no
/// readable text at all is an error, never an empty document.
pub fn read_pdf(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
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
    let (mut scans, mut unmapped, mut textless) = (Vec::new(), Vec::new(), Vec::new());
    for p in &pages {
        for m in &p.problems {
            warnings.push(format!("page {}: {}", p.number, m));
        }
        let readable = p.glyphs.iter().any(|g| !g.text.trim().is_empty());
        if p.unmapped > 0 {
            unmapped.push(p.number);
            warnings.push(format!("page {}: {} glyphs drawn with fonts that have no Unicode mapping were left out", p.number, p.unmapped));
        }
        if !readable && p.unmapped == 0 {
            if p.images > 0 {
                scans.push(p.number);
                warnings.push(format!("page {}: image only (a scan), no text layer", p.number));
            } else {
                textless.push(p.number);
            }
        }
        lines.extend(lattice::page_lines_checked(p, &mut warnings));
    }
    let all: Vec<u32> = pages.iter().map(|p| p.number).collect();
    if lines.iter().all(|l| l.filled() == 0) {
        let problems: Vec<String> = pages.iter().flat_map(|p| p.problems.iter().map(move |m| format!("page {}: {m}", p.number))).collect();
        if let Some(r) = &opened.repair {
            return Err(ExtractError::Pdf(pdf::PdfError::Damaged(format!("{r}; no text could be read from it"))));
        }
        return Err(if pages.is_empty() {
            ExtractError::NoText("the document has no pages (an empty or cyclic page tree)".into())
        } else if !problems.is_empty() {
            ExtractError::Pdf(pdf::PdfError::Damaged(format!("no page could be read: {}", problems.join("; "))))
        } else if !unmapped.is_empty() {
            ExtractError::Unmapped(format!("pages {}", page_list(&unmapped)))
        } else if !scans.is_empty() {
            ExtractError::NoText(format!("image-only pages (scans) {} of {}", page_list(&scans), all.len()))
        } else {
            ExtractError::NoText(format!("pages {} hold no text", page_list(&all)))
        });
    }
    let damaged = opened.repair.clone();
    Ok(LaidOut { lines, format: "pdf", encoding: None, pages: Some(pages.len() as u32), warnings, damaged })
}
