//! The batch runner behind `gongkai convert`: which inputs (`collect`), what each output
//! is called (`output_names`), one worker process per input (`run_worker`), the lock on
//! the output folder, `--resume` by content, `manifest.jsonl`, `errors.jsonl` and the
//! summary. `run` ties them together; `worker` is the child's side.
//!
//! The output folder's record is `manifest.jsonl`: one line per input ever converted into
//! it (its path, size and sha256, its outputs, its verdict). A run reads it, appends a
//! line as each input finishes (so a killed run loses nothing it finished), and rewrites
//! it compacted at the end; entries of inputs not in the run are kept, and their output
//! names stay theirs. `errors.jsonl` is the failed entries of the manifest.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The inputs are found by the library's one walker (also `facts`' and the Python package's).
/// A file that could not be read or converted, with its stable kind: `InputError`.
pub use gongkai::inputs::{collect, Input, InputError, EXTENSIONS};

/// Output names are at most this many bytes before `.facts.jsonl` (file systems allow
/// 255; the run's temporary prefix needs room too). Longer ones are cut and hashed.
pub const MAX_NAME_BYTES: usize = 160;

/// A worker's report is read up to this size; the rest is drained and dropped.
const MAX_REPORT_BYTES: usize = 1 << 20;

/// An error message longer than this is cut (after summarising repeated page messages).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A worker tells its runner of each page read by OCR with one stderr line
/// `<PAGE_EVENT> <page> <done> <total>`; its other stderr lines are dropped.
pub const PAGE_EVENT: &str = "gongkai-ocr-page";

/// A worker's stderr line as a page event: (page, done, total).
pub fn page_event(line: &str) -> Option<(u32, usize, usize)> {
    let mut it = line.strip_prefix(PAGE_EVENT)?.split_whitespace().map(str::parse::<u64>);
    let (page, done, total) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    (it.next().is_none() && done <= total).then_some((u32::try_from(page).ok()?, done as usize, total as usize))
}

pub const MANIFEST: &str = "manifest.jsonl";
pub const ERRORS: &str = "errors.jsonl";
pub const LOCK: &str = ".gongkai.lock";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FailOn {
    Error,
    Warning,
}

pub struct Options {
    pub jobs: Option<usize>,
    pub verbosity: Verbosity,
    pub timeout: Duration,
    pub max_memory: u64,
    pub resume: bool,
    pub fail_on: Option<FailOn>,
    /// Arguments every worker is given besides its file (the OCR options).
    pub worker_args: Vec<String>,
}

/// What converting one input came to, as the worker reports it and the manifest records
/// it: a failure's kind and message, or the figures of the document.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
    /// The input's sha256 (the canonical document's `source.sha256`).
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub pages: Option<u32>,
    #[serde(default)]
    pub tables: usize,
    #[serde(default)]
    pub facts: usize,
    /// Error findings of the checks.
    #[serde(default)]
    pub errors: usize,
}

/// One line of `manifest.jsonl` (its fields in this order: `file`, `path`, `status`, the
/// outcome's, `warnings`, `seconds`, `name`, `outputs`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// The input as it was found (given on the command line, or below a folder given).
    pub file: String,
    /// Its canonical absolute path: what identifies the input between runs.
    pub path: String,
    /// `ok` or `failed`.
    pub status: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The converter's warnings (unread glyphs, unknown tables, damage repaired, …).
    #[serde(default)]
    pub warnings: usize,
    #[serde(default)]
    pub seconds: f64,
    /// The output name (`<name>.json`, `<name>.facts.jsonl`).
    #[serde(default)]
    pub name: String,
    /// The output files, relative to the folder the manifest is in.
    #[serde(default)]
    pub outputs: Vec<String>,
}

/// What a worker prints, as one JSON line: the outcome and the warnings themselves.
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct Report {
    pub ok: bool,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The warnings, summarised (repeated page messages grouped) and capped.
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub warning_count: usize,
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn short_hash(s: &str) -> String {
    sha256_hex(s.as_bytes())[..12].to_string()
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The name of an input at a level of disambiguation: 0 its stem, 1 its file name (the
/// extension kept), 2 its path relative to its input root (folders joined by `__`)
/// with a hash of its canonical path. A name longer than [`MAX_NAME_BYTES`] is cut and
/// given the hash, so it stays unique.
fn name_at(f: &Input, level: u8) -> String {
    let file_name = f.rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "input".into());
    let stem = f.rel.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file_name.clone());
    let hash = short_hash(&f.key);
    let name = match level {
        0 => stem,
        1 => file_name,
        _ => {
            let rel: Vec<String> = f.rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            format!("{}~{hash}", rel.join("__"))
        }
    };
    if name.len() <= MAX_NAME_BYTES {
        name
    } else {
        format!("{}~{hash}", cut(&name, MAX_NAME_BYTES - 13))
    }
}

/// Output names, unique by construction: each input starts at its stem; every name
/// shared (case-insensitively, as some file systems compare) with another input's, or
/// with a name the output folder's manifest gives to another input (`reserved`), moves
/// every holder one level on (file name, then relative path with a hash of the
/// canonical path), until no two are alike. Depends only on the set of inputs.
pub fn output_names(files: &[Input], reserved: &HashSet<String>) -> Vec<String> {
    let reserved: HashSet<String> = reserved.iter().map(|r| r.to_lowercase()).collect();
    let mut level = vec![0u8; files.len()];
    let mut names: Vec<String> = files.iter().map(|f| name_at(f, 0)).collect();
    loop {
        let mut count: HashMap<String, usize> = HashMap::new();
        for n in &names {
            *count.entry(n.to_lowercase()).or_insert(0) += 1;
        }
        let clash: Vec<usize> =
            (0..names.len()).filter(|&i| count[&names[i].to_lowercase()] > 1 || reserved.contains(&names[i].to_lowercase())).collect();
        if clash.is_empty() {
            return names;
        }
        let mut moved = false;
        for &i in &clash {
            if level[i] < 2 {
                level[i] += 1;
                names[i] = name_at(&files[i], level[i]);
                moved = true;
            }
        }
        if !moved {
            // Only a hash collision gets here: number the holders in input order.
            let mut taken: HashSet<String> = names.iter().map(|n| n.to_lowercase()).chain(reserved.iter().cloned()).collect();
            for &i in clash.iter().skip(1) {
                let mut k = 2;
                while taken.contains(&format!("{}~{k}", names[i]).to_lowercase()) {
                    k += 1;
                }
                names[i] = format!("{}~{k}", names[i]);
                taken.insert(names[i].to_lowercase());
            }
        }
    }
}

pub fn outputs_of(name: &str) -> [String; 2] {
    [format!("{name}.json"), format!("{name}.facts.jsonl")]
}

/// A temporary of run `run`: `.tmp-<run>.<final name>`. Private to its run: another run
/// never writes or removes it.
fn temporary(run: &str, final_name: &str) -> String {
    format!(".tmp-{run}.{final_name}")
}

fn is_temporary_of(name: &str, run: Option<&str>) -> bool {
    // Those of earlier versions: `x.json.tmp123`, `x.facts.jsonl.tmp123`.
    let legacy = [".json.tmp", ".jsonl.tmp"].iter().any(|m| name.rfind(m).is_some_and(|i| name[i + m.len()..].chars().all(|c| c.is_ascii_digit())));
    if legacy {
        return run.is_none();
    }
    let Some(rest) = name.strip_prefix(".tmp-") else { return false };
    let Some((id, _)) = rest.split_once('.') else { return false };
    id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) && run.is_none_or(|r| r == id)
}

/// Remove the temporaries of `run`, or of every run (only under the folder's lock: no
/// other run can be writing them).
fn remove_temporaries(out: &Path, run: Option<&str>) {
    if let Ok(entries) = fs::read_dir(out) {
        for e in entries.flatten() {
            if is_temporary_of(&e.file_name().to_string_lossy(), run) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// The output folder's lock: `flock` on `<out>/.gongkai.lock`, released by the kernel
/// when the process ends however it ends, removed when the run ends.
pub struct Lock {
    file: fs::File,
    path: PathBuf,
}

impl Lock {
    pub fn acquire(out: &Path) -> Result<Lock> {
        let path = out.join(LOCK);
        loop {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot create the lock file {} (is the output folder writable?)", path.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                use std::os::unix::io::AsRawFd;
                // SAFETY: flock on a descriptor this function owns.
                let held = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0
                    // Another process holds it; any other error (a file system without
                    // locks) leaves the folder unlocked rather than unusable.
                    && std::io::Error::last_os_error().raw_os_error() == Some(libc::EWOULDBLOCK);
                if held {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    anyhow::bail!(
                        "another `gongkai convert`{} is writing into {}; wait for it to end, or use another --out (its lock: {})",
                        if holder.is_empty() { String::new() } else { format!(" (pid {holder})") },
                        out.display(),
                        path.display()
                    );
                }
                // The lock file may have been removed (and made anew) by the run that just
                // ended: hold the lock on the file that is there now.
                let same = fs::metadata(&path).is_ok_and(|m| file.metadata().is_ok_and(|f| f.ino() == m.ino() && f.dev() == m.dev()));
                if !same {
                    continue;
                }
            }
            let _ = file.set_len(0);
            let _ = write!(file, "{}", std::process::id());
            return Ok(Lock { file, path });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so nobody locks a file that is about to vanish.
        let _ = fs::remove_file(&self.path);
        let _ = &self.file;
    }
}

/// Every entry of a manifest, the last line of an input winning (lines are appended as
/// inputs finish); a line cut off by a killed run is skipped.
pub fn read_manifest(out: &Path) -> BTreeMap<String, Entry> {
    let mut m = BTreeMap::new();
    if let Ok(text) = fs::read_to_string(out.join(MANIFEST)) {
        for l in text.lines() {
            if let Ok(e) = serde_json::from_str::<Entry>(l) {
                m.insert(e.path.clone(), e);
            }
        }
    }
    m
}

fn write_atomic(dir: &Path, run: &str, name: &str, data: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(temporary(run, name));
    fs::write(&tmp, data)?;
    fs::rename(&tmp, dir.join(name)).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Group repeated page messages and cut what is still too long:
/// `page 1: content missing; page 2: content missing; …` becomes
/// `5,000 pages: content missing (pages 1–5000)`.
pub fn summarise(message: &str) -> String {
    let (head, list) = match message.split_once(": page ") {
        Some((h, rest)) => (format!("{h}: "), format!("page {rest}")),
        None => (String::new(), message.to_string()),
    };
    let grouped = group_pages(list.split("; ").map(str::to_string).collect()).join("; ");
    let s = format!("{head}{grouped}");
    if s.chars().count() <= MAX_MESSAGE_CHARS {
        return s;
    }
    let kept: String = s.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{kept}… ({} more characters)", s.chars().count() - MAX_MESSAGE_CHARS)
}

/// `page N: what` messages with the same `what` on three or more pages become one.
pub fn group_pages(messages: Vec<String>) -> Vec<String> {
    let parse = |m: &str| -> Option<(u32, String)> {
        let rest = m.strip_prefix("page ")?;
        let (n, what) = rest.split_once(": ")?;
        Some((n.parse().ok()?, what.to_string()))
    };
    let mut pages: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for m in &messages {
        if let Some((n, what)) = parse(m) {
            pages.entry(what).or_default().push(n);
        }
    }
    let mut done = HashSet::new();
    let mut out = Vec::new();
    for m in messages {
        match parse(&m) {
            Some((_, what)) if pages[&what].len() >= 3 => {
                if done.insert(what.clone()) {
                    let ps = &pages[&what];
                    out.push(format!("{} pages: {what} (pages {})", thousands(ps.len()), ranges(ps)));
                }
            }
            _ => out.push(m),
        }
    }
    out
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ranges(ps: &[u32]) -> String {
    let mut ps = ps.to_vec();
    ps.sort_unstable();
    ps.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let mut j = i;
        while j + 1 < ps.len() && ps[j + 1] == ps[j] + 1 {
            j += 1;
        }
        out.push(if i == j { ps[i].to_string() } else { format!("{}–{}", ps[i], ps[j]) });
        i = j + 1;
    }
    if out.len() > 20 {
        let n = out.len() - 20;
        out.truncate(20);
        out.push(format!("and {n} more ranges"));
    }
    out.join(", ")
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How many workers the machine can run at once: a few per core (workers are CPU-bound
/// processes; more only cost memory and process slots).
pub fn max_jobs() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) * 4
}

/// Where diagnostics go: above the progress bar while it is drawn, else to stderr; a
/// closed stderr (`2>&1 | head`) is not an error.
struct Say<'a> {
    bar: &'a ProgressBar,
}

impl Say<'_> {
    fn line(&self, s: &str) {
        if self.bar.is_hidden() {
            let _ = writeln!(std::io::stderr(), "{s}");
        } else {
            self.bar.println(s);
        }
    }
}

/// Convert every input into `out`.
pub fn run(inputs: &[PathBuf], out: &Path, opt: &Options) -> Result<ExitCode> {
    let (files, early) = collect(inputs);
    if files.is_empty() && early.is_empty() {
        anyhow::bail!("no {} file found in the inputs", EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" or "));
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let _lock = Lock::acquire(out)?;
    // Under the lock no other run writes here: what temporaries there are, a killed run left.
    remove_temporaries(out, None);
    let run_id = format!("{:016x}", {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        (t.as_nanos() as u64) ^ ((std::process::id() as u64) << 40)
    });
    // Ctrl-C, SIGTERM, SIGHUP: no new file starts, running workers are killed, the
    // outputs left are complete files.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));

    let old = read_manifest(out);
    let in_run: HashSet<&str> = files.iter().map(|f| f.key.as_str()).chain(early.iter().map(|f| f.file.to_str().unwrap_or(""))).collect();
    let reserved: HashSet<String> = old.values().filter(|e| !in_run.contains(e.path.as_str())).map(|e| e.name.clone()).collect();
    let names = output_names(&files, &reserved);

    let jobs = opt.jobs.unwrap_or(0);
    let jobs = if jobs == 0 { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) } else { jobs };
    let cap = max_jobs();
    if jobs > cap && opt.verbosity > Verbosity::Quiet {
        let _ = writeln!(std::io::stderr(), "note: --jobs {jobs} is more than this machine can run at once; using {cap} (4 per core)");
    }
    let jobs = jobs.min(cap).min(files.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let bar = if opt.verbosity == Verbosity::Quiet { ProgressBar::hidden() } else { ProgressBar::new(files.len() as u64) };
    bar.set_style(ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}").expect("static template"));
    let say = Say { bar: &bar };
    let exe = std::env::current_exe().context("cannot find the gongkai executable to run workers")?;
    let journal = Mutex::new(fs::OpenOptions::new().create(true).append(true).open(out.join(MANIFEST)).with_context(|| {
        format!("cannot write the manifest {}", out.join(MANIFEST).display())
    })?);
    let record = |e: &Entry| {
        let mut j = journal.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(j, "{}", serde_json::to_string(e).unwrap_or_default());
    };
    let mut entries: Vec<Entry> = early
        .iter()
        .map(|f| Entry {
            file: display(&f.file),
            path: display(&f.file),
            status: "failed".into(),
            outcome: Outcome { kind: Some(f.kind.clone()), error: Some(f.message.clone()), ..Default::default() },
            ..Default::default()
        })
        .collect();
    for e in &entries {
        record(e);
    }
    let skipped = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    pool.install(|| {
        files.par_iter().zip(names.par_iter()).for_each(|(f, name)| {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return;
            }
            let prior = old.get(&f.key);
            if opt.resume {
                if let Some(e) = prior.filter(|e| up_to_date(e, f, out, name)) {
                    skipped.fetch_add(1, Ordering::SeqCst);
                    done.lock().unwrap_or_else(|p| p.into_inner()).push(e.clone());
                    bar.inc(1);
                    return;
                }
            }
            let started = Instant::now();
            // OCR takes seconds a page: the bar (or, not drawn, `-v`) shows the pages.
            let on_page = |done: usize, total: usize| {
                let s = format!("{}: OCR page {done}/{total}", f.path.display());
                if !bar.is_hidden() {
                    bar.set_message(s);
                } else if opt.verbosity == Verbosity::Verbose {
                    say.line(&s);
                }
            };
            let r = run_worker(&exe, f, out, name, &run_id, opt, &on_page);
            if bar.message().starts_with(&format!("{}: OCR page", f.path.display())) {
                bar.set_message("");
            }
            if INTERRUPTED.load(Ordering::SeqCst) && r.is_err() {
                return;
            }
            let mut e = Entry { file: display(&f.path), path: f.key.clone(), name: name.clone(), ..Default::default() };
            e.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
            let mine: Vec<String> = prior.map(|p| p.outputs.clone()).unwrap_or_default();
            match r {
                Ok(rep) => {
                    e.status = "ok".into();
                    (e.outcome, e.warnings) = (rep.outcome, rep.warning_count);
                    e.outputs = outputs_of(name).to_vec();
                    // Outputs of this input under a name it no longer has.
                    for o in mine.iter().filter(|o| !e.outputs.contains(o)) {
                        let _ = fs::remove_file(out.join(o));
                    }
                    if opt.verbosity == Verbosity::Verbose {
                        let mut s = format!("ok: {} → {}.json ({} tables, {} facts, {} error findings)", f.path.display(), name, e.outcome.tables, e.outcome.facts, e.outcome.errors);
                        for w in &rep.warnings {
                            s.push_str(&format!("\n  warning: {w}"));
                        }
                        say.line(&s);
                    }
                }
                Err(fail) => {
                    // An input that fails now has no outputs: those of an earlier conversion
                    // (under this name, or one it had) would be another document's.
                    let mut removed = Vec::new();
                    for o in mine.iter().chain(outputs_of(name).iter()) {
                        if fs::remove_file(out.join(o)).is_ok() {
                            removed.push(o.clone());
                        }
                    }
                    let mut message = fail.message.clone();
                    if !removed.is_empty() {
                        message.push_str(&format!(" (the outputs of its earlier conversion, {}, were removed)", removed.join(", ")));
                    }
                    if opt.verbosity > Verbosity::Quiet {
                        say.line(&format!("error: {}: {message} [{}]", f.path.display(), fail.kind));
                    }
                    e.status = "failed".into();
                    e.outcome.kind = Some(fail.kind);
                    e.outcome.error = Some(message);
                }
            }
            record(&e);
            done.lock().unwrap_or_else(|p| p.into_inner()).push(e);
            bar.inc(1);
        })
    });
    bar.finish_and_clear();
    drop(journal);
    remove_temporaries(out, Some(&run_id));
    entries.extend(done.into_inner().unwrap_or_else(|p| p.into_inner()));
    entries.sort_by(|a, b| a.file.cmp(&b.file));

    // The folder's record: this run's entries over the earlier ones.
    let mut all = old;
    for e in &entries {
        all.insert(e.path.clone(), e.clone());
    }
    let mut manifest: Vec<&Entry> = all.values().collect();
    manifest.sort_by(|a, b| a.file.cmp(&b.file).then(a.path.cmp(&b.path)));
    let lines: String = manifest.iter().map(|e| serde_json::to_string(e).unwrap_or_default() + "\n").collect();
    write_atomic(out, &run_id, MANIFEST, lines.as_bytes()).with_context(|| format!("cannot write the manifest {}", out.join(MANIFEST).display()))?;
    let failed_all: Vec<&&Entry> = manifest.iter().filter(|e| e.status != "ok").collect();
    let errors_path = out.join(ERRORS);
    if failed_all.is_empty() {
        let _ = fs::remove_file(&errors_path);
    } else {
        let report: String = failed_all
            .iter()
            .map(|e| serde_json::json!({"file": e.file, "kind": e.outcome.kind, "error": e.outcome.error}).to_string() + "\n")
            .collect();
        write_atomic(out, &run_id, ERRORS, report.as_bytes()).with_context(|| format!("cannot write {}", errors_path.display()))?;
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        if opt.verbosity > Verbosity::Quiet {
            let _ = writeln!(
                std::io::stderr(),
                "interrupted: the outputs in {} are complete files; run again with --resume to go on",
                out.display()
            );
        }
        return Ok(ExitCode::from(130));
    }
    let verdict = summary(&entries, files.len() + early.len(), skipped.into_inner(), out);
    if opt.verbosity > Verbosity::Quiet {
        let _ = std::io::stderr().write_all(verdict.text.as_bytes());
    }
    let fails = verdict.failed > 0
        || match opt.fail_on {
            Some(FailOn::Error) => verdict.with_errors > 0,
            Some(FailOn::Warning) => verdict.with_errors > 0 || verdict.with_warnings > 0,
            None => false,
        };
    Ok(if fails { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A resumed input is skipped only when it is the same content (size, then sha256) as
/// when its outputs were written, under the same name, and both outputs are there.
fn up_to_date(e: &Entry, f: &Input, out: &Path, name: &str) -> bool {
    if e.status != "ok" || e.name != name || !outputs_of(name).iter().all(|o| out.join(o).is_file()) {
        return false;
    }
    if fs::metadata(&f.path).map(|m| m.len()).ok() != e.outcome.size {
        return false;
    }
    fs::read(&f.path).is_ok_and(|b| Some(sha256_hex(&b)) == e.outcome.doc)
}

pub struct Verdict {
    pub text: String,
    pub failed: usize,
    pub with_errors: usize,
    pub with_warnings: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The end of a run: how many converted, and a verdict per document: every identity
/// holds, error findings (listed with their counts), warnings; then the failures.
pub fn summary(entries: &[Entry], total: usize, skipped: usize, out: &Path) -> Verdict {
    let ok: Vec<&Entry> = entries.iter().filter(|e| e.status == "ok").collect();
    let failed: Vec<&Entry> = entries.iter().filter(|e| e.status != "ok").collect();
    let errs: Vec<&&Entry> = ok.iter().filter(|e| e.outcome.errors > 0).collect();
    let warns: Vec<&&Entry> = ok.iter().filter(|e| e.warnings > 0).collect();
    let mut s = String::new();
    let resumed = if skipped > 0 { format!(" ({skipped} up to date, skipped)") } else { String::new() };
    s.push_str(&format!("converted {} of {total} files into {}{resumed}\n", ok.len() - skipped.min(ok.len()), out.display()));
    if !ok.is_empty() {
        s.push_str(&format!("  {}: every identity holds\n", plural(ok.len() - errs.len(), "document", "documents")));
        if !errs.is_empty() {
            s.push_str(&format!("  {} with error findings:\n", plural(errs.len(), "document", "documents")));
            for e in &errs {
                s.push_str(&format!("    {} ({})\n", e.file, plural(e.outcome.errors, "error", "errors")));
            }
        }
        if !warns.is_empty() {
            s.push_str(&format!("  {} with warnings:\n", plural(warns.len(), "document", "documents")));
            for e in &warns {
                s.push_str(&format!("    {} ({})\n", e.file, plural(e.warnings, "warning", "warnings")));
            }
        }
    }
    if !failed.is_empty() {
        s.push_str(&format!("{} failed (listed in {}):\n", failed.len(), out.join(ERRORS).display()));
        for e in &failed {
            s.push_str(&format!("  {}: {} [{}]\n", e.file, e.outcome.error.as_deref().unwrap_or(""), e.outcome.kind.as_deref().unwrap_or("internal")));
        }
    }
    Verdict { text: s, failed: failed.len(), with_errors: errs.len(), with_warnings: warns.len() }
}

/// Convert one file in a child process, bounded in time and memory: a crash (a stack
/// overflow aborts a process and cannot be caught), a hang or a memory blow-up costs
/// that file only. Its report is read while it runs, so a long one cannot block it.
fn run_worker(exe: &Path, f: &Input, out: &Path, name: &str, run: &str, opt: &Options, on_page: &(dyn Fn(usize, usize) + Sync)) -> std::result::Result<Report, InputError> {
    let fail = |kind: &str, message: String| InputError { file: f.path.clone(), kind: kind.into(), message };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("worker").arg(&f.path).arg("--out").arg(out).arg("--name").arg(name).arg("--run").arg(run).args(&opt.worker_args);
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let bytes = opt.max_memory.saturating_mul(1 << 20) as libc::rlim_t;
        // SAFETY: setrlimit and prctl are async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                // A parent killed outright (SIGKILL) takes its workers with it.
                #[cfg(target_os = "linux")]
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().map_err(|e| fail("internal", format!("cannot start a worker: {e}")))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let mut buf = [0u8; 64 * 1024];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = MAX_REPORT_BYTES.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        kept
    });
    // Page events, read as they come; the rest of stderr is drained and dropped.
    let (events, seen) = std::sync::mpsc::channel();
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        use std::io::BufRead;
        if let Some(s) = stderr.take() {
            let mut r = std::io::BufReader::new(s);
            let mut line = Vec::new();
            // Lines are read up to 4 KiB each: a runaway line cannot grow the buffer.
            while r.by_ref().take(4096).read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                if line.ends_with(b"\n") || line.len() < 4096 {
                    if let Some(e) = std::str::from_utf8(&line).ok().and_then(|l| page_event(l.trim_end())) {
                        let _ = events.send(e);
                    }
                    line.clear();
                } else {
                    line.clear();
                    // The rest of an overlong line.
                    let _ = r.by_ref().skip_until(b'\n');
                }
            }
        }
    });
    let started = Instant::now();
    let status = loop {
        for (_, done, total) in seen.try_iter() {
            on_page(done, total);
        }
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if INTERRUPTED.load(Ordering::SeqCst) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail("interrupted", "stopped: the batch was interrupted".into()));
            }
            Ok(None) if started.elapsed() > opt.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail("timeout", format!("stopped after {} s (--timeout)", opt.timeout.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(fail("internal", format!("lost the worker: {e}"))),
        }
    };
    let _ = errors.join();
    for (_, done, total) in seen.try_iter() {
        on_page(done, total);
    }
    let text = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    match text.lines().last().map(serde_json::from_str::<Report>) {
        Some(Ok(r)) if r.ok => Ok(r),
        Some(Ok(r)) => Err(fail(r.outcome.kind.as_deref().unwrap_or("internal"), r.outcome.error.unwrap_or_else(|| "unknown error".into()))),
        _ => {
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

/// The worker: convert one file, write its two outputs as a pair, print a [`Report`].
pub fn worker(file: &Path, out: &Path, name: &str, run: &str, ocr: &gongkai::OcrOptions) -> ExitCode {
    // A testing aid: GONGKAI_TEST_FAULT=<what>:<name> makes the worker for files whose
    // name contains <name> hang, abort, or find the disk full after its first output,
    // so the batch's handling is tested on a real process and a real write error.
    let fault = std::env::var("GONGKAI_TEST_FAULT").ok().and_then(|f| {
        let (what, m) = f.split_once(':')?;
        let n = file.file_name()?.to_string_lossy().into_owned();
        n.contains(m).then(|| what.to_string())
    });
    match fault.as_deref() {
        Some("hang") => std::thread::sleep(Duration::from_secs(3600)),
        Some("abort") => std::process::abort(),
        _ => {}
    }
    let report = match convert_one(file, out, name, run, ocr, fault.as_deref() == Some("full")) {
        Ok(r) => r,
        Err(f) => Report { ok: false, outcome: Outcome { kind: Some(f.kind), error: Some(summarise(&f.message)), ..Default::default() }, ..Default::default() },
    };
    println!("{}", serde_json::to_string(&report).unwrap_or_default());
    ExitCode::SUCCESS
}

fn convert_one(file: &Path, out: &Path, name: &str, run: &str, ocr: &gongkai::OcrOptions, full_disk: bool) -> std::result::Result<Report, InputError> {
    let fail = |kind: &str, message: String| InputError { file: file.to_path_buf(), kind: kind.into(), message };
    let bytes = fs::read(file).map_err(|e| fail("io", format!("cannot read: {e}")))?;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // A panic in one file must not cost the others: it is reported as an internal error.
    let tell = |p: gongkai_ocr::PageDone| {
        let _ = writeln!(std::io::stderr(), "{PAGE_EVENT} {} {} {}", p.page, p.done, p.total);
    };
    let doc = std::panic::catch_unwind(|| gongkai::convert_bytes_progress(&bytes, &file_name, ocr, &tell))
        .map_err(|_| fail("internal", "internal error (panic) while converting; please report this file".into()))?
        .map_err(|e| fail(e.kind(), e.to_string()))?;
    let json = gongkai::document_json(&doc);
    let facts = gongkai::facts_jsonl(&doc);
    if full_disk {
        // The smaller output fits, the larger does not: the disk fills in the middle of the pair.
        simulate_full_disk(json.len().min(facts.len()));
    }
    write_pair(out, run, name, &[json.as_bytes(), facts.as_bytes()]).map_err(|e| fail("io", e))?;
    let warnings = group_pages(doc.warnings.clone());
    Ok(Report {
        ok: true,
        outcome: Outcome {
            size: Some(bytes.len() as u64),
            doc: Some(doc.source.sha256.clone()),
            format: Some(doc.source.format.clone()),
            pages: doc.source.pages,
            tables: doc.tables.len(),
            facts: facts.lines().count(),
            errors: doc.findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error).count(),
            ..Default::default()
        },
        warning_count: doc.warnings.len(),
        warnings: warnings.into_iter().take(50).map(|w| summarise(&w)).collect(),
    })
}

/// Files past `limit` bytes cannot be written (EFBIG), as on a full disk.
fn simulate_full_disk(limit: usize) {
    #[cfg(unix)]
    // SAFETY: process-wide limits of this worker only.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let lim = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
        libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
    }
}

/// Both outputs or neither: each is written to a temporary of this run, then both are
/// renamed; if anything fails, whatever of the pair exists is removed.
fn write_pair(out: &Path, run: &str, name: &str, data: &[&[u8]; 2]) -> std::result::Result<(), String> {
    let finals = outputs_of(name);
    let what = ["the canonical document", "the facts"];
    let tmps: Vec<PathBuf> = finals.iter().map(|f| out.join(temporary(run, f))).collect();
    let undo = |renamed: usize| {
        for t in &tmps {
            let _ = fs::remove_file(t);
        }
        // Once one is in place the pair is broken: neither stays (an older pair's
        // other half would not belong with it).
        if renamed > 0 {
            for f in &finals {
                let _ = fs::remove_file(out.join(f));
            }
        }
    };
    for i in 0..2 {
        if let Err(e) = fs::write(&tmps[i], data[i]) {
            undo(0);
            return Err(format!("cannot write {} ({}, as {}): {e}; neither output was kept", out.join(&finals[i]).display(), what[i], tmps[i].display()));
        }
    }
    for i in 0..2 {
        if let Err(e) = fs::rename(&tmps[i], out.join(&finals[i])) {
            undo(i + 1);
            return Err(format!("cannot write {} ({}): {e}; neither output was kept", out.join(&finals[i]).display(), what[i]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, rel: &str) -> Input {
        Input { path: path.into(), rel: rel.into(), key: format!("/abs/{path}") }
    }

    #[test]
    fn names_are_unique_by_construction() {
        let files = [
            input("a/same-name.txt", "a/same-name.txt"),
            input("a/same-name.txt-2.txt", "a/same-name.txt-2.txt"),
            input("b/same-name.txt", "b/same-name.txt"),
            input("b/x.txt", "b/x.txt"),
            input("b/x.pdf", "b/x.pdf"),
            input("b/x.txt.txt", "b/x.txt.txt"),
            input("c/Y.txt", "c/Y.txt"),
            input("c/y.pdf", "c/y.pdf"),
            input("c/solo.pdf", "c/solo.pdf"),
        ];
        let names = output_names(&files, &HashSet::new());
        let lower: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), files.len(), "{names:?}");
        assert_eq!(names[8], "solo");
        assert_eq!(names[1], "same-name.txt-2");
        assert_eq!(names[4], "x.pdf");
        // Deterministic, and a name another input holds in the folder is not taken.
        assert_eq!(names, output_names(&files, &HashSet::new()));
        let again = output_names(&files[8..], &["SOLO".to_string()].into());
        assert_eq!(again, ["solo.pdf"]);
        let long = input(&"预".repeat(80), &format!("{}.txt", "预".repeat(80)));
        let n = &output_names(&[long], &HashSet::new())[0];
        assert!(n.len() <= MAX_NAME_BYTES && n.contains('~'), "{n}");
    }

    /// A manifest line's bytes are what they were before the worker's report and the
    /// manifest line shared their outcome: same fields, same order, failures without
    /// nulls for kind and error only; and it reads back as written.
    #[test]
    fn manifest_lines_keep_their_bytes() {
        let ok = Entry {
            file: "in/a.txt".into(),
            path: "/abs/in/a.txt".into(),
            status: "ok".into(),
            outcome: Outcome { size: Some(12), doc: Some("ab".into()), format: Some("text".into()), pages: None, tables: 9, facts: 910, errors: 1, ..Default::default() },
            warnings: 2,
            seconds: 0.5,
            name: "a".into(),
            outputs: vec!["a.json".into(), "a.facts.jsonl".into()],
        };
        let line = serde_json::to_string(&ok).unwrap();
        assert_eq!(line, r#"{"file":"in/a.txt","path":"/abs/in/a.txt","status":"ok","size":12,"doc":"ab","format":"text","pages":null,"tables":9,"facts":910,"errors":1,"warnings":2,"seconds":0.5,"name":"a","outputs":["a.json","a.facts.jsonl"]}"#);
        assert_eq!(serde_json::from_str::<Entry>(&line).unwrap(), ok);
        let failed = Entry {
            file: "b.pdf".into(),
            path: "b.pdf".into(),
            status: "failed".into(),
            outcome: Outcome { kind: Some("not_a_pdf".into()), error: Some("not a PDF".into()), ..Default::default() },
            ..Default::default()
        };
        let line = serde_json::to_string(&failed).unwrap();
        assert_eq!(line, r#"{"file":"b.pdf","path":"b.pdf","status":"failed","kind":"not_a_pdf","error":"not a PDF","size":null,"doc":null,"format":null,"pages":null,"tables":0,"facts":0,"errors":0,"warnings":0,"seconds":0.0,"name":"","outputs":[]}"#);
        assert_eq!(serde_json::from_str::<Entry>(&line).unwrap(), failed);
        // A worker's report reads into the same outcome.
        let r: Report = serde_json::from_str(r#"{"ok":true,"size":12,"doc":"ab","format":"text","pages":null,"tables":9,"facts":910,"errors":1,"warnings":["w"],"warning_count":2}"#).unwrap();
        assert_eq!(r.outcome, ok.outcome);
        assert_eq!((r.warnings.len(), r.warning_count), (1, 2));
    }

    #[test]
    fn page_messages_are_grouped() {
        let m: Vec<String> = (1..=5000).map(|p| format!("page {p}: content missing")).collect();
        let s = summarise(&format!("no page could be read: {}", m.join("; ")));
        assert_eq!(s, "no page could be read: 5,000 pages: content missing (pages 1–5000)");
        let s = summarise(&"x".repeat(10_000));
        assert!(s.chars().count() < 2100 && s.ends_with("(8000 more characters)"), "{s}");
    }

    #[test]
    fn only_temporaries_of_a_run_are_its_own() {
        let a = "0123456789abcdef";
        assert!(is_temporary_of(&temporary(a, "x.json"), Some(a)));
        assert!(is_temporary_of(&temporary(a, "x.json"), None));
        assert!(!is_temporary_of(&temporary(a, "x.json"), Some("fedcba9876543210")));
        assert!(!is_temporary_of(".tmp-notes.json", None));
        assert!(!is_temporary_of("x.json", None));
        assert!(is_temporary_of("x.json.tmp123", None) && !is_temporary_of("x.json.tmp123", Some(a)));
        assert!(!is_temporary_of("notes.json.tmpl", None));
    }
}
