//! Opening a PDF: the empty user password first, as viewers do; a broken or cut-off
//! cross-reference index rebuilt by scanning the file's objects.

use lopdf::Document;

use super::PdfError;

pub fn open(bytes: &[u8]) -> Result<Document, PdfError> {
    open_repaired(bytes).map(|o| o.doc)
}

pub struct Opened {
    pub doc: Document,
    /// Set when the file was damaged: what was wrong and what was recovered.
    pub repair: Option<String>,
}

pub fn open_repaired(bytes: &[u8]) -> Result<Opened, PdfError> {
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let truncated = !bytes[bytes.len().saturating_sub(1024)..].windows(5).any(|w| w == b"%%EOF");
    match Document::load_mem(bytes) {
        Ok(d) if d.is_encrypted() => Err(PdfError::Encrypted),
        Ok(d) => Ok(Opened {
            repair: truncated.then(|| "the file ends without %%EOF: it was cut off".to_string()),
            doc: d,
        }),
        Err(e) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("decrypt") || msg.to_lowercase().contains("password") {
                return Err(PdfError::Encrypted);
            }
            let (fixed, objects, dropped) =
                rebuild_index(bytes).ok_or_else(|| PdfError::Damaged(format!("{msg}; no page survives in what can be read")))?;
            let doc = Document::load_mem(&fixed).map_err(|_| PdfError::Damaged(msg.clone()))?;
            if doc.is_encrypted() {
                return Err(PdfError::Encrypted);
            }
            let cut = if truncated { "the file is cut off and " } else { "" };
            Ok(Opened {
                repair: Some(format!(
                    "{cut}its index was unreadable ({msg}); rebuilt from {objects} objects found in the file{}",
                    if dropped > 0 { format!(", {dropped} incomplete ones lost") } else { String::new() }
                )),
                doc,
            })
        }
    }
}

/// Rebuild a cross-reference table by scanning for `N G obj … endobj`: the last complete
/// definition of each object wins, an object cut off before its `endobj` is dropped, and
/// the catalog becomes the root. Returns the repaired bytes and the counts kept and lost.
fn rebuild_index(bytes: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    static OBJ: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let obj = OBJ.get_or_init(|| regex::bytes::Regex::new(r"(?m)(?:^|[\r\n\s])(\d{1,7})\s+(\d{1,5})\s+obj\b").expect("static regex"));
    let mut found: std::collections::BTreeMap<u32, (usize, u16)> = Default::default();
    let mut dropped = 0;
    let starts: Vec<(usize, u32, u16)> = obj
        .captures_iter(bytes)
        .filter_map(|c| {
            let m = c.get(1)?;
            let id = std::str::from_utf8(&c[1]).ok()?.parse().ok()?;
            let gen = std::str::from_utf8(&c[2]).ok()?.parse().ok()?;
            Some((m.start(), id, gen))
        })
        .collect();
    let mut end_of_complete = 0;
    for (k, &(at, id, gen)) in starts.iter().enumerate() {
        let until = starts.get(k + 1).map_or(bytes.len(), |n| n.0);
        match bytes[at..until].windows(6).rposition(|w| w == b"endobj") {
            Some(e) => {
                found.insert(id, (at, gen));
                end_of_complete = end_of_complete.max(at + e + 6);
            }
            None => dropped += 1,
        }
    }
    let head = |at: usize| &bytes[at..(at + 2048).min(bytes.len())];
    let has = |h: &[u8], w: &[u8]| h.windows(w.len()).any(|x| x == w);
    let is_type = |h: &[u8], t: &[u8]| {
        let compact: Vec<u8> = h.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
        let mut want = b"/Type".to_vec();
        want.extend_from_slice(t);
        compact.windows(want.len()).enumerate().any(|(i, x)| x == want.as_slice() && compact.get(i + want.len()).is_none_or(|c| !c.is_ascii_alphanumeric()))
    };
    let catalog = found.iter().rev().find(|(_, &(at, _))| is_type(head(at), b"/Catalog")).map(|(id, _)| *id);
    let mut max = *found.keys().next_back()?;
    let mut out = bytes[..end_of_complete].to_vec();
    let mut extra: Vec<(u32, usize)> = Vec::new();
    let root = match catalog {
        Some(r) => r,
        None => {
            // The catalog was cut off: a new one over the page tree's root, or over a new
            // page tree holding every page found.
            let pages_root = found.iter().find(|(_, &(at, _))| is_type(head(at), b"/Pages") && !has(head(at), b"/Parent")).map(|(id, _)| *id);
            let pages_id = match pages_root {
                Some(p) => p,
                None => {
                    let kids: Vec<String> = found
                        .iter()
                        .filter(|(_, &(at, _))| is_type(head(at), b"/Page"))
                        .map(|(id, &(_, g))| format!("{id} {g} R"))
                        .collect();
                    if kids.is_empty() {
                        return None;
                    }
                    max += 1;
                    extra.push((max, out.len() + 1));
                    out.extend_from_slice(format!("\n{max} 0 obj\n<< /Type /Pages /Kids [{}] /Count {} >>\nendobj\n", kids.join(" "), kids.len()).as_bytes());
                    max
                }
            };
            max += 1;
            extra.push((max, out.len() + 1));
            out.extend_from_slice(format!("\n{max} 0 obj\n<< /Type /Catalog /Pages {pages_id} 0 R >>\nendobj\n").as_bytes());
            max
        }
    };
    for (id, at) in extra {
        found.insert(id, (at, 0));
    }
    out.push(b'\n');
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for id in 1..=max {
        match found.get(&id) {
            Some((at, gen)) => out.extend_from_slice(format!("{at:010} {gen:05} n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n", max + 1).as_bytes());
    Some((out, found.len(), dropped))
}
