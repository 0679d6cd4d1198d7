//! The one engine interface and its two engines: PaddleOCR's PP-OCRv4 recognition model
//! through onnxruntime (the library and the model come from the installed PyPI wheels,
//! found at run time; nothing is downloaded), and tesseract's command line. Both read
//! one line of text per crop: the grid has already found the cells.

use crate::raster::Gray;
use crate::OcrError;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// What a crop is expected to hold: an engine that can narrow its alphabet does so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Amount,
}

/// One crop's reading: its text and the confidence of each character (0..1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    pub text: String,
    pub chars: Vec<f32>,
}

impl Reading {
    /// The least confident character's confidence (1 for an empty reading).
    pub fn confidence(&self) -> f32 {
        confidence(&self.chars)
    }
}

/// A reading's confidence from its characters': the least (1 for none).
pub fn confidence(chars: &[f32]) -> f32 {
    chars.iter().copied().fold(1.0, f32::min)
}

pub trait Engine: Send + Sync {
    fn name(&self) -> &'static str;
    /// One reading per crop, in order.
    fn read(&self, crops: &[Gray], kind: Kind) -> Result<Vec<Reading>, OcrError>;
    /// True for an engine whose misreads correlate across cells (the same glyph misread
    /// alike everywhere): its amounts are read a second time as `Kind::Amount` and only
    /// a reading both agree on can be proven.
    fn needs_second_reading(&self) -> bool {
        false
    }
}

/// Which engine: `paddle` (PP-OCRv4 recognition, the default) or `tesseract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineKind {
    #[default]
    Paddle,
    Tesseract,
}

impl std::str::FromStr for EngineKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "paddle" | "ppocr" => Ok(EngineKind::Paddle),
            "tesseract" => Ok(EngineKind::Tesseract),
            _ => Err(format!("unknown OCR engine {s:?} (paddle or tesseract)")),
        }
    }
}

pub fn open(kind: EngineKind) -> Result<Box<dyn Engine>, OcrError> {
    Ok(match kind {
        EngineKind::Paddle => Box::new(Paddle::open()?),
        EngineKind::Tesseract => Box::new(Tesseract::open()?),
    })
}

const PIP_HINT: &str = "install it with `pip install rapidocr-onnxruntime onnxruntime`";
const APT_HINT: &str = "install it with `apt-get install tesseract-ocr tesseract-ocr-chi-sim`";

/// The site-packages directories of the Python on PATH (and the usual places), where
/// the wheels put onnxruntime's library and RapidOCR's models.
fn site_packages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(p) = std::env::var("GONGKAI_SITE_PACKAGES") {
        out.push(PathBuf::from(p));
    }
    for py in ["python3", "python"] {
        if let Ok(o) = Command::new(py).args(["-c", "import site,sys;print('\\n'.join(site.getsitepackages()+[site.getusersitepackages()]))"]).output() {
            if o.status.success() {
                out.extend(String::from_utf8_lossy(&o.stdout).lines().map(PathBuf::from));
                break;
            }
        }
    }
    out
}

fn find_in(dirs: &[PathBuf], sub: &str, pick: impl Fn(&str) -> bool) -> Option<PathBuf> {
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(d.join(sub)) else {
            continue;
        };
        let mut names: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        if let Some(p) = names
            .into_iter()
            .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&pick))
        {
            return Some(p);
        }
    }
    None
}

/// PP-OCRv4 text recognition: a crop scaled to 48 pixels high, CTC over 6,623 characters.
pub struct Paddle {
    session: Mutex<ort::session::Session>,
    keys: Vec<String>,
    /// The classes an amount is written in (0-9 , . -), and the blank.
    numeric: Vec<bool>,
}

/// onnxruntime's one environment per process, kept alive for every session.
static ORT_ENV: std::sync::OnceLock<Result<ort::environment::Environment, String>> =
    std::sync::OnceLock::new();

impl Paddle {
    pub fn open() -> Result<Paddle, OcrError> {
        let dirs = site_packages();
        let model = std::env::var_os("GONGKAI_OCR_MODEL")
            .map(PathBuf::from)
            .or_else(|| {
                find_in(&dirs, "rapidocr_onnxruntime/models", |n| {
                    n.contains("rec") && n.ends_with(".onnx")
                })
            });
        let Some(model) = model else {
            return Err(OcrError::Engine(format!("the PP-OCRv4 recognition model (rapidocr_onnxruntime/models/*rec*.onnx) was not found; {PIP_HINT}")));
        };
        let lib = std::env::var_os("ORT_DYLIB_PATH")
            .map(PathBuf::from)
            .or_else(|| {
                find_in(&dirs, "onnxruntime/capi", |n| {
                    n.starts_with("libonnxruntime.so")
                        || n.starts_with("libonnxruntime.") && n.ends_with(".dylib")
                })
            });
        let Some(lib) = lib else {
            return Err(OcrError::Engine(format!("the onnxruntime library (onnxruntime/capi/libonnxruntime.so*) was not found; {PIP_HINT}")));
        };
        let env = ORT_ENV.get_or_init(|| {
            let b = ort::init_from(&lib)
                .map_err(|e| format!("loading {}: {e}; {PIP_HINT}", lib.display()))?;
            b.with_name("gongkai").build().map_err(|e| e.to_string())
        });
        let env = env.clone().map_err(OcrError::Engine)?;
        let session = Self::session(&env, &model).map_err(|e| {
            OcrError::Engine(format!("loading {}: {e}; {PIP_HINT}", model.display()))
        })?;
        // The character list is the model's own metadata (PaddleOCR's ppocr_keys_v1), a
        // space after it (use_space_char); index 0 is the CTC blank.
        let chars = session.metadata().ok().and_then(|m| m.custom("character"));
        let Some(chars) = chars else {
            return Err(OcrError::Engine(format!(
                "{} carries no character list; {PIP_HINT}",
                model.display()
            )));
        };
        let mut keys: Vec<String> = vec![String::new()];
        keys.extend(chars.lines().map(str::to_string));
        keys.push(" ".into());
        let numeric = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                i == 0
                    || (k.chars().count() == 1 && k.chars().all(crate::tidy::amount_char))
            })
            .collect();
        Ok(Paddle {
            session: Mutex::new(session),
            keys,
            numeric,
        })
    }

    fn session(
        env: &ort::environment::Environment,
        model: &Path,
    ) -> Result<ort::session::Session, String> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4);
        let b = ort::session::Session::builder(env).map_err(|e| e.to_string())?;
        let mut b = b.with_intra_threads(threads).map_err(|e| e.to_string())?;
        b.commit_from_file(model).map_err(|e| e.to_string())
    }
}

/// The height the recognition model reads.
const REC_H: usize = 48;

/// A crop as PP-OCRv4 reads it: scaled to the model's height, its width in proportion
/// (at least 8 pixels, at most 2,400: a wider crop is squeezed, not cut).
pub fn paddle_scale(c: &Gray) -> Gray {
    let w = ((c.w as f32 * REC_H as f32 / c.h.max(1) as f32).ceil() as usize).clamp(8, 2400);
    c.resize(w, REC_H)
}

/// The height crops are scaled to for tesseract (it reads best with glyphs some 30 px tall).
const TESS_H: usize = 40;

/// A crop as tesseract is given it: scaled to [`TESS_H`], its width in proportion.
pub fn tesseract_scale(c: &Gray) -> Gray {
    c.resize(((c.w * TESS_H) as f32 / c.h.max(1) as f32).ceil() as usize, TESS_H)
}

impl Engine for Paddle {
    fn name(&self) -> &'static str {
        "paddle"
    }
    fn read(&self, crops: &[Gray], kind: Kind) -> Result<Vec<Reading>, OcrError> {
        let mut out = vec![Reading::default(); crops.len()];
        // Scaled to the model's height; batched by width so little is padding.
        let scaled: Vec<Gray> = crops.iter().map(paddle_scale).collect();
        let mut order: Vec<usize> = (0..crops.len()).collect();
        order.sort_by_key(|&i| scaled[i].w);
        let mut session = self
            .session
            .lock()
            .map_err(|_| OcrError::Engine("the OCR session was poisoned".into()))?;
        for batch in order.chunks(16) {
            let bw = batch
                .iter()
                .map(|&i| scaled[i].w)
                .max()
                .unwrap_or(8)
                .max(REC_H);
            let n = batch.len();
            // Normalized to [-1, 1]; the padding is 0, as PaddleOCR's own preprocessing pads
            // (its `resize_norm_img`). The model looks at the whole line at once: white
            // padding changed what it read over the crop itself, `293,810,000.00` beside a
            // wider crop in its batch came out `293,810,00.0` (a budget scan: 88% of cells
            // right at 200 dpi, 100% padded so).
            let mut data = vec![0f32; n * 3 * REC_H * bw];
            for (b, &i) in batch.iter().enumerate() {
                let g = &scaled[i];
                for y in 0..REC_H {
                    for x in 0..g.w {
                        let v = g.get(x, y) as f32 / 127.5 - 1.0;
                        for ch in 0..3 {
                            data[((b * 3 + ch) * REC_H + y) * bw + x] = v;
                        }
                    }
                }
            }
            let input = ort::value::Tensor::from_array(([n, 3, REC_H, bw], data))
                .map_err(|e| OcrError::Engine(e.to_string()))?;
            let outputs = session
                .run(ort::inputs![input])
                .map_err(|e| OcrError::Engine(e.to_string()))?;
            let (shape, probs) = outputs[0]
                .try_extract_tensor::<f32>()
                .map_err(|e| OcrError::Engine(e.to_string()))?;
            let (t, c) = (shape[1] as usize, shape[2] as usize);
            for (b, &i) in batch.iter().enumerate() {
                // Only the time steps over the crop itself (the rest is padding).
                let steps = (t * scaled[i].w).div_ceil(bw).min(t);
                let p = &probs[b * t * c..(b + 1) * t * c];
                let full = ctc(p, steps, c, &self.keys, None);
                // What reads as a number is decoded again over the digits alone: a `0`
                // the full alphabet took for an `O`, a speck for `·` or `時`, is the
                // best digit, separator or nothing there (at that class's own probability).
                let numeric_like = crate::tidy::looks_like_amount(&full.text)
                    || crate::tidy::looks_like_misread_amount(&full.text);
                out[i] = if kind == Kind::Amount || numeric_like {
                    ctc(p, steps, c, &self.keys, Some(&self.numeric))
                } else {
                    full
                };
            }
        }
        Ok(out)
    }
}

/// Greedy CTC: the best class per time step, repeats merged, blanks dropped; a
/// character's confidence is its best probability over its steps.
fn ctc(p: &[f32], steps: usize, c: usize, keys: &[String], only: Option<&[bool]>) -> Reading {
    let mut r = Reading::default();
    let mut prev = 0usize;
    for s in 0..steps {
        let row = &p[s * c..(s + 1) * c];
        let allowed = |k: usize| only.is_none_or(|o| o.get(k).copied().unwrap_or(false));
        let Some((k, &pk)) = row
            .iter()
            .enumerate()
            .filter(|(k, _)| allowed(*k))
            .max_by(|a, b| a.1.total_cmp(b.1))
        else {
            continue;
        };
        if k != 0 && k == prev {
            if let Some(last) = r.chars.last_mut() {
                *last = last.max(pk);
            }
        } else if k != 0 {
            if let Some(ch) = keys.get(k) {
                r.text.push_str(ch);
                r.chars.extend(std::iter::repeat_n(pk, ch.chars().count()));
            }
        }
        prev = k;
    }
    r
}

/// tesseract's command line: the crops stacked into one tall image, one crop per line,
/// read in one call (`--psm 6`, TSV), words mapped back to their crop by position.
pub struct Tesseract {
    bin: PathBuf,
}

impl Tesseract {
    pub fn open() -> Result<Tesseract, OcrError> {
        let bin = PathBuf::from(
            std::env::var_os("GONGKAI_TESSERACT").unwrap_or_else(|| "tesseract".into()),
        );
        let langs = Command::new(&bin).arg("--list-langs").output();
        match langs {
            Ok(o) if o.status.success() => {
                let l = String::from_utf8_lossy(&o.stdout).to_string()
                    + &String::from_utf8_lossy(&o.stderr);
                if !l.lines().any(|x| x.trim() == "chi_sim") {
                    return Err(OcrError::Engine(format!(
                        "tesseract has no chi_sim language data; {APT_HINT}"
                    )));
                }
                Ok(Tesseract { bin })
            }
            _ => Err(OcrError::Engine(format!(
                "tesseract was not found; {APT_HINT}"
            ))),
        }
    }
}

impl Engine for Tesseract {
    fn name(&self) -> &'static str {
        "tesseract"
    }
    fn needs_second_reading(&self) -> bool {
        true
    }
    fn read(&self, crops: &[Gray], kind: Kind) -> Result<Vec<Reading>, OcrError> {
        let mut out = vec![Reading::default(); crops.len()];
        if crops.is_empty() {
            return Ok(out);
        }
        // Crops at a common height, stacked with a gap between them.
        const H: usize = TESS_H;
        const GAP: usize = 24;
        let scaled: Vec<Gray> = crops.iter().map(tesseract_scale).collect();
        let w = scaled.iter().map(|g| g.w).max().unwrap_or(1) + 2 * GAP;
        let h = scaled.len() * (H + GAP) + GAP;
        let mut sheet = Gray::new(w, h, 255);
        for (i, g) in scaled.iter().enumerate() {
            let y0 = GAP + i * (H + GAP);
            for y in 0..g.h {
                sheet.px[(y0 + y) * w + GAP..(y0 + y) * w + GAP + g.w]
                    .copy_from_slice(&g.px[y * g.w..(y + 1) * g.w]);
            }
        }
        let dir = tempfile::tempdir().map_err(|e| OcrError::Io(e.to_string()))?;
        let img = dir.path().join("sheet.pgm");
        std::fs::write(&img, sheet.to_pgm()).map_err(|e| OcrError::Io(e.to_string()))?;
        let mut cmd = Command::new(&self.bin);
        cmd.arg(&img).arg("stdout").args(["--psm", "6"]);
        match kind {
            Kind::Text => cmd.args(["-l", "chi_sim"]),
            Kind::Amount => cmd.args(["-l", "eng", "-c", &format!("tessedit_char_whitelist={}", crate::tidy::AMOUNT_CHARS)]),
        };
        cmd.args(["-c", "preserve_interword_spaces=1"]).arg("tsv");
        cmd.env("OMP_THREAD_LIMIT", "1");
        let o = cmd
            .output()
            .map_err(|e| OcrError::Engine(format!("running tesseract: {e}; {APT_HINT}")))?;
        if !o.status.success() {
            return Err(OcrError::Engine(format!(
                "tesseract failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )));
        }
        let tsv = String::from_utf8_lossy(&o.stdout);
        // level page block par line word_num left top width height conf text
        let mut words: Vec<(usize, usize, f32, String)> = Vec::new();
        for l in tsv.lines().skip(1) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 12 || f[0] != "5" || f[11].trim().is_empty() {
                continue;
            }
            let (left, top, hh): (usize, usize, usize) = (
                f[6].parse().unwrap_or(0),
                f[7].parse().unwrap_or(0),
                f[9].parse().unwrap_or(0),
            );
            let conf: f32 = f[10].parse().unwrap_or(0.0);
            let cy = top + hh / 2;
            let slot = cy.saturating_sub(GAP / 2) / (H + GAP);
            if slot < out.len() {
                words.push((slot, left, conf / 100.0, f[11].to_string()));
            }
        }
        words.sort_by_key(|w| (w.0, w.1));
        for (slot, _, conf, text) in words {
            let r = &mut out[slot];
            r.text.push_str(&text);
            r.chars.extend(std::iter::repeat_n(
                conf.clamp(0.0, 1.0),
                text.chars().count(),
            ));
        }
        Ok(out)
    }
}
