//! PDFs built for more than one test binary (each uses some of them).
#![allow(dead_code)]

pub mod hostile;

use lopdf::{dictionary, Document, Object, Stream};

/// One page drawing `cids` (two bytes each) in an unembedded Adobe-<ordering> font.
pub fn collection_pdf(ordering: &str, cids: &[u16]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal(ordering), "Supplement" => 4 },
        })],
    });
    let hex: String = cids.iter().map(|c| format!("{c:04X}")).collect();
    let content = doc.add_object(Stream::new(dictionary! {}, format!("BT /F1 12 Tf 100 700 Td <{hex}> Tj ET").into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        "Contents" => content, "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

