//! `gongkai`: convert Chinese budget and final-accounts disclosures to exact JSON and facts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Turn 部门决算/部门预算 disclosures (PDF or extracted text) into exact canonical JSON and facts",
    long_about = "gongkai reads Chinese government budget and final-accounts disclosures and rebuilds their nine \
tables (公开01–09表) cell by cell, with classification codes, normalized labels and exact amounts.\n\n\
Examples:\n  gongkai convert samples --out out/        convert every .txt/.pdf below samples/\n  \
gongkai facts samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt | head"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

/// OCR of scanned pages (see the README's section on scans).
#[derive(Args, Clone, Copy)]
struct OcrArgs {
    /// When to OCR: `auto` (pages without a text layer or with unmappable fonts), `always`, `never`.
    #[arg(long = "ocr", default_value = "auto")]
    mode: gongkai::OcrMode,
    /// OCR engine: `paddle` (PP-OCRv4 through onnxruntime) or `tesseract`.
    #[arg(long = "ocr-engine", default_value = "paddle")]
    engine: gongkai::OcrEngine,
}

impl OcrArgs {
    fn options(self) -> gongkai::OcrOptions {
        gongkai::OcrOptions { mode: self.mode, engine: self.engine, ..Default::default() }
    }
    /// The same options as worker arguments.
    fn to_args(self) -> [String; 4] {
        let m = match self.mode {
            gongkai::OcrMode::Auto => "auto",
            gongkai::OcrMode::Always => "always",
            gongkai::OcrMode::Never => "never",
        };
        let e = match self.engine {
            gongkai::OcrEngine::Paddle => "paddle",
            gongkai::OcrEngine::Tesseract => "tesseract",
        };
        ["--ocr".into(), m.into(), "--ocr-engine".into(), e.into()]
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Convert files and directories (recursively) to <OUT>/<stem>.json and <OUT>/<stem>.facts.jsonl.
    #[command(long_about = "Convert every .pdf and .txt file given, searching directories recursively, in parallel.\n\
For each input two files are written atomically (temporary name, then rename):\n  \
<OUT>/<stem>.json         the canonical document (tables, rows, columns, narrative, provenance)\n  \
<OUT>/<stem>.facts.jsonl  one fact per non-blank table cell (the facts contract)\n\
(<stem> is the file name without extension; with it, where two inputs share a stem.)\n\
A file that fails is reported with its cause and listed in <OUT>/errors.jsonl; the others go on.\n\
Each file is converted in its own process: a file that crashes, runs past --timeout or past\n\
--max-memory is stopped and reported (kinds `internal`, `timeout`) without stopping the batch.\n\
Ctrl-C stops the batch and leaves only complete output files; --resume then skips the inputs\n\
whose outputs are complete and newer than the input.\n\
Error kinds: not_a_pdf, damaged, encrypted, no_text_layer, unmapped_fonts, not_a_disclosure,\n\
text_encoding, empty, io, timeout, internal.\n\
Exit code: 0 when every file converted, 1 when any failed, 2 on a usage error, 130 when interrupted.\n\n\
Example:\n  gongkai convert samples ~/downloads/henan --out out/")]
    Convert {
        /// Files or directories to convert.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory (created if missing).
        #[arg(long, short)]
        out: PathBuf,
        /// Files converted at once, each in its own worker process (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Seconds one file may take before it is stopped and reported (kind `timeout`).
        #[arg(long, default_value_t = 120)]
        timeout: u64,
        /// Memory one file's conversion may use, in MiB, before it is stopped (kind `internal`).
        #[arg(long, default_value_t = 2048)]
        max_memory: u64,
        /// Skip inputs whose two outputs already exist and are newer than the input.
        #[arg(long)]
        resume: bool,
        #[command(flatten)]
        ocr: OcrArgs,
    },
    /// Convert one file in a separate process (used by `convert`; not for direct use).
    #[command(hide = true)]
    Worker {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        stem: String,
        #[command(flatten)]
        ocr: OcrArgs,
    },
    /// Check every identity of one file: table sums, column sums, summaries, cross-table equalities.
    #[command(long_about = "Check the accounting identities of a disclosure: 类 = Σ款 = Σ项 and 合计 = Σ类 in every column, \
row sums across columns, the summary tables' totals and balance, and the cross-table equalities \
(summary vs 收入/支出决算表, 财政拨款 summary vs the fund tables, 基本支出 detail vs 一般公共预算),\n\
and the narrative (情况说明) against the tables: amounts, units, shares, completion rates, changes,\n\
comparison words, parts and counts; the department and the year.\n\
A difference within the rounding of the printed terms (尾差) is a notice, beyond it an error.\n\
FILE may also be a canonical document written by `convert` (.json): it is checked as it stands.\n\
Exit code: 0 when no error, 1 when any error, 2 when the file could not be read.\n\n\
Example:\n  gongkai check samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt --format json")]
    Check {
        /// A .pdf or .txt disclosure, or a canonical .json document.
        file: PathBuf,
        /// `text` (a readable report) or `json` (one array of findings).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        #[command(flatten)]
        ocr: OcrArgs,
    },
    /// Print the facts of one file (JSON Lines) to stdout.
    #[command(long_about = "Print one fact per non-blank table cell as JSON Lines:\n  \
{\"table\":\"income\",\"row\":\"2010550\",\"col\":\"本年收入合计\",\"value\":\"4.65\",\"unit\":\"万元\",…}\n\n\
Example:\n  gongkai facts samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt > facts.jsonl")]
    Facts {
        /// A .pdf or .txt disclosure.
        file: PathBuf,
        #[command(flatten)]
        ocr: OcrArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Convert { inputs, out, jobs, quiet, timeout, max_memory, resume, ocr } => {
            convert(&inputs, &out, &Batch { jobs, quiet, timeout: Duration::from_secs(timeout.max(1)), max_memory, resume, ocr })
        }
        Cmd::Worker { file, out, stem, ocr } => worker(&file, &out, &stem, &ocr.options()),
        Cmd::Facts { file, ocr } => facts(&file, &ocr.options()),
        Cmd::Check { file, format, ocr } => check(&file, &format, &ocr.options()),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn facts(file: &Path, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    let bytes = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match gongkai::convert_bytes_with(&bytes, &name, ocr) {
        Ok(doc) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(gongkai::facts_jsonl(&doc).as_bytes());
            for w in &doc.warnings {
                eprintln!("warning: {}: {w}", file.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {}: {e} [{}]", file.display(), e.kind());
            Ok(ExitCode::from(2))
        }
    }
}

fn check(file: &Path, format: &str, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    let bytes = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // A canonical document written by `convert` is checked as it stands (its tables may
    // have been edited or come from elsewhere); anything else is converted first.
    let stored = serde_json::from_slice::<gongkai_model::Document>(&bytes).ok().filter(|d| d.schema == gongkai_model::SCHEMA);
    let doc = match stored {
        Some(mut d) => {
            d.findings = gongkai_check::check(&d);
            d
        }
        None => match gongkai::convert_bytes_with(&bytes, &name, ocr) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {e} [{}]", file.display(), e.kind());
                return Ok(ExitCode::from(2));
            }
        },
    };
    let findings = &doc.findings;
    let errors = findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error).count();
    if format == "json" {
        println!("{}", serde_json::to_string_pretty(findings)?);
    } else {
        let identities = gongkai_check::outcomes(&doc).len();
        let statements = gongkai_check::narrative_outcomes(&doc).len();
        println!(
            "{}: {identities} identities and {statements} statements of the text checked: {errors} errors, {} notices",
            file.display(),
            findings.len() - errors
        );
        // Grouped by severity: errors first (the findings come sorted so).
        let mut heading = None;
        for f in findings {
            if heading != Some(f.severity) {
                heading = Some(f.severity);
                println!("\n{}:", if f.severity == gongkai_check::Severity::Error { "errors" } else { "notices (within rounding)" });
            }
            let mut at = f.table.clone();
            if let Some(s) = &f.section {
                at = s.clone();
            }
            if let Some(r) = &f.row {
                at.push_str(&format!(" row {r}"));
            }
            if let Some(c) = &f.col {
                at.push_str(&format!(" col {c}"));
            }
            if let Some(p) = f.page {
                at.push_str(&format!(" (page {p})"));
            }
            println!("  [{}] {at}", f.rule);
            println!("      {}", f.message);
            if !f.expected.is_empty() || !f.actual.is_empty() {
                println!("      expected {}, printed {}, difference {} (rounding allows {})", f.expected, f.actual, f.diff, f.tolerance);
            }
            if let Some(s) = &f.sentence {
                println!("      「{s}」");
            }
        }
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Every .pdf/.txt under the inputs, sorted, each once.
fn collect(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        let meta = fs::metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
        if meta.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let ft = e.file_type()?;
        if ft.is_dir() {
            walk(&p, out)?;
        } else if ft.is_file() || (ft.is_symlink() && p.is_file()) {
            // A link to a file is followed; a link to a directory is not (it could loop).
            let ext = p.extension().map(|x| x.to_string_lossy().to_lowercase());
            if matches!(ext.as_deref(), Some("pdf" | "txt")) {
                out.push(p);
            }
        }
    }
    Ok(())
}

fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!(
        "{}.tmp{}",
        path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    fs::write(&tmp, data)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Output stems, made unique in sorted input order: the file stem; where two inputs
/// share it (`x.txt` and `x.pdf`), the file name with its extension; where that too is
/// shared (same name in two folders), `-2`, `-3`, … in order.
fn stems(files: &[PathBuf]) -> Vec<String> {
    let stem = |f: &PathBuf| f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into());
    let mut count: std::collections::HashMap<String, usize> = Default::default();
    for f in files {
        *count.entry(stem(f)).or_insert(0) += 1;
    }
    let mut used: std::collections::HashMap<String, usize> = Default::default();
    files
        .iter()
        .map(|f| {
            let mut s = stem(f);
            if count[&s] > 1 {
                s = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(s);
            }
            let n = used.entry(s.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { s } else { format!("{s}-{n}") }
        })
        .collect()
}

struct Failure {
    file: PathBuf,
    kind: String,
    message: String,
}

struct Batch {
    jobs: Option<usize>,
    quiet: bool,
    timeout: Duration,
    max_memory: u64,
    resume: bool,
    ocr: OcrArgs,
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A temporary output of `write_atomic` (`x.json.tmp123`, `x.facts.jsonl.tmp123`): an
/// interrupted or killed conversion leaves these, and they are never a result.
fn is_temporary(name: &str) -> bool {
    [".json.tmp", ".jsonl.tmp"].iter().any(|m| name.rfind(m).is_some_and(|i| name[i + m.len()..].chars().all(|c| c.is_ascii_digit())))
}

fn remove_temporaries(out: &Path) {
    if let Ok(entries) = fs::read_dir(out) {
        for e in entries.flatten() {
            if is_temporary(&e.file_name().to_string_lossy()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Both outputs exist (they are written atomically, so they are complete) and are newer
/// than the input.
fn up_to_date(file: &Path, out: &Path, stem: &str) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(input) = modified(file) else { return false };
    [format!("{stem}.json"), format!("{stem}.facts.jsonl")].iter().all(|n| modified(&out.join(n)).is_some_and(|t| t >= input))
}

fn convert(inputs: &[PathBuf], out: &Path, opt: &Batch) -> Result<ExitCode> {
    let files = collect(inputs)?;
    if files.is_empty() {
        anyhow::bail!("no .pdf or .txt file found in the inputs");
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    remove_temporaries(out);
    // Ctrl-C: workers (same process group) stop; no new file starts; partial outputs are removed.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    let names = stems(&files);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opt.jobs.unwrap_or(0)).build()?;
    let bar = if opt.quiet { ProgressBar::hidden() } else { ProgressBar::new(files.len() as u64) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}")
            .expect("static template"),
    );
    let failures = Mutex::new(Vec::new());
    let skipped = std::sync::atomic::AtomicUsize::new(0);
    let exe = std::env::current_exe().context("cannot find the gongkai executable to run workers")?;
    pool.install(|| {
        files.par_iter().zip(names.par_iter()).for_each(|(f, stem)| {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return;
            }
            if opt.resume && up_to_date(f, out, stem) {
                skipped.fetch_add(1, Ordering::SeqCst);
                bar.inc(1);
                return;
            }
            let r = run_worker(&exe, f, out, stem, opt);
            if let Err(fail) = r {
                if !INTERRUPTED.load(Ordering::SeqCst) {
                    bar.println(format!("error: {}: {} [{}]", fail.file.display(), fail.message, fail.kind));
                    failures.lock().unwrap_or_else(|e| e.into_inner()).push(fail);
                }
            }
            bar.inc(1);
        })
    });
    bar.finish_and_clear();
    remove_temporaries(out);
    if INTERRUPTED.load(Ordering::SeqCst) {
        eprintln!("interrupted: the outputs in {} are complete files; run again with --resume to go on", out.display());
        return Ok(ExitCode::from(130));
    }
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort_by(|a, b| a.file.cmp(&b.file));
    let mut report = String::new();
    for f in &failures {
        report.push_str(
            &serde_json::json!({"file": f.file.display().to_string(), "kind": f.kind, "error": f.message}).to_string(),
        );
        report.push('\n');
    }
    let errors_path = out.join("errors.jsonl");
    if failures.is_empty() {
        let _ = fs::remove_file(&errors_path);
    } else {
        write_atomic(&errors_path, report.as_bytes())?;
    }
    let skipped = skipped.into_inner();
    let ok = files.len() - failures.len() - skipped;
    let resumed = if skipped > 0 { format!(" ({skipped} up to date, skipped)") } else { String::new() };
    eprintln!("converted {ok} of {} files into {}{resumed}", files.len(), out.display());
    if !failures.is_empty() {
        eprintln!("{} failed (listed in {}):", failures.len(), errors_path.display());
        for f in &failures {
            eprintln!("  {}: {} [{}]", f.file.display(), f.message, f.kind);
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Convert one file in a child process, bounded in time and memory: a crash (a stack
/// overflow aborts a process and cannot be caught), a hang or a memory blow-up costs
/// that file only.
fn run_worker(exe: &Path, file: &Path, out: &Path, stem: &str, opt: &Batch) -> std::result::Result<(), Failure> {
    let fail = |kind: &str, message: String| Failure { file: file.to_path_buf(), kind: kind.into(), message };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("worker").arg(file).arg("--out").arg(out).arg("--stem").arg(stem).args(opt.ocr.to_args());
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let bytes = opt.max_memory.saturating_mul(1 << 20) as libc::rlim_t;
        // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().map_err(|e| fail("internal", format!("cannot start a worker: {e}")))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() > opt.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail("timeout", format!("stopped after {} s (--timeout)", opt.timeout.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(fail("internal", format!("lost the worker: {e}"))),
        }
    };
    let mut stdout = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut s, &mut stdout);
    }
    match serde_json::from_str::<serde_json::Value>(stdout.trim()) {
        Ok(v) if v["ok"] == true => Ok(()),
        Ok(v) => Err(fail(v["kind"].as_str().unwrap_or("internal"), v["error"].as_str().unwrap_or("unknown error").to_string())),
        Err(_) => {
            #[cfg(unix)]
            let how = {
                use std::os::unix::process::ExitStatusExt;
                match status.signal() {
                    Some(sig) => format!("signal {sig}"),
                    None => format!("exit status {}", status.code().unwrap_or(-1)),
                }
            };
            #[cfg(not(unix))]
            let how = format!("exit status {}", status.code().unwrap_or(-1));
            Err(fail(
                "internal",
                format!("the conversion crashed ({how}): a stack overflow, or more than --max-memory {} MiB; please report this file", opt.max_memory),
            ))
        }
    }
}

/// The worker: convert one file, print the outcome as one JSON line.
fn worker(file: &Path, out: &Path, stem: &str, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    // A testing aid: GONGKAI_TEST_FAULT=hang:<name> or abort:<name> makes the worker for
    // files whose name contains <name> hang or abort, so the batch's timeout and crash
    // handling are tested on a real process.
    if let Ok(fault) = std::env::var("GONGKAI_TEST_FAULT") {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match fault.split_once(':') {
            Some(("hang", m)) if name.contains(m) => std::thread::sleep(Duration::from_secs(3600)),
            Some(("abort", m)) if name.contains(m) => std::process::abort(),
            _ => {}
        }
    }
    let line = match convert_one(file, out, stem, ocr) {
        Ok(()) => serde_json::json!({"ok": true}),
        Err(f) => serde_json::json!({"ok": false, "kind": f.kind, "error": f.message}),
    };
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn convert_one(file: &Path, out: &Path, stem: &str, ocr: &gongkai::OcrOptions) -> std::result::Result<(), Failure> {
    let fail = |kind: &str, message: String| Failure { file: file.to_path_buf(), kind: kind.into(), message };
    let bytes = fs::read(file).map_err(|e| fail("io", format!("cannot read: {e}")))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // A panic in one file must not cost the others: it is reported as an internal error.
    let doc = std::panic::catch_unwind(|| gongkai::convert_bytes_with(&bytes, &name, ocr))
        .map_err(|_| fail("internal", "internal error (panic) while converting; please report this file".into()))?
        .map_err(|e| fail(e.kind(), e.to_string()))?;
    write_atomic(&out.join(format!("{stem}.json")), gongkai::document_json(&doc).as_bytes())
        .and_then(|_| write_atomic(&out.join(format!("{stem}.facts.jsonl")), gongkai::facts_jsonl(&doc).as_bytes()))
        .map_err(|e| fail("io", format!("cannot write output: {e}")))
}

/// Write to a temporary name in the same directory, then rename: never a half file.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_write_atomic_temporaries_are_temporary() {
        assert!(is_temporary("a.json.tmp123"));
        assert!(is_temporary("a.facts.jsonl.tmp9"));
        assert!(!is_temporary("a.json"));
        assert!(!is_temporary("a.facts.jsonl"));
        assert!(!is_temporary("notes.json.tmpl"));
        let dir = tempfile::tempdir().unwrap();
        for n in ["x.json", "x.json.tmp42", "x.facts.jsonl.tmp42", "keep.txt"] {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        remove_temporaries(dir.path());
        let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["keep.txt", "x.json"]);
    }
}
