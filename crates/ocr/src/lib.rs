//! OCR of scanned pages, proven by the document's own arithmetic.
//!
//! A page without a text layer is rendered (poppler's `pdftoppm`, gray), straightened,
//! its rulings found in the raster and given to the one grid builder
//! (`gongkai_extract::lattice`); every cell is read on its own by an [`engine`] and its
//! text placed where it was printed, so the rest of the pipeline reads the page as it
//! reads any PDF. Then every amount read is checked by the identities ([`prove`]): a
//! reading they prove is kept, one they correct by a single character is corrected
//! and recorded, any other is an error finding naming the cell.

pub mod engine;
pub mod labels;
pub mod page;
pub mod prove;
pub mod raster;
pub mod scan;
pub mod tidy;

pub use engine::{Engine, EngineKind, Kind, Reading};
pub use page::{read_page, read_page_at, CellReading, OcrPage, Source};
pub use prove::prove;

use raster::Gray;
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("OCR engine unavailable: {0}")]
    Engine(String),
    #[error("rendering the page failed: {0}")]
    Render(String),
    #[error("io: {0}")]
    Io(String),
}

/// When to OCR: `auto` pages without a text layer and pages whose glyphs cannot be
/// mapped to Unicode; `always` every page; `never` none (a scan is `no_text_layer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Auto,
    Always,
    Never,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Mode::Auto),
            "always" => Ok(Mode::Always),
            "never" => Ok(Mode::Never),
            _ => Err(format!("unknown OCR mode {s:?} (auto, always or never)")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    pub engine: EngineKind,
    /// Resolution the pages are rendered at.
    pub dpi: u32,
    /// A scanned page's own image is decoded where it can be ([`scan::decode_page`]),
    /// instead of the page rendered; false renders every page.
    pub decode: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Auto,
            engine: EngineKind::default(),
            dpi: 300,
            decode: true,
        }
    }
}

/// One page of a PDF file rendered gray at `dpi` by poppler.
pub fn render(pdf: &std::path::Path, page: u32, dpi: u32) -> Result<Gray, OcrError> {
    let o = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-gray",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(pdf)
        .output()
        .map_err(|e| {
            OcrError::Render(format!(
                "running pdftoppm: {e}; install it with `apt-get install poppler-utils`"
            ))
        })?;
    if !o.status.success() {
        return Err(OcrError::Render(format!(
            "pdftoppm: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )));
    }
    Gray::from_pgm(&o.stdout).ok_or_else(|| {
        OcrError::Render(format!("pdftoppm gave no image for page {page}, or one of more than {} pixels (MAX_PAGE_PIXELS)", raster::MAX_PAGE_PIXELS))
    })
}

/// Pages are not rendered below this resolution: a page so large that fewer dots per
/// inch would stay within `MAX_PAGE_PIXELS` is refused before it is rendered.
pub const MIN_RENDER_DPI: u32 = 72;

/// The size in points of what `pdftoppm` renders of a page (the one reading of a page's
/// boxes, /Rotate and /UserUnit, shared with the text-layer reader).
pub use gongkai_extract::pdf::page_size;

/// The resolution to render a page of `width`×`height` points at: `asked`, or the
/// highest below it whose image stays within `MAX_PAGE_PIXELS`; an error where that is
/// below [`MIN_RENDER_DPI`].
pub fn render_dpi(width: f32, height: f32, asked: u32) -> Result<u32, String> {
    let pixels = |dpi: u32| -> f64 { (width as f64 * dpi as f64 / 72.0).ceil() * (height as f64 * dpi as f64 / 72.0).ceil() };
    let max = raster::MAX_PAGE_PIXELS as f64;
    if pixels(asked) <= max {
        return Ok(asked);
    }
    let mut dpi = (72.0 * (max / (width as f64 * height as f64)).sqrt()).floor().min(asked as f64) as u32;
    while dpi > 0 && pixels(dpi) > max {
        dpi -= 1;
    }
    if dpi < MIN_RENDER_DPI {
        return Err(format!(
            "the page is {width:.0}×{height:.0} pt: at {MIN_RENDER_DPI} dpi its image would be more than {} pixels (MAX_PAGE_PIXELS); not rendered",
            raster::MAX_PAGE_PIXELS
        ));
    }
    Ok(dpi)
}

/// What OCR read of a file: the pages read, and why any page was not read or was read
/// at a lower resolution than asked (`page N: …` warnings).
#[derive(Default)]
pub struct Read {
    pub pages: Vec<OcrPage>,
    pub warnings: Vec<String>,
}

/// OCR the given pages (1-based) of a PDF held in memory.
pub fn ocr_pages(pdf: &[u8], pages: &[u32], opts: &Options) -> Result<Read, OcrError> {
    ocr_pages_with(pdf, pages, opts, &|_| {})
}

/// Where OCR is, told after each page: a page takes seconds where a text layer takes a
/// millisecond, so a caller showing progress shows pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDone {
    /// The page just read (1-based, of the file).
    pub page: u32,
    /// Pages read so far, and of how many to read.
    pub done: usize,
    pub total: usize,
}

/// [`ocr_pages`], calling `on_page` after each page is read. Each page's resolution is
/// chosen from its size before it is rendered ([`render_dpi`]): a page too large to
/// render within `MAX_PAGE_PIXELS` is not read (a warning), and the others are.
pub fn ocr_pages_with(pdf: &[u8], pages: &[u32], opts: &Options, on_page: &dyn Fn(PageDone)) -> Result<Read, OcrError> {
    let doc = gongkai_extract::pdf::open_repaired(pdf).ok().map(|o| o.doc);
    // What each page draws (its images and where): a scan's image is decoded directly.
    let drawn = match (&doc, opts.decode) {
        (Some(d), true) => gongkai_extract::pdf::pages(d),
        _ => Vec::new(),
    };
    let mut read = Read::default();
    let mut plan = Vec::new();
    for &p in pages {
        let Some((w, h)) = doc.as_ref().and_then(|d| page_size(d, p)) else {
            // Size unknown: the image's own bound (`Gray::from_pgm`) still holds.
            plan.push((p, opts.dpi));
            continue;
        };
        match render_dpi(w, h, opts.dpi) {
            Ok(dpi) => {
                if dpi < opts.dpi {
                    read.warnings.push(format!(
                        "page {p}: the page is {w:.0}×{h:.0} pt; rendered for OCR at {dpi} dpi instead of {} so its image stays within {} pixels",
                        opts.dpi,
                        raster::MAX_PAGE_PIXELS
                    ));
                }
                plan.push((p, dpi));
            }
            Err(why) => read.warnings.push(format!("page {p}: not read by OCR: {why}")),
        }
    }
    if plan.is_empty() {
        return Ok(read);
    }
    let engine = engine::open(opts.engine)?;
    let dir = tempfile::tempdir().map_err(|e| OcrError::Io(e.to_string()))?;
    let path = dir.path().join("in.pdf");
    let mut written = false;
    for (i, &(p, dpi)) in plan.iter().enumerate() {
        let decoded = match (&doc, drawn.iter().find(|d| d.number == p)) {
            (Some(doc), Some(page)) => match scan::decoded_range(opts.engine, dpi) {
                Some((lo, hi)) => scan::decode_page_within(doc, page, lo, hi),
                None => Err("this engine reads rendered pages".into()),
            },
            _ => Err(String::new()),
        };
        let page = match decoded {
            Ok(d) => {
                let mut o = read_page_at(&d.img, d.dpi, p, engine.as_ref())?;
                o.source = Source::Decoded(d.filter);
                o
            }
            Err(why) => {
                if !written {
                    std::fs::write(&path, pdf).map_err(|e| OcrError::Io(e.to_string()))?;
                    written = true;
                }
                let img = render(&path, p, dpi)?;
                let mut o = read_page(&img, dpi, p, engine.as_ref())?;
                o.source = Source::Rendered(why);
                o
            }
        };
        read.pages.push(page);
        on_page(PageDone { page: p, done: i + 1, total: plan.len() });
    }
    Ok(read)
}
