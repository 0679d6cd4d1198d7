//! `gongkai review`: one static HTML page per input and an index, written atomically.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use gongkai_review::Entry;

/// What a review run wrote.
pub struct Reviewed {
    pub entries: Vec<Entry>,
    pub index: PathBuf,
}

/// Read one input: a disclosure (converted here) or a canonical `.json` written by
/// `convert` (shown as it stands, checks rerun); a PDF's pages are interpreted again for
/// the page views.
fn load(file: &Path, ocr: &crate::OcrOptions) -> Result<(gongkai_model::Document, Option<Vec<gongkai_extract::pdf::Page>>), String> {
    let bytes = fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (mut doc, stored) = crate::document_from_bytes(&bytes, &name, ocr).map_err(|e| format!("{} [{}]", e.message, e.kind))?;
    if stored {
        doc.findings = gongkai_check::check(&doc);
        return Ok((doc, None));
    }
    let pages = (doc.source.format == "pdf")
        .then(|| gongkai_extract::pdf::open_repaired(&bytes).ok().map(|o| gongkai_extract::pdf::pages(&o.doc)))
        .flatten();
    Ok((doc, pages))
}

/// Page names: the input's stem, made unique by a hash of its path where two inputs share it.
fn page_names(files: &[PathBuf]) -> Vec<String> {
    let stem = |f: &PathBuf| f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into());
    files
        .iter()
        .map(|f| {
            let s = stem(f);
            let shared = files.iter().filter(|g| stem(g) == s).count() > 1 || s == "index";
            if shared {
                let h = Sha256::digest(f.to_string_lossy().as_bytes());
                format!("{s}-{:02x}{:02x}{:02x}{:02x}.html", h[0], h[1], h[2], h[3])
            } else {
                format!("{s}.html")
            }
        })
        .collect()
}

fn write_atomic(path: &Path, data: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("html.tmp{}", std::process::id()));
    fs::write(&tmp, data)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Review every file (in parallel; the index lists them in the given order). A file that
/// cannot be converted is listed in the index with its cause; the others go on. Inputs are
/// read as `facts` and `check` read them, OCR included (`crate::document_from_bytes`).
pub fn review(files: &[PathBuf], out: &Path, ocr: &crate::OcrOptions) -> std::io::Result<Reviewed> {
    fs::create_dir_all(out)?;
    let names = page_names(files);
    let entries: Vec<std::io::Result<Entry>> = files
        .par_iter()
        .zip(names.par_iter())
        .map(|(f, name)| {
            let loaded = std::panic::catch_unwind(|| load(f, ocr)).unwrap_or_else(|_| Err("internal error (panic); please report this file".into()));
            match loaded {
                Ok((doc, pages)) => {
                    write_atomic(&out.join(name), &gongkai_review::document(&doc, pages.as_deref()))?;
                    Ok(Entry::of(&doc, name))
                }
                Err(why) => Ok(Entry {
                    href: String::new(),
                    file: f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                    department: String::new(),
                    year: String::new(),
                    kind: String::new(),
                    tables: 0,
                    facts: 0,
                    errors: 0,
                    notices: 0,
                    warnings: 0,
                    failed: Some(why),
                }),
            }
        })
        .collect();
    let entries = entries.into_iter().collect::<std::io::Result<Vec<_>>>()?;
    let index = out.join("index.html");
    write_atomic(&index, &gongkai_review::index(&entries))?;
    Ok(Reviewed { entries, index })
}
