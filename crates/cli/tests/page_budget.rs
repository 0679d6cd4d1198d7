//! A bad page never costs the good ones (issue 16, item 5): the Jiaozuo PDF with one
//! extra page of about 1 KB whose form XObject draws itself twelve times per level (12^8
//! invocations unbounded) converts to exactly the facts of the PDF alone, and says that
//! the bomb page was dropped and the document is partial.

use lopdf::{dictionary, Document, Object, Stream};

fn with_bomb_page(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).unwrap();
    let pages = doc.get_pages();
    let first = pages[&1];
    let parent = doc.get_dictionary(first).unwrap().get(b"Parent").unwrap().as_reference().unwrap();
    let id = doc.new_object_id();
    let mut body = String::from("BT 100 100 Td (x) Tj ET 0 0 m 100 0 l S ");
    for k in 0..12 {
        body.push_str(&format!("q 1 0 0 1 {k} 1 cm /Fm Do Q "));
    }
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Fm" => id } } },
        body.into_bytes(),
    );
    doc.objects.insert(id, Object::Stream(form));
    let content = doc.add_object(Stream::new(dictionary! {}, b"/Fm Do".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => parent, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content, "Resources" => dictionary! { "XObject" => dictionary! { "Fm" => id } },
    });
    let tree = doc.get_dictionary_mut(parent).unwrap();
    let mut kids = tree.get(b"Kids").unwrap().as_array().unwrap().clone();
    kids.insert(at.min(kids.len()), page.into());
    let count = kids.len() as i64;
    tree.set("Kids", kids);
    tree.set("Count", count);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn the_good_pages_of_a_file_with_a_form_bomb_page_give_the_same_facts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let alone = gongkai::convert_bytes(&bytes, "j.pdf").unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let n = doc.get_pages().len();
    // Appended last, the page numbers of the good pages stay as they were.
    let mixed = gongkai::convert_bytes(&with_bomb_page(&bytes, n), "j.pdf").unwrap();
    // The facts name their source by its sha256, which the extra page changes.
    let facts = |d: &gongkai_model::Document| gongkai::facts_jsonl(d).replace(&d.source.sha256, "");
    assert_eq!(facts(&mixed), facts(&alone));
    assert_eq!(mixed.tables, alone.tables);
    let bomb = n + 1;
    assert!(
        mixed.warnings.iter().any(|w| *w == format!("page {bomb}: dropped: more than 10,000 form XObject invocations (limit MAX_PAGE_FORMS)")),
        "{:?}",
        mixed.warnings
    );
    assert!(mixed.warnings.iter().any(|w| w.starts_with(&format!("partial document: 1 of {bomb} pages dropped (page {bomb})"))), "{:?}", mixed.warnings);
}
