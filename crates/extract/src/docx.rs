//! Word .docx: word/document.xml read with quick-xml. Paragraphs are lines of one cell
//! (the narrative, titles, units, notes); each table (`w:tbl`) becomes grid lines, a
//! cell's grid column counted over `w:gridBefore` and the `w:gridSpan`s left of it, a
//! vertical merge (`w:vMerge` restart … continue) one cell spanning those rows. A table
//! inside a table cell is read as that cell's text.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::grid::{grid_lines, text_lines, Placed};
use crate::{ExtractError, LaidOut, Line};

fn unreadable(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Unsupported(format!("an unreadable Word file ({e}); re-save it or convert it: soffice --headless --convert-to docx FILE"))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.0 == name).map(|a| a.value.to_string())
}

/// One table being read: its rows of (grid column, columns spanned, vMerge state, text).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<(usize, usize, Option<bool>, String)>>,
    col: usize,
    span: usize,
    vmerge: Option<bool>,
    text: String,
    in_cell: bool,
}

impl Table {
    fn lines(&self, first_line: u32) -> Vec<Line> {
        let mut placed: Vec<Placed> = Vec::new();
        // The placed cell a continued vertical merge extends, by grid column.
        let mut open: std::collections::HashMap<usize, usize> = Default::default();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, span, vmerge, text) in row {
                if *vmerge == Some(false) {
                    if let Some(&i) = open.get(c) {
                        placed[i].rows = r - placed[i].row + 1;
                        continue;
                    }
                }
                if *vmerge == Some(true) {
                    open.insert(*c, placed.len());
                } else {
                    open.remove(c);
                }
                placed.push(Placed { row: r, col: *c, rows: 1, cols: *span, text: text.clone() });
            }
        }
        grid_lines(&placed, self.rows.len(), false, first_line)
    }
}

/// Read a .docx into lines.
pub fn read_docx(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut xml = String::new();
    zip.by_name("word/document.xml").map_err(unreadable)?.take(256 << 20).read_to_string(&mut xml).map_err(unreadable)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut lines: Vec<Line> = Vec::new();
    // Tables being read, outermost first; only the outermost makes lines.
    let mut tables: Vec<Table> = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    loop {
        let ev = reader.read_event().map_err(unreadable)?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.name().0 {
                "w:tbl" if matches!(ev, Event::Start(_)) => {
                    if tables.is_empty() && !para.trim().is_empty() {
                        let n = lines.len() as u32 + 1;
                        lines.extend(text_lines(&std::mem::take(&mut para), n));
                    }
                    tables.push(Table::default());
                }
                "w:tr" if tables.len() == 1 => {
                    let t = tables.last_mut().unwrap();
                    t.rows.push(Vec::new());
                    t.col = 0;
                }
                "w:gridBefore" if tables.len() == 1 => {
                    let t = tables.last_mut().unwrap();
                    t.col += attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0usize).min(1000);
                }
                "w:tc" if tables.len() == 1 => {
                    let t = tables.last_mut().unwrap();
                    t.span = 1;
                    t.vmerge = None;
                    t.text.clear();
                    t.in_cell = true;
                }
                "w:gridSpan" if tables.len() == 1 => {
                    tables[0].span = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1usize).clamp(1, 1000);
                }
                "w:vMerge" if tables.len() == 1 => {
                    tables[0].vmerge = Some(attr(e, "w:val").as_deref() == Some("restart"));
                }
                "w:t" if matches!(ev, Event::Start(_)) => in_text = true,
                "w:tab" => push(&mut tables, &mut para, " "),
                "w:br" | "w:cr" if tables.is_empty() => para.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => push(&mut tables, &mut para, &t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let s = match r.clone().into_inner().as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".into(),
                    "amp" => "&".into(),
                    "quot" => "\"".into(),
                    "apos" => "'".into(),
                    n => n.strip_prefix("#x").and_then(|h| u32::from_str_radix(h, 16).ok()).or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok())).and_then(char::from_u32).map(String::from).unwrap_or_default(),
                };
                push(&mut tables, &mut para, &s);
            }
            Event::End(e) => match e.name().0 {
                "w:t" => in_text = false,
                "w:p" if tables.is_empty() => para.push('\n'),
                "w:tc" if tables.len() == 1 => {
                    let t = tables.last_mut().unwrap();
                    let text = t.text.trim().to_string();
                    let (col, span, vmerge) = (t.col, t.span, t.vmerge);
                    if let Some(row) = t.rows.last_mut() {
                        row.push((col, span, vmerge, text));
                    }
                    t.col += span;
                    t.in_cell = false;
                }
                "w:tbl" => {
                    if let Some(t) = tables.pop() {
                        if tables.is_empty() {
                            let n = lines.len() as u32 + 1;
                            lines.extend(t.lines(n));
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let n = lines.len() as u32 + 1;
    lines.extend(text_lines(&para, n));
    if lines.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines, format: "docx", encoding: None, pages: None, warnings: vec![], damaged: None })
}

/// Text goes to the open table cell (a nested table's text included), else the paragraph.
fn push(tables: &mut [Table], para: &mut String, s: &str) {
    match tables.first_mut() {
        Some(t) if t.in_cell => t.text.push_str(s),
        Some(_) => {}
        None => para.push_str(s),
    }
}
