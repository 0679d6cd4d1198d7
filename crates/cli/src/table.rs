//! Facts of many inputs in one table (`gongkai facts`, `convert --facts-table`, the
//! Python package): inputs converted in parallel, written in sorted input order, so the
//! same inputs give the same bytes however many threads ran.

use std::io::Write;
use std::path::{Path, PathBuf};

use gongkai_facts_table::{Format, TableError, TableWriter};
use gongkai_model::Document;
use rayon::prelude::*;

pub use crate::inputs::InputError;

/// What a table run tells as it goes: an input that failed, or a converter's warning
/// about an input whose facts were written (unread glyphs, an unknown table, …).
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    Failed(&'a InputError),
    Warning { file: &'a Path, warning: &'a str },
}

/// What a table run did.
#[derive(Debug, Default)]
pub struct TableSummary {
    pub documents: usize,
    pub facts: u64,
    pub errors: Vec<InputError>,
}

/// One input as a canonical document: a canonical `.json` written by `convert` is taken
/// as it stands (so a facts table can be built from a batch's outputs); anything else is
/// converted (`crate::document_from_bytes`).
pub fn load(file: &Path) -> Result<Document, InputError> {
    load_with(file, &crate::OcrOptions::default())
}

/// [`load`] with OCR options (the default: scanned pages read by OCR).
pub fn load_with(file: &Path, ocr: &crate::OcrOptions) -> Result<Document, InputError> {
    let bytes = std::fs::read(file).map_err(|e| InputError { file: file.to_path_buf(), kind: "io".into(), message: format!("cannot read: {e}") })?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    crate::document_from_bytes(&bytes, &name, ocr).map(|(d, _)| d).map_err(|e| InputError { file: file.to_path_buf(), ..e })
}

/// Writes the facts of `files` (in this order) into `out` as one table. Inputs are
/// converted in parallel on the current rayon pool, a window at a time, so memory stays
/// bounded by the window, not the corpus. A file that fails is passed to `notify`, and
/// the table goes on without it; so are the warnings of the files that converted.
pub fn write_facts_table<W: Write + Send>(
    files: &[PathBuf],
    format: Format,
    out: W,
    ocr: &crate::OcrOptions,
    mut notify: impl FnMut(Notice<'_>),
) -> Result<(W, TableSummary), TableError> {
    let mut w = TableWriter::new(format, out)?;
    let mut summary = TableSummary::default();
    let window = (rayon::current_num_threads() * 8).max(16);
    for chunk in files.chunks(window) {
        let docs: Vec<Result<Document, InputError>> = chunk.par_iter().map(|f| load_with(f, ocr)).collect();
        for (file, d) in chunk.iter().zip(docs) {
            match d {
                Ok(doc) => {
                    w.push(&doc)?;
                    summary.documents += 1;
                    for warning in &doc.warnings {
                        notify(Notice::Warning { file, warning });
                    }
                }
                Err(e) => {
                    notify(Notice::Failed(&e));
                    summary.errors.push(e);
                }
            }
        }
    }
    summary.facts = w.facts();
    Ok((w.finish()?, summary))
}

/// Writes the table to `path` atomically (a temporary name beside it, then rename): the
/// file is complete or absent. The format is `format`, else the one `path`'s extension names.
pub fn write_facts_table_file(
    files: &[PathBuf],
    format: Format,
    path: &Path,
    ocr: &crate::OcrOptions,
    notify: impl FnMut(Notice<'_>),
) -> Result<TableSummary, TableError> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp{}",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    let run = || -> Result<TableSummary, TableError> {
        let f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        let (f, summary) = write_facts_table(files, format, f, ocr, notify)?;
        f.into_inner().map_err(|e| TableError::Io(e.into_error()))?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(summary)
    };
    run().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
