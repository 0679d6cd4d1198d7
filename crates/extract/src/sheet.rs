//! Spreadsheets: every sheet's used range as grid lines (merged cells with their spans),
//! sheet after sheet; a line's `page` is its sheet's number and `line` its row.
//!
//! A cell reads as it is displayed, never as a float's binary expansion:
//! - .xlsx (calamine): the number format of the cell's style gives the decimals; the
//!   float is written in its shortest round-trip decimal form (the digits the program
//!   wrote) and rounded half away from zero to those decimals in decimal arithmetic, as
//!   the spreadsheet rounds for display (`5896.65` stays `5896.65`, `0` formatted `0.00`
//!   is `0.00`); General shows the shortest form;
//! - .ods: the displayed text the file stores with each cell (`<text:p>`), read from
//!   content.xml with quick-xml, with its spans (`number-columns-spanned`,
//!   `number-rows-spanned`); calamine reads neither for ODS;
//! - .xls (and WPS .et, the same BIFF workbook): calamine gives the value without its
//!   number format; xls_formats.rs reads each number cell's format from the workbook's
//!   FORMAT and XF records, and the value is shown as for xlsx. Where those records cannot
//!   be read, a number shows its shortest decimal form and a warning says the printed
//!   decimals are not known (`0.00` reads `0`).

use std::cell::Cell;
use std::io::{Cursor, Read};
use std::sync::Once;

use calamine::{Data, Reader, Xls, Xlsx};
use quick_xml::events::Event;

use crate::grid::{grid_lines, Placed};
use crate::{ExtractError, LaidOut, Line};

/// The decimals a number format shows, from its first (positive) section; None for
/// General (or a format without digits).
pub fn format_decimals(code: &str) -> Option<usize> {
    let section = code.split(';').next().unwrap_or("");
    let mut plain = String::new();
    let (mut quoted, mut bracket, mut chars) = (false, false, section.chars());
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '\\' | '_' | '*' if !quoted => {
                chars.next();
            }
            _ if quoted || bracket => {}
            _ => plain.push(c),
        }
    }
    if plain.eq_ignore_ascii_case("general") || !plain.contains(['0', '#', '?']) {
        return None;
    }
    Some(plain.split_once('.').map_or(0, |(_, frac)| frac.chars().take_while(|c| matches!(c, '0' | '#' | '?')).filter(|&c| c != '#').count()))
}

/// A float as displayed with `decimals` (None: its shortest form), rounded half away from
/// zero on its shortest decimal digits, never on the binary value.
pub fn display_number(v: f64, decimals: Option<usize>) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let shortest = format!("{v}");
    let Some(d) = decimals else { return shortest };
    let (neg, digits) = match shortest.strip_prefix('-') {
        Some(s) => (true, s),
        None => (false, shortest.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    // All digits, then round at position int.len() + d.
    let mut all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let keep = int.len() + d;
    let round_up = all.get(keep).is_some_and(|&x| x >= 5);
    all.resize(keep, 0);
    if round_up {
        let mut i = keep;
        loop {
            if i == 0 {
                all.insert(0, 1);
                break;
            }
            i -= 1;
            if all[i] == 9 {
                all[i] = 0;
            } else {
                all[i] += 1;
                break;
            }
        }
    }
    let int_len = all.len() - d;
    let mut s: String = all[..int_len].iter().map(|x| (x + b'0') as char).collect();
    let s_trim = s.trim_start_matches('0');
    s = if s_trim.is_empty() { "0".into() } else { s_trim.to_string() };
    if d > 0 {
        s.push('.');
        s.extend(all[int_len..].iter().map(|x| (x + b'0') as char));
    }
    if neg && all.iter().any(|&x| x != 0) {
        s.insert(0, '-');
    }
    s
}

fn cell_text(v: &Data, decimals: Option<usize>) -> String {
    match v {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => display_number(*f, decimals),
        Data::Int(i) => display_number(*i as f64, decimals),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        Data::DateTime(d) => display_number(d.as_f64(), decimals),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// One sheet's cells (row, col, text) and merged regions ((r0, c0), (r1, c1)) as lines.
fn sheet_lines(sheet: u32, cells: Vec<(usize, usize, String)>, merges: &[((usize, usize), (usize, usize))]) -> Vec<Line> {
    // Merges reach no further than the cells that hold text: a hostile or careless file
    // merging A1:XFD1048576 must not become a grid of billions of blank cells.
    let (max_r, max_c) = cells.iter().fold((0, 0), |m, c| (m.0.max(c.0), m.1.max(c.1)));
    let merges: Vec<((usize, usize), (usize, usize))> = merges
        .iter()
        .filter(|((r0, c0), (r1, c1))| r0 <= r1 && c0 <= c1 && *r0 <= max_r && *c0 <= max_c)
        .map(|&((r0, c0), (r1, c1))| ((r0, c0), (r1.min(max_r), c1.min(max_c))))
        .collect();
    let merges = &merges[..];
    let mut placed: Vec<Placed> = Vec::with_capacity(cells.len() + merges.len());
    let merged_at = |r: usize, c: usize| merges.iter().find(|((r0, c0), (r1, c1))| r >= *r0 && r <= *r1 && c >= *c0 && c <= *c1);
    let mut origin_text: std::collections::HashMap<(usize, usize), String> = Default::default();
    for (r, c, text) in cells {
        match merged_at(r, c) {
            Some(((r0, c0), _)) if (*r0, *c0) != (r, c) => {} // a covered cell's value is not shown
            Some(_) => {
                origin_text.insert((r, c), text);
            }
            None if !text.is_empty() => placed.push(Placed { row: r, col: c, rows: 1, cols: 1, text }),
            None => {}
        }
    }
    for &((r0, c0), (r1, c1)) in merges {
        placed.push(Placed { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1, text: origin_text.remove(&(r0, c0)).unwrap_or_default() });
    }
    placed.sort_by_key(|p| (p.row, p.col));
    // Only rows where a cell starts or that a merge covers become lines; columns past
    // MAX_SHEET_COLS are not read (no disclosure is that wide), so a cell far out in the
    // sheet costs no grid of blank cells.
    placed.retain(|p| p.col < MAX_SHEET_COLS);
    for p in &mut placed {
        p.cols = p.cols.min(MAX_SHEET_COLS - p.col);
    }
    let mut keep: Vec<usize> = placed.iter().flat_map(|p| p.row..p.row + p.rows.min(4096)).collect();
    keep.sort_unstable();
    keep.dedup();
    let index = |r: usize| keep.partition_point(|&k| k < r);
    let compact: Vec<Placed> = placed
        .iter()
        .map(|p| Placed { row: index(p.row), rows: index(p.row + p.rows) - index(p.row), ..p.clone() })
        .collect();
    let mut lines = grid_lines(&compact, keep.len(), true, 1);
    for (l, r) in lines.iter_mut().zip(&keep) {
        l.page = Some(sheet);
        l.line = Some(*r as u32 + 1);
    }
    // A row with nothing of its own is no line (rows a merge covers still are).
    let starts: std::collections::HashSet<usize> = compact.iter().map(|p| p.row).collect();
    lines.into_iter().enumerate().filter(|(r, l)| starts.contains(r) || l.spans.iter().any(|&s| s == 0)).map(|(_, l)| l).collect()
}

/// The widest sheet read, in columns.
const MAX_SHEET_COLS: usize = 1024;

fn laid(lines: Vec<Line>, format: &'static str, sheets: u32, warnings: Vec<String>) -> Result<LaidOut, ExtractError> {
    if lines.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines, format, encoding: None, pages: Some(sheets), warnings, damaged: None })
}

fn unreadable(what: &str, e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Unsupported(format!("an unreadable {what} workbook ({e}); re-save it or convert it: soffice --headless --convert-to xlsx FILE"))
}

/// Read an .xlsx (or .xlsm/.xlsb content) workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    guarded("xlsx", || read_xlsx_inner(bytes))
}

/// The spreadsheet reader panics on some damaged files (fuzzing found one in its
/// compound-file code): such a file is unreadable, never a crash of the conversion.
fn guarded(what: &str, read: impl FnOnce() -> Result<LaidOut, ExtractError>) -> Result<LaidOut, ExtractError> {
    // The reader's panic is an answer here, not a message for the user. Batches read files
    // on parallel threads, so the process's hook is never swapped per call (a race could
    // leave a silent one): one hook, over the previous one, is silent on a thread in here.
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.try_with(Cell::get).unwrap_or(false) {
                previous(info);
            }
        }));
    });
    let outer = QUIET.replace(true);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.set(outer);
    r.unwrap_or_else(|_| Err(unreadable(what, "damaged: its structure does not read")))
}

static QUIET_HOOK: Once = Once::new();

thread_local! {
    /// Set while this thread runs a spreadsheet reader under `guarded`.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

fn read_xlsx_inner(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable("xlsx", e))?;
    let names = wb.sheet_names().to_vec();
    let mut lines = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let range = wb.worksheet_range(name).map_err(|e| unreadable("xlsx", e))?;
        let styles = wb.worksheet_style(name).ok();
        let merges: Vec<_> = wb
            .merge_cells_by_sheet_name(name)
            .unwrap_or_default()
            .iter()
            .map(|d| ((d.start.0 as usize, d.start.1 as usize), (d.end.0 as usize, d.end.1 as usize)))
            .collect();
        let cells = range
            .used_cells()
            .map(|(r, c, v)| {
                let (ar, ac) = (r + range.start().map_or(0, |s| s.0 as usize), c + range.start().map_or(0, |s| s.1 as usize));
                let decimals = styles
                    .as_ref()
                    .and_then(|s| s.get((ar as u32, ac as u32)))
                    .and_then(|s| s.number_format.as_ref())
                    .and_then(|f| format_decimals(&f.format_code));
                (ar, ac, cell_text(v, decimals))
            })
            .collect();
        lines.extend(sheet_lines(i as u32 + 1, cells, &merges));
    }
    laid(lines, "xlsx", names.len() as u32, vec![])
}

/// Read a BIFF .xls (or WPS .et) workbook.
pub fn read_xls(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    guarded("xls", || read_xls_inner(bytes))
}

fn read_xls_inner(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| unreadable("xls", e))?;
    let names = wb.sheet_names().to_vec();
    let formats = crate::xls_formats::read(bytes);
    let mut lines = Vec::new();
    let mut shortened = false;
    for (i, name) in names.iter().enumerate() {
        let range = wb.worksheet_range(name).map_err(|e| unreadable("xls", e))?;
        let merges: Vec<_> = wb
            .merge_cells_by_sheet_name(name)
            .unwrap_or_default()
            .iter()
            .map(|d| ((d.start.0 as usize, d.start.1 as usize), (d.end.0 as usize, d.end.1 as usize)))
            .collect();
        let (r0, c0) = range.start().map_or((0, 0), |s| (s.0 as usize, s.1 as usize));
        let cells = range
            .used_cells()
            .map(|(r, c, v)| {
                let (ar, ac) = (r + r0, c + c0);
                let decimals = match &formats {
                    Some(f) => f.get(&(name.clone(), ar as u32, ac as u32)).and_then(|code| format_decimals(code)),
                    None => {
                        shortened |= matches!(v, Data::Float(_));
                        None
                    }
                };
                (ar, ac, cell_text(v, decimals))
            })
            .collect();
        lines.extend(sheet_lines(i as u32 + 1, cells, &merges));
    }
    let warnings = if shortened {
        vec!["xls: the number formats of this BIFF workbook could not be read; numbers show their shortest decimal form (0.00 reads 0, 72.70 reads 72.7); convert to .xlsx for the printed decimals (soffice --headless --convert-to xlsx FILE)".to_string()]
    } else {
        vec![]
    };
    laid(lines, "xls", names.len() as u32, warnings)
}

/// Limits against a hostile content.xml: repeated columns and rows beyond these are blank
/// padding that no sheet prints.
const MAX_COLS: usize = 16_384;
const MAX_ROWS: usize = 1_048_576;

/// Read an OpenDocument spreadsheet: each cell's displayed text and its spans.
pub fn read_ods(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable("ods", e))?;
    let mut xml = String::new();
    zip.by_name("content.xml").map_err(|e| unreadable("ods", e))?.take(256 << 20).read_to_string(&mut xml).map_err(|e| unreadable("ods", e))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut lines = Vec::new();
    let mut sheets = 0u32;
    // Per sheet: cells and merges; the cursor; the cell being read.
    let mut cells: Vec<(usize, usize, String)> = Vec::new();
    let mut merges = Vec::new();
    let (mut row, mut col, mut row_repeat) = (0usize, 0usize, 1usize);
    let mut cell: Option<(usize, usize, usize, String, usize)> = None; // (cols spanned, rows spanned, repeat, text, paragraphs)
    let mut in_p = false;
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> Option<usize> {
        e.attributes().flatten().find(|a| a.key.0 == name).and_then(|a| a.value.parse().ok())
    };
    loop {
        let ev = reader.read_event().map_err(|e| unreadable("ods", e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().0 {
                    "table:table" => {
                        sheets += 1;
                        row = 0;
                    }
                    "table:table-row" => {
                        col = 0;
                        row_repeat = attr(e, "table:number-rows-repeated").unwrap_or(1).min(MAX_ROWS);
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeat = attr(e, "table:number-columns-repeated").unwrap_or(1).min(MAX_COLS);
                        let cs = attr(e, "table:number-columns-spanned").unwrap_or(1).max(1);
                        let rs = attr(e, "table:number-rows-spanned").unwrap_or(1).max(1);
                        if e.name().0 == "table:table-cell" && (cs > 1 || rs > 1) {
                            merges.push(((row, col), (row + rs - 1, col + cs - 1)));
                        }
                        if empty || e.name().0 == "table:covered-table-cell" {
                            col = (col + repeat).min(MAX_COLS);
                        } else {
                            cell = Some((cs, rs, repeat, String::new(), 0));
                        }
                    }
                    "text:p" if cell.is_some() => {
                        in_p = !empty;
                        if let Some(c) = cell.as_mut() {
                            c.4 += 1;
                        }
                    }
                    "text:s" if in_p => {
                        if let Some(c) = cell.as_mut() {
                            c.3.extend(std::iter::repeat_n(' ', attr(e, "text:c").unwrap_or(1).min(64)));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_p => {
                if let Some(c) = cell.as_mut() {
                    c.3.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_p => {
                if let Some(c) = cell.as_mut() {
                    let name = r.into_inner();
                    let s = match name.as_ref() {
                        "lt" => "<".to_string(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        n => n.strip_prefix("#x").and_then(|h| u32::from_str_radix(h, 16).ok()).or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok())).and_then(char::from_u32).map(String::from).unwrap_or_default(),
                    };
                    c.3.push_str(&s);
                }
            }
            Event::End(e) => match e.name().0 {
                "text:p" => in_p = false,
                "table:table-cell" => {
                    if let Some((_, _, repeat, text, _)) = cell.take() {
                        let text = text.trim().to_string();
                        if !text.is_empty() {
                            for k in 0..repeat.min(256) {
                                cells.push((row, col + k, text.clone()));
                            }
                        }
                        col = (col + repeat).min(MAX_COLS);
                    }
                }
                "table:table-row" => row = (row + row_repeat).min(MAX_ROWS),
                "table:table" => {
                    lines.extend(sheet_lines(sheets, std::mem::take(&mut cells), &std::mem::take(&mut merges)));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    laid(lines, "ods", sheets, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_displayed() {
        assert_eq!(format_decimals("#,##0.00"), Some(2));
        assert_eq!(format_decimals("0.00_);[Red]\\(0.00\\)"), Some(2));
        assert_eq!(format_decimals("0"), Some(0));
        assert_eq!(format_decimals("General"), None);
        assert_eq!(format_decimals("\"¥\"#,##0.0"), Some(1));
        assert_eq!(display_number(5896.65, Some(2)), "5896.65");
        assert_eq!(display_number(0.0, Some(2)), "0.00");
        assert_eq!(display_number(72.7, Some(2)), "72.70");
        // 2.675 is 2.67499999… in binary; displayed it is 2.68, as the spreadsheet shows it.
        assert_eq!(display_number(2.675, Some(2)), "2.68");
        assert_eq!(display_number(0.1 + 0.2, Some(2)), "0.30");
        assert_eq!(display_number(-0.004, Some(2)), "0.00");
        assert_eq!(display_number(99.996, Some(2)), "100.00");
        assert_eq!(display_number(1234.5, Some(0)), "1235");
        assert_eq!(display_number(1234.5, None), "1234.5");
    }
}
