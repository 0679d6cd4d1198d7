//! The right error kind when no table is found because the text cannot be mapped to
//! Unicode (issue 11 finding 5): `unmapped_fonts` naming the pages, not `not_a_disclosure`.
//! A readable document that is no disclosure, with a logo in an unmapped font, stays
//! `not_a_disclosure`.

use lopdf::{dictionary, Document, Object, Stream};

/// Pages of 20 rows whose labels are in an Identity-H font without any Unicode mapping
/// (`per_row` glyphs in each of the first `label_rows` rows) and whose amounts are in a
/// WinAnsi font (7 readable characters a row).
fn pdf(pages: usize, per_row: usize, label_rows: usize) -> Vec<u8> {
    pdf_pages(&vec![(per_row, label_rows); pages])
}

/// As `pdf`, each page with its own (`per_row`, `label_rows`).
fn pdf_pages(spec: &[(usize, usize)]) -> Vec<u8> {
    let pages = spec.len();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+FangSong", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+FangSong", "DW" => 1000,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        })],
    });
    let win = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial", "Encoding" => "WinAnsiEncoding" });
    let mut kids = Vec::new();
    for &(per_row, label_rows) in spec {
        let mut c = String::new();
        for row in 0..20 {
            let y = 750 - 30 * row;
            let n = if row < label_rows { per_row } else { 0 };
            let labels: String = (0..n).map(|k| format!("{:04X}", 100 + k + row)).collect();
            c.push_str(&format!("BT /C 10 Tf 50 {y} Td <{labels}> Tj ET BT /W 10 Tf 400 {y} Td ({}.{:02}) Tj ET ", 1000 + row * 37, row));
        }
        let content = doc.add_object(Stream::new(dictionary! {}, c.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Contents" => content, "Resources" => dictionary! { "Font" => dictionary! { "C" => cid, "W" => win } },
        });
        kids.push(page.into());
    }
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn tables_in_unmapped_fonts_are_unmapped_fonts_not_no_disclosure() {
    let err = gongkai::convert_bytes(&pdf(3, 10, 20), "labels-unmapped.pdf").unwrap_err();
    assert_eq!(err.kind(), "unmapped_fonts", "{err}");
    assert!(err.to_string().contains("pages 1-3"), "{err}");
}

#[test]
fn a_readable_non_disclosure_with_a_few_unmapped_glyphs_is_not_a_disclosure() {
    // 3 unmapped glyphs a page (a logo) among 140 readable characters: the text was read.
    let err = gongkai::convert_bytes(&pdf(2, 3, 1), "plain.pdf").unwrap_err();
    assert_eq!(err.kind(), "not_a_disclosure", "{err}");
}

#[test]
fn one_page_that_cannot_be_read_among_readable_ones_is_unmapped_fonts() {
    // 30 pages with a logo (3 unmapped glyphs among 140 readable), one page whose every label
    // is unmapped: a twentieth of the document's glyphs, but that page's text is lost.
    let mut spec = vec![(3, 1); 30];
    spec.insert(17, (10, 20));
    let err = gongkai::convert_bytes(&pdf_pages(&spec), "one-page-unmapped.pdf").unwrap_err();
    assert_eq!(err.kind(), "unmapped_fonts", "{err}");
    assert!(err.to_string().contains("page 18 ("), "{err}");
}

/// The corpus case: Ghostscript's pdfwrite rewrites a Putuo final account and drops the
/// ToUnicode CMap of its FangSong labels (its TrueType subset keeps no cmap either, and a
/// format-3 post table: nothing says what the glyphs are). Skipped, with the reason, where
/// gs or the corpus is absent.
#[test]
fn a_ghostscript_rewrite_without_to_unicode_is_unmapped_fonts() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/putuo-finance-bureau-2024-final-accounts.pdf");
    if !src.exists() {
        eprintln!("skipped: {} is absent", src.display());
        return;
    }
    let out = std::env::temp_dir().join(format!("gongkai-gs-{}.pdf", std::process::id()));
    let ran = std::process::Command::new("gs").args(["-q", "-o"]).arg(&out).args(["-sDEVICE=pdfwrite"]).arg(&src).output();
    let Ok(r) = ran.as_ref().map(|r| r.status.success()) else {
        eprintln!("skipped: gs (ghostscript) is not installed");
        return;
    };
    assert!(r, "gs failed: {ran:?}");
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let err = gongkai::convert_bytes(&bytes, "gs.pdf").unwrap_err();
    assert_eq!(err.kind(), "unmapped_fonts", "{err}");
    assert!(err.to_string().contains("pages 1-13, 15-25"), "{err}");
}

/// `pdf` with one glyph drawn on page `page` in an Identity-H font without any Unicode
/// mapping (a logo), beside the page's own text.
fn with_logo(pdf: &[u8], page: u32) -> Vec<u8> {
    let mut doc = Document::load_mem(pdf).unwrap();
    let logo = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "GHIJKL+Emblem", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "GHIJKL+Emblem", "DW" => 1000,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        })],
    });
    let page_id = doc.get_pages()[&page];
    // The page's resources (perhaps inherited) as a direct dictionary, its fonts with the logo's.
    let mut res = doc.get_page_resources(page_id).unwrap().0.cloned().unwrap_or_default();
    let mut fonts = doc.get_dict_in_dict(&res, b"Font").cloned().unwrap_or_default();
    fonts.set("Zlogo", logo);
    res.set("Font", fonts);
    let stream = doc.add_object(Stream::new(dictionary! {}, b"q BT /Zlogo 12 Tf 20 20 Td <0101> Tj ET Q".to_vec()));
    let dict = doc.get_object_mut(page_id).unwrap().as_dict_mut().unwrap();
    let mut contents = match dict.get(b"Contents").unwrap().clone() {
        Object::Array(a) => a,
        one => vec![one],
    };
    contents.push(stream.into());
    dict.set("Contents", contents);
    dict.set("Resources", res);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Under `--ocr auto` a page with exact text and one glyph without a Unicode mapping (a
/// logo) is not read by OCR: the reader's rule says its text was read (a tenth or more of a
/// page's glyphs unmapped is what unreadable means), and its facts are the text layer's.
#[test]
fn one_unmapped_glyph_beside_exact_text_is_not_read_by_ocr() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf");
    let bytes = with_logo(&std::fs::read(src).unwrap(), 2);
    let read = gongkai_extract::read_pdf_report(&bytes).unwrap();
    assert!(read.unmapped_glyphs > 0, "the logo is drawn, unmapped");
    assert!(read.laid.warnings.iter().any(|w| w.starts_with("page 2") && w.contains("no Unicode mapping")), "{:?}", read.laid.warnings);
    assert!(read.unreadable_pages.is_empty() && read.scanned_pages.is_empty());
    let never = gongkai::convert_bytes_with(&bytes, "logo.pdf", &gongkai::OcrOptions { mode: gongkai::OcrMode::Never, ..Default::default() }).unwrap();
    for engine in [gongkai::OcrEngine::Paddle, gongkai::OcrEngine::Tesseract] {
        let opts = gongkai::OcrOptions { mode: gongkai::OcrMode::Auto, engine, ..Default::default() };
        let auto = gongkai::convert_bytes_with(&bytes, "logo.pdf", &opts).unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        assert!(!auto.warnings.iter().any(|w| w.contains("OCR")), "{engine:?}: {:?}", auto.warnings);
        assert_eq!(gongkai::facts_jsonl(&auto), gongkai::facts_jsonl(&never), "{engine:?}");
        assert_eq!(gongkai::document_json(&auto), gongkai::document_json(&never), "{engine:?}");
    }
    assert!(never.tables.iter().any(|t| t.id == "income_expenditure_summary"));
}
