//! PDFs built for more than one test binary (each uses some of them).
#![allow(dead_code)]

pub mod hostile;
pub mod mini;

use lopdf::{dictionary, Object};
pub use mini::MiniPdf;

/// One page drawing `cids` (two bytes each) in an unembedded Adobe-<ordering> font.
pub fn collection_pdf(ordering: &str, cids: &[u16]) -> Vec<u8> {
    let mut pdf = MiniPdf::new("1.5");
    let font = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal(ordering), "Supplement" => 4 },
        })],
    });
    let hex: String = cids.iter().map(|c| format!("{c:04X}")).collect();
    pdf.page(format!("BT /F1 12 Tf 100 700 Td <{hex}> Tj ET").as_bytes(), dictionary! { "Font" => dictionary! { "F1" => font } });
    pdf.bytes()
}
