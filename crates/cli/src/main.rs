//! `gongkai`: convert Chinese budget and final-accounts disclosures to exact JSON and facts.

mod batch;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

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
    /// Convert files and directories (recursively) to <OUT>/<name>.json and <OUT>/<name>.facts.jsonl.
    #[command(long_about = "Convert every .pdf and .txt file given, searching directories recursively, in parallel.\n\
For each input two files are written, as a pair (both or neither; temporary names, then rename):\n  \
<OUT>/<name>.json         the canonical document (tables, rows, columns, narrative, provenance)\n  \
<OUT>/<name>.facts.jsonl  one fact per non-blank table cell (the facts contract)\n\
<name> is the file's stem; where inputs share it, the file name; where that is shared too, the path\n\
below its input folder (folders joined by __) and a hash of the full path. A name too long for the\n\
file system is cut and hashed. Names are unique, also against outputs of other inputs in <OUT>.\n\
<OUT>/manifest.jsonl has one line per input: file, path, size, doc (sha256), format, pages, tables,\n\
facts, errors (error findings), warnings, seconds, name, outputs; failed inputs with kind and error.\n\
A file that fails is reported with its cause and listed in <OUT>/errors.jsonl; the others go on;\n\
the outputs of an earlier conversion of an input that now fails are removed.\n\
Each file is converted in its own process: a file that crashes, runs past --timeout or past\n\
--max-memory is stopped and reported (kinds `internal`, `timeout`) without stopping the batch.\n\
One run at a time writes into <OUT> (a lock file; a second run is refused with the first's pid).\n\
Ctrl-C, SIGTERM or SIGHUP stop the batch and its workers and leave only complete output pairs;\n\
--resume then skips the inputs whose content (size and sha256) is what their outputs were made from.\n\
The run ends with a verdict: documents whose identities all hold, documents with error findings\n\
(with their counts), documents with warnings; --fail-on makes the exit code say so.\n\
Error kinds: not_a_pdf, damaged, encrypted, no_text_layer, unmapped_fonts, not_a_disclosure,\n\
text_encoding, not_text, empty, not_a_file, io, timeout, internal.\n\
Exit code: 0 when every file converted, 1 when any failed (or, with --fail-on, a document has error\n\
findings or warnings), 2 on a usage error or when <OUT> cannot be used, 130 when interrupted.\n\n\
Example:\n  gongkai convert samples ~/downloads/henan --out out/")]
    Convert {
        /// Files or directories to convert.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory (created if missing).
        #[arg(long, short)]
        out: PathBuf,
        /// Files converted at once, each in its own worker process (default: all cores; at most 4 per core).
        #[arg(long, short, value_parser = clap::value_parser!(u64).range(1..))]
        jobs: Option<u64>,
        /// Print nothing (no progress, no summary); the exit code, manifest.jsonl and errors.jsonl tell.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Print each file as it finishes, with its warnings.
        #[arg(long, short)]
        verbose: bool,
        /// Seconds one file may take before it is stopped and reported (kind `timeout`).
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Memory one file's conversion may use, in MiB, before it is stopped (kind `internal`).
        #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u64).range(1..))]
        max_memory: u64,
        /// Skip inputs whose content (size and sha256) is what their outputs in <OUT> were made from.
        #[arg(long)]
        resume: bool,
        /// Exit 1 also when a converted document has error findings (`error`) or warnings too (`warning`).
        #[arg(long, value_parser = ["error", "warning"])]
        fail_on: Option<String>,
        /// After converting, check the documents in OUT against each other, as `check OUT --corpus` does.
        #[arg(long)]
        corpus: bool,
        /// After converting, write the facts of every document converted into OUT to one table
        /// FILE (.jsonl, .csv or .parquet, by its extension), as `gongkai facts` writes it.
        #[arg(long, value_name = "FILE")]
        facts_table: Option<PathBuf>,
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
        name: String,
        #[arg(long)]
        run: String,
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
With --corpus, the files (directories searched for the inputs convert reads and for .json documents) are checked against each\n\
other: grouped by department, kind and year, every 比/与 上年/2024年(预算|决算) 增加/减少/持平 statement\n\
against the previous year's document (corpus.year_over_year), and a final account's 年初预算 figures\n\
against the same year's budget (corpus.budget_vs_final); a statement whose counterpart is not in the\n\
batch is counted as unchecked.\n\
Exit code: 0 when no error, 1 when any error (with --corpus: any cross-document error),\n\
2 when a file could not be read.\n\n\
Examples:\n  gongkai check samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt --format json\n  \
gongkai check out/ --corpus")]
    Check {
        /// .pdf or .txt disclosures or canonical .json documents (with --corpus also directories).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Check the documents against each other (years, budget against final account).
        #[arg(long)]
        corpus: bool,
        /// `text` (a readable report) or `json` (one array of findings).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        #[command(flatten)]
        ocr: OcrArgs,
    },
    /// Write static HTML review pages: each page as read, the rebuilt tables, the findings.
    #[command(long_about = "Write one self-contained HTML page per input and an index.html into OUT (no server,\n\
no request leaves the files: open index.html from disk in any browser).\n\
Per document: the verdict, the findings grouped by severity (each linked to its cell and its place\n\
on the page), every table page of a PDF drawn from the glyphs and rulings gongkai read (text\n\
selectable) with each fact's cell outlined and linked both ways to the rebuilt table beside it, the\n\
cells of a failing identity marked (the total red, its terms amber, with expected, printed and the\n\
尾差 allowed), and the narrative with every contradicted sentence highlighted and linked to its cell.\n\
Inputs: disclosures (converted here) or canonical .json documents written by `convert`.\n\n\
Example:\n  gongkai review samples --out review/ && xdg-open review/index.html")]
    Review {
        /// Files or directories (searched recursively).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory (created if missing).
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        ocr: OcrArgs,
    },
    /// Facts of many inputs in one table: JSON Lines or CSV (stdout or --out), or Parquet (--out).
    #[command(long_about = "Convert the inputs (files, and directories searched recursively for .pdf/.txt) in parallel\n\
and write all their facts, in sorted input order, into one table: one row per non-blank table cell,\n\
the facts contract's fields (table, row, col, value, unit), then the document's (amount, label, code,\n\
level, page, line, table_number, table_title, doc, file, department, year, kind, scope).\n\
A canonical .json written by `convert` may be named as an input: it is read as it stands.\n\
  jsonl    one JSON object per fact; `amount` is a JSON number with the printed digits\n\
  csv      UTF-8 with a header row\n\
  parquet  `amount` DECIMAL(38,6) with an integer `scale` (printed decimals), text dictionary-encoded;\n\
           needs --out\n\
Without --format the extension of --out decides (.jsonl, .csv, .parquet), else jsonl.\n\
--out is written atomically (temporary name, then rename). A file that fails is reported on stderr\n\
with its kind and cause, and the table goes on without it.\n\
Exit code: 0 when every input was read, 1 when some failed, 2 when none could be read or on a usage error.\n\n\
Examples:\n  gongkai facts samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt | head\n  \
gongkai facts ~/downloads/henan --out henan.parquet\n  \
duckdb -c \"SELECT department, year, sum(amount) FROM 'henan.parquet' WHERE table = 'three_public' GROUP BY ALL\"")]
    Facts {
        /// Files or directories (.pdf, .txt; or canonical .json documents).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output format (default: from the extension of --out, else jsonl).
        #[arg(long, value_parser = ["jsonl", "csv", "parquet"])]
        format: Option<String>,
        /// Output file (default: stdout; Parquet needs a file).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Files converted at once (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        #[command(flatten)]
        ocr: OcrArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Convert { inputs, out, jobs, quiet, verbose, timeout, max_memory, resume, fail_on, corpus, facts_table, ocr } => {
            let verbosity = if quiet { batch::Verbosity::Quiet } else if verbose { batch::Verbosity::Verbose } else { batch::Verbosity::Normal };
            let fail_on = fail_on.as_deref().map(|f| if f == "warning" { batch::FailOn::Warning } else { batch::FailOn::Error });
            let opt = batch::Options {
                jobs: jobs.map(|j| j as usize),
                verbosity,
                timeout: Duration::from_secs(timeout),
                max_memory,
                resume,
                fail_on,
                worker_args: ocr.to_args().to_vec(),
            };
            let mut code = batch::run(&inputs, &out, &opt);
            if let (Some(table), Ok(c)) = (&facts_table, &code) {
                if *c != ExitCode::from(130) {
                    if let Err(e) = facts_table_of(&out, table, quiet) {
                        code = Err(e);
                    }
                }
            }
            match code {
                // The documents of the run (and any others in OUT) against each other; the
                // exit code says a cross-document error only where the batch itself was fine.
                Ok(c) if corpus && c == ExitCode::SUCCESS => check_corpus(std::slice::from_ref(&out), "text", quiet, &ocr.options()),
                Ok(c) if corpus && c != ExitCode::from(130) => check_corpus(std::slice::from_ref(&out), "text", quiet, &ocr.options()).map(|_| c),
                other => other,
            }
        }
        Cmd::Worker { file, out, name, run, ocr } => Ok(batch::worker(&file, &out, &name, &run, &ocr.options())),
        Cmd::Facts { inputs, format, out, jobs, ocr } => {
            quiet_broken_pipe();
            facts(&inputs, format.as_deref(), out.as_deref(), jobs, &ocr.options())
        }
        Cmd::Check { files, corpus, format, ocr } => {
            quiet_broken_pipe();
            let ocr = ocr.options();
            if corpus {
                check_corpus(&files, &format, false, &ocr)
            } else {
                check_each(&files, &format, &ocr)
            }
        }
        Cmd::Review { inputs, out, ocr } => review(&inputs, &out, &ocr.options()),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `gongkai check FILE | head -1`: a reader that stops reading ends the program quietly
/// (SIGPIPE, as for other Unix tools), never with a panic on the next print.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default disposition before any output is written.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// `convert --facts-table`: the canonical documents the manifest of OUT lists as
/// converted, in its (sorted) order, read as they stand into one table.
fn facts_table_of(out: &Path, table: &Path, quiet: bool) -> Result<()> {
    use gongkai::table::{write_facts_table_file, Notice};
    let docs: Vec<PathBuf> = batch::read_manifest(out)
        .into_values()
        .filter(|e| e.status == "ok")
        .filter_map(|e| e.outputs.iter().find(|o| o.ends_with(".json")).map(|o| out.join(o)))
        .collect();
    let format = gongkai::TableFormat::from_extension(table).unwrap_or(gongkai::TableFormat::Jsonl);
    let never = gongkai::OcrOptions { mode: gongkai::OcrMode::Never, ..Default::default() };
    let report = |n: Notice<'_>| {
        if let Notice::Failed(e) = n {
            eprintln!("error: {}: {} [{}]", e.file.display(), e.message, e.kind);
        }
    };
    let summary = write_facts_table_file(&docs, format, table, &never, report).with_context(|| format!("cannot write {}", table.display()))?;
    if !quiet {
        eprintln!("{} facts of {} documents written to {}", summary.facts, summary.documents, table.display());
    }
    Ok(())
}

/// The document of FILE: a canonical document written by `convert`, as it stands (its
/// tables may have been edited or come from elsewhere; `true`), or the conversion of
/// anything else. Err: the message, naming the file.
fn load_document(file: &Path, ocr: &gongkai::OcrOptions) -> std::result::Result<(gongkai_model::Document, bool), String> {
    let fail = |msg: String| format!("{}: {}", file.display(), batch::summarise(&msg));
    // A FIFO or a device is never opened (reading a FIFO waits for a writer).
    match fs::metadata(file) {
        Ok(m) if !m.is_file() => return Err(fail("not a regular file (a folder, FIFO or device); not opened [not_a_file]".into())),
        _ => {}
    }
    let bytes = fs::read(file).map_err(|e| fail(format!("cannot read: {e} [io]")))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    gongkai::document_from_bytes(&bytes, &name, ocr).map_err(|e| fail(format!("{} [{}]", e.message, e.kind)))
}

/// [`load_document`] with errors printed and exit code 2.
fn read_document(file: &Path, ocr: &gongkai::OcrOptions) -> std::result::Result<(gongkai_model::Document, bool), ExitCode> {
    load_document(file, ocr).map_err(|msg| {
        let _ = writeln!(std::io::stderr(), "error: {msg}");
        ExitCode::from(2)
    })
}

/// A document to check: a stored one has its findings computed afresh.
fn load_checked(file: &Path, ocr: &gongkai::OcrOptions) -> std::result::Result<gongkai_model::Document, String> {
    let (mut d, stored) = load_document(file, ocr)?;
    if stored {
        d.findings = gongkai_check::check(&d);
    }
    Ok(d)
}

fn facts(inputs: &[PathBuf], format: Option<&str>, out: Option<&Path>, jobs: Option<usize>, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    use gongkai::table::{write_facts_table, write_facts_table_file, Notice};
    use gongkai::TableFormat;
    let format: TableFormat = match format {
        Some(f) => f.parse().map_err(anyhow::Error::msg)?,
        None => out.and_then(TableFormat::from_extension).unwrap_or(TableFormat::Jsonl),
    };
    let (found, failures) = batch::collect(inputs);
    for f in &failures {
        eprintln!("error: {}: {} [{}]", f.file.display(), f.message, f.kind);
    }
    let files: Vec<PathBuf> = found.into_iter().map(|i| i.path).collect();
    if files.is_empty() {
        anyhow::bail!("no input file found in the inputs");
    }
    let report = |n: Notice<'_>| match n {
        Notice::Failed(e) => eprintln!("error: {}: {} [{}]", e.file.display(), e.message, e.kind),
        Notice::Warning { file, warning } => eprintln!("warning: {}: {warning}", file.display()),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
    let summary = pool.install(|| -> Result<_> {
        Ok(match out {
            Some(path) => write_facts_table_file(&files, format, path, ocr, report).with_context(|| format!("cannot write {}", path.display()))?,
            None if format == TableFormat::Parquet => anyhow::bail!("Parquet is written to a file: give --out FILE.parquet"),
            // A closed pipe (`| head`) ends the output; it is not an error worth reporting.
            None => match write_facts_table(&files, format, std::io::stdout(), ocr, report) {
                Ok((_, s)) => s,
                Err(e) if e.is_broken_pipe() => return Ok(None),
                Err(e) => return Err(e.into()),
            },
        }
        .into())
    })?;
    let Some(summary) = summary else { return Ok(ExitCode::SUCCESS) };
    if let Some(path) = out {
        eprintln!("{} facts of {} of {} inputs written to {}", summary.facts, summary.documents, files.len(), path.display());
    }
    Ok(match (summary.documents, summary.errors.len() + failures.len()) {
        (_, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(2),
        _ => ExitCode::from(1),
    })
}

/// Each file on its own; the exit code is the worst file's (2 unreadable, 1 errors).
fn check_each(files: &[PathBuf], format: &str, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    let mut worst = 0u8;
    for f in files {
        let c = check(f, format, ocr)?;
        let rank = if c == ExitCode::from(2) { 2 } else if c == ExitCode::SUCCESS { 0 } else { 1 };
        worst = worst.max(rank);
    }
    Ok(ExitCode::from(worst))
}

fn check(file: &Path, format: &str, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    let doc = match read_document(file, ocr) {
        Ok((mut d, stored)) => {
            if stored {
                d.findings = gongkai_check::check(&d);
            }
            d
        }
        Err(code) => return Ok(code),
    };
    for w in batch::group_pages(doc.warnings.clone()) {
        let _ = writeln!(std::io::stderr(), "warning: {}: {}", file.display(), batch::summarise(&w));
    }
    use std::fmt::Write as _;
    let mut out = String::new();
    let findings = &doc.findings;
    let errors = findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error).count();
    if format == "json" {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(findings)?);
    } else {
        let identities = gongkai_check::outcomes(&doc).len();
        let statements = gongkai_check::narrative_outcomes(&doc).len();
        let _ = writeln!(out, 
            "{}: {identities} identities and {statements} statements of the text checked: {errors} errors, {} notices",
            file.display(),
            findings.len() - errors
        );
        // Grouped by severity: errors first (the findings come sorted so).
        let mut heading = None;
        for f in findings {
            if heading != Some(f.severity) {
                heading = Some(f.severity);
                let _ = writeln!(out, "\n{}:", if f.severity == gongkai_check::Severity::Error { "errors" } else { "notices (within rounding)" });
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
            let _ = writeln!(out, "  [{}] {at}", f.rule);
            let _ = writeln!(out, "      {}", f.message);
            if !f.expected.is_empty() || !f.actual.is_empty() {
                let _ = writeln!(out, "      expected {}, printed {}, difference {} (rounding allows {})", f.expected, f.actual, f.diff, f.tolerance);
            }
            if let Some(s) = &f.sentence {
                let _ = writeln!(out, "      「{s}」");
            }
        }
    }
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The inputs of `check --corpus` and `review`: the batch's inputs (files as given,
/// directories searched), and the canonical `.json` documents below the directories.
fn inputs_with_documents(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<batch::InputError>) {
    let (found, failures) = gongkai::inputs::collect_with(inputs, gongkai::inputs::Search::WithDocuments);
    (found.into_iter().map(|i| i.path).collect(), failures)
}

fn place_text(p: &gongkai_check::Place) -> String {
    let mut at = format!("{} (sha256 {})", p.file, p.sha256.get(..12).unwrap_or(&p.sha256));
    if let Some(s) = &p.section {
        at.push_str(&format!(" {s}"));
    }
    if let Some(t) = &p.table {
        at.push_str(&format!(" table {t}"));
    }
    if let Some(r) = &p.row {
        at.push_str(&format!(" row {r}"));
    }
    if let Some(c) = &p.col {
        at.push_str(&format!(" col {c}"));
    }
    if let Some(pg) = p.page {
        at.push_str(&format!(" (page {pg})"));
    }
    if let Some(s) = &p.sentence {
        at.push_str(&format!("\n          「{s}」"));
    }
    at
}

/// `check --corpus`: every document's own checks (one line each), then the documents
/// against each other. Exit 1 on a cross-document error, 2 when a file could not be read.
fn check_corpus(inputs: &[PathBuf], format: &str, quiet: bool, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    use std::fmt::Write as _;
    let (files, failures) = inputs_with_documents(inputs);
    for f in &failures {
        eprintln!("error: {}: {} [{}]", f.file.display(), f.message, f.kind);
    }
    let mut docs = Vec::new();
    let mut unreadable = failures.len();
    for f in &files {
        match load_checked(f, ocr) {
            Ok(d) => docs.push((f, d)),
            Err(e) => {
                eprintln!("error: {e}");
                unreadable += 1;
            }
        }
    }
    let only: Vec<gongkai_model::Document> = docs.iter().map(|(_, d)| d.clone()).collect();
    let report = gongkai_check::check_corpus(&only);
    let errors = report.findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error).count();
    let mut out = String::new();
    if format == "json" {
        let documents: Vec<serde_json::Value> = docs
            .iter()
            .map(|(f, d)| serde_json::json!({"path": f.display().to_string(), "file": d.source.file, "sha256": d.source.sha256, "findings": d.findings}))
            .collect();
        out = serde_json::to_string_pretty(&serde_json::json!({"documents": documents, "corpus": report}))?;
        out.push('\n');
    } else {
        for (f, d) in &docs {
            let e = d.findings.iter().filter(|x| x.severity == gongkai_check::Severity::Error).count();
            let _ = writeln!(out, "{}: {} errors, {} notices (its own checks: gongkai check {0})", f.display(), e, d.findings.len() - e);
        }
        let _ = writeln!(out, "\n{} documents in {} groups (department · kind · year):", docs.len(), report.groups.len());
        for g in &report.groups {
            let _ = writeln!(out, "  {} · {} · {}: {}", g.department, g.kind, g.year, g.files.join(", "));
        }
        let _ = writeln!(
            out,
            "\nacross documents: {} checked, {} held, {} failed; {} unchecked (counterpart not in the batch or not identified)",
            report.checked,
            report.held,
            report.failed,
            report.unchecked.len()
        );
        let mut heading = None;
        for f in &report.findings {
            if heading != Some(f.severity) {
                heading = Some(f.severity);
                let _ = writeln!(out, "\n{}:", if f.severity == gongkai_check::Severity::Error { "errors" } else { "notices (within rounding)" });
            }
            let _ = writeln!(out, "  [{}] {}", f.rule, f.message);
            let _ = writeln!(out, "      this:  {}", place_text(&f.this));
            let _ = writeln!(out, "      other: {}", place_text(&f.other));
            let _ = writeln!(out, "      expected {}, printed {}, difference {} (rounding allows {})", f.expected, f.actual, f.diff, f.tolerance);
        }
        if !report.unchecked.is_empty() {
            let _ = writeln!(out, "\nunchecked:");
            for u in &report.unchecked {
                let _ = writeln!(out, "  [{}] {}\n      {}", u.rule, u.reason, place_text(&u.place));
            }
        }
    }
    // A closed pipe (`| head`) is not an error worth reporting.
    if !quiet {
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
    }
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn review(inputs: &[PathBuf], out: &Path, ocr: &gongkai::OcrOptions) -> Result<ExitCode> {
    let (files, failures) = inputs_with_documents(inputs);
    for f in &failures {
        eprintln!("error: {}: {} [{}]", f.file.display(), f.message, f.kind);
    }
    if files.is_empty() {
        anyhow::bail!("no input found");
    }
    let r = gongkai::review::review(&files, out, ocr).with_context(|| format!("cannot write the review into {}", out.display()))?;
    let failed = r.entries.iter().filter(|e| e.failed.is_some()).count();
    eprintln!("reviewed {} of {} files: open {}", r.entries.len() - failed, r.entries.len(), r.index.display());
    Ok(if failed > 0 || !failures.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

