//! Markdown as MinerU, docling and marker write it: pipe tables (`| a | b |` rows, a
//! `|---|` rule under the header) become grid lines, one cell per pipe column; headings,
//! list items and paragraphs lines of one cell. A converter that keeps merged cells writes
//! the table as HTML inside the Markdown: such a block is read as HTML.

use crate::grid::{grid_lines, place_rows, text_lines};
use crate::text::TextEncoding;
use crate::{ExtractError, LaidOut, Line};

fn is_row(t: &str) -> bool {
    t.starts_with('|') && t.len() > 1
}

fn is_rule(t: &str) -> bool {
    let inner = t.trim().trim_matches('|');
    !inner.is_empty() && inner.split('|').all(|c| {
        let c = c.trim();
        !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')) && c.contains('-')
    })
}

/// The cells of one pipe row; `\|` is a literal pipe.
fn cells(t: &str) -> Vec<String> {
    let t = t.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').filter(|_| !t.ends_with("\\|")).unwrap_or(t);
    let mut out = vec![String::new()];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().replace("<br>", "").replace("<br/>", "").replace("**", "")).collect()
}

/// Read Markdown text into lines.
pub fn read_markdown(s: &str, enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    let mut lines: Vec<Line> = Vec::new();
    let mut warnings = Vec::new();
    let src: Vec<&str> = s.lines().collect();
    let mut i = 0;
    while i < src.len() {
        let t = src[i].trim();
        if is_row(t) {
            let mut rows: Vec<Vec<(String, usize, usize)>> = Vec::new();
            let first = i as u32 + 1;
            let mut numbers = Vec::new();
            while i < src.len() && is_row(src[i].trim()) {
                if !is_rule(src[i]) {
                    rows.push(cells(src[i]).into_iter().map(|c| (c, 1, 1)).collect());
                    numbers.push(i as u32 + 1);
                }
                i += 1;
            }
            let placed = place_rows(&rows);
            let mut grid = grid_lines(&placed, rows.len(), false, first);
            for (l, n) in grid.iter_mut().zip(numbers) {
                l.line = Some(n);
                // Pipe tables cannot merge: no spans to tell, as in tab-separated text.
                l.spans.clear();
            }
            lines.extend(grid);
            continue;
        }
        if t.to_ascii_lowercase().starts_with("<table") {
            let start = i;
            while i < src.len() && !src[i].to_ascii_lowercase().contains("</table>") {
                i += 1;
            }
            let block = src[start..(i + 1).min(src.len())].join("\n");
            match crate::html::read_html(block.as_bytes()) {
                Ok(h) => lines.extend(h.lines.into_iter().map(|mut l| {
                    l.line = Some(start as u32 + 1);
                    l
                })),
                Err(e) => warnings.push(format!("line {}: an HTML table could not be read: {e}", start + 1)),
            }
            i += 1;
            continue;
        }
        let text = t.trim_start_matches('#').trim_start_matches(['-', '*', '>']).trim().replace("**", "");
        lines.extend(text_lines(&text, i as u32 + 1));
        i += 1;
    }
    if lines.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines, format: "markdown", encoding: Some(enc.name()), pages: None, warnings, damaged: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tables_and_text() {
        let md = "## 收入决算表\n\n单位：万元\n\n| 科目编码 | 科目名称 | 本年收入合计 |\n|---|:---|---:|\n| | 合计 | 1.00 |\n| 201 | 一般\\|公共 | 1.00 |\n";
        let laid = read_markdown(md, TextEncoding::Utf8).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells[0], ["收入决算表"]);
        assert_eq!(cells[1], ["单位：万元"]);
        assert_eq!(cells[2], ["科目编码", "科目名称", "本年收入合计"]);
        assert_eq!(cells[3], ["", "合计", "1.00"]);
        assert_eq!(cells[4], ["201", "一般|公共", "1.00"]);
        assert_eq!(laid.lines[4].line, Some(8));
        assert_eq!((laid.lines[4].boxes[2].x0, laid.lines[4].boxes[2].x1), (2.0, 3.0));
    }
}
