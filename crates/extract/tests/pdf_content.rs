//! The content interpreter on PDFs built here with lopdf, one feature each: fonts that
//! map codes to Unicode without a ToUnicode CMap (predefined GBK-EUC-H, a WinAnsi simple
//! font, /Differences), text hidden by a clip or by render mode 3, fake bold drawn
//! twice, rulings drawn as strokes or thin filled rectangles, white fills that are not
//! rulings, and a form XObject that draws itself (a cycle that must end).

mod support;

use gongkai_extract::pdf::{open, pages, Page};
use lopdf::{dictionary, Document, Object, Stream};
use support::MiniPdf;

/// One page with the given content and fonts F1 (GBK-EUC-H Type0, unembedded),
/// F2 (WinAnsi TrueType without ToUnicode), F3 (Type1 with /Differences).
fn pdf(content: &str, form: Option<&str>) -> Vec<u8> {
    let mut pdf = MiniPdf::new("1.5");
    let doc = &mut pdf.doc;
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "FangSong", "Encoding" => "GBK-EUC-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "FangSong",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
            "DW" => 1000,
        })],
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "SimHei", "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "LastChar" => 57,
        "Widths" => (32..=57).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
    });
    let f3 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Custom",
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![Object::Integer(1), "seven".into(), "percent".into(), "uni6536".into()] },
    });
    // F4: an embedded TrueType CID font, Identity-H, no ToUnicode (its cmap says it all).
    let ttf = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-cmap.ttf")).unwrap();
    let file = doc.add_object(Stream::new(dictionary! {}, ttf));
    let f4 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+SimSun", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+SimSun", "CIDToGIDMap" => "Identity",
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => "ABCDEF+SimSun", "FontFile2" => file },
        })],
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3, "F4" => f4 } };
    if let Some(body) = form {
        let id = doc.new_object_id();
        let stream = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F2" => f2 }, "XObject" => dictionary! { "Fm1" => id } } },
            body.as_bytes().to_vec(),
        );
        doc.objects.insert(id, Object::Stream(stream));
        resources.set("XObject", dictionary! { "Fm1" => id });
    }
    pdf.page(content.as_bytes(), resources);
    pdf.bytes()
}

fn page(content: &str) -> Page {
    pages(&open(&pdf(content, None)).unwrap()).remove(0)
}

/// The same page with /Rotate set.
fn rotated(content: &str, rotate: i64) -> Page {
    let mut doc = Document::load_mem(&pdf(content, None)).unwrap();
    let id = doc.get_pages()[&1];
    doc.get_dictionary_mut(id).unwrap().set("Rotate", rotate);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    pages(&open(&out).unwrap()).remove(0)
}

fn text(p: &Page) -> String {
    p.glyphs.iter().map(|g| g.text.as_str()).collect()
}

/// `收入` in GBK bytes.
const SHOURU_GBK: &str = "<CAD5C8EB>";

#[test]
fn predefined_gbk_cmap_and_winansi_fonts_map_to_unicode() {
    let p = page(&format!("BT /F1 12 Tf 100 700 Td {SHOURU_GBK} Tj /F2 10 Tf 50 0 Td (12.50) Tj /F3 10 Tf 50 0 Td <010203> Tj ET"));
    assert_eq!(text(&p), "收入12.507%收");
    assert_eq!(p.unmapped, 0);
    // Widths: a GBK double-byte glyph is 1000 units wide, the WinAnsi digits 500.
    assert!((p.glyphs[1].x - p.glyphs[0].x - 12.0).abs() < 0.01, "{:?}", p.glyphs);
    assert!((p.glyphs[3].x - p.glyphs[2].x - 5.0).abs() < 0.01, "{:?}", p.glyphs);
}

#[test]
fn an_embedded_truetype_font_without_to_unicode_reads_through_its_cmap() {
    let p = page("BT /F4 12 Tf 100 700 Td <00050006000A000C> Tj ET");
    assert_eq!(text(&p), "收入13");
    assert_eq!(p.unmapped, 0);
}

#[test]
fn clipped_and_invisible_text_is_not_read_and_fake_bold_counts_once() {
    let content = "q 0 0 300 800 re W n BT /F2 10 Tf 100 700 Td (in) Tj 300 0 Td (out) Tj ET Q \
                   BT /F2 10 Tf 3 Tr 100 600 Td (hidden) Tj ET \
                   BT /F2 10 Tf 2 Tr 100 500 Td (B) Tj ET BT /F2 10 Tf 2 Tr 100.3 500 Td (B) Tj ET";
    assert_eq!(text(&page(content)), "inB");
}

#[test]
fn rulings_from_strokes_and_thin_fills_not_from_white_or_wide_fills() {
    let content = "0 0 0 RG 100 700 m 400 700 l S \
                   0 g 100 600 300 0.5 re f \
                   1 1 1 rg 100 500 300 20 re f \
                   1 g 100 400 0.5 100 re f \
                   0 g 100 100 300 200 re f";
    let p = page(content);
    let horizontal: Vec<_> = p.rules.iter().filter(|r| r.y0 == r.y1).map(|r| r.y0.round() as i32).collect();
    assert_eq!(horizontal, vec![700, 600], "{:?}", p.rules);
    assert!(p.rules.iter().all(|r| r.x0 == r.x1 || r.y0 == r.y1));
    assert_eq!(p.rules.len(), 2, "{:?}", p.rules);
}

#[test]
fn form_xobjects_are_drawn_and_a_self_drawing_form_ends() {
    let bytes = pdf("q 1 0 0 1 10 0 cm /Fm1 Do Q", Some("BT /F2 10 Tf 100 700 Td (7) Tj ET /Fm1 Do"));
    let p = pages(&open(&bytes).unwrap()).remove(0);
    // The form draws `7` and itself; the nesting limit stops the cycle after a few levels,
    // which all print at the same place and collapse as overprint.
    assert_eq!(text(&p), "7");
    assert!((p.glyphs[0].x - 110.0).abs() < 0.01);
    assert!(p.problems.iter().any(|m| m.contains("nested too deep")), "{:?}", p.problems);
}

/// A landscape table printed on a portrait media box turned by /Rotate 90: its text runs
/// up the media box, and reads left to right on one baseline once the page is turned.
#[test]
fn rotated_pages_are_read_as_displayed() {
    let p = rotated("BT /F2 10 Tf 0 1 -1 0 500 100 Tm (12.50) Tj ET 0 G 50 100 m 50 700 l S", 90);
    assert_eq!((p.width, p.height), (800.0, 600.0));
    assert_eq!(text(&p), "12.50");
    let ys: Vec<f32> = p.glyphs.iter().map(|g| g.y).collect();
    assert!(ys.iter().all(|y| (y - ys[0]).abs() < 0.01), "{:?}", p.glyphs);
    assert!(p.glyphs.windows(2).all(|w| w[1].x > w[0].x), "{:?}", p.glyphs);
    assert!((p.glyphs[0].x - 100.0).abs() < 0.01 && (p.glyphs[0].y - 100.0).abs() < 0.01, "{:?}", p.glyphs[0]);
    // The vertical stroke on the media box is a horizontal ruling on the page as shown.
    assert_eq!(p.rules.len(), 1);
    assert!((p.rules[0].y0 - p.rules[0].y1).abs() < 0.01 && (p.rules[0].y0 - 550.0).abs() < 0.01, "{:?}", p.rules);
}

/// A table turned sideways by the content itself (no /Rotate): the page is read turned
/// upright, as a reader turns the paper.
#[test]
fn sideways_content_without_rotate_is_turned_upright() {
    let p = page("q 0 1 -1 0 600 0 cm BT /F2 10 Tf 100 100 Td (12.50) Tj ET 0 G 50 300 m 700 300 l S Q");
    assert_eq!(text(&p), "12.50");
    assert!(p.glyphs.iter().all(|g| g.turn == 0 && (g.y - p.glyphs[0].y).abs() < 0.01), "{:?}", p.glyphs);
    assert!(p.glyphs.windows(2).all(|w| w[1].x > w[0].x), "{:?}", p.glyphs);
    assert_eq!((p.width, p.height), (800.0, 600.0));
    // The ruling drawn along the text stays parallel to it.
    assert!(p.rules.iter().all(|r| (r.y0 - r.y1).abs() < 0.01), "{:?}", p.rules);
}
