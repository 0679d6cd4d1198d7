//! Opening PDFs: plain, encrypted with an empty user password (opens, as in viewers),
//! encrypted with a real user password (a clear `Encrypted` error). The fixtures are
//! tiny PDFs made for these tests (qpdf --encrypt).

use gongkai_extract::pdf::{open, pages, PdfError};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn text(bytes: &[u8]) -> String {
    let doc = open(bytes).unwrap();
    pages(&doc).iter().flat_map(|p| p.glyphs.iter().map(|g| g.text.clone())).collect()
}

#[test]
fn plain_and_empty_password_pdfs_open_with_the_same_text() {
    assert_eq!(text(&fixture("plain.pdf")), "Total 12.50");
    assert_eq!(text(&fixture("enc-empty.pdf")), "Total 12.50");
}

#[test]
fn a_user_password_is_reported_as_encrypted() {
    assert!(matches!(open(&fixture("enc-user.pdf")), Err(PdfError::Encrypted)));
}

#[test]
fn garbage_is_reported_as_not_a_pdf_or_damaged() {
    assert!(matches!(open(b"<html>404</html>"), Err(PdfError::NotPdf)));
    assert!(matches!(open(b"%PDF-1.4\nnot really"), Err(PdfError::Damaged(_))));
    // A truncated file: lopdf recovers what it can; reading it must not panic. Telling
    // the user what was lost is issue 7's work.
    let plain = fixture("plain.pdf");
    if let Ok(d) = open(&plain[..plain.len() / 3]) {
        let _ = pages(&d);
    }
}
