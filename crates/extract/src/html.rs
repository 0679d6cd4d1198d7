//! HTML pages (a saved government page, a converter's output): every innermost `<table>`
//! becomes grid lines (rowspan and colspan placed as a browser places them), the text
//! around the tables (headings, paragraphs, line breaks) lines of one cell each, in
//! document order. A table holding tables is page layout, not data: its cells are read
//! as text and the tables inside them as tables. The charset is the one the page
//! declares (BOM, `<meta charset>`, `<meta http-equiv … charset=…>`), else UTF-8 when the
//! bytes are valid UTF-8, else GB18030.

use scraper::{ElementRef, Html, Node};

use crate::grid::{grid_lines, place_rows, text_lines};
use crate::{ExtractError, LaidOut, Line};

/// The page's declared charset, from the first 4 KiB.
fn declared(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return Some(enc);
    }
    let head: String = bytes[..bytes.len().min(4096)].iter().map(|&b| if b.is_ascii() { b.to_ascii_lowercase() as char } else { ' ' }).collect();
    let mut from = 0;
    while let Some(i) = head[from..].find("charset") {
        let rest = head[from + i + 7..].trim_start();
        from += i + 7;
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let label: String = rest.trim_start().trim_start_matches(['"', '\'']).chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')).collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            // A page whose bytes are not UTF-16 (UTF-16 is told from the bytes before the
            // markup is read) but that says utf-16 is UTF-8, as the HTML standard has it.
            return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { enc });
        }
    }
    None
}

/// Decode the page: its declared charset, else UTF-8 if valid, else GB18030.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    let enc = declared(bytes).or_else(|| std::str::from_utf8(bytes).ok().map(|_| encoding_rs::UTF_8)).unwrap_or(encoding_rs::GB18030);
    // A page that declares GB2312 or GBK is decoded as GB18030, their superset (pages
    // labelled gb2312 routinely hold GBK characters).
    let enc = if enc == encoding_rs::GBK { encoding_rs::GB18030 } else { enc };
    let (s, used, errors) = enc.decode(bytes);
    if errors {
        return Err(ExtractError::Encoding);
    }
    Ok((s.into_owned(), used.name()))
}

const BLOCKS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "section", "article", "caption", "dt", "dd", "dl",
    "blockquote", "pre", "center", "header", "footer", "main", "nav", "aside", "table", "tbody", "thead", "tfoot", "body", "html", "title",
    "form", "hr",
];

struct Walk {
    lines: Vec<Line>,
    buf: String,
}

impl Walk {
    fn next_line(&self) -> u32 {
        self.lines.len() as u32 + 1
    }
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        let collapsed: String = text.split('\n').map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n");
        let n = self.next_line();
        self.lines.extend(text_lines(&collapsed, n));
    }
    fn walk(&mut self, el: ElementRef) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.buf.push_str(t),
                Node::Element(e) => {
                    let Some(ce) = ElementRef::wrap(child) else { continue };
                    let name = e.name();
                    match name {
                        "script" | "style" | "noscript" | "template" | "head" => {}
                        "br" => self.buf.push('\n'),
                        "table" if !has_table_inside(ce) => {
                            self.flush();
                            self.table(ce);
                        }
                        _ if BLOCKS.contains(&name) => {
                            self.flush();
                            self.walk(ce);
                            self.flush();
                        }
                        _ => self.walk(ce),
                    }
                }
                _ => {}
            }
        }
    }
    fn table(&mut self, table: ElementRef) {
        let mut rows: Vec<Vec<(String, usize, usize)>> = Vec::new();
        for tr in descendants(table, "tr") {
            let cells = tr
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| {
                    let span = |a: &str| c.value().attr(a).and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n > 0).unwrap_or(1);
                    (cell_text(c), span("colspan"), span("rowspan"))
                })
                .collect();
            rows.push(cells);
        }
        let placed = place_rows(&rows);
        let n = self.next_line();
        self.lines.extend(grid_lines(&placed, rows.len(), false, n));
    }
}

fn has_table_inside(el: ElementRef) -> bool {
    el.descendants().skip(1).any(|n| n.value().as_element().is_some_and(|e| e.name() == "table"))
}

fn descendants<'a>(el: ElementRef<'a>, name: &'a str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    el.descendants().skip(1).filter_map(ElementRef::wrap).filter(move |e| e.value().name() == name)
}

/// A cell's text: its pieces trimmed and joined (a label a page broke over two lines is
/// one label), a space kept only between two Latin words or numbers.
fn cell_text(cell: ElementRef) -> String {
    let mut out = String::new();
    for piece in cell.text() {
        let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
        if piece.is_empty() {
            continue;
        }
        if out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) && piece.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out.replace('\u{a0}', " ").trim().to_string()
}

/// Read an HTML page into lines.
pub fn read_html(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let (s, enc) = decode(bytes)?;
    let doc = Html::parse_document(&s);
    let mut w = Walk { lines: Vec::new(), buf: String::new() };
    w.walk(doc.root_element());
    w.flush();
    if w.lines.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines: w.lines, format: "html", encoding: Some(enc), pages: None, warnings: vec![], damaged: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_text_in_order_with_a_declared_charset() {
        let page = "<html><head><meta charset=\"gbk\"><title>x</title></head><body><h2>收入决算表</h2><p>单位：万元</p>\
            <table><tr><th rowspan=2>科目编码</th><th colspan=2>本年收入</th></tr><tr><th>合计</th><th>其他</th></tr>\
            <tr><td>201</td><td>1.00</td><td>0.00</td></tr></table><p>注：<br>本表无数据</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let laid = read_html(&gbk).unwrap();
        assert_eq!(laid.encoding, Some("gb18030"));
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells[0], ["收入决算表"]);
        assert_eq!(cells[1], ["单位：万元"]);
        assert_eq!(cells[2], ["科目编码", "本年收入", ""]);
        assert_eq!(laid.lines[2].spans, [1, 2, 0]);
        assert_eq!(cells[3], ["", "合计", "其他"]);
        assert_eq!(cells[4], ["201", "1.00", "0.00"]);
        assert_eq!(cells[5], ["注："]);
        assert_eq!(cells[6], ["本表无数据"]);
    }

    #[test]
    fn a_layout_table_is_read_as_text_around_its_tables() {
        let page = "<table><tr><td><p>收入决算表</p><table><tr><td>合计</td><td>1.00</td></tr></table></td></tr></table>";
        let laid = read_html(page.as_bytes()).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells, vec![vec!["收入决算表".to_string()], vec!["合计".into(), "1.00".into()]]);
    }
}
