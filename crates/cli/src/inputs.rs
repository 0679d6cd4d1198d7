//! Which files a run reads, for `gongkai convert`, `gongkai facts`, `check --corpus`,
//! `review` and the Python package alike: the files given, and every file with a known
//! extension below the folders given (for `check --corpus` and `review`, canonical `.json`
//! documents too). A path that cannot be read, or is not a regular
//! file (a FIFO, a device, a link loop), is reported with its kind (`io`, `not_a_file`)
//! and never opened; the rest go on. The order is the paths' sorted order.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Why one input yielded nothing: its path, the error kind (as `convert` names them:
/// `io`, `not_a_file`, a conversion's kind) and the cause.
#[derive(Debug, Clone)]
pub struct InputError {
    pub file: PathBuf,
    pub kind: String,
    pub message: String,
}

/// The extensions a folder is searched for. A file named on the command line is
/// converted whatever its name.
pub const EXTENSIONS: &[&str] = &["pdf", "txt", "md", "markdown", "html", "htm", "xlsx", "xlsm", "xls", "et", "ods", "docx", "doc"];

/// One input file: where it is, and its path relative to the input root it was found under.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: PathBuf,
    pub rel: PathBuf,
    /// The canonical absolute path: the manifest's key.
    pub key: String,
}

fn key_of(p: &Path) -> String {
    fs::canonicalize(p).map(|c| c.display().to_string()).unwrap_or_else(|_| p.display().to_string())
}

/// What a folder is searched for besides [`EXTENSIONS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// Inputs to convert only.
    Inputs,
    /// Inputs, and canonical `.json` documents (`check --corpus`, `review` read both).
    WithDocuments,
}

fn is_candidate(p: &Path, search: Search) -> bool {
    p.extension().is_some_and(|x| {
        let x = x.to_string_lossy();
        EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)) || (search == Search::WithDocuments && x.eq_ignore_ascii_case("json"))
    })
}

fn not_a_file(p: &Path, what: &str) -> InputError {
    InputError { file: p.to_path_buf(), kind: "not_a_file".into(), message: format!("not a regular file: {what}; not opened") }
}

/// Why a path that is not a directory cannot be an input, or None for a regular file.
/// Only metadata is read: a FIFO or a device is never opened (opening a FIFO waits).
fn special(p: &Path, meta: &fs::Metadata) -> Option<InputError> {
    if meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let ft = meta.file_type();
        let what = if ft.is_fifo() {
            "a FIFO (named pipe)"
        } else if ft.is_socket() {
            "a socket"
        } else if ft.is_char_device() || ft.is_block_device() {
            "a device"
        } else {
            "a special file"
        };
        Some(not_a_file(p, what))
    }
    #[cfg(not(unix))]
    Some(not_a_file(p, "a special file"))
}

fn link_error(p: &Path, e: &std::io::Error) -> InputError {
    // ELOOP: the link resolves to itself, directly or through others.
    if e.raw_os_error() == Some(40) {
        not_a_file(p, "a link loop")
    } else {
        InputError { file: p.to_path_buf(), kind: "io".into(), message: format!("cannot read {}: {e}", p.display()) }
    }
}

/// The inputs: files given, and every file with a known extension below the folders
/// given (links to files followed, links to folders not: they could loop). A path that
/// cannot be read or is not a regular file is a failure of its own; the rest go on.
pub fn collect(inputs: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    collect_with(inputs, Search::Inputs)
}

/// [`collect`], searching folders for what `search` says.
pub fn collect_with(inputs: &[PathBuf], search: Search) -> (Vec<Input>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for p in inputs {
        match fs::metadata(p) {
            Err(e) => failures.push(link_error(p, &e)),
            Ok(m) if m.is_dir() => walk(p, p, search, &mut files, &mut failures),
            Ok(m) => match special(p, &m) {
                Some(f) => failures.push(f),
                None => {
                    let rel = p.file_name().map(PathBuf::from).unwrap_or_else(|| p.clone());
                    files.push(Input { path: p.clone(), rel, key: key_of(p) });
                }
            },
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // The same file given twice (or through two roots) is one input.
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.key.clone()));
    failures.sort_by(|a, b| a.file.cmp(&b.file));
    (files, failures)
}

fn walk(root: &Path, dir: &Path, search: Search, out: &mut Vec<Input>, failures: &mut Vec<InputError>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            failures.push(InputError { file: dir.to_path_buf(), kind: "io".into(), message: format!("cannot list the folder: {e}") });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let lmeta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                failures.push(link_error(&p, &e));
                continue;
            }
        };
        if lmeta.is_dir() {
            walk(root, &p, search, out, failures);
            continue;
        }
        if !is_candidate(&p, search) {
            continue;
        }
        let meta = if lmeta.file_type().is_symlink() {
            match fs::metadata(&p) {
                Ok(m) if m.is_dir() => continue,
                Ok(m) => m,
                Err(e) => {
                    failures.push(link_error(&p, &e));
                    continue;
                }
            }
        } else {
            lmeta
        };
        if let Some(f) = special(&p, &meta) {
            failures.push(f);
            continue;
        }
        let rel = p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone());
        out.push(Input { key: key_of(&p), path: p, rel });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_listed_is_a_failure_of_its_own() {
        // (Permissions do not stop root; a folder gone between listing and reading does.)
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let (mut files, mut failures) = (Vec::new(), Vec::new());
        walk(dir.path(), &dir.path().join("gone"), Search::Inputs, &mut files, &mut failures);
        walk(dir.path(), dir.path(), Search::Inputs, &mut files, &mut failures);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].kind, "io");
        assert!(failures[0].message.starts_with("cannot list the folder"), "{}", failures[0].message);
        assert_eq!(files.len(), 1);
    }
}
