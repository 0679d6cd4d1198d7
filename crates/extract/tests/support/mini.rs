//! The one minimal-PDF writer of these tests: a document, pages with their content and
//! resources, the page tree and catalog, saved to bytes. The suites build their fonts,
//! forms and content on it.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};

pub struct MiniPdf {
    pub doc: Document,
    pages_id: ObjectId,
    kids: Vec<ObjectId>,
}

impl MiniPdf {
    pub fn new(version: &str) -> MiniPdf {
        let mut doc = Document::with_version(version);
        let pages_id = doc.new_object_id();
        MiniPdf { doc, pages_id, kids: Vec::new() }
    }

    /// A 600 × 800 pt page drawing the stream `content` (an object, so pages may share it)
    /// with `resources` (a dictionary, or a reference to one).
    pub fn page_with(&mut self, content: ObjectId, resources: Object) -> ObjectId {
        let page = self.doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => self.pages_id, "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Contents" => content, "Resources" => resources,
        });
        self.kids.push(page);
        page
    }

    /// A page drawing `content` with `resources`.
    pub fn page(&mut self, content: &[u8], resources: Dictionary) -> ObjectId {
        let stream = self.doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        self.page_with(stream, Object::Dictionary(resources))
    }

    /// The pages added so far, in order.
    pub fn pages(&self) -> &[ObjectId] {
        &self.kids
    }

    pub fn bytes(mut self) -> Vec<u8> {
        let kids: Vec<Object> = self.kids.iter().map(|k| Object::Reference(*k)).collect();
        let count = kids.len() as i64;
        self.doc.objects.insert(self.pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
        let catalog = self.doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).unwrap();
        out
    }
}
