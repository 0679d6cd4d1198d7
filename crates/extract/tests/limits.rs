//! Every limit answers in bounded time and memory, with a warning naming the page and
//! the limit, and a bad page never costs the good ones (issue 16, items 5 and 10). The
//! PDFs are built by `support/hostile.rs`; `examples/hostile_pdf.rs` writes the same ones
//! to files for measuring the whole converter (figures in the README).

mod support;
use support::hostile;

use gongkai_extract::{read_pdf, Line};

fn warnings(bytes: &[u8]) -> Vec<String> {
    read_pdf(bytes).map(|l| l.warnings).unwrap_or_else(|e| vec![format!("error: {e}")])
}

/// Lines without their page numbers, and the page numbers apart.
fn lines(bytes: &[u8]) -> Vec<Line> {
    read_pdf(bytes).unwrap().lines
}

#[test]
fn a_page_whose_form_draws_itself_twelve_times_per_level_is_dropped_alone() {
    let mixed = hostile::tables_with_bomb(4, 3);
    assert!(mixed.len() < 8 << 10, "{} bytes", mixed.len());
    let read = gongkai_extract::read_pdf_report(&mixed).unwrap();
    assert_eq!(read.dropped_pages, vec![3]);
    let w = &read.laid.warnings;
    assert!(w.iter().any(|m| m == "page 3: dropped: more than 10,000 form XObject invocations (limit MAX_PAGE_FORMS)"), "{w:?}");
    assert!(w.iter().any(|m| m.starts_with("partial document: 1 of 5 pages dropped (page 3)")), "{w:?}");
    // The good pages read exactly as they do alone (pages 1, 2, 4, 5 there are 1-4 here).
    let alone = lines(&hostile::tables_with_bomb(4, 0));
    let renumber = |p: Option<u32>| p.map(|n| if n > 3 { n - 1 } else { n });
    let kept: Vec<Line> = read.laid.lines.iter().cloned().map(|mut l| {
        l.page = renumber(l.page);
        l
    }).collect();
    assert!(!alone.is_empty());
    assert_eq!(kept, alone);
    assert!(alone.iter().any(|l| l.cells.iter().any(|c| c == "Item3-4")), "{alone:?}");
}

#[test]
fn a_60_mb_string_in_one_tj_is_not_shown_and_the_rest_of_the_page_is() {
    let bytes = hostile::huge_string(60_000_000);
    let read = read_pdf(&bytes).unwrap();
    assert!(read.warnings.iter().any(|m| m == "page 1: a string of 60,000,000 bytes is past the limit of 1,048,576 (MAX_STRING_BYTES): not shown"), "{:?}", read.warnings);
    assert_eq!(read.lines.iter().map(|l| l.text()).collect::<Vec<_>>(), vec!["12.50"]);
}

#[test]
fn a_to_unicode_cmap_of_64_full_ranges_stops_at_its_limit() {
    let bytes = hostile::cid_font_page(&hostile::full_ranges_cmap(64), vec![]);
    let w = warnings(&bytes);
    assert!(w.iter().any(|m| m.contains("its ToUnicode CMap defines more than 131072 codes (limit MAX_CMAP_ENTRIES)")), "{w:?}");
}

#[test]
fn a_w_array_of_300000_ranges_stops_at_its_limit() {
    let bytes = hostile::cid_font_page(hostile::SIMPLE_CMAP, hostile::many_width_ranges(300_000));
    let read = read_pdf(&bytes).unwrap();
    assert!(read.warnings.iter().any(|m| m.contains("its /W array defines more than 131072 widths (limit MAX_WIDTH_ENTRIES)")), "{:?}", read.warnings);
    assert_eq!(read.lines.iter().map(|l| l.text()).collect::<Vec<_>>(), vec!["收入"]);
}

/// The per-stream bomb limit does not see one stream drawn by every page: the file's
/// content budget does. The first pages are read, the rest dropped in one warning.
#[test]
fn one_63_mib_stream_shared_by_5000_pages_spends_the_files_content_budget() {
    let bytes = hostile::shared_content(5_000, 63 << 20);
    let read = gongkai_extract::read_pdf_report(&bytes).unwrap();
    let budget = gongkai_extract::pdf::MAX_FILE_CONTENT_BYTES / (63 << 20);
    assert_eq!(read.dropped_pages.len(), 5_000 - budget);
    assert_eq!(read.dropped_pages[0] as usize, budget + 1);
    let w = &read.laid.warnings;
    assert!(
        w.iter().any(|m| m == "pages 5-5000: dropped: the file's content budget is spent (limit MAX_FILE_CONTENT_BYTES, 256 MiB decompressed content per file)"),
        "{w:?}"
    );
    assert_eq!(read.laid.lines.len(), budget);
    assert!(w.len() < 5, "one warning per distinct problem: {w:?}");
}

/// Operators, glyphs, path segments and rulings each have a per-page limit.
#[test]
fn operator_glyph_segment_and_ruling_budgets_drop_the_page() {
    use gongkai_extract::pdf::{open, pages};
    let one = |content: Vec<u8>| {
        let mut b = hostile::Builder::new();
        b.page(Some(hostile::table_page(1)), None, Default::default());
        b.page(Some(content), None, Default::default());
        pages(&open(&b.bytes()).unwrap())
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"Q ".repeat(2_000_001), "more than 2,000,000 operators (limit MAX_PAGE_OPERATORS)"),
        ([&b"BT /W 1 Tf "[..], &b"(AAAAAAAAAA) Tj ".repeat(20_001), b"ET"].concat(), "more than 200,000 glyphs (limit MAX_PAGE_GLYPHS)"),
        (b"0 0 m 1 0 l ".repeat(500_001), "more than 1,000,000 path segments (limit MAX_PAGE_PATH_SEGMENTS)"),
        (b"0 0 m 10 0 l ".repeat(100_001).into_iter().chain(b"S".iter().copied()).collect(), "more than 100,000 rulings (limit MAX_PAGE_RULINGS)"),
    ];
    for (content, limit) in cases {
        let p = one(content);
        assert!(p[0].dropped.is_none() && !p[0].glyphs.is_empty());
        assert_eq!(p[1].dropped.as_deref(), Some(limit));
        assert!(p[1].glyphs.is_empty() && p[1].rules.is_empty());
    }
}

/// /ActualText replaces glyphs with its own characters: they are glyphs shown, so a string
/// past MAX_STRING_BYTES is not used and a long one repeated by many spans spends the
/// page's glyph budget, the page dropped alone (before: 5,000 spans × 100 KB = 500 million
/// glyphs, and a 2 MB string copied and decoded 5,000 times).
#[test]
fn an_actual_text_counts_against_the_string_and_glyph_limits() {
    let huge = gongkai_extract::read_pdf_report(&hostile::actual_text_spans(2_000_000, 5_000)).unwrap();
    assert!(huge.dropped_pages.is_empty(), "{:?}", huge.laid.warnings);
    let w = &huge.laid.warnings;
    assert!(
        w.iter().any(|m| m == "page 2: an /ActualText of 2,000,000 bytes is past the limit of 1,048,576 (MAX_STRING_BYTES): its glyphs show their own text"),
        "{w:?}"
    );
    let page2: Vec<String> = huge.laid.lines.iter().filter(|l| l.page == Some(2)).map(|l| l.text()).collect();
    assert_eq!(page2.len(), 2, "{page2:?}");
    assert!(page2[0].starts_with("AAAA") && !page2[0].contains('x'), "{}", &page2[0][..40]);
    assert_eq!(page2[1], "12.50");

    let long = gongkai_extract::read_pdf_report(&hostile::actual_text_spans(100_000, 5_000)).unwrap();
    assert_eq!(long.dropped_pages, vec![2]);
    let w = &long.laid.warnings;
    assert!(w.iter().any(|m| m == "page 2: dropped: more than 200,000 glyphs (limit MAX_PAGE_GLYPHS)"), "{w:?}");
    let alone = lines(&hostile::tables_with_bomb(2, 0));
    let kept: Vec<Line> = long.laid.lines.iter().cloned().map(|mut l| {
        l.page = l.page.map(|n| if n > 2 { n - 1 } else { n });
        l
    }).collect();
    assert_eq!(kept, alone);

    // Below the limits the replacement is used: 3 spans of 2 characters.
    let fits = read_pdf(&hostile::actual_text_spans(2, 3)).unwrap();
    assert!(fits.warnings.is_empty(), "{:?}", fits.warnings);
    assert!(fits.lines.iter().any(|l| l.text() == "xxxxxx"), "{:?}", fits.lines.iter().map(|l| l.text()).collect::<Vec<_>>());
}
