//! Raw text with layout. Every input becomes a sequence of [`Line`]s: the cells of one
//! printed line in reading order, with where it came from. Tables downstream are
//! rebuilt from cells, whatever the input format.

pub mod pdf;
pub mod text;

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
}

impl Line {
    /// The line's text with cells joined by a space.
    pub fn text(&self) -> String {
        self.cells.join(" ")
    }
    /// Where the line came from, as the model records it.
    pub fn at(&self) -> gongkai_model::Location {
        gongkai_model::Location { page: self.page, line: self.line }
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
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("unreadable text encoding: the bytes are neither UTF-8 nor GB18030/GBK text")]
    Encoding,
    #[error("empty input: the file has no content")]
    Empty,
    #[error("not a disclosure text: {0}")]
    NotText(String),
    #[error("PDF input is not supported yet")]
    PdfUnsupported,
}
