//! The pipeline: bytes in, canonical [`Document`] out. The binary is a thin shell
//! over this; tests call it directly.

use gongkai_extract::pdf::PdfError;
use gongkai_extract::{read_any_report, read_pdf_report, ExtractError, LaidOut};
use gongkai_model::{Document, Metadata, Source, SCHEMA};
use gongkai_segment::most_common;
use sha2::{Digest, Sha256};

pub mod inputs;
pub mod table;

pub use gongkai_emit::{document_json, facts, facts_jsonl};
pub use gongkai_facts_table::Format as TableFormat;

pub mod review;
pub use gongkai_ocr::{EngineKind as OcrEngine, Mode as OcrMode, Options as OcrOptions};

/// Why a file could not be converted. `kind()` is the stable machine-readable name.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("not a disclosure: no known table (收入支出决算总表, 收入决算表, …) was found")]
    NotDisclosure,
    #[error("OCR of the scanned pages failed: {0}")]
    Ocr(#[from] gongkai_ocr::OcrError),
}

impl ConvertError {
    pub fn kind(&self) -> &'static str {
        match self {
            ConvertError::Extract(ExtractError::Encoding) => "text_encoding",
            ConvertError::Extract(ExtractError::Empty) => "empty",
            ConvertError::Extract(ExtractError::NotText(_)) => "not_text",
            ConvertError::Extract(ExtractError::Pdf(PdfError::NotPdf)) => "not_a_pdf",
            ConvertError::Extract(ExtractError::Pdf(PdfError::Damaged(_))) => "damaged",
            ConvertError::Extract(ExtractError::Pdf(PdfError::Encrypted)) => "encrypted",
            ConvertError::Extract(ExtractError::NoText(_)) => "no_text_layer",
            ConvertError::Extract(ExtractError::Unmapped(_)) => "unmapped_fonts",
            ConvertError::Extract(ExtractError::Unsupported(_)) => "unsupported_format",
            ConvertError::NotDisclosure => "not_a_disclosure",
            ConvertError::Ocr(_) => "ocr",
        }
    }
}

/// One input's bytes as a canonical document, the same whatever the entry point (`facts`,
/// `check`, `review`, the Python package's paths and bytes): a canonical document (its
/// `schema` is ours) as it stands, `true` (its tables may have been edited); a `.json`
/// that is not one is `not_a_document`; anything else converted with `ocr` (`false`). A
/// panic is caught and reported as `internal`. The error's `file` is `name`.
pub fn document_from_bytes(data: &[u8], name: &str, ocr: &OcrOptions) -> Result<(Document, bool), inputs::InputError> {
    let fail = |kind: &str, message: String| inputs::InputError { file: name.into(), kind: kind.into(), message };
    let value = serde_json::from_slice::<serde_json::Value>(data).ok();
    if let Some(v) = value.filter(|v| v.get("schema").and_then(|s| s.as_str()) == Some(SCHEMA)) {
        return serde_json::from_value::<Document>(v)
            .map(|d| (d, true))
            .map_err(|e| fail("not_a_document", format!("a canonical document ({SCHEMA}) that does not read: {e}")));
    }
    if name.to_lowercase().ends_with(".json") {
        return Err(fail("not_a_document", format!("not a canonical document ({SCHEMA})")));
    }
    std::panic::catch_unwind(|| convert_bytes_with(data, name, ocr))
        .map_err(|_| fail("internal", "internal error (panic) while converting; please report this file".into()))?
        .map(|d| (d, false))
        .map_err(|e| fail(e.kind(), e.to_string()))
}

/// Convert one input. `file_name` is recorded in the output (no directory).
pub fn convert_bytes(bytes: &[u8], file_name: &str) -> Result<Document, ConvertError> {
    // The reader is chosen from the bytes (gongkai_extract::detect), never the extension.
    let (laid, unmapped) = read_any_report(bytes, file_name)?;
    from_lines(bytes, file_name, laid, unmapped)
}

/// Convert one input with options: `ocr.mode` says which pages of a PDF are read by OCR
/// (auto: pages without a text layer and pages on which a tenth or more of the glyphs
/// have no Unicode mapping).
/// Every amount read by OCR is then proven, corrected or named by the identities
/// (`gongkai_ocr::prove`).
pub fn convert_bytes_with(bytes: &[u8], file_name: &str, ocr: &OcrOptions) -> Result<Document, ConvertError> {
    convert_bytes_progress(bytes, file_name, ocr, &|_| {})
}

/// [`convert_bytes_with`], telling `on_page` after each page read by OCR (a page takes
/// seconds: a caller showing progress shows pages).
pub fn convert_bytes_progress(bytes: &[u8], file_name: &str, ocr: &OcrOptions, on_page: &dyn Fn(gongkai_ocr::PageDone)) -> Result<Document, ConvertError> {
    // Only a PDF has pages to OCR; whether bytes with a header after junk are one (or a
    // text quoting `%PDF-`) the readers by content decide (`gongkai_extract::detect`).
    if ocr.mode == OcrMode::Never || gongkai_extract::detect::pdf_header(bytes).is_none() {
        return convert_bytes(bytes, file_name);
    }
    // Auto: a file with no scanned page and no page whose text cannot be read (the
    // reader's own rule, `Page::unreadable`: a logo in a symbol font is readable text)
    // takes the text path, read once.
    if ocr.mode == OcrMode::Auto {
        match read_pdf_report(bytes) {
            Ok(r) if r.unreadable_pages.is_empty() && r.scanned_pages.is_empty() => return from_lines(bytes, file_name, r.laid, None),
            Ok(_) | Err(ExtractError::NoText(_)) | Err(ExtractError::Unmapped(_)) => {}
            Err(_) => return convert_bytes(bytes, file_name),
        }
    }
    let Ok(opened) = gongkai_extract::pdf::open_repaired(bytes) else {
        return convert_bytes(bytes, file_name);
    };
    let pages = gongkai_extract::pdf::pages(&opened.doc);
    let targets: Vec<u32> = pages.iter().filter(|p| ocr.mode == OcrMode::Always || p.needs_ocr()).map(|p| p.number).collect();
    if targets.is_empty() {
        return convert_bytes(bytes, file_name);
    }
    let read = gongkai_ocr::ocr_pages_with(bytes, &targets, ocr, on_page)?;
    let engine = match ocr.engine {
        OcrEngine::Paddle => "paddle",
        OcrEngine::Tesseract => "tesseract",
    };
    let mut warnings: Vec<String> = opened.repair.iter().map(|r| format!("damaged file: {r}")).collect();
    let refused: Vec<String> = read.warnings.iter().filter(|w| w.contains("not read by OCR")).cloned().collect();
    warnings.extend(read.warnings);
    let read = read.pages;
    let mut lines = Vec::new();
    for p in &pages {
        match read.iter().find(|o| o.page.number == p.number) {
            Some(o) => {
                let how = match &o.source {
                    gongkai_ocr::Source::Decoded(filter) => format!("its {filter} image decoded"),
                    gongkai_ocr::Source::Rendered(why) if why.is_empty() => "rendered".to_string(),
                    gongkai_ocr::Source::Rendered(why) => format!("rendered: {why}"),
                };
                warnings.push(format!("page {}: read by OCR ({engine}, {} dpi, skew {:.2}°, {how})", p.number, o.dpi, o.skew));
                lines.extend(gongkai_extract::lattice::page_lines(&o.page));
            }
            None => {
                warnings.extend(p.problems.iter().map(|m| format!("page {}: {m}", p.number)));
                lines.extend(gongkai_extract::lattice::page_lines(p));
            }
        }
    }
    // A scan on which OCR reads nothing is still a file without text.
    if lines.iter().all(|l| l.filled() == 0) {
        let list: Vec<String> = targets.iter().map(u32::to_string).collect();
        let why = if refused.is_empty() { String::new() } else { format!(" ({})", refused.join("; ")) };
        return Err(ExtractError::NoText(format!("image-only pages (scans) {} of {}; OCR read no text on them{why}", list.join(", "), pages.len())).into());
    }
    let laid = LaidOut { lines, format: "pdf", encoding: None, pages: Some(pages.len() as u32), warnings, damaged: opened.repair.clone() };
    let mut doc = from_lines(bytes, file_name, laid, None)?;
    let cells: Vec<gongkai_ocr::CellReading> = read.into_iter().flat_map(|o| o.cells).collect();
    gongkai_ocr::prove(&mut doc, &cells, &targets, engine);
    Ok(doc)
}

/// Lines to the canonical document: segment, tables, checks.
fn from_lines(bytes: &[u8], file_name: &str, laid: LaidOut, unmapped: Option<ExtractError>) -> Result<Document, ConvertError> {
    let seg = gongkai_segment::segment(&laid.lines);
    if seg.tables.is_empty() {
        // A damaged file that yields no table failed because of the damage: say so.
        if let Some(d) = &laid.damaged {
            return Err(ExtractError::Pdf(PdfError::Damaged(format!("{d}; no known table could be read from it"))).into());
        }
        // Text that could not be mapped to Unicode is why no table was found (OCR reads it).
        if let Some(e) = unmapped {
            return Err(e.into());
        }
        return Err(ConvertError::NotDisclosure);
    }
    // A table whose own unit is unreadable takes the unit every table that states one
    // agrees on. Where the stated units differ (a budget's 三公 table in 万元 among tables
    // in 元) nothing is agreed, and such a table has no unit: an error, never a default.
    let stated: Vec<&str> = seg.tables.iter().filter_map(|t| t.unit_header.as_deref().or(t.unit_note.as_deref())).collect();
    let doc_unit = stated.first().copied().filter(|u| stated.iter().all(|s| s == u));
    let agreed = most_common(stated.iter().copied());
    let mut warnings = laid.warnings.clone();
    warnings.extend(gongkai_model::amount::unreadable_amounts(laid.lines.iter().map(|l| (l.at(), l.cells.as_slice()))));
    let tables = seg
        .tables
        .iter()
        .map(|b| gongkai_tables::build(b, doc_unit, &mut warnings))
        // A table of unknown title that yields no value was not a table.
        .filter(|t| !t.id.starts_with("unknown:") || t.rows.iter().any(|r| !r.cells.is_empty()))
        .collect();
    let sha = Sha256::digest(bytes);
    let mut doc = Document {
        schema: SCHEMA.to_string(),
        source: Source {
            file: file_name.to_string(),
            sha256: sha.iter().map(|b| format!("{b:02x}")).collect(),
            format: laid.format.to_string(),
            encoding: laid.encoding.map(str::to_string),
            pages: laid.pages,
        },
        metadata: Metadata {
            title: seg.title.clone(),
            department: seg.department.clone(),
            year: seg.year,
            kind: seg.kind.clone(),
            scope: seg.scope.clone(),
            unit: agreed.map(str::to_string),
        },
        tables,
        narrative: seg.parts.clone(),
        toc: gongkai_segment::toc::toc(&laid.lines),
        warnings,
        findings: Vec::new(),
    };
    doc.findings = gongkai_check::check(&doc);
    Ok(doc)
}
