//! A page's render resolution is chosen from its size before it is rendered: a page too
//! large for `MAX_PAGE_PIXELS` at the asked dpi is rendered at a lower one (a warning), or,
//! below `MIN_RENDER_DPI`, not rendered at all (a warning; the other pages are read).

use gongkai_ocr::raster::MAX_PAGE_PIXELS;
use gongkai_ocr::{ocr_pages, page_size, render_dpi, Options, MIN_RENDER_DPI};

/// A PDF of blank pages, each given by the keys of its page dictionary; the page tree
/// carries `tree` (inherited keys).
fn pdf(tree: &str, pages: &[&str]) -> Vec<u8> {
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {} {tree} >>", kids.join(" "), pages.len()),
    ];
    objs.extend(pages.iter().map(|p| format!("<< /Type /Page /Parent 2 0 R {p} >>")));
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).bytes());
    out
}

fn doc(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).unwrap()
}

#[test]
fn the_size_is_the_rendered_box_turned_and_scaled() {
    let d = doc(&pdf(
        "/MediaBox [0 0 612 792]",
        &["", "/MediaBox [10 10 1010 510] /Rotate 90", "/MediaBox [0 0 200 100] /UserUnit 3", "/CropBox [0 0 100 100]", "/Rotate -270"],
    ));
    assert_eq!(page_size(&d, 1), Some((612.0, 792.0)), "inherited from the page tree");
    assert_eq!(page_size(&d, 2), Some((500.0, 1000.0)), "turned by /Rotate");
    assert_eq!(page_size(&d, 3), Some((600.0, 300.0)), "times /UserUnit");
    assert_eq!(page_size(&d, 4), Some((612.0, 792.0)), "the MediaBox, which pdftoppm renders");
    assert_eq!(page_size(&d, 5), Some((792.0, 612.0)), "-270 is 90");
    assert_eq!(page_size(&d, 6), None);
}

#[test]
fn the_dpi_is_lowered_to_fit_or_the_page_refused() {
    let px = |w: f32, h: f32, dpi: u32| ((w * dpi as f32 / 72.0).ceil() * (h * dpi as f32 / 72.0).ceil()) as usize;
    // A4 at 300 dpi fits.
    assert_eq!(render_dpi(595.0, 842.0, 300), Ok(300));
    // 2000×1500 pt at 300 dpi is 8334×6250 pixels: lowered to the highest dpi that fits.
    let dpi = render_dpi(2000.0, 1500.0, 300).unwrap();
    assert!(dpi < 300 && px(2000.0, 1500.0, dpi) <= MAX_PAGE_PIXELS && px(2000.0, 1500.0, dpi + 1) > MAX_PAGE_PIXELS, "{dpi}");
    // 14400×14400 pt (200 in a side) would need 31 dpi: refused.
    let e = render_dpi(14400.0, 14400.0, 300).unwrap_err();
    assert!(e.contains("14400×14400 pt") && e.contains("not rendered"), "{e}");
    assert!(render_dpi(14400.0, 14400.0, MIN_RENDER_DPI).is_err());
}

/// The 14400 pt page is refused before anything is rendered (no engine, no pdftoppm is
/// needed to say so), and says why; an A4 page beside it is still planned for reading.
#[test]
fn a_huge_page_is_refused_before_rendering() {
    let bytes = pdf("", &["/MediaBox [0 0 14400 14400]"]);
    let read = ocr_pages(&bytes, &[1], &Options::default()).expect("refused, not failed");
    assert!(read.pages.is_empty());
    assert_eq!(read.warnings.len(), 1);
    assert!(read.warnings[0].starts_with("page 1: not read by OCR: the page is 14400×14400 pt"), "{:?}", read.warnings);
}
