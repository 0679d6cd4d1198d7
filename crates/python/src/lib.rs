//! `gongkai._native`: the pipeline for Python. The `gongkai` package (python/gongkai)
//! wraps it: `convert` returns the CLI's canonical JSON, `facts` an Arrow IPC stream that
//! pyarrow reads without copying, `check` the findings. Every call releases the GIL
//! while it reads and converts, so Python threads (and Spark's workers) run in parallel.

use std::path::PathBuf;

use gongkai::table::{load_with, InputError};
use gongkai::OcrOptions;
use gongkai_model::{Document, SCHEMA};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

create_exception!(_native, ConvertError, PyValueError, "A file could not be converted: args are (message, kind, file).");

fn convert_error(e: InputError) -> PyErr {
    let file = e.file.display().to_string();
    ConvertError::new_err((format!("{file}: {} [{}]", e.message, e.kind), e.kind, file))
}

/// OCR options from the keywords (`ocr`: "auto", "always", "never"; `ocr_engine`:
/// "paddle", "tesseract"), defaults as the CLI's.
fn ocr_options(mode: &str, engine: &str) -> PyResult<OcrOptions> {
    Ok(OcrOptions { mode: mode.parse().map_err(PyValueError::new_err)?, engine: engine.parse().map_err(PyValueError::new_err)?, ..Default::default() })
}

/// A canonical document as it stands (`schema` is ours), else the bytes converted: the
/// CLI's one reading of an input (`gongkai::document_from_bytes`), OCR included.
fn document_from_bytes(data: &[u8], name: &str, ocr: &OcrOptions) -> Result<Document, InputError> {
    gongkai::document_from_bytes(data, name, ocr).map(|(d, _)| d)
}

/// The canonical document of a file, as the JSON text `gongkai convert` writes.
#[pyfunction]
#[pyo3(signature = (path, ocr = "auto", ocr_engine = "paddle"))]
fn convert_path(py: Python<'_>, path: PathBuf, ocr: &str, ocr_engine: &str) -> PyResult<String> {
    let ocr = ocr_options(ocr, ocr_engine)?;
    py.detach(|| load_with(&path, &ocr).map(|d| gongkai::document_json(&d))).map_err(convert_error)
}

/// The canonical document of a file's bytes (`name` is recorded as its file name).
#[pyfunction]
#[pyo3(signature = (data, name, ocr = "auto", ocr_engine = "paddle"))]
fn convert_bytes(py: Python<'_>, data: &[u8], name: &str, ocr: &str, ocr_engine: &str) -> PyResult<String> {
    let ocr = ocr_options(ocr, ocr_engine)?;
    py.detach(|| document_from_bytes(data, name, &ocr).map(|d| gongkai::document_json(&d))).map_err(convert_error)
}

/// The findings of the checks (JSON array), for a file or a canonical document's bytes.
#[pyfunction]
#[pyo3(signature = (data, name, ocr = "auto", ocr_engine = "paddle"))]
fn check_bytes(py: Python<'_>, data: &[u8], name: &str, ocr: &str, ocr_engine: &str) -> PyResult<String> {
    let ocr = ocr_options(ocr, ocr_engine)?;
    py.detach(|| {
        // A stored document is checked as it stands (its tables may have been edited).
        let findings = match gongkai::document_from_bytes(data, name, &ocr)? {
            (d, true) => gongkai_check::check(&d),
            (d, false) => d.findings,
        };
        Ok(serde_json::to_string(&findings).expect("findings serialize"))
    })
    .map_err(convert_error)
}

type Errors = Vec<(String, String, String)>;

fn table(py: Python<'_>, docs: Vec<Result<Document, InputError>>) -> PyResult<(Py<PyBytes>, Errors)> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for d in docs {
        match d {
            Ok(d) => ok.push(d),
            Err(e) => errors.push((e.file.display().to_string(), e.kind, e.message)),
        }
    }
    let ipc = py.detach(|| gongkai_facts_table::ipc_stream(&ok)).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((PyBytes::new(py, &ipc).unbind(), errors))
}

fn pool(jobs: Option<usize>) -> PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build().map_err(|e| PyOSError::new_err(e.to_string()))
}

/// The facts of files and directories (found as `gongkai convert` and `gongkai facts`
/// find them: `gongkai::inputs::collect`) as an Arrow IPC stream, converted in parallel,
/// in sorted input order; plus the paths that could not be inputs (unreadable, a FIFO, a
/// link loop: reported first, never opened) and the inputs that failed.
#[pyfunction]
#[pyo3(signature = (paths, jobs = None, ocr = "auto", ocr_engine = "paddle"))]
fn facts_paths(py: Python<'_>, paths: Vec<PathBuf>, jobs: Option<usize>, ocr: &str, ocr_engine: &str) -> PyResult<(Py<PyBytes>, Errors)> {
    let ocr = ocr_options(ocr, ocr_engine)?;
    let (found, failures) = py.detach(|| gongkai::inputs::collect(&paths));
    let pool = pool(jobs)?;
    let docs = py.detach(|| pool.install(|| found.par_iter().map(|f| load_with(&f.path, &ocr)).collect::<Vec<_>>()));
    table(py, failures.into_iter().map(Err).chain(docs).collect())
}

/// The facts of (name, bytes) pairs, in the order given (what a Spark partition holds).
#[pyfunction]
#[pyo3(signature = (items, jobs = None, ocr = "auto", ocr_engine = "paddle"))]
fn facts_bytes(py: Python<'_>, items: Vec<(String, Vec<u8>)>, jobs: Option<usize>, ocr: &str, ocr_engine: &str) -> PyResult<(Py<PyBytes>, Errors)> {
    let ocr = ocr_options(ocr, ocr_engine)?;
    let pool = pool(jobs)?;
    let docs = py.detach(|| pool.install(|| items.par_iter().map(|(n, b)| document_from_bytes(b, n, &ocr)).collect::<Vec<_>>()));
    table(py, docs)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(convert_path, m)?)?;
    m.add_function(wrap_pyfunction!(convert_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(check_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(facts_paths, m)?)?;
    m.add_function(wrap_pyfunction!(facts_bytes, m)?)?;
    m.add("ConvertError", m.py().get_type::<ConvertError>())?;
    m.add("SCHEMA", SCHEMA)?;
    m.add("AMOUNT_SCALE", gongkai_facts_table::AMOUNT_SCALE)?;
    Ok(())
}
