//! A scanned page's own image decoded directly (`gongkai_ocr::scan`) is the raster
//! `pdftoppm` renders of the page at the image's resolution: for every filter decoded
//! (JPEG gray and RGB, Flate with PNG predictors in gray, RGB and 1 bit, CCITT G4), for
//! /Rotate, and for a CTM that flips or turns the image. What is not decoded (an image
//! smaller than the page, two images, a mask, a page with text) is named and rendered.
//! The scans are made here by Pillow and img2pdf (as a scanner's software embeds them);
//! skipped, with the reason, where those are absent.

use gongkai_ocr::raster::Gray;
use gongkai_ocr::scan::decode_page;
use std::path::{Path, PathBuf};
use std::process::Command;

/// An asymmetric picture (an ink corner at the top left, a gradient, bars, a dot grid) so
/// that a flip or a turn cannot pass, `w`×`h` at `dpi`, saved by Pillow as `ext` in `mode`.
const PICTURE: &str = r#"
import sys
from PIL import Image, ImageDraw
ext, mode, w, h, dpi, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
img = Image.new("RGB", (w, h), (255, 255, 255))
d = ImageDraw.Draw(img)
for x in range(w):
    d.line([(x, h - 30), (x, h - 1)], fill=(x * 255 // w, 128, 255 - x * 255 // w))
d.rectangle([0, 0, w // 5, 8], fill=(0, 0, 0))
d.rectangle([0, 0, 8, h // 3], fill=(0, 0, 0))
for i in range(6):
    d.rectangle([40 + 30 * i, 30 + 7 * i, 40 + 30 * i + 12, 60 + 11 * i], fill=(20 * i, 0, 0))
for y in range(20, h - 40, 9):
    for x in range(w // 2, w - 10, 13):
        d.point((x, y), fill=(0, 0, 0))
# Not dithered: poppler blends a sample with its neighbour, which a dither would make noise of.
img = img.convert(mode, dither=Image.Dither.NONE) if mode == "1" else img.convert(mode)
kw = {"dpi": (dpi, dpi)}
if ext == "jpg":
    kw["quality"] = 90
if ext == "tif":
    kw["compression"] = "group4"
img.save(out, **kw)
"#;

fn tools() -> Result<(), String> {
    for (tool, arg) in [("python3", "-c"), ("img2pdf", "--version"), ("pdftoppm", "-v")] {
        let ok = Command::new(tool).arg(arg).arg(if tool == "python3" { "import PIL" } else { "" }).output();
        if ok.is_err() || (tool == "python3" && !ok.unwrap().status.success()) {
            return Err(format!("{tool} is not installed (python3 with Pillow, img2pdf, poppler-utils)"));
        }
    }
    Ok(())
}

/// A one-page PDF of the picture embedded by img2pdf (`extra`: its options).
fn scan(dir: &Path, ext: &str, mode: &str, extra: &[&str]) -> PathBuf {
    let img = dir.join(format!("p-{mode}.{ext}"));
    let o = Command::new("python3")
        .args(["-c", PICTURE, ext, mode, "300", "200", "150"])
        .arg(&img)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.join(format!("p-{mode}-{ext}-{}.pdf", extra.join("")));
    let o = Command::new("img2pdf").args(extra).arg("-o").arg(&pdf).arg(&img).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    pdf
}

fn decode(bytes: &[u8]) -> Result<gongkai_ocr::scan::Decoded, String> {
    let doc = gongkai_extract::pdf::open_repaired(bytes).unwrap().doc;
    let pages = gongkai_extract::pdf::pages(&doc);
    decode_page(&doc, &pages[0])
}

/// Mean and largest difference of two rasters of one size.
fn diff(a: &Gray, b: &Gray) -> (f64, u8) {
    assert_eq!((a.w, a.h), (b.w, b.h), "sizes differ");
    let mut sum = 0u64;
    let mut max = 0u8;
    for (&x, &y) in a.px.iter().zip(&b.px) {
        let d = x.abs_diff(y);
        sum += d as u64;
        max = max.max(d);
    }
    (sum as f64 / a.px.len() as f64, max)
}

/// The raster flipped across x, across y, or both (turned 180°).
fn flipped(g: &Gray, fx: bool, fy: bool) -> Gray {
    let mut o = Gray::new(g.w, g.h, 255);
    for y in 0..g.h {
        for x in 0..g.w {
            let (sx, sy) = (if fx { g.w - 1 - x } else { x }, if fy { g.h - 1 - y } else { y });
            o.px[y * g.w + x] = g.get(sx, sy);
        }
    }
    o
}

/// `got` is the raster `pdftoppm` rendered, placed alike: of one size, and near it where
/// every flip of it is far. (poppler resamples even at the image's own resolution,
/// blending a sample with its neighbour: a dot `0, 255` renders `139, 139`; a JPEG's
/// decoders round differently too. So not equal, but placed alike.)
fn placed_as_rendered(what: &str, got: &Gray, rendered: &Gray) {
    let (mean, _) = diff(got, rendered);
    assert!(mean <= 5.0, "{what}: differs from pdftoppm by {mean:.2} on average");
    for (fx, fy) in [(true, false), (false, true), (true, true)] {
        let (other, _) = diff(&flipped(got, fx, fy), rendered);
        assert!(other > 4.0 * mean, "{what}: flipped ({fx}, {fy}) it is as near pdftoppm's ({other:.2} against {mean:.2})");
    }
}

/// The decoded image against poppler's rendering of the same page at its resolution.
fn same_as_rendered(pdf: &Path) -> gongkai_ocr::scan::Decoded {
    let d = decode(&std::fs::read(pdf).unwrap()).unwrap_or_else(|why| panic!("{}: not decoded: {why}", pdf.display()));
    assert!((d.dpi - 150.0).abs() < 0.01, "{}: {} dpi", pdf.display(), d.dpi);
    let r = gongkai_ocr::render(pdf, 1, 150).unwrap();
    placed_as_rendered(&format!("{} ({})", pdf.display(), d.filter), &d.img, &r);
    d
}

#[test]
fn each_filter_decodes_to_what_pdftoppm_renders() {
    if let Err(why) = tools() {
        return eprintln!("skipped: {why}");
    }
    let dir = tempfile::tempdir().unwrap();
    for (ext, mode, filter) in [
        ("jpg", "L", "DCTDecode"),
        ("jpg", "RGB", "DCTDecode"),
        ("png", "L", "FlateDecode"),
        ("png", "RGB", "FlateDecode"),
        ("png", "1", "FlateDecode"),
        ("tif", "1", "CCITTFaxDecode"),
    ] {
        let d = same_as_rendered(&scan(dir.path(), ext, mode, &[]));
        assert_eq!(d.filter, filter, "{ext} {mode}");
        assert_eq!((d.img.w, d.img.h), (300, 200));
    }
}

/// The picture in 1 bit as a JBIG2 stream (embedded organisation, T.88 Annex D.3): a page
/// information segment, one immediate lossless generic region coded MMR (its data the
/// CCITT G4 strip Pillow's libtiff writes), an end of page. Written to `out`.
const JBIG2: &str = r#"
import struct, sys, io
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
im = Image.open(src)
if im.tag_v2.get(262) == 1:
    # BlackIsZero: its G4 codes' "white" runs are black pixels; JBIG2's MMR codes 0 as
    # white, so the picture is coded inverted to be the same picture.
    from PIL import ImageOps
    ImageOps.invert(im.convert("L")).convert("1", dither=Image.Dither.NONE).save(src + ".inv.tif", compression="group4")
    src = src + ".inv.tif"
    im = Image.open(src)
assert im.info.get("compression") == "group4", im.info
offsets, counts = im.tag_v2[273], im.tag_v2[279]
assert len(offsets) == 1, "one strip"
raw = open(src, "rb").read()
g4 = raw[offsets[0]:offsets[0] + counts[0]]
w, h = im.size
def seg(num, kind, data):
    return struct.pack(">IBBBI", num, kind, 0, 1, len(data)) + data
page = struct.pack(">IIIIBH", w, h, 0, 0, 0, 0)
region = struct.pack(">IIIIB", w, h, 0, 0, 0) + bytes([1]) + g4
open(out, "wb").write(seg(0, 48, page) + seg(1, 39, region) + seg(2, 49, b""))
"#;

#[test]
fn a_jbig2_image_decodes_to_what_pdftoppm_renders() {
    if let Err(why) = tools() {
        return eprintln!("skipped: {why}");
    }
    let dir = tempfile::tempdir().unwrap();
    let tif = dir.path().join("p.tif");
    let o = Command::new("python3").args(["-c", PICTURE, "tif", "1", "300", "200", "150"]).arg(&tif).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let jb2 = dir.path().join("p.jb2");
    let o = Command::new("python3").args(["-c", JBIG2]).arg(&tif).arg(&jb2).output().unwrap();
    if !o.status.success() {
        return eprintln!("skipped: Pillow wrote no single-strip G4 TIFF: {}", String::from_utf8_lossy(&o.stderr));
    }
    // The PNG scan's page, its image replaced by the JBIG2 stream.
    let mut doc = lopdf::Document::load_mem(&std::fs::read(scan(dir.path(), "png", "L", &[])).unwrap()).unwrap();
    let img = doc.objects.iter().find(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Width").is_ok())).map(|(id, _)| *id).unwrap();
    let st = doc.get_object_mut(img).unwrap().as_stream_mut().unwrap();
    st.dict.set("Filter", lopdf::Object::Name(b"JBIG2Decode".to_vec()));
    st.dict.set("BitsPerComponent", 1);
    st.dict.set("ColorSpace", lopdf::Object::Name(b"DeviceGray".to_vec()));
    st.dict.remove(b"DecodeParms");
    st.set_content(std::fs::read(&jb2).unwrap());
    let path = dir.path().join("jbig2.pdf");
    doc.save(&path).unwrap();
    let d = same_as_rendered(&path);
    assert_eq!(d.filter, "JBIG2Decode");
    // Ink is ink: the corner of the picture is black.
    assert!(d.img.get(2, 2) < 60, "inverted");
}

#[test]
fn the_page_rotation_and_a_flipped_or_turned_image_are_placed_as_rendered() {
    if let Err(why) = tools() {
        return eprintln!("skipped: {why}");
    }
    let dir = tempfile::tempdir().unwrap();
    for rot in ["90", "180", "270"] {
        let d = same_as_rendered(&scan(dir.path(), "png", "L", &["--rotation", rot]));
        let turned = rot != "180";
        assert_eq!((d.img.w, d.img.h), if turned { (200, 300) } else { (300, 200) }, "/Rotate {rot}");
    }
    // The image drawn by other CTMs: flipped across either axis, turned a quarter either way.
    let base = std::fs::read(scan(dir.path(), "png", "L", &[])).unwrap();
    for (cm, size) in [
        ("-144 0 0 96 144 0", (144, 96)),
        ("144 0 0 -96 0 96", (144, 96)),
        ("0 -144 96 0 0 144", (96, 144)),
        ("0 144 -96 0 96 0", (96, 144)),
        ("0 144 96 0 0 0", (96, 144)),
    ] {
        let mut doc = lopdf::Document::load_mem(&base).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let name = {
            let content = String::from_utf8(doc.get_page_content(page)).unwrap();
            content.split_whitespace().find(|t| t.starts_with('/')).unwrap().to_string()
        };
        doc.change_page_content(page, format!("q {cm} cm {name} Do Q").into_bytes()).unwrap();
        let dict = doc.get_object_mut(page).unwrap().as_dict_mut().unwrap();
        dict.set("MediaBox", vec![0.into(), 0.into(), size.0.into(), size.1.into()]);
        dict.remove(b"CropBox");
        dict.remove(b"TrimBox");
        let path = dir.path().join("cm.pdf");
        doc.save(&path).unwrap();
        let d = decode(&std::fs::read(&path).unwrap()).unwrap_or_else(|why| panic!("{cm}: {why}"));
        let r = gongkai_ocr::render(&path, 1, 150).unwrap();
        placed_as_rendered(&format!("cm {cm}"), &d.img, &r);
    }
}

#[test]
fn what_is_not_a_plain_scan_is_rendered_and_says_why() {
    if let Err(why) = tools() {
        return eprintln!("skipped: {why}");
    }
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read(scan(dir.path(), "png", "L", &[])).unwrap();
    let variant = |content: &str, mask: bool| -> Result<gongkai_ocr::scan::Decoded, String> {
        let mut doc = lopdf::Document::load_mem(&base).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let old = String::from_utf8(doc.get_page_content(page)).unwrap();
        let name = old.split_whitespace().find(|t| t.starts_with('/')).unwrap().to_string();
        doc.change_page_content(page, content.replace("IM", &name).into_bytes()).unwrap();
        if mask {
            let img = doc.objects.iter().find(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Width").is_ok())).map(|(id, _)| *id).unwrap();
            let st = doc.get_object_mut(img).unwrap().as_stream_mut().unwrap();
            st.dict.set("SMask", lopdf::Object::Reference(img));
        }
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        decode(&out)
    };
    // The plain page decodes; each change below falls back, naming why.
    assert!(variant("q 144 0 0 96 0 0 cm IM Do Q", false).is_ok());
    // A 150 dpi scan is not read at its own resolution where 200 to 300 is asked (it is
    // rendered at 300, as before).
    let doc = gongkai_extract::pdf::open_repaired(&base).unwrap().doc;
    let page = &gongkai_extract::pdf::pages(&doc)[0];
    let (lo, hi) = gongkai_ocr::scan::decoded_range(gongkai_ocr::EngineKind::Paddle, 300).unwrap();
    assert_eq!(lo, gongkai_ocr::scan::MIN_DECODED_DPI);
    let why = gongkai_ocr::scan::decode_page_within(&doc, page, lo, hi).err().expect("refused");
    assert!(why.contains("150 dpi"), "{why}");
    // Asked at its own resolution, it is read as it is.
    let (lo, hi) = gongkai_ocr::scan::decoded_range(gongkai_ocr::EngineKind::Paddle, 150).unwrap();
    assert!(gongkai_ocr::scan::decode_page_within(&doc, page, lo, hi).is_ok());
    // Tesseract reads rendered pages (it read decoded scans worse).
    assert_eq!(gongkai_ocr::scan::decoded_range(gongkai_ocr::EngineKind::Tesseract, 300), None);
    for (content, mask, why) in [
        ("q 100 0 0 96 0 0 cm IM Do Q", false, "not the page"),
        ("q 144 0 0 96 0 0 cm IM Do Q q 10 0 0 10 0 0 cm IM Do Q", false, "2 images"),
        ("q 144 0 0 96 0 0 cm IM Do Q 0 0 10 10 re f", false, "paints paths"),
        ("q 140 10 -10 90 5 0 cm IM Do Q", false, "turned by an angle"),
        ("q 0 0 50 50 re W n 144 0 0 96 0 0 cm IM Do Q", false, "clip"),
        ("q 144 0 0 96 0 0 cm IM Do Q", true, "mask"),
    ] {
        match variant(content, mask) {
            Ok(_) => panic!("{content}: decoded"),
            Err(e) => assert!(e.contains(why), "{content}: {e}"),
        }
    }
}
