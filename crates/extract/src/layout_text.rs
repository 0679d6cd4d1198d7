//! Layout text (`pdftotext -layout`, mutool, a terminal's copy of a PDF): cells are where
//! the characters stand. Each line is split into cells at runs of two or more spaces (and
//! between two amounts), each cell with its extent in columns; consecutive lines with
//! several cells or amounts form a block, aligned on its columns (align.rs). A label
//! wrapped over several lines around its amounts is joined into the amount line: the
//! fragment lines before an amount line go to it where its cell is blank, those after it
//! to the line above where that cell is filled. A form feed starts a page; a table
//! continued on the next page is stitched by the segmenter as with PDFs.
//!
//! Columns are counted in one of two ways, whichever lines the amounts up better:
//! characters (pdftotext gives every glyph one column, CJK included) or display width
//! (a terminal or mutool: full-width characters two columns, unicode-width).

use unicode_width::UnicodeWidthChar;

use crate::align::{column_of, columns, continuation, is_amount, kinds, slot, Kind, Run};
use crate::text::TextEncoding;
use crate::{CellBox, ExtractError, LaidOut, Line};

/// How the amounts of a page are printed: with decimals (`2,940.05`, `0.00`), or as whole
/// 元 (`29400500`), where a number is an amount only right of a label on its line (the
/// codes 201 | 06 | 01 stand left of it; a 行次 right of it is a column the table's
/// header names and the tables crate keys or leaves out).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Amounts {
    Decimal,
    Whole,
    /// Every number (a whole-元 line of nothing but amounts).
    Every,
}

/// A word that is text (a label's piece), not a number.
fn is_text(w: &str) -> bool {
    gongkai_model::parse_amount(w).is_none() && w.chars().any(char::is_alphabetic)
}

/// A number shaped as a classification code: 3, 5 or 7 digits under a function or
/// economic 类 the catalogue knows (201, 30217, 2010550). An amount of that shape is left
/// out where a label follows it (missing, never a code read as an amount).
fn code_shaped(w: &str) -> bool {
    let cat = gongkai_model::catalogue();
    matches!(w.len(), 3 | 5 | 7)
        && w.chars().all(|c| c.is_ascii_digit())
        && (cat.knows_code(gongkai_model::CodeKind::Function, &w[..3]) || cat.knows_code(gongkai_model::CodeKind::Economic, &w[..3]))
}

/// The cells of one line with their extents; `wide` counts display width.
pub fn runs(line: &str, wide: bool) -> Vec<Run> {
    runs_as(line, wide, Amounts::Decimal)
}

fn runs_as(line: &str, wide: bool, amounts_as: Amounts) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let (mut x, mut spaces) = (0f32, 0usize);
    let mut cur: Option<Run> = None;
    for ch in line.chars() {
        let w = if wide { ch.width().unwrap_or(0) as f32 } else { 1.0 };
        if ch == ' ' || ch == '\u{3000}' {
            spaces += 1;
            x += w;
            continue;
        }
        if let Some(r) = cur.as_mut() {
            if spaces >= 2 {
                out.push(cur.take().unwrap());
            } else if spaces == 1 {
                r.text.push(' ');
            }
        }
        let r = cur.get_or_insert_with(|| Run { text: String::new(), x0: x, x1: x, amount: false });
        r.text.push(ch);
        x += w;
        r.x1 = x;
        spaces = 0;
    }
    out.extend(cur);
    // Which words are amounts. Whole 元: a number right of a label on its line, unless it
    // has a code's shape with a label right after it (the next group's code in a table
    // printed side by side, its amount cell blank: `伙食补助费  30204  手续费`).
    let words: Vec<Vec<String>> = out.iter().map(|r| r.text.split(' ').map(String::from).collect()).collect();
    let flat: Vec<&str> = words.iter().flatten().map(String::as_str).collect();
    let code = code_shaped;
    let mut after_text = false;
    let flat_flags: Vec<bool> = (0..flat.len())
        .map(|i| {
            let w = flat[i];
            let a = match amounts_as {
                Amounts::Decimal => is_amount(w),
                // Thousands separators mark an amount wherever it stands (no code or 行次 has
                // them): the 三公 table's row has no label.
                Amounts::Whole => {
                    gongkai_model::parse_amount(w).is_some()
                        && ((after_text && !(code(w) && flat.get(i + 1).is_some_and(|n| is_text(n)))) || w.contains(','))
                }
                Amounts::Every => gongkai_model::parse_amount(w).is_some(),
            };
            after_text |= is_text(w);
            a
        })
        .collect();
    let mut at = 0;
    let mut split = Vec::with_capacity(out.len());
    for (mut r, words) in out.into_iter().zip(&words) {
        let flags: Vec<bool> = flat_flags[at..at + words.len()].to_vec();
        at += words.len();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        // Two amounts one space apart are two cells, and so are a label and the amount
        // that a narrow column printed one space after it.
        // An amount is a cell of its own wherever it stands in a run: a narrow column
        // prints the next column's label one space after it too (`2,940.05 一、一般公共
        // 服务支出`), and a cell holding both would make one column of two.
        let amounts = flags.iter().filter(|&&a| a).count();
        if words.len() > 1 && amounts >= 1 {
            let w1 = |w: &str| if wide { unicode_width::UnicodeWidthStr::width(w) as f32 } else { w.chars().count() as f32 };
            let mut x0 = r.x0;
            let mut text: Option<Run> = None;
            for (w, a) in words.into_iter().zip(flags) {
                let width = w1(w);
                if a {
                    split.extend(text.take());
                    split.push(Run { text: w.to_string(), x0, x1: x0 + width, amount: true });
                } else {
                    match text.as_mut() {
                        Some(t) => {
                            t.text.push(' ');
                            t.text.push_str(w);
                            t.x1 = x0 + width;
                        }
                        None => text = Some(Run { text: w.to_string(), x0, x1: x0 + width, amount: false }),
                    }
                }
                x0 += width + 1.0;
            }
            split.extend(text);
        } else {
            r.amount = amounts == 1 && words.len() == 1;
            split.push(r);
        }
    }
    split
}

/// How well a measure lines the amounts up: the distinct left and right edges of the
/// amount cells (fewer is better).
fn spread(lines: &[&str], wide: bool, amounts_as: Amounts) -> usize {
    let mut lefts = std::collections::HashSet::new();
    let mut rights = std::collections::HashSet::new();
    for l in lines {
        for r in runs_as(l, wide, amounts_as).iter().filter(|r| r.amount) {
            lefts.insert(r.x0 as i64);
            rights.insert(r.x1 as i64);
        }
    }
    lefts.len().min(rights.len())
}

/// The unit a line states (`单位：元`, `金额单位:万元`): whether it is whole 元. Only a
/// statement (单位 then a colon) counts: 附属单位上缴收入 names a column.
fn states_yuan(line: &str) -> Option<bool> {
    crate::unit_caption().captures(line).map(|c| &c[1] == "元")
}

/// A line that names a table, its unit or its note is no table row.
fn stops(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("注")
        || t.starts_with("单位")
        || t.contains("单位：")
        || t.contains("单位:")
        || (t.chars().count() <= 40 && t.contains('表') && gongkai_model::catalogue().match_title(&gongkai_model::normalize_label(t)).is_some())
}

/// A line is in a table block when it holds an amount or several cells.
fn core(r: &[Run]) -> bool {
    r.len() >= 2 || r.iter().any(|x| x.amount)
}

/// A slotted line of a block: its number, cells, spans, boxes, whether it holds an
/// amount, and each cell's last piece (what a wrapped label continues from).
struct Slotted {
    line: u32,
    cells: Vec<String>,
    spans: Vec<usize>,
    boxes: Vec<CellBox>,
    data: bool,
    last: Vec<String>,
    /// Spans stated for this line even where all are 1 (no blank cell takes a band).
    explicit: bool,
}

fn width(s: &str, wide: bool) -> f32 {
    if wide {
        unicode_width::UnicodeWidthStr::width(s) as f32
    } else {
        s.chars().count() as f32
    }
}

/// Join wrapped label fragments into their amount lines. A label wraps because it
/// reached its column's edge: a piece is continued only where it is as wide as the
/// column's widest piece (within one column). Fragment lines between two amount lines:
/// from the last back, at most half (rounded up) go before the next line's blank cells;
/// the others after the cells of the line above that they continue. A fragment that fits
/// neither stays a line of its own (a row printed without amounts).
fn join_wrapped(lines: &mut Vec<Slotted>, wide: bool) {
    let n = lines.first().map_or(0, |l| l.cells.len());
    let wrap: Vec<f32> = (0..n).map(|c| lines.iter().map(|l| width(&l.cells[c], wide)).fold(0.0, f32::max)).collect();
    let full = |t: &str, c: usize| !t.is_empty() && width(t, wide) >= wrap[c] - 1.0;
    // A number is no piece of a label: a line holding one is never joined into another
    // (an amount not read as one would be glued to the amount above).
    let fragment = |l: &Slotted| !l.data && l.spans.iter().all(|&s| s == 1) && !l.cells.iter().any(|c| gongkai_model::parse_amount(c).is_some());
    let filled = |l: &Slotted| (0..l.cells.len()).filter(|&c| !l.cells[c].is_empty()).collect::<Vec<_>>();
    let mut out: Vec<Slotted> = Vec::with_capacity(lines.len());
    let mut pending: Vec<Slotted> = Vec::new();
    let mut all: Vec<Slotted> = std::mem::take(lines);
    all.push(Slotted { line: 0, cells: vec![], spans: vec![], boxes: vec![], data: true, last: vec![], explicit: false }); // sentinel
    for l in all {
        if fragment(&l) {
            pending.push(l);
            continue;
        }
        // `l` ends a run of fragments: place them.
        let k = pending.len();
        let mut to_next = 0;
        if l.data && !l.cells.is_empty() {
            while to_next < k.div_ceil(2) {
                let f = &pending[k - 1 - to_next];
                if filled(f).iter().all(|&c| l.cells[c].is_empty() && full(&f.cells[c], c)) {
                    to_next += 1;
                } else {
                    break;
                }
            }
        }
        let mut l = l;
        for f in pending.drain(k - to_next..).rev() {
            for c in filled(&f) {
                l.cells[c] = format!("{}{}", f.cells[c], l.cells[c]);
                if l.last[c].is_empty() {
                    l.last[c] = f.cells[c].clone();
                }
            }
        }
        for f in pending.drain(..) {
            let prev = out.last_mut().filter(|p| p.data && filled(&f).iter().all(|&c| full(&p.last[c], c)));
            match prev {
                Some(p) => {
                    for c in filled(&f) {
                        p.cells[c].push_str(&f.cells[c]);
                        p.last[c] = f.cells[c].clone();
                    }
                }
                None => out.push(f),
            }
        }
        out.push(l);
    }
    out.pop();
    *lines = out;
}

/// Read layout text into lines.
pub fn read_layout(s: &str, enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    // Blank lines are no rows: pdftotext leaves them between the rows of a tall table.
    // What stays: each line, its number, and whether blank lines followed it.
    let all: Vec<&str> = s.lines().collect();
    let keep: Vec<usize> = (0..all.len()).filter(|&n| !all[n].trim().is_empty() || all[n].contains('\u{c}')).collect();
    let raw: Vec<&str> = keep.iter().map(|&n| all[n]).collect();
    let num: Vec<u32> = keep.iter().map(|&n| n as u32 + 1).collect();
    let gap_after: Vec<bool> = keep.iter().map(|&n| all.get(n + 1).is_some_and(|l| l.trim().is_empty() && !l.contains('\u{c}'))).collect();
    // Amounts with decimals anywhere, or (a print of whole 元) none: what lines amounts up.
    let decimal = raw.iter().any(|l| runs(l, false).iter().any(|r| r.amount));
    let whole_doc = if decimal { Amounts::Decimal } else { Amounts::Whole };
    let wide = spread(&raw, true, whole_doc) < spread(&raw, false, whole_doc);
    let mut out: Vec<Line> = Vec::new();
    let mut page = 1u32;
    let mut i = 0;
    let line_at = |n: usize| raw[n].trim_start_matches('\u{c}');
    // Each line's cells, whether it is a row, whether it names a table, a unit or a note:
    // once.
    // A page without one amount printed with decimals, under a unit of 元 (stated on it or
    // before it), prints whole 元: its numbers right of a label are its amounts.
    let decimal_cells: Vec<Vec<Run>> = (0..raw.len()).map(|n| runs(line_at(n), wide)).collect();
    let page_of: Vec<usize> = raw.iter().scan(0usize, |p, l| {
        *p += l.matches('\u{c}').count();
        Some(*p)
    }).collect();
    let pages = page_of.last().map_or(1, |p| p + 1);
    let mut decimal_page = vec![false; pages];
    for n in 0..raw.len() {
        decimal_page[page_of[n]] |= decimal_cells[n].iter().any(|r| r.amount);
    }
    let mut yuan = false;
    let mut yuan_at = vec![false; raw.len()];
    let cells: Vec<Vec<Run>> = (0..raw.len())
        .map(|n| {
            if let Some(y) = states_yuan(line_at(n)) {
                yuan = y;
            }
            yuan_at[n] = yuan;
            if yuan && !decimal_page[page_of[n]] {
                runs_as(line_at(n), wide, Amounts::Whole)
            } else {
                decimal_cells[n].clone()
            }
        })
        .collect();
    // A row whose label wrapped onto the lines around it holds its codes and amounts only:
    // on a whole-元 page its numbers that stand under the page's amounts (the extents of
    // the amounts right of a label) are amounts too; the codes stand left of them.
    let mut cells = cells;
    let mut under: Vec<Vec<(f32, f32)>> = vec![Vec::new(); pages];
    for n in 0..raw.len() {
        under[page_of[n]].extend(cells[n].iter().filter(|r| r.amount).map(|r| (r.x0, r.x1)));
    }
    // A table without a label column (the 三公 table's one row of amounts) puts no amount
    // right of a label on its page: there a line of two or more numbers and nothing else is
    // a row of amounts, unless it counts its columns (栏次 1 2 3 …).
    for n in 0..raw.len() {
        let p = page_of[n];
        let line = &mut cells[n];
        if decimal_page[p] || !yuan_at[n] || line.iter().any(|r| r.text.split(' ').any(is_text)) {
            continue;
        }
        let words: Vec<&str> = line.iter().flat_map(|r| r.text.split(' ')).collect();
        let numbers = words.len() >= 2 && words.iter().all(|w| gongkai_model::parse_amount(w).is_some());
        let counts = words.iter().enumerate().all(|(k, w)| *w == (k + 1).to_string());
        if under[p].is_empty() && numbers && !counts {
            *line = runs_as(line_at(n), wide, Amounts::Every);
            continue;
        }
        for r in line.iter_mut() {
            let under_amounts = under[p].iter().any(|&(a, b)| r.x0 < b && r.x1 > a);
            if !r.amount && gongkai_model::parse_amount(&r.text).is_some() && under_amounts {
                r.amount = true;
            }
        }
    }
    let whole_at: Vec<bool> = (0..raw.len()).map(|n| yuan_at[n] && !decimal_page[page_of[n]]).collect();
    // A page with no amount printed with decimals, whatever its unit (a blank template's
    // 行次 are its only numbers): numbers not read as amounts are kept out of lines read
    // without columns.
    let bare_at: Vec<bool> = (0..raw.len()).map(|n| !decimal_page[page_of[n]]).collect();
    let is_core: Vec<bool> = cells.iter().map(|r| core(r)).collect();
    let is_stop: Vec<bool> = (0..raw.len()).map(|n| stops(line_at(n))).collect();
    // The columns of the last table block, while its table may go on past a form feed;
    // whether a block has been read on this page.
    // With the columns whose amounts its header left uncertain (names run together or side
    // by side): a continued page has no header of its own to tell, so they stay out there.
    let mut carry: Option<(Vec<(f32, f32)>, Vec<Kind>, Vec<usize>)> = None;
    let mut page_has_block = false;
    let mut warnings: Vec<String> = Vec::new();
    while i < raw.len() {
        if raw[i].contains('\u{c}') {
            page += raw[i].matches('\u{c}').count() as u32;
            page_has_block = false;
        }
        let r = cells[i].clone();
        // A block opens with a row, or with a label fragment right above one.
        let opens = is_core[i] || (i + 1 < raw.len() && !raw[i + 1].contains('\u{c}') && !is_stop[i + 1] && is_core[i + 1]);
        if !opens || is_stop[i] {
            if is_stop[i] {
                carry = None;
            }
            let r = if bare_at[i] { unplaced_numbers_out(&r, &mut warnings, page) } else { r };
            if !r.is_empty() {
                out.push(Line { line: Some(num[i]), page: Some(page), cells: r.iter().map(|x| x.text.clone()).collect(), spans: vec![], boxes: boxes(&r) });
            }
            i += 1;
            continue;
        }
        // The block: core lines, with other lines between them (up to twelve in a row: the
        // labels of rows printed without amounts, wrapped labels)
        // or after the last one; a table title, a unit or a note ends it.
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < raw.len() && !raw[j].contains('\u{c}') && !is_stop[j] {
            let rj = &cells[j];
            if rj.is_empty() {
                j += 1;
                continue;
            }
            let core_ahead = (j + 1..(j + 13).min(raw.len()))
                .take_while(|&n| !raw[n].contains('\u{c}') && !is_stop[n])
                .any(|n| is_core[n]);
            if is_core[j] || core_ahead {
                if is_core[j] {
                    end = j + 1;
                }
                j += 1;
                continue;
            }
            // Short fragments after the last row (up to three) where the table ends with
            // the page or a blank line: the end of a wrapped label, a row without amounts.
            let tail = (j..(j + 4).min(raw.len()))
                .find(|&n| n + 1 >= raw.len() || gap_after[n] || raw[n + 1].contains('\u{c}'))
                .filter(|&n| {
                    (j..=n).all(|m| {
                        let rm = &cells[m];
                        !is_stop[m] && rm.len() == 1 && !is_core[m] && rm[0].text.chars().count() <= 12
                    })
                });
            if let (Some(n), true) = (tail, j == end) {
                end = n + 1;
            }
            break;
        }
        end = end.max(start + 1);
        let block: Vec<Vec<Run>> = cells[start..end].to_vec();
        let mut block = block;
        // A line read alone keeps its cells where they stand, unless it opens a page that
        // goes on with the last page's table: a page holding one row of it is laid out on
        // its own too (its amounts squeezed left, under other columns than theirs), so it
        // is matched to the table's columns like any continued page, or left out.
        let continues = carry.is_some() && !page_has_block;
        let mut found = if block.len() >= 2 || continues { columns(&block, 1, !wide) } else { None };
        // The first block of a page that goes on with the last page's table: where it has
        // fewer columns, they are some of that table's columns, laid out by the extractor
        // for this page on its own; where they match the table's as a whole
        // (`align::continuation`), each cell is put in its table column. Where they do
        // not, or it has more (a header cell over no column on this page only), which of
        // its columns is which of the table's is not certain: its rows are left out, with
        // a warning, rather than read by position.
        let mut uncertain = false;
        if let (Some((prev, prev_kinds, _)), Some(cols), false) = (&carry, &found, page_has_block) {
            // As many columns as the table, on a page that repeats no header, is no proof
            // they are its columns in order (a column blank on this page and one filled
            // here only make up the count): they are matched like fewer. A page that
            // repeats the header names its own columns.
            let first_data = block.iter().position(|l| l.iter().any(|r| r.amount)).unwrap_or(0);
            // A header line names a column and holds no number (a row whose amounts are
            // blank holds its code; its label may be another table's column name).
            let own_header = block[..first_data].iter().any(|l| {
                l.iter().any(|r| known_header(&gongkai_model::normalize_label(&r.text))) && !l.iter().flat_map(|r| r.text.split(' ')).any(|w| gongkai_model::parse_amount(w).is_some())
            });
            if cols.len() < prev.len() || (cols.len() == prev.len() && !own_header) {
                match continuation(prev, prev_kinds, cols, &kinds(cols, &block), !(start..end).any(|n| whole_at[n])) {
                    Some(map) => {
                        for r in block.iter_mut().flatten() {
                            let p = prev[map[column_of(cols, r)]];
                            (r.x0, r.x1) = p;
                        }
                        found = Some(prev.clone());
                    }
                    None => uncertain = true,
                }
            } else {
                uncertain = cols.len() > prev.len();
            }
        }
        if uncertain {
            let rows = block.iter().filter(|r| r.iter().any(|x| x.amount)).count();
            warnings.push(format!(
                "page {page}: a table continued from the page before has columns here that do not line up with its columns; {rows} rows left out"
            ));
            for (k, r) in block.iter().enumerate().filter(|(_, r)| !r.iter().any(|x| x.amount)) {
                let r = if bare_at[start + k] { unplaced_numbers_out(r, &mut warnings, page) } else { r.clone() };
                let r = &r;
                out.push(Line { line: Some(num[start + k]), page: Some(page), cells: r.iter().map(|x| x.text.clone()).collect(), spans: vec![], boxes: boxes(r) });
            }
            page_has_block = true;
            i = end;
            continue;
        }
        page_has_block = true;
        // What the table's rows put in each column so far (a continuation's rows fill some).
        let before = carry.take().filter(|(p, _, _)| Some(p) == found.as_ref()).map(|(_, k, out)| (k, out));
        let (before, carried_out) = match before {
            Some((k, out)) => (Some(k), out),
            None => (None, Vec::new()),
        };
        let mut left_out = carried_out.clone();
        carry = found.as_ref().map(|c| {
            let mut k = kinds(c, &block);
            for (k, b) in k.iter_mut().zip(before.iter().flatten()) {
                if *k == Kind::Head {
                    *k = *b;
                }
            }
            (c.clone(), k, Vec::new())
        });
        match found {
            None => {
                for (k, r) in block.iter().enumerate() {
                    let r = if bare_at[start + k] { unplaced_numbers_out(r, &mut warnings, page) } else { r.clone() };
                    let r = &r;
                    out.push(Line { line: Some(num[start + k]), page: Some(page), cells: r.iter().map(|x| x.text.clone()).collect(), spans: vec![], boxes: boxes(r) });
                }
            }
            Some(cols) => {
                // Whole 元: a number not read as an amount (a code, a 行次) that stands in a
                // column of amounts — a side-by-side group's code where the amount beside
                // it is blank — would be read as that column's amount; it is left out.
                // Whole 元: a column whose numbers count the rows (1, 2, 3 … down the
                // column) is a 行次, no amounts.
                if (start..end).any(|n| whole_at[n]) {
                    for c in 0..cols.len() {
                        let at: Vec<(usize, usize)> = block
                            .iter()
                            .enumerate()
                            .flat_map(|(k, r)| r.iter().enumerate().filter(|(_, x)| x.amount && column_of(&cols, x) == c).map(move |(j, _)| (k, j)))
                            .collect();
                        let n: Vec<Option<u64>> = at.iter().map(|&(k, j)| block[k][j].text.parse::<u64>().ok()).collect();
                        if at.len() >= 3 && n.windows(2).all(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if b == a + 1)) {
                            for (k, j) in at {
                                block[k][j].amount = false;
                            }
                        }
                    }
                }
                let value_cols = kinds(&cols, &block);
                let mut dropped = 0;
                for (k, r) in block.iter_mut().enumerate() {
                    if !whole_at[start + k] || !r.iter().any(|x| x.amount) {
                        continue;
                    }
                    let before = r.len();
                    let out_of_place = |x: &Run| !x.amount && gongkai_model::parse_amount(&x.text).is_some() && value_cols[column_of(&cols, x)] == Kind::Value;
                    // A code among them names the group its line goes on with: without it
                    // that group's cells would be read under the line's other code.
                    if r.iter().any(|x| out_of_place(x) && code_shaped(&x.text)) {
                        r.clear();
                    } else {
                        r.retain(|x| !out_of_place(x));
                    }
                    dropped += before - r.len();
                }
                if dropped > 0 {
                    warnings.push(format!("page {page}: numbers that are no amounts (codes, 行次) stood in columns of amounts; {dropped} cells left out"));
                }
                let mut slotted: Vec<Slotted> = block
                    .iter()
                    .enumerate()
                    .map(|(k, r)| {
                        let (cells, mut spans, boxes) = slot(&cols, r);
                        let data = r.iter().any(|x| x.amount);
                        // Bands span columns in the header only, above the first amounts.
                        if !block[..k].iter().all(|l| !l.iter().any(|x| x.amount)) {
                            spans.iter_mut().for_each(|s| *s = 1);
                        }
                        Slotted { line: num[start + k], last: cells.clone(), cells, spans, boxes, data, explicit: false }
                    })
                    .collect();
                // A lone header cell atop the block, over a value column, is a band over
                // the columns to its right (本年支出 over 合计 | 基本支出 | 项目支出).
                if let Some(top) = slotted.first_mut().filter(|l| !l.data && l.cells.iter().filter(|c| !c.is_empty()).count() == 1) {
                    let k = top.cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
                    let over_value = block.iter().any(|r| r.iter().any(|x| x.amount && x.x0 < cols[k].1 && x.x1 > cols[k].0));
                    if over_value && top.spans[k] == 1 && k + 1 < top.cells.len() {
                        let n = top.cells.len();
                        top.spans[k] = n - k;
                        for j in k + 1..n {
                            top.spans[j] = 0;
                            top.boxes[j] = CellBox { x0: cols[k].0, x1: cols[n - 1].1, ..CellBox::default() };
                        }
                        top.boxes[k] = CellBox { x0: cols[k].0, x1: cols[n - 1].1, ..CellBox::default() };
                    }
                }
                left_out.extend(interleaved_headers(&mut slotted, &block, &cols, &value_cols, !wide, &mut warnings, page));
                left_out.extend(names_run_together(&mut slotted, &block, &cols, &value_cols, &mut warnings, page));
                left_out.extend(names_side_by_side(&mut slotted, &value_cols, &mut warnings, page));
                left_out.sort_unstable();
                left_out.dedup();
                // The columns the table's header left uncertain on an earlier page.
                let cleared = clear_columns(&mut slotted, &carried_out);
                if cleared > 0 {
                    warnings.push(format!("page {page}: a table continued from the page before, whose header leaves {} of its columns of amounts uncertain: {cleared} cells left out", carried_out.len()));
                }
                if let Some(c) = carry.as_mut() {
                    c.2 = left_out;
                }
                sibling_bands(&mut slotted);
                join_wrapped(&mut slotted, wide);
                join_wrapped_headers(&mut slotted);
                for l in slotted {
                    // Spans only where a band was seen over several columns; otherwise the
                    // text does not tell (a blank header cell takes a band from its left).
                    let spans = if l.explicit || l.spans.iter().any(|&s| s != 1) { l.spans } else { Vec::new() };
                    out.push(Line { line: Some(l.line), page: Some(page), cells: l.cells, spans, boxes: l.boxes });
                }
            }
        }
        i = end;
    }
    if out.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines: out, format: "text-layout", encoding: Some(enc.name()), pages: Some(page), warnings, damaged: None })
}

/// A value column whose header holds two names of catalogue columns: a name wrapped over
/// lines of the column (本年支出合 / 计) with another name between its pieces (基本支出).
/// pdftotext sets a CJK header narrower than printed, so a neighbour's name can land in
/// the column of a wrapped name; read as one header, the column's amounts would be keyed
/// under either name. Where exactly one value column beside it has no header at all and
/// the stray name can reach it (within its CJK drift), the name is that column's (each
/// column then has one name: certain). Otherwise which column is which is not certain:
/// the column's amounts are left out, with a warning (missing, never wrong).
fn interleaved_headers(lines: &mut [Slotted], block: &[Vec<Run>], cols: &[(f32, f32)], kinds: &[Kind], narrow_cjk: bool, warnings: &mut Vec<String>, page: u32) -> Vec<usize> {
    let mut out = Vec::new();
    let head = lines.iter().position(|l| l.data).unwrap_or(lines.len());
    let n = |s: &str| gongkai_model::normalize_label(s);
    let named = |lines: &[Slotted], c: usize| (0..head).any(|k| lines[k].spans[c] == 1 && !lines[k].cells[c].is_empty());
    for c in 0..cols.len() {
        if kinds[c] != Kind::Value {
            continue;
        }
        let at: Vec<usize> = (0..head).filter(|&k| lines[k].spans[c] == 1 && !lines[k].cells[c].is_empty()).collect();
        let stray = (1..at.len().saturating_sub(1)).find(|&m| {
            let rest: Vec<&str> = at.iter().enumerate().filter(|&(i, _)| i != m).map(|(_, &k)| lines[k].cells[c].as_str()).collect();
            known_header(&n(&lines[at[m]].cells[c])) && !rest.iter().any(|p| known_header(&n(p))) && known_header(&n(&rest.concat()))
        });
        let Some(m) = stray else { continue };
        let k = at[m];
        let text = lines[k].cells[c].clone();
        let run = block[k].iter().find(|r| r.text == text);
        let d = |r: &Run| 2.0 + if narrow_cjk { crate::align::drift(&r.text) } else { 0.0 };
        let to: Vec<usize> = [c.wrapping_sub(1), c + 1]
            .into_iter()
            .filter(|&j| j < cols.len() && kinds[j] == Kind::Value && !named(lines, j))
            .filter(|&j| run.is_some_and(|r| r.x0 - d(r) < cols[j].1 && r.x1 + d(r) > cols[j].0))
            .collect();
        if let [j] = to[..] {
            lines[k].cells[j] = std::mem::take(&mut lines[k].cells[c]);
            lines[k].last[j] = std::mem::take(&mut lines[k].last[c]);
            continue;
        }
        let rows = clear_columns(lines, &[c]);
        out.push(c);
        warnings.push(format!("page {page}: a column's header holds two column names (`{text}` among the pieces of another); which amounts are whose is not certain: {rows} cells left out"));
    }
    out
}

/// Clear the given columns of a block's rows (amounts whose column is not certain): how
/// many cells were filled.
fn clear_columns(lines: &mut [Slotted], out: &[usize]) -> usize {
    let mut cells = 0;
    for l in lines.iter_mut().filter(|l| l.data) {
        for &c in out {
            if c < l.cells.len() && !l.cells[c].is_empty() {
                l.cells[c].clear();
                l.last[c].clear();
                cells += 1;
            }
        }
    }
    cells
}

/// A header cell of several words one space apart over the middles of several value
/// columns, the words not one a column (`本年收入合 财政拨款收 上级补助收` over two):
/// names of neighbouring columns run together, set narrower than printed, so where one
/// name ends and which column under it is whose is not certain — the names right of it
/// would take its columns' amounts. Those columns' amounts are left out, with a warning.
fn names_run_together(lines: &mut [Slotted], block: &[Vec<Run>], cols: &[(f32, f32)], kinds: &[Kind], warnings: &mut Vec<String>, page: u32) -> Vec<usize> {
    let head = lines.iter().position(|l| l.data).unwrap_or(lines.len());
    let mid = |c: (f32, f32)| (c.0 + c.1) / 2.0;
    let mut out: Vec<usize> = Vec::new();
    for r in block[..head.min(block.len())].iter().flatten() {
        let covered: Vec<usize> = (0..cols.len()).filter(|&k| r.x0 <= mid(cols[k]) && r.x1 >= mid(cols[k])).collect();
        let words = r.text.split(' ').filter(|w| !w.is_empty()).count();
        if covered.len() > 1 && words > 1 && words != covered.len() {
            out.extend(covered.into_iter().filter(|&k| kinds[k] == Kind::Value));
        }
    }
    out.sort_unstable();
    out.dedup();
    let cells = clear_columns(lines, &out);
    if cells > 0 {
        warnings.push(format!("page {page}: a header cell runs the names of several columns together over {} columns of amounts; which is whose is not certain: {cells} cells left out", out.len()));
    }
    out
}

/// A value column whose cell on one header line holds two names the catalogue knows
/// (`合计 基本支出`, `年初结转和结余 本年收入`): pdftotext sets a CJK header narrower than
/// printed, and a column left blank in every row (zeros printed blank) has no extent of
/// its own, so its name falls into the neighbouring column. One column under two names:
/// which name its amounts are under is not certain (read as one header they were keyed
/// under the blank column's name). The column's amounts are left out, with a warning.
fn names_side_by_side(lines: &mut [Slotted], kinds: &[Kind], warnings: &mut Vec<String>, page: u32) -> Vec<usize> {
    let head = lines.iter().position(|l| l.data).unwrap_or(lines.len());
    let names = |t: &str| t.split(' ').filter(|w| known_header(&gongkai_model::normalize_label(w))).collect::<std::collections::BTreeSet<_>>().len();
    let out: Vec<usize> = (0..kinds.len())
        .filter(|&c| kinds[c] == Kind::Value && lines[..head].iter().any(|l| l.spans[c] == 1 && names(&l.cells[c]) >= 2))
        .collect();
    let cells = clear_columns(lines, &out);
    if cells > 0 {
        warnings.push(format!("page {page}: {} columns of amounts each stand under two column names side by side; which is whose is not certain: {cells} cells left out", out.len()));
    }
    out
}

/// Every column key of the catalogue's tables (both sides of the summaries), as header
/// paths (`预算数/公务用车购置及运行维护费/小计`).
fn column_keys() -> impl Iterator<Item = &'static String> {
    gongkai_model::catalogue()
        .tables
        .iter()
        .flat_map(|t| t.columns.iter().chain(t.sides.iter().flat_map(|s| s.columns.iter())))
}

/// Band names the catalogue knows: every level of a nested key but its last (预算数,
/// 公务用车购置及运行维护费 of 预算数/公务用车购置及运行维护费/小计), normalized.
fn known_band(normalized: &str) -> bool {
    static BANDS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    BANDS
        .get_or_init(|| {
            column_keys()
                .flat_map(|k| {
                    let parts: Vec<&str> = k.split('/').collect();
                    parts[..parts.len() - 1].iter().map(|p| gongkai_model::normalize_label(p)).collect::<Vec<_>>()
                })
                .collect()
        })
        .contains(normalized)
}

/// Two or more band names side by side on a header line (预算数 … 决算数): a blank column
/// between two of them may be either band's. Their names are printed centred over their
/// columns, and in layout text a CJK name stands narrower (and further left) than it is
/// printed, so nothing tells where one band ends and the next begins; a blank cell that
/// took the band on its left (as a spreadsheet's copy has it) would put the right band's
/// first columns under the left band, keyed wrongly; nor do the columns right of the last
/// name surely belong to it (the 三公 table printed category-first repeats 预算数 决算数
/// under each category). Only the columns a name covers are its band's: the line gets
/// explicit spans so that no blank cell takes a band.
fn sibling_bands(lines: &mut [Slotted]) {
    let head = lines.iter().position(|l| l.data).unwrap_or(lines.len());
    for l in &mut lines[..head] {
        let filled: Vec<usize> = (0..l.cells.len()).filter(|&c| !l.cells[c].is_empty()).collect();
        let bands = filled.iter().filter(|&&c| known_band(&gongkai_model::normalize_label(&l.cells[c]))).count();
        if bands < 2 || l.explicit {
            continue;
        }
        l.explicit = true;
    }
}

/// Column names the catalogue knows, each level of a nested key (本年支出/基本支出 gives
/// 本年支出 and 基本支出), normalized.
pub(crate) fn known_header(normalized: &str) -> bool {
    static PARTS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    PARTS
        .get_or_init(|| {
            column_keys()
                .flat_map(|k| k.split('/'))
                .map(gongkai_model::normalize_label)
                .collect()
        })
        .contains(normalized)
}

/// A header cell wrapped over two to four lines of its column (附属单位 / 上缴收入,
/// 政府性基 / 金预算财 / 政拨款) is one name: joined where the joined words are a column
/// the catalogue knows and no piece is.
fn join_wrapped_headers(lines: &mut [Slotted]) {
    let head = lines.iter().position(|l| l.data).unwrap_or(lines.len());
    let n = |s: &str| gongkai_model::normalize_label(s);
    let width = lines.first().map_or(0, |l| l.cells.len());
    for c in 0..width {
        // The header lines with text in this column (a blank line between pieces of a
        // tall header cell does not part them).
        let at: Vec<usize> = (0..head).filter(|&k| !lines[k].cells[c].is_empty()).collect();
        let mut u = 0;
        while u < at.len() {
            let mut joined_at = None;
            for len in 2..=4usize {
                if u + len > at.len() || at[u..u + len].iter().any(|&k| lines[k].spans[c] != 1) {
                    break;
                }
                let pieces: Vec<&str> = at[u..u + len].iter().map(|&k| lines[k].cells[c].as_str()).collect();
                if pieces.iter().any(|p| known_header(&n(p))) {
                    break;
                }
                if known_header(&n(&pieces.concat())) {
                    joined_at = Some(len);
                    break;
                }
            }
            match joined_at {
                Some(len) => {
                    let whole: String = at[u..u + len].iter().map(|&k| std::mem::take(&mut lines[k].cells[c])).collect();
                    lines[at[u + len - 1]].cells[c] = whole;
                    u += len;
                }
                None => u += 1,
            }
        }
    }
}

/// A line of a page without decimals read without columns: a number right of its label (or on a
/// line without one) that was not read as an amount (a side-by-side group's code, a 行次)
/// would be read by position as one; it is left out, with a warning.
fn unplaced_numbers_out(r: &[Run], warnings: &mut Vec<String>, page: u32) -> Vec<Run> {
    // A second code on the line (`30399  30240  税金及附加费用`, the first group's label
    // wrapped away) opens another group: what follows it cannot be placed by position.
    let all = r.len();
    let r = match (1..r.len()).find(|&k| !r[k].amount && code_shaped(&r[k].text)) {
        Some(k) => &r[..k],
        None => r,
    };
    let first_text = r.iter().position(|x| x.text.split(' ').any(is_text));
    let kept: Vec<Run> = r
        .iter()
        .enumerate()
        .filter(|(k, x)| x.amount || first_text.is_some_and(|t| *k < t) || x.text.split(' ').any(|w| gongkai_model::parse_amount(w).is_none()))
        .map(|(_, x)| x.clone())
        .collect();
    if kept.len() < all {
        warnings.push(format!("page {page}: {} cells of a line without columns (numbers right of a label, a second group after its code) are no amounts it can place; left out", all - kept.len()));
    }
    kept
}

fn boxes(r: &[Run]) -> Vec<CellBox> {
    r.iter().map(|x| CellBox { x0: x.x0, x1: x.x1, ..CellBox::default() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_at_wide_gaps_with_display_widths() {
        let r = runs("201       一般公共服务支出    5.01 0.00", true);
        assert_eq!(r.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(), ["201", "一般公共服务支出", "5.01", "0.00"]);
        assert_eq!((r[1].x0, r[1].x1), (10.0, 26.0));
        let r = runs("201       一般公共服务支出    5.01", false);
        assert_eq!((r[1].x0, r[1].x1, r[2].x0), (10.0, 18.0, 22.0));
    }

    /// An amount printed one space before the next column's label is a cell of its own.
    #[test]
    fn an_amount_before_a_label_one_space_apart_is_its_own_cell() {
        let r = runs("一、一般公共预算财政拨款收入      1     2,940.05 一、一般公共服务支出        1    2,106.66", false);
        let t: Vec<&str> = r.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(t, ["一、一般公共预算财政拨款收入", "1", "2,940.05", "一、一般公共服务支出", "1", "2,106.66"]);
        assert_eq!((r[2].x0, r[2].x1, r[3].x0), (26.0, 34.0, 35.0));
    }

    /// A table continued past a form feed whose page has a column more than the table (a
    /// header cell over no column there, farther from the others than its CJK glyphs can
    /// stand off): its rows are left out, never read by position.
    #[test]
    fn a_continued_page_whose_columns_do_not_line_up_is_left_out() {
        let text = " 科目编码          科目名称   合计         基本支出        项目支出\n\
                    \x20         栏次          1           2           3\n\
                    2210201    住房公积金       17.70       17.70\n\
                    \x0c 科目编码          科目名称   合计       基本支出      项目支出\n\
                    \x20         栏次          1         2         3\n\
                    2210203   购房补贴         11.72     11.72\n\
                    \x0c科目编码                科目名称            合计       基本支出      项目支出\n\
                    \x20           栏次                       1         2         3\n\
                    \x20           合计                    307.82    105.58    202.24\n";
        let laid = read_layout(text, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "307.82")), "{:?}", laid.lines);
        assert!(laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "11.72")));
        assert!(laid.warnings.iter().any(|w| w.contains("page 3") && w.contains("1 rows left out")), "{:?}", laid.warnings);
    }

    /// A table continued after a form feed whose first amount column, of shorter amounts
    /// on that page, ends two characters short of where it ended before while the second
    /// ends where it did: no one shift puts every edge on the table's, but the columns
    /// match as a whole (each overlaps one table column of its kind, in order), so the
    /// continued rows keep the table's columns, the blank header-only columns included.
    #[test]
    fn a_continued_page_matches_its_tables_columns_as_a_whole() {
        let text = "编码        名称                 合计              甲收入            乙收入\n\
                    101       一甲类支出          1,111,111.00    1,111,111.00\n\
                    102       二乙类支出          2,222,222.00    2,222,222.00\n\
                    \x0c103       三丙类支出            3,333.00          3,333.00\n\
                    104       四丁类支出            4,444.00          4,444.00\n";
        let laid = read_layout(text, TextEncoding::Utf8).unwrap();
        assert!(laid.warnings.is_empty(), "{:?}", laid.warnings);
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "甲收入")).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "104")).unwrap();
        assert_eq!(row.cells.len(), head.cells.len(), "{:?}\n{:?}", head.cells, row.cells);
        let at = |l: &Line, t: &str| l.cells.iter().position(|c| c == t).unwrap();
        assert_eq!(row.cells[at(head, "合计")], "4,444.00");
        assert_eq!(row.cells[at(head, "甲收入")], "4,444.00");
        assert_eq!(row.cells[at(head, "乙收入")], "");
        assert_eq!(row.cells[at(head, "名称")], "四丁类支出");
    }

    /// The extractor squeezes out a column left blank on a page: a continued row's third
    /// amount stands under the table's blank 乙收入 there, though it is 丙收入's (the
    /// only other column with amounts). As many value columns as the table's columns with
    /// amounts are those columns in order.
    #[test]
    fn a_continued_page_keeps_the_order_of_its_value_columns() {
        let text = "编码        名称                 合计           甲收入         乙收入         丙收入\n\
                    \x20         合计                13.00        11.00                    2.00\n\
                    101       一甲类支出             11.00        11.00\n\
                    \x0c102       二乙类支出              3.00         1.00      2.00\n\
                    103       三丙类支出              4.00         4.00\n";
        let laid = read_layout(text, TextEncoding::Utf8).unwrap();
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "丙收入")).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "102")).unwrap();
        let at = |l: &Line, t: &str| l.cells.iter().position(|c| c == t).unwrap();
        assert_eq!(row.cells.len(), head.cells.len(), "{:?}\n{:?}", head.cells, row.cells);
        assert_eq!(row.cells[at(head, "丙收入")], "2.00", "{:?}\n{:?}", head.cells, row.cells);
        assert_eq!(row.cells[at(head, "乙收入")], "");
        assert_eq!(row.cells[at(head, "甲收入")], "1.00");
    }

    /// A print of whole 元: a number right of a label is an amount (the codes left of it
    /// are not), and so is a 行次 (a column its header names); a code the catalogue knows
    /// followed by a label opens the next group of a table printed side by side.
    #[test]
    fn whole_yuan_numbers_right_of_a_label_are_amounts() {
        let t = |l: &str| runs_as(l, false, Amounts::Whole).into_iter().map(|r| (r.text, r.amount)).collect::<Vec<_>>();
        assert_eq!(
            t("201 06     01    行政运行                15119000     15118900        100"),
            [("201 06".into(), false), ("01".into(), false), ("行政运行".into(), false), ("15119000".into(), true), ("15118900".into(), true), ("100".into(), true)]
        );
        assert_eq!(t("八、其他收入   8   62000 八、社会保障和就业支出")[1..3], [("8".into(), true), ("62000".into(), true)]);
        assert_eq!(t("30106   伙食补助费      30204   手续费      1200")[2], ("30204".to_string(), false));
        // Thousands separators mark amounts where no label stands before them.
        assert_eq!(t("138,700   0   103,600 35,100").iter().map(|r| r.1).collect::<Vec<_>>(), [true, false, true, true]);
        // With decimals, whole numbers are no amounts.
        assert!(!runs("行政运行      100    5.01", false)[1].amount);
    }

    /// Whole 元 is read on a page without an amount printed with decimals under a unit of 元
    /// stated before (a column named 附属单位上缴收入 states none); a page under 万元
    /// keeps whole numbers out.
    #[test]
    fn a_page_of_whole_yuan_is_read_by_its_numbers() {
        let body = "科目编码     科目名称          合计        附属单位上缴收入\n\
                    201          一般公共服务支出   50100       50100\n\
                    20105        统计信息事务       46500\n";
        let laid = read_layout(&format!("收入决算表   单位：元\n{body}"), TextEncoding::Utf8).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "20105")).unwrap();
        assert_eq!(row.cells, ["20105", "统计信息事务", "46500", ""]);
        assert_eq!(states_yuan("附属单位上缴收入"), None);
        assert_eq!(states_yuan("金额单位： 万元"), Some(false));
        // The department's caption before the unit states no unit.
        assert_eq!(states_yuan("编制单位：某局   单位：元"), Some(true));
        let laid = read_layout(&format!("收入决算表   单位：万元\n{body}"), TextEncoding::Utf8).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "20105")).unwrap();
        // Under 万元 the whole numbers are no amounts; read without columns, they are left
        // out rather than read by position.
        assert_eq!(row.cells, ["20105", "统计信息事务"]);
        assert!(laid.warnings.iter().any(|w| w.contains("no amounts it can place")), "{:?}", laid.warnings);
    }

    /// A label wrapped over three lines with its amount on the middle one, a blank cell,
    /// and a fragment after the last row.
    #[test]
    fn wrapped_labels_join_their_amount_lines() {
        let text = "项目          决算数      项目        决算数\n\
                    一般公共预算财政拨               一、一般公共服务支\n\
                    \x20           5,896.65                5.01\n\
                    款收入                     出\n\
                    上级补助收入      0.00        四、公共安全支出    0.00\n\
                    \x20                       二十四、债务还本支\n\
                    \x20                                   0.00\n\
                    \x20                       出\n";
        let laid = read_layout(text, TextEncoding::Utf8).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells[1], ["一般公共预算财政拨款收入", "5,896.65", "一、一般公共服务支出", "5.01"]);
        assert_eq!(cells[2], ["上级补助收入", "0.00", "四、公共安全支出", "0.00"]);
        assert_eq!(cells[3], ["", "", "二十四、债务还本支出", "0.00"]);
        assert_eq!(cells.len(), 4);
    }

    /// A line of layout text with each cell at its column (one column per glyph).
    fn placed(cells: &[(&str, usize)]) -> String {
        let mut s = String::new();
        for &(t, x) in cells {
            let n = s.chars().count();
            s.push_str(&" ".repeat(x.saturating_sub(n).max(if n > 0 { 2 } else { 0 })));
            s.push_str(t);
        }
        s
    }

    /// pdftotext sets a CJK header narrower than printed: `基本支出` lands one column into
    /// the column of the wrapped `本年支出合 / 计`, and its own column has no header. Read
    /// as one header, 本年支出合计's amounts were keyed under 基本支出. Where the geometry
    /// decides (one headless value column it can reach), the name goes there; where it
    /// does not, the column's amounts are left out with a warning.
    #[test]
    fn a_name_among_the_pieces_of_a_wrapped_header_is_no_part_of_it() {
        let rows = |third: &str| {
            [
                placed(&[("科目编码", 0), ("本年支出合", 19), (third, 37)]),
                placed(&[("科目名称", 8), ("基本支出", 24)]),
                placed(&[("计", 21)]),
                placed(&[("合计", 8), ("30.00", 20), ("10.00", 28), ("20.00", 37)]),
                placed(&[("201", 0), ("一般公共服务支出", 8), ("30.00", 20), ("10.00", 28), ("20.00", 37)]),
                placed(&[("20101", 0), ("人大事务", 8), ("7.00", 21), ("3.00", 29), ("4.00", 38)]),
            ]
            .join("\n")
        };
        let col = |l: &Line, t: &str| l.cells.iter().position(|c| c == t);
        // The headless column beside it is 基本支出's.
        let laid = read_layout(&rows("项目支出"), TextEncoding::Utf8).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.first().is_some_and(|c| c == "20101")).unwrap();
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "基本支出")).unwrap();
        assert_eq!(col(head, "基本支出"), col(row, "3.00"), "{:?}\n{:?}", head.cells, row.cells);
        assert!(laid.lines.iter().any(|l| col(l, "本年支出合计").is_some() && col(l, "本年支出合计") == col(row, "7.00")), "{:?}", laid.lines);
        // Both columns beside it named (项目支出 over the second): not certain, left out.
        let text = rows("项目支出").replacen("基本支出", "基本支出  项目支出", 1).replacen("项目支出\n", "经营支出\n", 1);
        let laid = read_layout(&text, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "7.00" || c == "30.00")), "{:?}", laid.lines);
        assert!(laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "3.00")));
        assert!(laid.warnings.iter().any(|w| w.contains("two column names")), "{:?}", laid.warnings);
        // Three names run together one space apart over two value columns, the next name
        // right of them: none of the two columns' amounts is read.
        let text = [
            placed(&[("科目编码", 0), ("本年收入合 财政拨款收 上级补助收", 19), ("事业收入", 37)]),
            placed(&[("计", 21), ("入", 27), ("入", 33)]),
            placed(&[("合计", 8), ("30.00", 20), ("30.00", 29)]),
            placed(&[("201", 0), ("一般公共服务支出", 8), ("7.00", 21), ("7.00", 30)]),
        ]
        .join("\n");
        let laid = read_layout(&text, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "7.00" || c == "30.00")), "{:?}", laid.lines);
        assert!(laid.warnings.iter().any(|w| w.contains("runs the names")), "{:?}", laid.warnings);
    }

    /// A page holding one row of a table continued from the page before: pdftotext lays
    /// it out on its own, its amounts squeezed left under the table's blank first column.
    /// Read without columns, by where they stand, they were keyed under that column; the
    /// row is matched to the table's columns like any continued page.
    #[test]
    fn a_continued_page_of_one_row_is_matched_to_the_tables_columns() {
        let text = [
            placed(&[("编码", 0), ("名称", 8), ("年初结余", 30), ("本年收入", 40), ("合计", 50), ("基本支出", 61), ("项目支出", 74)]),
            placed(&[("101", 0), ("一甲类支出", 8), ("5.00", 41), ("5.00", 50), ("5.00", 75)]),
            placed(&[("102", 0), ("二乙类支出", 8), ("4.00", 41), ("4.00", 50), ("4.00", 75)]),
            format!("\x0c{}", placed(&[("103", 0), ("三丙类支出之一个很长的名称的支出", 8), ("3.00", 33), ("3.00", 40), ("3.00", 47)])),
        ]
        .join("\n");
        let laid = read_layout(&text, TextEncoding::Utf8).unwrap();
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "年初结余")).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.first().is_some_and(|c| c == "103")).unwrap();
        let at = |l: &Line, t: &str| l.cells.iter().position(|c| c == t).unwrap_or_else(|| panic!("{t}: {:?}\n{:?}", l.cells, laid.lines));
        assert_eq!(row.cells.len(), head.cells.len(), "{:?}\n{:?}", head.cells, row.cells);
        assert_eq!(row.cells[at(head, "年初结余")], "");
        assert_eq!(row.cells[at(head, "本年收入")], "3.00", "{:?}\n{:?}\n{:?}", head.cells, row.cells, laid.warnings);
        assert_eq!(row.cells[at(head, "项目支出")], "3.00", "{:?}\n{:?}", head.cells, row.cells);
        assert_eq!(row.cells[at(head, "基本支出")], "");
    }

    /// A column left blank in every row (zeros printed blank) has no extent of its own, so
    /// pdftotext's narrower CJK header puts its name into the column beside it: `合计` and
    /// `基本支出` over one column of amounts. Read as one header the amounts were keyed
    /// under 基本支出; which name is theirs is not certain, so they are left out.
    #[test]
    fn a_column_under_two_names_side_by_side_is_left_out() {
        let text = [
            placed(&[("编码", 0), ("名称", 8), ("本年收入", 20), ("合计", 34), ("基本支出", 38), ("项目支出", 45)]),
            placed(&[("101", 0), ("一甲类支出", 8), ("5.00", 21), ("5.00", 38), ("5.00", 46)]),
            placed(&[("102", 0), ("二乙类支出", 8), ("4.00", 21), ("4.00", 38), ("4.00", 46)]),
        ]
        .join("\n");
        let laid = read_layout(&text, TextEncoding::Utf8).unwrap();
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c.contains("基本支出"))).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.first().is_some_and(|c| c == "101")).unwrap();
        let k = head.cells.iter().position(|c| c.contains("基本支出")).unwrap();
        assert_eq!(row.cells[k], "", "{:?}\n{:?}", head.cells, row.cells);
        assert_eq!(row.cells[head.cells.iter().position(|c| c == "项目支出").unwrap()], "5.00");
        assert!(laid.warnings.iter().any(|w| w.contains("two column names side by side")), "{:?}", laid.warnings);
    }

    /// A continued page without a header of its own, with as many columns as its table:
    /// the count is no proof they are the table's columns. Here the table's header runs
    /// three names together over two columns of amounts (left out on its page); the page
    /// after, read as its own columns, put those columns' amounts back under the garbled
    /// header. It is matched to the table's columns, and what the header left uncertain
    /// stays out there too.
    #[test]
    fn a_continued_page_keeps_out_what_its_tables_header_left_uncertain() {
        let text = [
            placed(&[("科目编码", 0), ("本年收入合 财政拨款收 上级补助收", 19), ("事业收入", 37)]),
            placed(&[("计", 21), ("入", 27), ("入", 33)]),
            placed(&[("100", 0), ("合计", 8), ("30.00", 20), ("30.00", 29)]),
            format!("\x0c{}", placed(&[("201", 0), ("一般公共服务支出", 8), ("7.00", 21), ("7.00", 30)])),
            placed(&[("20101", 0), ("人大事务", 8), ("7.00", 21), ("7.00", 30)]),
        ]
        .join("\n");
        let laid = read_layout(&text, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "7.00" || c == "30.00")), "{:?}", laid.lines);
        assert!(laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "人大事务")), "{:?}", laid.lines);
    }

    fn fixture(name: &str) -> LaidOut {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/testdata").join(name);
        read_layout(&std::fs::read_to_string(path).unwrap(), TextEncoding::Utf8).unwrap()
    }

    /// pdftotext -layout, 财政拨款收入支出决算总表 (seed 4242): the three narrow columns'
    /// names run together, their wrapped lines stand short of their columns (`政拨款` six
    /// columns left of the one column with amounts). A CJK header that may stand that far
    /// off a column makes no column of its own beside it: one left of the amounts put them
    /// one column right, under 政府性基金预算财政拨款.
    #[test]
    fn a_cjk_header_standing_off_its_column_makes_no_column_of_its_own() {
        let laid = fixture("layout-narrow-headers-over-blank-columns.txt");
        let head = laid.lines.iter().find(|l| l.cells.iter().any(|c| c.contains("政拨款"))).unwrap();
        let row = laid.lines.iter().find(|l| l.cells.iter().filter(|c| *c == "5.01").count() == 2).unwrap();
        let k = row.cells.iter().rposition(|c| c == "5.01").unwrap();
        assert!(head.cells[k].starts_with("政拨款"), "{:?}\n{:?}", head.cells, row.cells);
    }

    /// 预算数 … 决算数 on one header line (the 三公 table): a blank cell between them must
    /// not take 预算数 (the 决算数 合计 column was read as 预算数/合计): the line states its
    /// spans, so no blank cell takes a band from its left.
    #[test]
    fn sibling_bands_state_their_spans() {
        let laid = fixture("layout-sibling-bands.txt");
        let band = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "预算数") && l.cells.iter().any(|c| c == "决算数")).unwrap();
        assert!(!band.spans.is_empty(), "{band:?}");
        let k = band.cells.iter().position(|c| c == "决算数").unwrap();
        let total = laid.lines.iter().find(|l| l.cells.iter().any(|c| c == "13.33")).unwrap();
        let j = total.cells.iter().position(|c| c == "13.33").unwrap();
        assert!(j < k, "the 决算数 合计 column lies left of the name 决算数 here: {:?}", total.cells);
        assert_ne!(band.covering(j), Some("预算数"), "{band:?}");
    }
}
