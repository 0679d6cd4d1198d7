//! The canonical document: what `gongkai convert` writes as JSON. Field order is the
//! serialization order, so output is deterministic.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;

pub const SCHEMA: &str = "gongkai/document/1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub schema: String,
    pub source: Source,
    pub metadata: Metadata,
    pub tables: Vec<Table>,
    pub narrative: Vec<Part>,
    /// The 目录 (table of contents) as printed: its parts, sections and tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub toc: Vec<TocEntry>,
    /// What the converter noticed and could not resolve (never silent).
    pub warnings: Vec<String>,
    /// What the checks found: every identity that does not hold exactly, every
    /// narrative statement the tables contradict (see `gongkai check`).
    #[serde(default)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Notice,
}

/// One check that did not hold exactly: where, what was expected, what is printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The table id, or the narrative part for a statement of the text.
    pub table: String,
    pub row: Option<String>,
    pub col: Option<String>,
    /// The narrative section (`第3部分 二、收入决算情况说明`) and the sentence, for text findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub expected: String,
    pub actual: String,
    pub diff: String,
    pub tolerance: String,
    pub message: String,
    /// The cells an identity adds up (its total is `table`/`row`/`col`), so a reviewer can
    /// be shown every term of a failing sum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<CellRef>,
}

/// One table cell by its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    pub table: String,
    pub row: String,
    pub col: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// File name (no directory: output does not depend on where the input sat).
    pub file: String,
    pub sha256: String,
    /// `text` or `pdf`.
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Metadata {
    pub title: Option<String>,
    pub department: Option<String>,
    pub year: Option<u32>,
    /// `final_accounts` (决算) or `budget` (预算).
    pub kind: Option<String>,
    /// `department` (部门, 预算主管部门, 编制部门) or `unit` (单位, 预算单位, 编制单位).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The unit most tables are printed in.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Table {
    /// Canonical id (facts contract), or `unknown:<normalized title>`.
    pub id: String,
    /// The printed number such as `公开01表`, when printed.
    pub printed_number: Option<String>,
    pub title: String,
    /// The department its caption names (部门：… / 编制部门：…), where printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    pub unit: Option<String>,
    /// Where the unit was read: `header` (the table's own 单位 line), `note` (its
    /// note), or `document` (every other table of the document agrees).
    pub unit_source: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The printed statement of an empty table (本表无数据 …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub provenance: Provenance,
    /// Printed amounts the table could not keep (a row whose label matched nothing, a
    /// cell that is no number, a column whose header matched none); its warnings say
    /// which. Not output: readers of the table's identities use it (an identity over it
    /// may fail for a term left out).
    #[serde(skip)]
    pub cells_left_out: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Column {
    pub key: String,
    /// The printed header text, parts joined top-down with `/`.
    pub printed: String,
    /// The printed 栏次 number, when printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// `收入` or `支出` in a two-sided summary table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 类 / 款 / 项 for coded rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub label: String,
    /// The printed 行次, when printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_number: Option<u32>,
    pub cells: Vec<Cell>,
    pub at: Location,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cell {
    pub col: String,
    pub value: Amount,
    /// Where the cell is printed, for PDF inputs: `[x0, y0, x1, y1]` in page points of the
    /// page as displayed (after /Rotate), origin bottom-left; the page is its row's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    /// How OCR read the cell, for a cell read from a scan (absent for text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrRead>,
}

/// An OCR reading of a cell: what the engine read, its confidence (the least confident
/// character's, 0..1), whether the document's identities corrected it (then `value`
/// is the corrected amount) and whether they prove it (every identity it takes part in
/// holds exactly).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OcrRead {
    pub read: String,
    pub confidence: f32,
    pub corrected: bool,
    pub proven: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Provenance {
    pub start: Location,
    pub end: Location,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Part {
    /// 第一部分 … 第五部分 as a number.
    pub number: u32,
    pub title: String,
    /// Text before the first numbered section.
    pub text: String,
    pub sections: Vec<Section>,
    pub at: Location,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Section {
    /// The numbered heading's ordinal as printed (`一`, `十三`).
    pub ordinal: String,
    pub title: String,
    pub text: String,
    pub at: Location,
}

/// One entry of the 目录: a part (第三部分 …) or a numbered item under it (九、… / 1. …).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TocEntry {
    /// `part` or `item`.
    pub kind: String,
    /// The number: 3 for 第三部分, 9 for 九、, 1 for `1.`.
    pub number: u32,
    /// The number as printed (`第三部分`, `九`, `1`).
    pub printed: String,
    pub title: String,
    /// The part an item is listed under (a part's own number for a part).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    /// The page the 目录 gives, where it gives one (the document's own page numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub at: Location,
}

impl Table {
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }
}

impl Row {
    pub fn value(&self, col: &str) -> Option<Amount> {
        self.cells.iter().find(|c| c.col == col).map(|c| c.value)
    }
}

impl Document {
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}
