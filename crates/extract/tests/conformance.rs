//! The content interpreter against PDF 32000-1, one rule per test, on minimal PDFs built
//! here: graphics and text state (§8.4, §9.3), text positioning and showing (§9.4), form
//! XObjects (§8.10), marked content (§14.6), every standard filter (§7.4), inline images
//! (§8.9.7) and Type3 fonts (§9.6.5). Each test states the exact text, position and size
//! of every glyph it expects (within 0.01 pt), computed by hand from the specification.
//!
//! Fonts on every page: /W a WinAnsi TrueType font (space 250 units wide, every other
//! code 500), /C a Type0 Identity-H font with a ToUnicode CMap (<0001> 收, <0002> 入,
//! <0003> 合, <0004> 计, <0020> space; 1000 units), /T3 a Type3 font read through
//! /Differences and /T3U one read through ToUnicode (both: FontMatrix 0.01, glyphs 50
//! and 60 units wide, FontBBox 100 units tall), /U a Type0 Identity-H font that says nothing
//! of its Unicode (no ToUnicode, no embedded program, Adobe-Identity), and the resources'
//! /Properties /MC0 a property list with /ActualText (z).

mod support;

use std::io::Write;

use gongkai_extract::pdf::{open, pages, Page};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use support::MiniPdf;

/// The fonts, forms and properties of these tests, shared by every page, on the tests'
/// one PDF writer (`support::MiniPdf`).
struct Pdf {
    mini: MiniPdf,
    /// Every page's resources, written by `bytes` once the fonts and forms are known.
    resources: ObjectId,
    fonts: Dictionary,
    xobjects: Dictionary,
}

const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
    1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
    6 beginbfchar <0001> <6536> <0002> <5165> <0003> <5408> <0004> <8BA1> <0020> <0020> <0005> <2ED4> endbfchar\n\
    endcmap CMapName currentdict /CMap defineresource pop end end";

impl Pdf {
    fn new() -> Pdf {
        let mut mini = MiniPdf::new("1.7");
        let resources = mini.doc.new_object_id();
        let doc = &mut mini.doc;
        let w = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial", "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 32, "LastChar" => 126,
            "Widths" => (32..=126).map(|c| Object::Integer(if c == 32 { 250 } else { 500 })).collect::<Vec<_>>(),
        });
        let cmap = doc.add_object(Stream::new(dictionary! {}, TO_UNICODE.as_bytes().to_vec()));
        let c = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H", "ToUnicode" => cmap,
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun", "DW" => 1000,
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            })],
        });
        let procs = |doc: &mut Document| {
            let a = doc.add_object(Stream::new(dictionary! {}, b"50 0 0 0 50 100 d1 0 0 50 100 re f".to_vec()));
            let b = doc.add_object(Stream::new(dictionary! {}, b"60 0 0 0 60 100 d1 0 0 60 100 re f".to_vec()));
            (a, b)
        };
        let (a, b) = procs(doc);
        let t3 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontBBox" => vec![0.into(), 0.into(), 60.into(), 100.into()],
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "CharProcs" => dictionary! { "uni6536" => a, "seven" => b },
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![65.into(), "uni6536".into(), "seven".into()] },
            "FirstChar" => 65, "LastChar" => 66, "Widths" => vec![50.into(), 60.into()],
            "Resources" => dictionary! {},
        });
        let (a, b) = procs(doc);
        let t3cmap = doc.add_object(Stream::new(dictionary! {}, b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <41> <5408> <42> <8BA1> endbfchar".to_vec()));
        let t3u = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontBBox" => vec![0.into(), 0.into(), 60.into(), 100.into()],
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "CharProcs" => dictionary! { "g1" => a, "g2" => b },
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![65.into(), "g1".into(), "g2".into()] },
            "FirstChar" => 65, "LastChar" => 66, "Widths" => vec![50.into(), 60.into()],
            "ToUnicode" => t3cmap,
        });
        let u = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Unknown", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Unknown", "DW" => 1000,
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            })],
        });
        let fonts = dictionary! { "W" => w, "C" => c, "T3" => t3, "T3U" => t3u, "U" => u };
        Pdf { mini, resources, fonts, xobjects: Dictionary::new() }
    }

    /// A form XObject named `name` in every page's resources (its own resources `res`).
    fn form(&mut self, name: &str, mut dict: Dictionary, content: &str) -> ObjectId {
        dict.set("Type", "XObject");
        dict.set("Subtype", "Form");
        if !dict.has(b"BBox") {
            dict.set("BBox", vec![0.into(), 0.into(), 600.into(), 800.into()]);
        }
        let id = self.mini.doc.add_object(Stream::new(dict, content.as_bytes().to_vec()));
        self.xobjects.set(name, id);
        id
    }

    fn page_stream(&mut self, stream: Stream) {
        let content = self.mini.doc.add_object(stream);
        self.mini.page_with(content, Object::Reference(self.resources));
    }

    fn page(&mut self, content: &[u8]) {
        self.page_stream(Stream::new(dictionary! {}, content.to_vec()));
    }

    fn bytes(mut self) -> Vec<u8> {
        let mc0 = self.mini.doc.add_object(dictionary! { "ActualText" => Object::string_literal("z") });
        let resources = dictionary! {
            "Font" => self.fonts.clone(), "XObject" => self.xobjects.clone(), "Properties" => dictionary! { "MC0" => mc0 },
        };
        self.mini.doc.objects.insert(self.resources, Object::Dictionary(resources));
        self.mini.bytes()
    }
}

fn read(bytes: &[u8]) -> Vec<Page> {
    pages(&open(bytes).unwrap())
}

/// The one page of `content`.
fn page(content: &str) -> Page {
    let mut pdf = Pdf::new();
    pdf.page(content.as_bytes());
    read(&pdf.bytes()).remove(0)
}

/// Every glyph as it must be: text, x, y, size (points, within 0.01).
fn expect(p: &Page, want: &[(&str, f32, f32, f32)]) {
    let got: Vec<(String, f32, f32, f32)> = p.glyphs.iter().map(|g| (g.text.to_string(), g.x, g.y, g.size)).collect();
    let ok = got.len() == want.len()
        && got.iter().zip(want).all(|(g, w)| g.0 == w.0 && (g.1 - w.1).abs() < 0.01 && (g.2 - w.2).abs() < 0.01 && (g.3 - w.3).abs() < 0.01);
    assert!(ok, "glyphs differ\n got: {got:?}\nwant: {want:?}\nproblems: {:?}", p.problems);
}

// §8.4.1, §9.3.1: the text state is part of the graphics state.

/// Word's tagged output: a CID run, one space in a WinAnsi font inside q … Q, then the
/// next CID run without a new Tf: it is drawn in the CID font again.
#[test]
fn q_and_big_q_save_and_restore_the_font_and_size() {
    let p = page("BT /C 12 Tf 100 700 Td <00010002> Tj ET q BT /W 10 Tf 124 700 Td ( ) Tj ET Q BT 126.5 700 Td <00030004> Tj ET");
    expect(&p, &[("收", 100.0, 700.0, 12.0), ("入", 112.0, 700.0, 12.0), (" ", 124.0, 700.0, 10.0), ("合", 126.5, 700.0, 12.0), ("计", 138.5, 700.0, 12.0)]);
}

#[test]
fn q_and_big_q_save_and_restore_tc_tw_tz_tl_ts() {
    // Inside q: every parameter changed; after Q the outer ones apply again.
    let p = page(
        "BT /W 10 Tf 1 Tc 2 Tw 14 TL ET \
         q BT 9 Tc 9 Tw 50 Tz 30 TL 7 Ts 100 700 Td (A) Tj ET Q \
         BT 100 600 Td (A B) Tj T* (C) Tj ET",
    );
    // Inside: A at (100, 707) (rise 7). After: Tc 1, Tw 2, Tz 100, TL 14, Ts 0:
    // A 100, space 100 + 5 + 1 = 106, B 106 + 2.5 + 1 + 2 = 111.5; T* moves down 14.
    expect(&p, &[("A", 100.0, 707.0, 10.0), ("A", 100.0, 600.0, 10.0), (" ", 106.0, 600.0, 10.0), ("B", 111.5, 600.0, 10.0), ("C", 100.0, 586.0, 10.0)]);
}

#[test]
fn q_and_big_q_save_and_restore_the_render_mode() {
    let p = page("BT /W 10 Tf ET q 3 Tr BT 100 700 Td (A) Tj ET Q BT 100 600 Td (B) Tj ET q BT 7 Tr 100 500 Td (C) Tj ET Q BT 100 400 Td (D) Tj ET");
    expect(&p, &[("B", 100.0, 600.0, 10.0), ("D", 100.0, 400.0, 10.0)]);
}

#[test]
fn q_and_big_q_save_and_restore_the_ctm_and_the_clip() {
    let p = page("BT /W 10 Tf ET q 1 0 0 1 50 50 cm 0 0 100 100 re W n BT 10 10 Td (A) Tj 200 0 Td (B) Tj ET Q BT 300 60 Td (C) Tj ET");
    // A at 60,60 inside the clip; B at 260,60 outside; after Q neither cm nor clip.
    expect(&p, &[("A", 60.0, 60.0, 10.0), ("C", 300.0, 60.0, 10.0)]);
}

/// A Q without its q (in a stream) restores nothing and breaks nothing.
#[test]
fn an_unbalanced_big_q_is_ignored() {
    let p = page("Q Q BT /W 10 Tf 100 700 Td (A) Tj ET Q");
    expect(&p, &[("A", 100.0, 700.0, 10.0)]);
}

// §9.4.1: BT resets the text and line matrices only.

#[test]
fn bt_resets_the_matrices_but_not_the_font_or_the_parameters() {
    let p = page("BT /W 10 Tf 2 Tc 100 700 Td (A) Tj ET BT (AB) Tj ET BT 0 0 Td 50 50 Td (C) Tj ET");
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("A", 0.0, 0.0, 10.0), ("B", 7.0, 0.0, 10.0), ("C", 50.0, 50.0, 10.0)]);
}

#[test]
fn a_font_selected_in_one_text_object_is_used_in_the_next() {
    let p = page("BT /C 12 Tf ET BT 100 700 Td <0001> Tj ET BT /W 8 Tf ET BT 100 600 Td (1) Tj ET");
    expect(&p, &[("收", 100.0, 700.0, 12.0), ("1", 100.0, 600.0, 8.0)]);
}

// §9.3.2–9.3.7: the text state parameters.

#[test]
fn character_spacing_adds_to_every_glyph() {
    let p = page("BT /W 10 Tf 2 Tc 100 700 Td (AB) Tj /C 10 Tf -1 Tc 100 600 Td <00010002> Tj ET");
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 107.0, 700.0, 10.0), ("收", 200.0, 1300.0, 10.0), ("入", 209.0, 1300.0, 10.0)]);
}

/// Tw applies to the single-byte code 32 only, never to a two-byte code 0x0020.
#[test]
fn word_spacing_applies_to_single_byte_code_32_only() {
    let p = page("BT /W 10 Tf 5 Tw 100 700 Td (A B) Tj /C 10 Tf 0 -100 Td <000100200002> Tj ET");
    expect(
        &p,
        &[("A", 100.0, 700.0, 10.0), (" ", 105.0, 700.0, 10.0), ("B", 112.5, 700.0, 10.0), ("收", 100.0, 600.0, 10.0), (" ", 110.0, 600.0, 10.0), ("入", 120.0, 600.0, 10.0)],
    );
}

/// Tz scales widths, spacing and TJ adjustments horizontally, not the size or the rise.
#[test]
fn horizontal_scaling_scales_advances_and_adjustments() {
    let p = page("BT /W 10 Tf 50 Tz 1 Tc 100 700 Td [(A) -1000 (B)] TJ (C) Tj ET");
    // A: 100; advance (5 + 1) * 0.5 = 3, adjustment 1000/1000 * 10 * 0.5 = 5: B at 108; C 111.
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 108.0, 700.0, 10.0), ("C", 111.0, 700.0, 10.0)]);
}

#[test]
fn tj_adjustments_move_by_thousandths_of_the_size() {
    let p = page("BT /W 10 Tf 100 700 Td [(A) 500 (B) -2000 (C)] TJ ET");
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 100.0, 700.0, 10.0), ("C", 125.0, 700.0, 10.0)]);
}

#[test]
fn rise_moves_the_baseline_only() {
    let p = page("BT /W 10 Tf 100 700 Td 3 Ts (A) Tj -2 Ts (B) Tj 0 Ts (C) Tj ET");
    expect(&p, &[("A", 100.0, 703.0, 10.0), ("B", 105.0, 698.0, 10.0), ("C", 110.0, 700.0, 10.0)]);
}

/// Render modes 0–7: 3 (invisible) and 7 (clip only) are not printed, all others are.
#[test]
fn render_modes_zero_to_seven() {
    let content: String = (0..8).map(|m| format!("BT /W 10 Tf {m} Tr 100 {} Td ({m}) Tj ET ", 700 - 20 * m)).collect();
    let p = page(&content);
    let want: Vec<(String, f32)> = [0, 1, 2, 4, 5, 6].iter().map(|m| (m.to_string(), 700.0 - 20.0 * *m as f32)).collect();
    let want: Vec<(&str, f32, f32, f32)> = want.iter().map(|(t, y)| (t.as_str(), 100.0, *y, 10.0)).collect();
    expect(&p, &want);
}

// §9.4.2, §9.4.3: text positioning.

#[test]
fn td_td_big_tm_t_star() {
    let p = page("BT /W 10 Tf 100 700 Td (A) Tj 0 -20 TD (B) Tj T* (C) Tj 2 0 0 2 50 60 Tm (D) Tj 10 0 Td (E) Tj T* (F) Tj ET");
    // TD sets TL = 20; under Tm (scale 2) Td 10 moves 20, T* moves down 20 * 2 = 40 from the line start.
    expect(
        &p,
        &[("A", 100.0, 700.0, 10.0), ("B", 100.0, 680.0, 10.0), ("C", 100.0, 660.0, 10.0), ("D", 50.0, 60.0, 20.0), ("E", 70.0, 60.0, 20.0), ("F", 70.0, 20.0, 20.0)],
    );
}

#[test]
fn quote_and_double_quote_move_to_the_next_line_and_set_spacing() {
    let p = page("BT /W 10 Tf 14 TL 100 700 Td (A) Tj (B) ' 3 1 (C D) \" (E) ' ET");
    // ': next line (100, 686). ": Tw 3, Tc 1, next line (100, 672): C 100, space 106,
    // D 106 + 2.5 + 1 + 3 = 112.5. The spacing stays set: E on (100, 658).
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 100.0, 686.0, 10.0), ("C", 100.0, 672.0, 10.0), (" ", 106.0, 672.0, 10.0), ("D", 112.5, 672.0, 10.0), ("E", 100.0, 658.0, 10.0)]);
}

#[test]
fn the_ctm_places_and_scales_text() {
    let p = page("q 2 0 0 2 10 20 cm BT /W 10 Tf 5 5 Td (AB) Tj ET Q");
    expect(&p, &[("A", 20.0, 30.0, 20.0), ("B", 30.0, 30.0, 20.0)]);
}

// §8.10: form XObjects.

/// A form's own resources: its /W is another font than the page's /W.
#[test]
fn a_form_uses_its_own_resources_and_its_font_does_not_leak() {
    let mut pdf = Pdf::new();
    let c = pdf.fonts.get(b"C").unwrap().clone();
    pdf.form("Fm", dictionary! { "Resources" => dictionary! { "Font" => dictionary! { "W" => c } } }, "BT /W 12 Tf 100 700 Td <0001> Tj ET");
    pdf.page(b"BT /W 10 Tf ET /Fm Do BT 100 600 Td (A) Tj ET");
    expect(&read(&pdf.bytes())[0], &[("收", 100.0, 700.0, 12.0), ("A", 100.0, 600.0, 10.0)]);
}

/// A form starts with its caller's whole state: CTM, font, size, Tc; Matrix concatenates.
#[test]
fn a_form_inherits_the_callers_graphics_and_text_state_and_applies_its_matrix() {
    let mut pdf = Pdf::new();
    pdf.form("Fm", dictionary! { "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 0.into()] }, "BT 0 700 Td (AB) Tj ET");
    pdf.page(b"BT /W 10 Tf 2 Tc ET q 1 0 0 1 0 -100 cm /Fm Do Q");
    expect(&read(&pdf.bytes())[0], &[("A", 100.0, 600.0, 10.0), ("B", 107.0, 600.0, 10.0)]);
}

/// A form cannot pop its caller's saved states, and its changes end with it.
#[test]
fn a_forms_q_stack_is_its_own() {
    let mut pdf = Pdf::new();
    pdf.form("Fm", dictionary! {}, "Q Q 1 0 0 1 300 0 cm /C 12 Tf 3 Tr");
    pdf.page(b"BT /W 10 Tf ET q 1 0 0 1 50 0 cm /Fm Do BT 100 700 Td (A) Tj ET Q BT 100 600 Td (B) Tj ET");
    expect(&read(&pdf.bytes())[0], &[("A", 150.0, 700.0, 10.0), ("B", 100.0, 600.0, 10.0)]);
}

/// The BBox, in form space, clips what the form draws.
#[test]
fn a_forms_bbox_clips() {
    let mut pdf = Pdf::new();
    pdf.form(
        "Fm",
        dictionary! { "BBox" => vec![0.into(), 0.into(), 50.into(), 50.into()], "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 100.into()] },
        "BT /W 10 Tf 10 10 Td (A) Tj 100 0 Td (B) Tj ET",
    );
    pdf.page(b"/Fm Do");
    expect(&read(&pdf.bytes())[0], &[("A", 110.0, 110.0, 10.0)]);
}

/// Forms in forms: matrices compose, the inner form finds its name in the outer form's
/// resources, and the innermost Tf stays inside.
#[test]
fn nested_forms_compose() {
    let mut pdf = Pdf::new();
    let w = pdf.fonts.get(b"W").unwrap().clone();
    let inner = pdf.form("Unused", dictionary! { "Matrix" => vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()] }, "BT /W 5 Tf 10 10 Td (B) Tj ET");
    pdf.form(
        "Outer",
        dictionary! {
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 200.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "In" => inner }, "Font" => dictionary! { "W" => w } },
        },
        "BT (A) Tj ET /In Do BT 0 50 Td (C) Tj ET",
    );
    pdf.page(b"BT /W 10 Tf ET /Outer Do");
    expect(&read(&pdf.bytes())[0], &[("A", 100.0, 200.0, 10.0), ("B", 120.0, 220.0, 10.0), ("C", 100.0, 250.0, 10.0)]);
}

// §14.6: marked content changes nothing.

#[test]
fn marked_content_does_not_disturb_anything() {
    let p = page(
        "/Artifact BMC q 0 0 0 RG 0 0 m 10 0 l S Q EMC \
         /P <</MCID 0 /Lang (zh-CN) /ActualText (x\\)y)>> BDC BT /W 10 Tf 100 700 Td (A) Tj EMC (B) Tj ET \
         /OC /oc1 BDC BT 100 600 Td (C) Tj ET EMC /Span <</E (a>>b)>> BDC EMC",
    );
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 105.0, 700.0, 10.0), ("C", 100.0, 600.0, 10.0)]);
}

// §14.9.4: replacement text. A marked-content sequence tagged /Span whose property list has
// /ActualText: that text replaces the glyphs shown inside it, its characters sharing their
// extent evenly (the first glyph's baseline and size). Text strings (§7.9.2.2): UTF-16BE with
// its byte order mark, UTF-8 with its own, PDFDocEncoding otherwise.

#[test]
fn actual_text_replaces_the_glyphs_of_its_span() {
    let p = page("BT /W 10 Tf 100 700 Td (A) Tj /Span <</ActualText (xy)>> BDC (BC) Tj EMC (D) Tj ET");
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("x", 105.0, 700.0, 10.0), ("y", 110.0, 700.0, 10.0), ("D", 115.0, 700.0, 10.0)]);
    assert!((p.glyphs[1].width - 5.0).abs() < 0.01, "{:?}", p.glyphs[1]);
    // One character over two glyphs takes their whole extent; three over one share it.
    let p = page("BT /W 10 Tf 100 700 Td /Span <</ActualText (x)>> BDC (BC) Tj EMC /Span <</ActualText (abc)>> BDC [(D)] TJ EMC ET");
    expect(&p, &[("x", 100.0, 700.0, 10.0), ("a", 110.0, 700.0, 10.0), ("b", 111.6667, 700.0, 10.0), ("c", 113.3333, 700.0, 10.0)]);
    assert!((p.glyphs[0].width - 10.0).abs() < 0.01);
}

#[test]
fn actual_text_strings_in_utf16_utf8_and_pdfdocencoding() {
    // Chromium: a glyph its font maps to the radical ⻔, the span says 门 (U+95E8).
    let p = page("BT /C 10 Tf 100 700 Td <0001> Tj /Span <</ActualText <FEFF95E8>>> BDC <0005> Tj EMC ET");
    expect(&p, &[("收", 100.0, 700.0, 10.0), ("门", 110.0, 700.0, 10.0)]);
    // UTF-16 outside the BMP (a surrogate pair), UTF-8 after its BOM, PDFDocEncoding (\204 is —),
    // and a language escape (ESC zh ESC) that is no text.
    let p = page(
        "BT /W 10 Tf 100 700 Td /Span <</ActualText <FEFFD841DE28>>> BDC (A) Tj EMC /Span <</ActualText <EFBBBFE997A8>>> BDC (B) Tj EMC \
         /Span <</ActualText (\\204)>> BDC (C) Tj EMC /Span <</ActualText <FEFF001B007A0068001B5408>>> BDC (D) Tj EMC ET",
    );
    expect(&p, &[("\u{20628}", 100.0, 700.0, 10.0), ("门", 105.0, 700.0, 10.0), ("—", 110.0, 700.0, 10.0), ("合", 115.0, 700.0, 10.0)]);
    // An unpaired surrogate or broken UTF-8 is not the whole string lost: U+FFFD stands for it.
    let p = page("BT /W 10 Tf 100 700 Td /Span <</ActualText <FEFFD8005408>>> BDC (AB) Tj EMC /Span <</ActualText <EFBBBFFF>>> BDC (C) Tj EMC ET");
    expect(&p, &[("\u{FFFD}", 100.0, 700.0, 10.0), ("合", 105.0, 700.0, 10.0), ("\u{FFFD}", 110.0, 700.0, 10.0)]);
}

#[test]
fn actual_text_from_a_named_property_list() {
    let p = page("BT /W 10 Tf 100 700 Td /Span /MC0 BDC (AB) Tj EMC /Span /Missing BDC (C) Tj EMC ET");
    expect(&p, &[("z", 100.0, 700.0, 10.0), ("C", 110.0, 700.0, 10.0)]);
}

#[test]
fn actual_text_gives_text_to_glyphs_without_unicode() {
    let p = page("BT /U 10 Tf 100 700 Td /Span <</ActualText <FEFF6536>>> BDC <0007> Tj EMC <0008> Tj ET");
    expect(&p, &[("收", 100.0, 700.0, 10.0)]);
    assert_eq!(p.unmapped, 1, "only the glyph outside the span has no text");
}

#[test]
fn actual_text_of_nested_spans_the_outermost_replaces_all() {
    let p = page(
        "BT /W 10 Tf 100 700 Td /Span <</ActualText (outer)>> BDC (A) Tj /Span <</ActualText (in)>> BDC (B) Tj EMC (C) Tj EMC \
         0 -100 Td /Span <<>> BDC /Span <</ActualText (q)>> BDC (A) Tj EMC (B) Tj EMC ET",
    );
    // "outer" over A, B, C (100 to 115): five characters 3 pt apart.
    expect(
        &p,
        &[("o", 100.0, 700.0, 10.0), ("u", 103.0, 700.0, 10.0), ("t", 106.0, 700.0, 10.0), ("e", 109.0, 700.0, 10.0), ("r", 112.0, 700.0, 10.0), ("q", 100.0, 600.0, 10.0), ("B", 105.0, 600.0, 10.0)],
    );
}

#[test]
fn actual_text_only_on_span_and_only_for_printed_glyphs() {
    // Another tag with /ActualText (§14.9.4 names Span), an empty replacement, invisible text
    // (render mode 3), and glyphs outside the clip: nothing printed, nothing read.
    let p = page(
        "BT /W 10 Tf 100 700 Td /P <</ActualText (x)>> BDC (A) Tj EMC /Span <</ActualText ()>> BDC (B) Tj EMC \
         3 Tr /Span <</ActualText (y)>> BDC (C) Tj EMC 0 Tr ET \
         q 0 0 50 50 re W n BT /W 10 Tf 100 600 Td /Span <</ActualText (w)>> BDC (D) Tj EMC ET Q",
    );
    expect(&p, &[("A", 100.0, 700.0, 10.0)]);
}

#[test]
fn actual_text_follows_the_baseline_of_turned_text() {
    // Text running up the page (90°), among enough upright text that the page is not turned.
    let p = page("BT /W 10 Tf 100 700 Td (WXYZ) Tj 0 1 -1 0 300 100 Tm /Span <</ActualText (ab)>> BDC (AB) Tj EMC ET");
    expect(
        &p,
        &[("W", 100.0, 700.0, 10.0), ("X", 105.0, 700.0, 10.0), ("Y", 110.0, 700.0, 10.0), ("Z", 115.0, 700.0, 10.0), ("a", 300.0, 100.0, 10.0), ("b", 300.0, 105.0, 10.0)],
    );
    assert_eq!((p.glyphs[4].turn, p.glyphs[5].turn), (90, 90));
}

#[test]
fn unbalanced_marked_content_is_bounded_by_its_stream() {
    let mut pdf = Pdf::new();
    // A form that leaves a span open (it ends with the form) and one whose EMC cannot close
    // its caller's span.
    pdf.form("Open", dictionary! {}, "/Span <</ActualText (f)>> BDC BT /W 10 Tf 200 600 Td (C) Tj ET");
    pdf.form("Stray", dictionary! {}, "EMC BT /W 10 Tf 110 700 Td (C) Tj ET");
    pdf.page(
        b"EMC EMC /Open Do BT /W 10 Tf 200 500 Td (D) Tj ET \
          /Span <</ActualText (s)>> BDC BT /W 10 Tf 100 700 Td (A) Tj ET /Stray Do BT 105 700 Td (B) Tj ET EMC \
          BT 100 400 Td (E) Tj ET /Span <</ActualText (t)>> BDC BT 100 300 Td (F) Tj ET",
    );
    let p = read(&pdf.bytes()).remove(0);
    expect(&p, &[("f", 200.0, 600.0, 10.0), ("D", 200.0, 500.0, 10.0), ("s", 100.0, 700.0, 10.0), ("E", 100.0, 400.0, 10.0), ("t", 100.0, 300.0, 10.0)]);
    assert!((p.glyphs[2].width - 15.0).abs() < 0.01, "{:?}", p.glyphs[2]);
}

#[test]
fn marked_content_nested_past_its_depth_limit_still_balances() {
    // 5,000 sequences inside a span (past the 4,096 tracked): the span still replaces its
    // glyphs, and the EMCs of the untracked ones close nothing else.
    let content = format!(
        "/Span <</ActualText (z)>> BDC {} BT /W 10 Tf 100 700 Td (AB) Tj ET {} EMC BT /W 10 Tf 100 600 Td (C) Tj ET",
        "/X BMC ".repeat(5_000),
        "EMC ".repeat(5_000)
    );
    expect(&page(&content), &[("z", 100.0, 700.0, 10.0), ("C", 100.0, 600.0, 10.0)]);
}

#[test]
fn a_tounicode_map_to_radicals_reads_as_the_ideographs() {
    // The CMap maps <0005> to ⻔ (U+2ED4, CJK Radicals Supplement): the glyph is 门.
    let p = page("BT /C 10 Tf 100 700 Td <00050001> Tj ET");
    expect(&p, &[("门", 100.0, 700.0, 10.0), ("收", 110.0, 700.0, 10.0)]);
}

// §9.10.2, §9.6.6.4: a simple font's codes have Unicode through ToUnicode, an encoding or
// glyph names. A symbolic TrueType font without /Encoding maps codes straight to glyphs; when
// its program names no character either (only a (3,0) symbol cmap, no glyph names: what
// Ghostscript writes), its glyphs are unmapped, never read as WinAnsi.

/// A TrueType program of one `cmap` table holding one empty subtable (platform, encoding).
fn cmap_only_program(platform: u16, encoding: u16) -> Vec<u8> {
    let mut f = vec![0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0];
    f.extend_from_slice(b"cmap");
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 12]);
    f.extend_from_slice(&[0, 0, 0, 1]);
    f.extend_from_slice(&platform.to_be_bytes());
    f.extend_from_slice(&encoding.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 12]);
    f
}

fn symbolic_truetype(pdf: &mut Pdf, name: &str, flags: i64, platform: u16, encoding: Option<&str>) {
    let file = pdf.mini.doc.add_object(Stream::new(dictionary! {}, cmap_only_program(platform, 0)));
    let fd = pdf.mini.doc.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "PRQPJR+DroidSansFallback", "Flags" => flags, "FontFile2" => file,
    });
    let mut font = dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "PRQPJR+DroidSansFallback", "FontDescriptor" => fd,
        "FirstChar" => 1, "LastChar" => 255, "Widths" => (1..=255).map(|_| Object::Integer(1000)).collect::<Vec<_>>(),
    };
    if let Some(e) = encoding {
        font.set("Encoding", e);
    }
    let id = pdf.mini.doc.add_object(font);
    pdf.fonts.set(name, id);
}

#[test]
fn a_symbolic_truetype_subset_that_names_no_character_is_unmapped() {
    let mut pdf = Pdf::new();
    symbolic_truetype(&mut pdf, "S", 4, 3, None);
    // The same with a Unicode cmap, flagged nonsymbolic, or with an /Encoding: read as WinAnsi.
    symbolic_truetype(&mut pdf, "SU", 4, 3, None);
    symbolic_truetype(&mut pdf, "N", 32, 3, None);
    symbolic_truetype(&mut pdf, "E", 4, 3, Some("WinAnsiEncoding"));
    let unicode = pdf.mini.doc.add_object(Stream::new(dictionary! {}, cmap_only_program(3, 1)));
    let su = pdf.fonts.get(b"SU").unwrap().as_reference().unwrap();
    let fd = pdf.mini.doc.get_dictionary(su).unwrap().get(b"FontDescriptor").unwrap().as_reference().unwrap();
    pdf.mini.doc.get_dictionary_mut(fd).unwrap().set("FontFile2", unicode);
    pdf.page(b"BT /S 10 Tf 100 700 Td <01024142> Tj ET BT /SU 10 Tf 100 600 Td (A) Tj ET BT /N 10 Tf 100 500 Td (B) Tj ET BT /E 10 Tf 100 400 Td (C) Tj ET");
    let p = read(&pdf.bytes()).remove(0);
    expect(&p, &[("A", 100.0, 600.0, 10.0), ("B", 100.0, 500.0, 10.0), ("C", 100.0, 400.0, 10.0)]);
    assert_eq!(p.unmapped, 4);
    assert!(p.problems.iter().any(|m| m.contains("PRQPJR+DroidSansFallback") && m.contains("names no character")), "{:?}", p.problems);
}

// §7.4: filters, alone and chained, on page content, on a form and on a ToUnicode CMap.

fn flate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn lzw(data: &[u8]) -> Vec<u8> {
    weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(data).unwrap()
}

fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let mut s: String = data.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().chunks(32).map(|c| c.concat() + "\n").collect();
    s.push('>');
    s.into_bytes()
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        let mut v = u32::from_be_bytes(b);
        if v == 0 && chunk.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (v % 85) as u8 + b'!';
            v /= 85;
        }
        out.extend_from_slice(&digits[..chunk.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

fn run_length(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        // A run of equal bytes as a repeat, anything else as literals.
        let run = data[i..].iter().take(128).take_while(|&&b| b == data[i]).count();
        if run >= 3 {
            out.push((257 - run) as u8);
            out.push(data[i]);
            i += run;
        } else {
            let n = (data.len() - i).min(128);
            let n = (1..n).find(|&k| data[i + k..].iter().take(3).filter(|&&b| b == data[i + k]).count() == 3 && data.len() - i - k >= 3).unwrap_or(n);
            out.push((n - 1) as u8);
            out.extend_from_slice(&data[i..i + n]);
            i += n;
        }
    }
    out.push(128);
    out
}

const FILTERED: &str = "BT /W 10 Tf 100 700 Td (AAAAAAAB) Tj /C 12 Tf 100 600 Td <00010002> Tj ET";

fn filtered_glyphs() -> Vec<(&'static str, f32, f32, f32)> {
    let mut v: Vec<(&str, f32, f32, f32)> = (0..7).map(|k| ("A", 100.0 + 5.0 * k as f32, 700.0, 10.0)).collect();
    v.extend([("B", 135.0, 700.0, 10.0), ("收", 200.0, 1300.0, 12.0), ("入", 212.0, 1300.0, 12.0)]);
    v
}

#[test]
fn every_standard_filter_and_chains_decode_page_content() {
    let raw = FILTERED.as_bytes();
    let cases: Vec<(&str, Object, Vec<u8>)> = vec![
        ("FlateDecode", "FlateDecode".into(), flate(raw)),
        ("LZWDecode", "LZWDecode".into(), lzw(raw)),
        ("ASCIIHexDecode", "ASCIIHexDecode".into(), ascii_hex(raw)),
        ("ASCII85Decode", "ASCII85Decode".into(), ascii85(raw)),
        ("RunLengthDecode", "RunLengthDecode".into(), run_length(raw)),
        ("ASCII85 then Flate", vec!["ASCII85Decode".into(), "FlateDecode".into()].into(), ascii85(&flate(raw))),
        ("ASCIIHex then LZW then RunLength", vec!["ASCIIHexDecode".into(), "LZWDecode".into(), "RunLengthDecode".into()].into(), ascii_hex(&lzw(&run_length(raw)))),
    ];
    for (name, filter, data) in cases {
        let mut pdf = Pdf::new();
        pdf.page_stream(Stream::new(dictionary! { "Filter" => filter }, data));
        let p = read(&pdf.bytes()).remove(0);
        assert!(p.problems.is_empty(), "{name}: {:?}", p.problems);
        expect(&p, &filtered_glyphs());
    }
}

/// The specification's own LZW example (§7.4.4.2): the bytes 80 0B 60 50 22 0C 0C 85 01
/// decode to `-----A---B`; as a form's content that is nothing to draw, so the check is
/// that a form and a ToUnicode CMap encoded with filters read as the plain ones.
#[test]
fn filters_on_forms_and_cmaps() {
    let s = Stream::new(dictionary! { "Filter" => "LZWDecode" }, vec![0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01]);
    assert_eq!(s.decompressed_content().unwrap(), b"-----A---B");
    let mut pdf = Pdf::new();
    let cmap = pdf.mini.doc.add_object(Stream::new(dictionary! { "Filter" => vec![Object::from("ASCII85Decode"), "LZWDecode".into()] }, ascii85(&lzw(TO_UNICODE.as_bytes()))));
    let c = pdf.fonts.get(b"C").unwrap().as_reference().unwrap();
    let mut font = pdf.mini.doc.get_dictionary(c).unwrap().clone();
    font.set("ToUnicode", cmap);
    let c2 = pdf.mini.doc.add_object(font);
    pdf.fonts.set("C2", c2);
    let form = pdf.form("Fm", dictionary! {}, "");
    let body = ascii_hex(&flate(b"BT /C2 12 Tf 100 600 Td <00010002> Tj ET"));
    if let Ok(Object::Stream(st)) = pdf.mini.doc.get_object_mut(form) {
        st.dict.set("Filter", vec![Object::from("ASCIIHexDecode"), "FlateDecode".into()]);
        st.set_content(body);
    }
    pdf.page(b"/Fm Do");
    expect(&read(&pdf.bytes())[0], &[("收", 100.0, 600.0, 12.0), ("入", 112.0, 600.0, 12.0)]);
}

// §8.9.7: inline images; the data is skipped exactly, whatever bytes it holds.

#[test]
fn inline_image_data_that_looks_like_operators_is_skipped() {
    // 4 × 2 gray, 8 bits: 8 bytes that read as `EI 3 Tr` (which would hide B), then a 3-component RGB image
    // holding `(` `[` `EI` and binary, then an image mask (1 bit, 16 × 2: 4 bytes).
    let mut c = b"BT /W 10 Tf 100 700 Td (A) Tj ET BI /W 4 /H 2 /BPC 8 /CS /G ID EI 3 Tr EI ".to_vec();
    c.extend_from_slice(b"BI /Width 2 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceRGB ID ");
    c.extend_from_slice(&[b'(', b'[', b' ', b'E', b'I', 0xFF]);
    c.extend_from_slice(b"\nEI BI /IM true /W 16 /H 2 ID \x00EI\n EI\nBT /W 10 Tf 100 600 Td (B) Tj ET");
    let mut pdf = Pdf::new();
    pdf.page(&c);
    let p = read(&pdf.bytes()).remove(0);
    expect(&p, &[("A", 100.0, 700.0, 10.0), ("B", 100.0, 600.0, 10.0)]);
    assert_eq!(p.images, 3);
}

/// Filtered data has no known length: it ends at the `EI` followed by content again,
/// not at an `EI` inside binary data.
#[test]
fn filtered_inline_image_data_ends_at_the_real_ei() {
    let mut c = b"BI /W 8 /H 8 /CS /RGB /BPC 8 /F /DCT ID ".to_vec();
    c.extend_from_slice(&[0xFF, 0xD8, b' ', b'E', b'I', b' ', 0x9C, b' ', b'7', b' ', b'T', b'r', b' ', 0xFF, b')', 0xFF, 0xD9]);
    c.extend_from_slice(b" EI BI /W 2 /H 2 /F /AHx ID 00FF00FF> EI BT /W 10 Tf 100 700 Td (A) Tj ET");
    let mut pdf = Pdf::new();
    pdf.page(&c);
    let p = read(&pdf.bytes()).remove(0);
    expect(&p, &[("A", 100.0, 700.0, 10.0)]);
    assert_eq!(p.images, 2);
}

// §9.6.5: Type3 fonts.

/// Glyph widths go through FontMatrix (50 units × 0.01 = 0.5 em); the size is the glyphs'
/// height on the page (FontBBox 100 units × 0.01 × 10 pt).
#[test]
fn type3_text_through_differences_and_positions_through_the_font_matrix() {
    let p = page("BT /T3 10 Tf 100 700 Td (ABA) Tj 2 Tc [(B) -1000 (A)] TJ ET");
    expect(&p, &[("收", 100.0, 700.0, 10.0), ("7", 105.0, 700.0, 10.0), ("收", 111.0, 700.0, 10.0), ("7", 116.0, 700.0, 10.0), ("收", 134.0, 700.0, 10.0)]);
}

#[test]
fn type3_text_through_to_unicode() {
    let p = page("q 1 0 0 1 0 -100 cm BT /T3U 20 Tf 100 700 Td (AB) Tj ET Q");
    expect(&p, &[("合", 100.0, 600.0, 20.0), ("计", 110.0, 600.0, 20.0)]);
}
