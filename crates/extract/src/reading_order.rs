//! Reading-order text (`pdftotext -raw` or its default mode, a PDF viewer's copy and
//! paste): a row's cells follow each other on one line, one space apart, with no trace of
//! where they stood; a label wrapped in its cell is printed elsewhere (after the table, or
//! the lines around). Rows are rebuilt from the catalogue's knowledge, never guessed:
//!
//! - a table title the catalogue knows says which table the lines belong to and so how
//!   many value columns it has, in which order, and its layout;
//! - a row line is an optional classification code, a label, and as many amounts as the
//!   table has value columns; a two-sided summary line holds one side or both, a side
//!   told by its number of amounts where the sides differ and by its label's words
//!   (支出 / 收入, a function class) where they do not; a 基本支出 detail line holds one or
//!   more `code label amount` groups; a 三公 line all its amounts;
//! - the header is the catalogue's (the printed header lines of such text are jumbled
//!   by the extractor), laid out as a grid over the value columns, so tables reads the
//!   columns by their standard names;
//! - whatever cannot be placed with certainty — a line with another number of amounts,
//!   an amount whose side is not known, a label fragment — is left out, and a warning per
//!   table counts what was: a missing cell is acceptable, a wrong one is not.
//!
//! Lines outside tables (the narrative) are lines of one cell.

use gongkai_model::{catalogue, normalize_label, Layout, TableSpec};

use crate::align::is_amount;
use crate::grid::{grid_lines, place_rows};
use crate::text::TextEncoding;
use crate::{CellBox, ExtractError, LaidOut, Line};

fn is_code(t: &str) -> bool {
    (3..=7).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// A leading classification code: whole (2010550), or over 类 | 款 | 项 as the Henan
/// layout prints it (201 05 50), joined.
fn split_code<'a, 'b>(head: &'b [&'a str]) -> (String, &'b [&'a str]) {
    match head.first() {
        Some(c) if c.len() == 3 && is_code(c) => {
            let mut code = c.to_string();
            let mut k = 1;
            while k < 3 && head.get(k).is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())) {
                code.push_str(head[k]);
                k += 1;
            }
            (code, &head[k..])
        }
        Some(c) if is_code(c) => (c.to_string(), &head[1..]),
        _ => (String::new(), head),
    }
}

/// Words joined back into a label: pdftotext puts a space where a CJK label's glyphs
/// were spaced out; Latin words keep theirs.
fn label(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words {
        if out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) && w.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Header rows (text, colspan, rowspan) of nested column keys over `depth` levels.
fn nested(keys: &[String], depth: usize) -> Vec<Vec<(String, usize, usize)>> {
    let parts: Vec<Vec<&str>> = keys.iter().map(|k| k.split('/').collect()).collect();
    let mut rows = vec![Vec::new(); depth];
    for (level, row) in rows.iter_mut().enumerate() {
        let mut i = 0;
        while i < parts.len() {
            let p = &parts[i];
            if level >= p.len() {
                i += 1;
                continue;
            }
            let mut j = i;
            if level + 1 < p.len() {
                while j + 1 < parts.len() && parts[j + 1].len() > level + 1 && parts[j + 1][..=level] == p[..=level] {
                    j += 1;
                }
            }
            let down = if level + 1 == p.len() { depth - level } else { 1 };
            row.push((p[level].to_string(), j - i + 1, down));
            i = j + 1;
        }
    }
    rows
}

/// The catalogue's header of a table as grid lines.
fn header(spec: &TableSpec, first_line: u32) -> Vec<Line> {
    let depth_of = |keys: &[String]| keys.iter().map(|k| k.split('/').count()).max().unwrap_or(1);
    let rows: Vec<Vec<(String, usize, usize)>> = match spec.layout {
        Layout::TwoSided => {
            let depth = spec.sides.iter().map(|s| depth_of(&s.columns)).max().unwrap_or(1);
            let mut rows = vec![spec.sides.iter().map(|s| (s.side.clone(), 1 + s.columns.len(), 1)).collect::<Vec<_>>()];
            let mut body = vec![Vec::new(); depth];
            for s in &spec.sides {
                let n = nested(&s.columns, depth);
                for (level, r) in n.into_iter().enumerate() {
                    if level == 0 {
                        body[0].push(("项目".to_string(), 1, depth));
                    }
                    body[level].extend(r);
                }
            }
            rows.extend(body);
            rows
        }
        Layout::SingleRow => nested(&spec.columns, depth_of(&spec.columns)),
        Layout::BasicDetail => vec![vec![("经济分类科目编码".into(), 1, 1), ("科目名称".into(), 1, 1)].into_iter().chain(spec.columns.iter().map(|c| (c.clone(), 1, 1))).collect()],
        _ => {
            let depth = depth_of(&spec.columns);
            let mut rows = nested(&spec.columns, depth);
            rows[0].splice(0..0, [("科目编码".to_string(), 1, depth), ("科目名称".to_string(), 1, depth)]);
            rows
        }
    };
    let placed = place_rows(&rows);
    grid_lines(&placed, rows.len(), false, first_line)
}

fn row(n: u32, cells: Vec<String>) -> Line {
    let k = cells.len();
    Line { line: Some(n), page: None, spans: vec![1; k], boxes: (0..k).map(|i| CellBox { x0: i as f32, x1: i as f32 + 1.0, ..CellBox::default() }).collect(), cells }
}

/// Label and amount runs of a line's words, in order: (is amounts, words).
fn segments<'a>(words: &[&'a str]) -> Vec<(bool, Vec<&'a str>)> {
    let mut out: Vec<(bool, Vec<&str>)> = Vec::new();
    for w in words {
        let a = is_amount(w);
        match out.last_mut() {
            Some((k, v)) if *k == a => v.push(w),
            _ => out.push((a, vec![w])),
        }
    }
    out
}

/// The side of a summary label where the counts cannot tell: its words.
fn side_of(text: &str) -> Option<usize> {
    let n = normalize_label(text);
    let stripped = gongkai_model::strip_ordinal(&n);
    if catalogue().function_class(stripped).is_some() || stripped.contains("支出") {
        Some(1)
    } else if stripped.contains("收入") {
        Some(0)
    } else {
        None
    }
}

/// A line of a table rebuilt as cells, or None when it cannot be placed with certainty.
fn rebuild(spec: &TableSpec, words: &[&str]) -> Option<Vec<Vec<String>>> {
    let amounts = words.iter().filter(|w| is_amount(w)).count();
    match spec.layout {
        Layout::TwoSided => {
            let [s0, s1] = &spec.sides[..] else { return None };
            let (n0, n1) = (s0.columns.len(), s1.columns.len());
            let seg = segments(words);
            // A side's label: without the 行次 number printed after it; none when nothing
            // but that number is left (the label was wrapped away).
            let clean = |l: &[&str]| -> Option<String> {
                let l = match l.split_last() {
                    Some((last, rest)) if last.len() <= 3 && last.bytes().all(|b| b.is_ascii_digit()) => rest,
                    _ => l,
                };
                let t = label(l);
                // Numbers alone are 行次 (both sides' when a wrapped-away label leaves
                // `3 3`), never a label: a row keyed by them would be a wrong key.
                (!t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
            };
            let mut v = vec![String::new(); 2 + n0 + n1];
            let mut put = |k: usize, l: String, a: &[&str]| {
                let at = if k == 0 { 0 } else { 1 + n0 };
                v[at] = l;
                for (i, x) in a.iter().enumerate() {
                    v[at + 1 + i] = x.to_string();
                }
            };
            // Cells follow each other left to right: a label opening the line is the left
            // side's, its first amounts are that side's; a label after amounts is the right
            // side's. Amounts whose label was wrapped away are left out.
            let mut placed = false;
            match &seg[..] {
                [(false, l0), (true, a0), (false, l1), (true, a1)] => {
                    if let (Some(l), true) = (clean(l0), a0.len() == n0) {
                        put(0, l, a0);
                        placed = true;
                    }
                    // A right side whose label was wrapped away (only its 行次 is left)
                    // waits for its ordinal.
                    if a1.len() == n1 {
                        put(1, clean(l1).unwrap_or_default(), a1);
                        placed = true;
                    }
                }
                // Only amounts: with as many as both sides hold, the right side's are
                // the last; its label is found later by its ordinal (see `ordinals`).
                [(true, a)] | [(false, _), (true, a)] if (seg.len() == 1 || clean(&seg[0].1).is_none()) && (a.len() == n0 + n1 || (a.len() == n1 && n1 != n0)) => {
                    put(1, String::new(), &a[a.len() - n1..]);
                    placed = true;
                }
                [(true, _), (false, l1), (true, a1)] => {
                    // A right side whose label was wrapped away (only its 行次 is left)
                    // waits for its ordinal.
                    if a1.len() == n1 {
                        put(1, clean(l1).unwrap_or_default(), a1);
                        placed = true;
                    }
                }
                [(false, l), (true, a)] => {
                    // Two labels run together (the left side's, its amounts blank, and the
                    // right side's `八、…`, perhaps a 行次 between): whose the amounts are,
                    // and where one label ends, is not certain.
                    let number = |w: &str| w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit());
                    let inner = &l[1..l.len().saturating_sub(1).max(1)];
                    if l.iter().skip(1).any(|w| ordinal(w).is_some()) || inner.iter().any(|w| number(w)) {
                        return None;
                    }
                    let l = clean(l)?;
                    let k = if n0 != n1 {
                        if a.len() == n0 || a.len() > n0 + n1 - 1 {
                            0
                        } else if a.len() == n1 {
                            1
                        } else {
                            return None;
                        }
                    } else if a.len() == n0 {
                        side_of(&l)?
                    } else {
                        0
                    };
                    let n = if k == 0 { n0 } else { n1 };
                    if a.len() < n {
                        return None;
                    }
                    put(k, l, &a[..n]);
                    // The other amounts are the right side's, its label wrapped away.
                    if k == 0 && a.len() == n0 + n1 {
                        put(1, String::new(), &a[n0..]);
                    }
                    placed = true;
                }
                _ => {}
            }
            placed.then(|| vec![v])
        }
        Layout::SingleRow => (amounts == spec.columns.len() && words.iter().all(|w| is_amount(w))).then(|| vec![words.iter().map(|w| w.to_string()).collect()]),
        Layout::BasicDetail => {
            // `code label amount` groups, or a closing `label amount` (人员经费合计 …).
            let mut out = Vec::new();
            let mut i = 0;
            while i < words.len() {
                let code = is_code(words[i]).then(|| words[i].to_string());
                let start = i + usize::from(code.is_some());
                let end = (start..words.len()).find(|&k| is_amount(words[k]))?;
                if words[start..end].iter().any(|w| is_code(w)) {
                    return None;
                }
                let l = label(&words[start..end]);
                if code.is_none() && l.is_empty() {
                    return None;
                }
                out.push(vec![code.unwrap_or_default(), l, words[end].to_string()]);
                i = end + 1;
            }
            (!out.is_empty()).then_some(out)
        }
        _ => {
            let n = spec.columns.len();
            if amounts != n || words.len() < n + 1 || !words[words.len() - n..].iter().all(|w| is_amount(w)) {
                return None;
            }
            let head = &words[..words.len() - n];
            let (code, rest) = split_code(head);
            if rest.iter().any(|w| is_amount(w) || is_code(w)) {
                return None;
            }
            let mut v = vec![code, label(rest)];
            v.extend(words[words.len() - n..].iter().map(|w| w.to_string()));
            Some(vec![v])
        }
    }
}

/// A short piece of a table (header words, a wrapped label), not running text or a
/// heading of the narrative.
fn fragment(t: &str) -> bool {
    let part = t.starts_with('第') && t.contains("部分");
    let words: Vec<&str> = t.split_whitespace().collect();
    let header_words = words.len() >= 3 && words.iter().all(|w| w.chars().count() <= 12);
    !part && (t.chars().count() <= 24 || header_words) && !t.contains(['，', '。', '；', ',', ';'])
}

/// Whether a band of the table's nested columns (预算数 over 合计 … 公务接待费) is printed
/// more than once in its header: then the bands stand under the categories (预算数 决算数
/// under each), not over them as in the catalogue, and the amounts run category by
/// category. Reading-order text keeps no positions to tell which amount is whose.
fn bands_repeat(spec: &TableSpec, header_words: &[String]) -> bool {
    let mut bands: Vec<&str> = spec.columns.iter().filter_map(|k| k.split_once('/').map(|b| b.0)).collect();
    bands.sort();
    bands.dedup();
    bands.len() > 1 && bands.iter().any(|b| header_words.iter().filter(|w| normalize_label(w) == *b).count() > 1)
}

fn band_order_warning(spec: &TableSpec) -> String {
    format!(
        "{}: its header prints each band under every category, so its amounts do not run in the catalogue's order; reading-order text keeps no positions to place them, and they were left out",
        spec.id
    )
}

/// The value of a Chinese ordinal opening a label (`十四、…` → 14).
fn ordinal(label: &str) -> Option<u32> {
    let (num, _) = label.split_once('、')?;
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let cs: Vec<char> = num.chars().collect();
    match cs[..] {
        ['十'] => Some(10),
        [a] => digit(a),
        ['十', b] => Some(10 + digit(b)?),
        [a, '十'] => Some(10 * digit(a)?),
        [a, '十', b] => Some(10 * digit(a)? + digit(b)?),
        _ => None,
    }
}

/// The right side's rows of a two-sided table whose labels were wrapped away: a run of
/// them between labels numbered k and m, exactly m − k − 1 long, holds the rows k+1 …
/// m−1; each takes the wrapped label of its number among the table's fragments (the
/// fragment opening with that ordinal, joined with the fragments after it as long as the
/// whole is a classification the catalogue knows). Rows that stay without a label are
/// left out. Returns how many were.
fn ordinals(lines: &mut Vec<Line>, from: usize, spec: &TableSpec, fragments: &[String]) -> usize {
    let at = 1 + spec.sides.first().map_or(0, |s| s.columns.len());
    let rows: Vec<usize> = (from..lines.len()).filter(|&i| lines[i].spans.iter().all(|&s| s == 1) && lines[i].cells.len() > at && lines[i].cells[at + 1..].iter().any(|c| !c.is_empty())).collect();
    let label_for = |k: u32| -> Option<String> {
        let start = fragments.iter().position(|f| ordinal(f) == Some(k))?;
        let mut whole = String::new();
        for f in &fragments[start..(start + 4).min(fragments.len())] {
            if !whole.is_empty() && ordinal(f).is_some() {
                break;
            }
            whole.push_str(f);
            let n = normalize_label(&whole);
            if catalogue().function_class(gongkai_model::strip_ordinal(&n)).is_some() {
                return Some(whole);
            }
        }
        None
    };
    let mut drop: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut prev: u32 = 0;
    while i < rows.len() {
        if !lines[rows[i]].cells[at].is_empty() {
            prev = ordinal(&lines[rows[i]].cells[at]).unwrap_or(prev);
            i += 1;
            continue;
        }
        let j = (i..rows.len()).find(|&j| !lines[rows[j]].cells[at].is_empty()).unwrap_or(rows.len());
        let next = (j < rows.len()).then(|| ordinal(&lines[rows[j]].cells[at])).flatten();
        let fits = next.is_some_and(|m| m > prev && (m - prev - 1) as usize == j - i);
        for (k, &r) in rows[i..j].iter().enumerate() {
            match fits.then(|| label_for(prev + 1 + k as u32)).flatten() {
                Some(l) => lines[r].cells[at] = l,
                None => drop.push(r),
            }
        }
        i = j;
    }
    let n = drop.len();
    for r in drop.into_iter().rev() {
        // The right side's amounts go; a left side placed on the same line stays.
        let l = &mut lines[r];
        for c in &mut l.cells[at..] {
            c.clear();
        }
        if l.filled() == 0 {
            lines.remove(r);
        }
    }
    n
}

/// A line that states something of its table (unit, department, a note, 本表无数据): no
/// row and no fragment.
fn stated(t: &str) -> bool {
    t.starts_with('注')
        || t.contains("单位：")
        || t.contains("单位:")
        || t.starts_with("单位")
        || t.contains("部门：")
        || t.contains("本表无数据")
}

/// The lines of the text, numbered; a table's title and its caption printed on one line
/// (`收入支出决算总表 部门：某局 单位：元`, the caption beside the title) are two lines, the
/// title first, so that the title is found and the caption heads its table.
fn title_apart(s: &str) -> Vec<(u32, &str)> {
    const CAPTION: [&str; 8] = ["编制部门：", "编制部门:", "编制单位：", "编制单位:", "部门：", "部门:", "单位：", "单位:"];
    let mut out = Vec::new();
    for (i, raw) in s.lines().enumerate() {
        let n = i as u32 + 1;
        let at = CAPTION.iter().filter_map(|c| raw.find(c)).min();
        match at.filter(|&k| title_of(raw[..k].trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')).is_some()) {
            Some(k) => out.extend([(n, &raw[..k]), (n, &raw[k..])]),
            None => out.push((n, raw)),
        }
    }
    out
}

/// A title line of a known table, its spec.
fn title_of(t: &str) -> Option<&'static TableSpec> {
    (t.chars().count() <= 40 && t.contains('表') && !t.contains("详见")).then(|| catalogue().match_title(&normalize_label(t))).flatten().filter(|s| s.id != "unknown")
}

/// Read reading-order text into lines.
pub fn read_reading_order(s: &str, enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    let mut lines: Vec<Line> = Vec::new();
    let mut warnings = Vec::new();
    let mut table: Option<(&'static TableSpec, bool, usize)> = None; // (spec, header written, lines left out)
    // The current table's first line and its fragments (wrapped labels, header words).
    let mut from = 0usize;
    let mut fragments: Vec<String> = Vec::new();
    let mut pending: Option<(u32, Vec<String>, Vec<String>)> = None;
    // The header words printed since the last line of amounts (a table's header, for its
    // first row): whether its bands repeat says in which order its columns run.
    let mut since_amounts: Vec<String> = Vec::new();
    // A unit caption (部门：… 单位：元) read outside a table, with only table pieces
    // (header words, amounts) after it: pdftotext -raw prints a table's caption, and
    // some of its cells, above its title; the caption is moved under the title it heads.
    let mut caption: Option<usize> = None;
    let mut held: Option<Line> = None;
    let close = |t: Option<(&'static TableSpec, bool, usize)>, lines: &mut Vec<Line>, from: usize, fragments: &mut Vec<String>, warnings: &mut Vec<String>| {
        let frags = std::mem::take(fragments);
        if let Some((spec, _, mut dropped)) = t {
            if spec.layout == Layout::TwoSided {
                dropped += ordinals(lines, from, spec, &frags);
            }
            if dropped > 0 {
                warnings.push(format!("{}: {dropped} lines of reading-order text could not be placed in its rows with certainty and were left out", spec.id));
            }
        }
    };
    for (n, raw) in title_apart(s) {
        let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
        if t.is_empty() {
            continue;
        }
        if let Some(spec) = title_of(t) {
            // A line of amounts only, the last one read, that no row of the table before
            // took and that holds exactly this single-row table's amounts: printed above
            // its title (pdftotext -raw puts a 三公 table's title after its figures).
            let carried = pending.take().filter(|p| spec.layout == Layout::SingleRow && p.1.len() == spec.columns.len());
            let carried = match carried {
                Some(p) if bands_repeat(spec, &p.2) => {
                    warnings.push(band_order_warning(spec));
                    None
                }
                other => other,
            };
            if carried.is_some() {
                if let Some(t) = table.as_mut() {
                    t.2 -= 1;
                }
            }
            close(table.take(), &mut lines, from, &mut fragments, &mut warnings);
            table = Some((spec, false, 0));
            from = lines.len();
            if let Some((pn, amounts, _)) = carried {
                lines.push(Line { line: Some(n), page: None, cells: vec![t.to_string()], spans: vec![], boxes: vec![] });
                lines.extend(held.take());
                lines.extend(header(spec, pn));
                lines.push(row(pn, amounts));
                table = Some((spec, true, 0));
                continue;
            }
            lines.push(Line { line: Some(n), page: None, cells: vec![t.to_string()], spans: vec![], boxes: vec![] });
            if let Some(k) = caption.take() {
                let c = lines.remove(k);
                from -= 1;
                lines.push(c);
            }
            lines.extend(held.take());
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let has_amount = words.iter().any(|w| is_amount(w));
        let plain = || Line { line: Some(n), page: None, cells: vec![t.to_string()], spans: vec![], boxes: vec![] };
        match table.as_mut() {
            Some((spec, written, dropped)) => {
                if (*written || *dropped > 0) && !has_amount && (t.contains("单位：") || t.contains("单位:")) {
                    // A caption after the table's rows (placed or not) heads the next table.
                    held = Some(plain());
                } else if stated(t) {
                    lines.push(plain());
                } else if has_amount {
                    pending = None;
                    let head = std::mem::take(&mut since_amounts);
                    let order_unknown = !*written && spec.layout == Layout::SingleRow && bands_repeat(spec, &head);
                    if order_unknown {
                        warnings.push(band_order_warning(spec));
                    }
                    match rebuild(spec, &words).filter(|_| !order_unknown) {
                        Some(rows) => {
                            if !*written {
                                lines.extend(header(spec, n));
                                *written = true;
                            }
                            lines.extend(rows.into_iter().map(|cells| row(n, cells)));
                        }
                        None => {
                            *dropped += 1;
                            if words.iter().all(|w| is_amount(w)) {
                                pending = Some((n, words.iter().map(|w| w.to_string()).collect(), head));
                            }
                        }
                    }
                } else if fragment(t) {
                    // Printed header words (the catalogue's header stands for them) and
                    // label fragments, kept for the rows whose labels they are.
                    fragments.push(label(&words));
                    since_amounts.extend(words.iter().map(|w| w.to_string()));
                } else {
                    // Running text: the table has ended.
                    lines.push(plain());
                    close(table.take(), &mut lines, from, &mut fragments, &mut warnings);
                }
            }
            None => {
                if t.contains("单位：") || t.contains("单位:") {
                    caption = Some(lines.len());
                } else if !has_amount && !fragment(t) {
                    caption = None;
                }
                lines.push(plain());
            }
        }
    }
    close(table.take(), &mut lines, from, &mut fragments, &mut warnings);
    lines.extend(held.take());
    if lines.iter().all(|l| l.filled() == 0) {
        return Err(ExtractError::Empty);
    }
    Ok(LaidOut { lines, format: "text-reading-order", encoding: Some(enc.name()), pages: None, warnings, damaged: None })
}

/// A table of pdftotext's default-mode text rebuilt from its columns: where its title
/// stands and where its text ends (indices into the blocks' lines, flattened), its title
/// and captions, its rows.
struct Flowed {
    from: usize,
    to: usize,
    kept: Vec<(u32, String)>,
    rows: Vec<(u32, String)>,
}

/// The coded tables whose cells pdftotext's default mode gave column by column, rebuilt
/// (`plain_columns`), and why the others could not be: a table's text runs from its
/// title to the next title or to running text.
fn flowed_tables(blocks: &[Vec<(u32, &str)>]) -> (Vec<Flowed>, std::collections::HashMap<&'static str, &'static str>) {
    let flat: Vec<(usize, u32, &str)> = blocks.iter().enumerate().flat_map(|(b, ls)| ls.iter().map(move |&(n, t)| (b, n, t))).collect();
    let titles: Vec<usize> = (0..flat.len()).filter(|&i| title_of(flat[i].2).is_some()).collect();
    let mut out = Vec::new();
    let mut why_not = std::collections::HashMap::new();
    for (k, &ti) in titles.iter().enumerate() {
        let spec = title_of(flat[ti].2).expect("a title");
        if spec.codes.is_none() {
            continue;
        }
        let next = titles.get(k + 1).copied().unwrap_or(flat.len());
        let prose = |t: &str| !is_amount(t) && !fragment(t) && !stated(t);
        let to = (ti + 1..next).find(|&i| prose(flat[i].2)).unwrap_or(next);
        let mut groups: Vec<Vec<(u32, &str)>> = Vec::new();
        let mut last = usize::MAX;
        for &(b, n, t) in &flat[ti + 1..to] {
            if b != last {
                groups.push(Vec::new());
                last = b;
            }
            groups.last_mut().expect("a group").push((n, t));
        }
        match crate::plain_columns::rebuild(spec, &groups, &stated) {
            Ok(rows) => {
                let kept = std::iter::once(ti)
                    .chain((ti + 1..to).filter(|&i| stated(flat[i].2)))
                    .map(|i| (flat[i].1, flat[i].2.to_string()))
                    .collect();
                out.push(Flowed { from: ti, to, kept, rows });
            }
            Err(why) => {
                why_not.insert(spec.id.as_str(), why);
            }
        }
    }
    (out, why_not)
}

/// The blocks with each rebuilt table's text replaced: its title and captions, then one
/// block per row.
fn replace_flowed<'a>(blocks: &[Vec<(u32, &'a str)>], rebuilt: &'a [Flowed]) -> Vec<Vec<(u32, &'a str)>> {
    let mut out: Vec<Vec<(u32, &'a str)>> = Vec::new();
    let mut i = 0;
    let mut flowed = rebuilt.iter().peekable();
    for b in blocks {
        let mut cur: Vec<(u32, &'a str)> = Vec::new();
        for &(n, t) in b {
            let at = i;
            i += 1;
            if let Some(f) = flowed.peek().filter(|f| f.from == at) {
                out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
                out.extend(f.kept.iter().chain(&f.rows).map(|(n, t)| vec![(*n, t.as_str())]));
                continue;
            }
            if let Some(f) = flowed.peek().filter(|f| f.from < at && at < f.to) {
                if at + 1 == f.to {
                    flowed.next();
                }
                continue;
            }
            cur.push((n, t));
        }
        out.extend((!cur.is_empty()).then_some(cur));
    }
    out
}

/// A cell of one-cell-per-line text: its line, its text, whether it is an amount.
struct PlainCell {
    line: u32,
    text: String,
    amount: bool,
}

/// The table being read from one-cell-per-line text: its spec, where its lines begin in
/// the output, whether its rows have begun, whether its cells ran out of row order.
struct PlainTable {
    spec: &'static TableSpec,
    from: usize,
    rows_began: bool,
    disordered: bool,
}

/// pdftotext's default mode: each text block on lines of its own, blocks parted by blank
/// lines; a table's cells mostly one per block, in rows, but where cells stand close a
/// block holds a column of them (its lines are cells of different rows). Rows are put
/// back on one line each (`[code] label [行次] amounts`) and then read as any
/// reading-order text, where the catalogue places them. Certain only where the cells
/// come in row order: a table whose text shows them out of it (a block holding amounts
/// on several lines, an amount before a label on one line, a second label before any
/// amount once its rows began) keeps none of its rows, with a warning.
pub fn read_plain(s: &str, enc: TextEncoding) -> Result<LaidOut, ExtractError> {
    // Blocks: runs of non-blank lines (a form feed opens a line of the next page).
    let mut blocks: Vec<Vec<(u32, &str)>> = Vec::new();
    let mut cur: Vec<(u32, &str)> = Vec::new();
    for (i, raw) in s.lines().enumerate() {
        let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
        if (t.is_empty() || raw.contains('\u{c}')) && !cur.is_empty() {
            blocks.push(std::mem::take(&mut cur));
        }
        if !t.is_empty() {
            cur.push((i as u32 + 1, t));
        }
    }
    blocks.extend((!cur.is_empty()).then_some(cur));
    // Tables whose cells came column by column are rebuilt whole where that is certain,
    // their text then replaced by the title, its captions and one line per row.
    let (rebuilt, why_not) = flowed_tables(&blocks);
    let blocks = replace_flowed(&blocks, &rebuilt);
    // (line, text, is a row) in the order read.
    let mut out: Vec<(u32, String, bool)> = Vec::new();
    let mut warnings = Vec::new();
    let mut table: Option<PlainTable> = None;
    let mut row: Vec<PlainCell> = Vec::new();
    let flush = |row: &mut Vec<PlainCell>,
                 out: &mut Vec<(u32, String, bool)>,
                 table: &Option<PlainTable>| {
        // Nothing of a table out of row order is passed on: its cells read alone would
        // be taken for rows of their own.
        // A row with another number of amounts than its table's columns (a side's, in a
        // summary) shows cells moved out of their rows: the others may hold one too.
        let bad = table.as_ref().is_some_and(|t| t.disordered);
        let amounts = row.iter().filter(|c| c.amount).count();
        let mut fits = true;
        if bad {
        } else if amounts > 0 {
            if let Some(t) = table {
                let n: Vec<usize> = match t.spec.layout {
                    Layout::TwoSided => {
                        let c: Vec<usize> = t.spec.sides.iter().map(|s| s.columns.len()).collect();
                        vec![c.iter().sum(), c[0], c[c.len() - 1]]
                    }
                    Layout::BasicDetail => vec![amounts],
                    _ => vec![t.spec.columns.len()],
                };
                // More amounts than a row holds, a multiple of them: rows whose labels
                // were printed elsewhere, left out alone (the reading-order rules drop it);
                // fewer: a cell of this row may stand in another.
                let standard = !matches!(
                    t.spec.layout,
                    Layout::TwoSided | Layout::BasicDetail | Layout::SingleRow
                );
                fits = n.contains(&amounts) || standard && n[0] > 1 && amounts % n[0] == 0;
            }
            if fits {
                out.push((
                    row[0].line,
                    row.iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    true,
                ));
            }
        } else {
            out.extend(row.iter().map(|c| (c.line, c.text.clone(), false)));
        }
        row.clear();
        fits
    };
    let disorder = |table: &mut Option<PlainTable>,
                    out: &mut Vec<(u32, String, bool)>,
                    warnings: &mut Vec<String>| {
        if let Some(t) = table.as_mut().filter(|t| !t.disordered) {
            t.disordered = true;
            let kept: Vec<(u32, String, bool)> = out
                .drain(t.from..)
                .filter(|l| !l.2 && (title_of(&l.1).is_some() || stated(&l.1)))
                .collect();
            out.extend(kept);
            let flow = why_not.get(t.spec.id.as_str()).map(|w| format!(" (read column by column, {w})")).unwrap_or_default();
            warnings.push(format!("{}: the text gives this table's cells out of row order (one cell per line, columns flowed together); its rows cannot be rebuilt with certainty{flow} and were left out", t.spec.id));
        }
    };
    let number = |w: &str| w.bytes().all(|c| c.is_ascii_digit());
    for b in &blocks {
        let with_amounts = b
            .iter()
            .filter(|(_, t)| t.split_whitespace().any(is_amount))
            .count();
        if b.len() > 1 && with_amounts > 0 {
            // A block of several lines holding amounts: a column of cells of several rows.
            if !flush(&mut row, &mut out, &table) {
                disorder(&mut table, &mut out, &mut warnings);
            }
            disorder(&mut table, &mut out, &mut warnings);
            if table.is_none() {
                out.extend(b.iter().map(|&(n, t)| (n, t.to_string(), false)));
            }
            continue;
        }
        // A block of several lines without amounts in a table: a label wrapped in its
        // cell, joined; in a two-sided summary (no codes to pin a row) after its rows
        // began, a column of labels flowed together.
        let in_table = table.is_some()
            && b.iter().all(|(_, t)| {
                title_of(t).is_none()
                    && fragment(t)
                    && !stated(t)
                    && !t.starts_with(|c: char| c.is_ascii_digit())
            });
        let whole: String = b.iter().map(|(_, t)| *t).collect();
        let joined: Vec<(u32, String)> = if b.len() > 1 && in_table && fragment(&whole) {
            if table
                .as_ref()
                .is_some_and(|t| t.rows_began && t.spec.layout == Layout::TwoSided)
            {
                if !flush(&mut row, &mut out, &table) {
                    disorder(&mut table, &mut out, &mut warnings);
                }
                disorder(&mut table, &mut out, &mut warnings);
            }
            vec![(b[0].0, whole)]
        } else {
            b.iter().map(|&(n, t)| (n, t.to_string())).collect()
        };
        for (n, t) in &joined {
            let (n, t) = (*n, t.as_str());
            if let Some(spec) = title_of(t) {
                if !flush(&mut row, &mut out, &table) {
                    disorder(&mut table, &mut out, &mut warnings);
                }
                table = Some(PlainTable {
                    spec,
                    from: out.len(),
                    rows_began: false,
                    disordered: false,
                });
                out.push((n, t.to_string(), false));
                continue;
            }
            let words: Vec<&str> = t.split_whitespace().collect();
            let has_amount = words.iter().any(|w| is_amount(w));
            if table.is_none() || stated(t) || (!has_amount && !fragment(t)) {
                if !flush(&mut row, &mut out, &table) {
                    disorder(&mut table, &mut out, &mut warnings);
                }
                if !stated(t) && !has_amount && !fragment(t) {
                    table = None; // running text: the table has ended
                }
                out.push((n, t.to_string(), false));
                continue;
            }
            for (k, w) in words.iter().enumerate() {
                let amount = is_amount(w);
                let started = row.iter().any(|c| c.amount);
                // Header words (repeated atop a page) part rows and are no label.
                let nw = normalize_label(w);
                // A number opening a row is a 栏次 or 行次, not part of its label.
                if !amount && row.is_empty() && number(w) && !is_code(w) {
                    out.push((n, w.to_string(), false));
                    continue;
                }
                let column_name = crate::layout_text::known_header(&nw)
                    && !matches!(nw.as_str(), "合计" | "总计")
                    && table
                        .as_ref()
                        .is_some_and(|t| t.spec.layout != Layout::TwoSided);
                if !amount && !number(w) && (catalogue().is_header_word(&nw) || column_name) {
                    if !flush(&mut row, &mut out, &table) {
                        disorder(&mut table, &mut out, &mut warnings);
                    }
                    out.push((n, w.to_string(), false));
                    continue;
                }
                if amount {
                    if let Some(t) = table.as_mut() {
                        t.rows_began = true;
                    }
                } else if started {
                    // A label after amounts: the row has ended; on the same line, the
                    // cells of two rows.
                    if k > 0 {
                        disorder(&mut table, &mut out, &mut warnings);
                    }
                    if !flush(&mut row, &mut out, &table) {
                        disorder(&mut table, &mut out, &mut warnings);
                    }
                } else if !number(w) || is_code(w) && row.iter().any(|c| !number(&c.text)) {
                    // A code opens a row; a second label before any amount is header
                    // words before the rows began, cells out of row order after.
                    let labels = row.iter().filter(|c| !number(&c.text)).count();
                    if is_code(w) || labels > 0 {
                        if labels > 0 && !is_code(w) && table.as_ref().is_some_and(|t| t.rows_began)
                        {
                            disorder(&mut table, &mut out, &mut warnings);
                        }
                        if !flush(&mut row, &mut out, &table) {
                            disorder(&mut table, &mut out, &mut warnings);
                        }
                    }
                }
                row.push(PlainCell {
                    line: n,
                    text: w.to_string(),
                    amount,
                });
            }
        }
    }
    if !flush(&mut row, &mut out, &table) {
        disorder(&mut table, &mut out, &mut warnings);
    }
    let text: String = out.iter().map(|l| format!("{}\n", l.1)).collect();
    let mut laid = read_reading_order(&text, enc)?;
    for l in &mut laid.lines {
        l.line = l.line.and_then(|k| out.get(k as usize - 1)).map(|o| o.0);
    }
    warnings.append(&mut laid.warnings);
    laid.warnings = warnings;
    Ok(laid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_from_the_catalogue_and_nothing_guessed() {
        let text = "收入决算表\n单位：万元\n科目编码 科目名称 本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入\n\
                    合计 11,397.81 11,396.65 0.00 0.00 0.00 0.00 1.16\n\
                    2011199 0.36 0.36 0.00 0.00 0.00 0.00 0.00\n\
                    201 一般公共服务支出 5.01 5.01 0.00\n\
                    其他纪检监察事务支\n";
        let laid = read_reading_order(text, TextEncoding::Utf8).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells[0], ["收入决算表"]);
        assert_eq!(cells[1], ["单位：万元"]);
        assert_eq!(cells[2][..3], ["科目编码", "科目名称", "本年收入合计"]);
        assert_eq!(cells[3], ["", "合计", "11,397.81", "11,396.65", "0.00", "0.00", "0.00", "0.00", "1.16"]);
        assert_eq!(cells[4][..3], ["2011199", "", "0.36"]);
        // Three amounts for seven columns, and a fragment: left out, counted.
        assert_eq!(cells.len(), 5);
        assert!(laid.warnings[0].contains("1 lines"), "{:?}", laid.warnings);
    }

    /// pdftotext -raw of a budget summary whose labels were wrapped away: its caption and
    /// part of its rows come out above its title, and lines of 行次 and an amount remain.
    #[test]
    fn row_numbers_are_no_labels_and_a_caption_above_the_title_heads_it() {
        let text = "某部门2025年部门预算\n部门：某部门 单位：元\n本年收入 本年支出\n项目 行次 预算数 项目 行次 预算数\n\
                    1 371,514,655.00 1 21,601,733.00\n2025年部门财务收支预算总表\n一、财政拨\n款收入\n\
                    3 3 3,808,085.00\n收入总计 8 371,514,655.00 支出总计 8 371,514,655.00\n\
                    部门：某部门 单位：万元\n2025年财政拨款收支总表\n";
        let laid = read_reading_order(text, TextEncoding::Utf8).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        let title = cells.iter().position(|c| c[0] == "2025年部门财务收支预算总表").unwrap();
        assert_eq!(cells[title + 1], ["部门：某部门 单位：元"]);
        assert!(!cells[..title].iter().any(|c| c[0].contains("单位")), "{cells:?}");
        // `3 3 3,808,085.00`: two 行次 and an amount whose label is lost, never a row `3`.
        assert!(!cells.iter().any(|c| c.iter().any(|x| x == "3")), "{cells:?}");
        assert!(cells.iter().any(|c| c.first().is_some_and(|x| x == "收入总计")), "{cells:?}");
        // A caption after a table's rows heads the table titled next.
        let next = cells.iter().position(|c| c[0] == "2025年财政拨款收支总表").unwrap();
        assert_eq!(cells[next + 1], ["部门：某部门 单位：万元"]);
    }

    #[test]
    fn summary_sides_by_count_or_words() {
        let text = "收入支出决算总表\n附属单位上缴收入 0.00 0.00\n上级补助收入 0.00 四、公共安全支出 0.00\n二十三、其他支出 5,501.16\n总计 11,397.91\n";
        let laid = read_reading_order(text, TextEncoding::Utf8).unwrap();
        let rows: Vec<Vec<String>> = laid.lines.iter().filter(|l| l.cells.iter().any(|c| is_amount(c))).map(|l| l.cells.clone()).collect();
        // 附属单位上缴收入 opens its line: the left side, with the first amount; the second
        // amount's label was wrapped away. 总计 is on either side: left out.
        assert_eq!(
            rows,
            vec![
                vec!["附属单位上缴收入", "0.00", "", ""],
                vec!["上级补助收入", "0.00", "四、公共安全支出", "0.00"],
                vec!["", "", "二十三、其他支出", "5,501.16"]
            ]
        );
    }

    #[test]
    fn one_cell_per_line_rows_in_order_and_none_out_of_it() {
        // pdftotext's default mode: cells one per block. The income rows come in order;
        // the 支出 rows of the second table give a block holding a column of amounts.
        let cells = |v: &[&str]| v.iter().map(|c| format!("{c}\n\n")).collect::<String>();
        let mut text = cells(&["收入决算表", "单位：万元", "科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]);
        text += &cells(&["合计", "11.00", "10.00", "0.00", "0.00", "0.00", "0.00", "1.00"]);
        text += &cells(&["201", "一般公共服务支出", "5.01", "5.01", "0.00", "0.00", "0.00", "0.00", "0.00"]);
        text += &cells(&["20105", "统计信息事务", "4.65", "4.65", "0.00", "0.00", "0.00", "0.00", "0.00"]);
        text += "其他纪检监察事务\n支出\n\n";
        text += &cells(&["0.36", "0.36", "0.00", "0.00", "0.00", "0.00", "0.00"]);
        text += &cells(&["支出决算表", "单位：万元", "科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]);
        text += &cells(&["201", "一般公共服务支出", "5.01"]);
        text += "1.00\n4.01\n\n";
        assert_eq!(crate::detect::text_dialect(&text), "text-plain");
        let laid = read_plain(&text, TextEncoding::Utf8).unwrap();
        let rows: Vec<Vec<String>> = laid.lines.iter().filter(|l| l.cells.iter().any(|c| is_amount(c))).map(|l| l.cells.clone()).collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0][..3], ["", "合计", "11.00"]);
        assert_eq!(rows[2][..3], ["20105", "统计信息事务", "4.65"]);
        // the wrapped label joined, its line's amounts its own
        assert_eq!(rows[3][..4], ["", "其他纪检监察事务支出", "0.36", "0.36"]);
        // the expenditure table: nothing kept, and said so
        assert!(laid.warnings.iter().any(|w| w.starts_with("expenditure: the text gives")), "{:?}", laid.warnings);
        // a row's line is where its first cell stood
        assert!(laid.lines.iter().any(|l| l.cells.get(1).is_some_and(|c| c == "统计信息事务") && l.line.is_some()));
    }

    /// pdftotext's default mode on a dense coded table: its codes in one block, its labels
    /// in another, then for each run of rows one block per value column. Rebuilt where the
    /// counts and the table's arithmetic leave one way; a blank cell (a block shorter than
    /// its run's) or a block of amounts standing in the wrong rows (a row sum fails) keeps
    /// nothing of it, and says why.
    #[test]
    fn a_table_given_column_by_column_is_rebuilt_only_where_its_arithmetic_proves_it() {
        let block = |v: &[&str]| v.iter().map(|c| format!("{c}\n")).collect::<String>() + "\n";
        let rows: [[&str; 7]; 5] = [
            ["5.01", "5.00", "0.00", "0.00", "0.00", "0.00", "0.01"], // 合计
            ["5.01", "5.00", "0.00", "0.00", "0.00", "0.00", "0.01"], // 201
            ["5.01", "5.00", "0.00", "0.00", "0.00", "0.00", "0.01"], // 20105
            ["3.00", "3.00", "0.00", "0.00", "0.00", "0.00", "0.00"], // 2010550
            ["2.01", "2.00", "0.00", "0.00", "0.00", "0.00", "0.01"], // 2010599
        ];
        let text = |rows: &[[&str; 7]], header: bool| {
            let mut t = block(&["收入决算表", "单位：万元", "科目编码", "201", "20105", "2010550", "2010599"]);
            t += &block(&["科目名称", "合计", "一般公共服务支出", "统计信息事务", "事业运行", "其他统计信息事务支出"]);
            // Runs of two rows, one row, two rows; the first run's blocks open with their
            // column's header.
            let heads = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"];
            for run in [0..2, 2..3, 3..5] {
                for j in 0..7 {
                    let cells: Vec<&str> = rows[run.clone()].iter().map(|r| r[j]).filter(|c| !c.is_empty()).collect();
                    let head: Vec<&str> = (header && run.start == 0).then_some(heads[j]).into_iter().collect();
                    t += &block(&[head, cells].concat());
                }
            }
            t + "说明：以上数据为决算数，本表金额单位为万元，合计数与分项之和的差为四舍五入所致。\n"
        };
        let laid = read_plain(&text(&rows, true), TextEncoding::Utf8).unwrap();
        let got: Vec<Vec<String>> = laid.lines.iter().filter(|l| l.cells.iter().any(|c| is_amount(c))).map(|l| l.cells.clone()).collect();
        assert_eq!(got.len(), 5, "{:?} {:?}", got, laid.warnings);
        assert_eq!(got[0][..4], ["", "合计", "5.01", "5.00"]);
        assert_eq!(got[3][..4], ["2010550", "事业运行", "3.00", "3.00"]);
        assert_eq!(got[4], ["2010599", "其他统计信息事务支出", "2.01", "2.00", "0.00", "0.00", "0.00", "0.00", "0.01"]);
        assert!(laid.lines.iter().any(|l| l.cells == ["单位：万元"]));
        // A zero printed blank: its block is a cell short, nothing is kept.
        let mut blank = rows;
        blank[2][3] = "";
        let laid = read_plain(&text(&blank, true), TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| is_amount(c))), "{:?}", laid.lines);
        assert!(laid.warnings.iter().any(|w| w.starts_with("income:") && w.contains("column by column")), "{:?}", laid.warnings);
        // The two leaves' 本年收入合计 swapped: every count fits, the row sums do not.
        let mut moved = rows;
        (moved[3][0], moved[4][0]) = (moved[4][0], moved[3][0]);
        let laid = read_plain(&text(&moved, false), TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| is_amount(c))), "{:?}", laid.lines);
        assert!(laid.warnings.iter().any(|w| w.contains("not the sum of its parts")), "{:?}", laid.warnings);
    }

    /// pdftotext -raw of a print with the caption beside the title: one line holds both
    /// (`收入决算表 部门：某局 单位：元`). The title is found and the caption heads its table;
    /// without it no table was found (`not_a_disclosure`).
    #[test]
    fn a_title_and_its_caption_on_one_line_are_apart() {
        let text = "收入决算表 部门：上海市某局 单位：元\n项目 本年收入合计 财政拨款收入\n201 一般公共服务支出 1.00 1.00 0.00 0.00 0.00 0.00 0.00\n";
        let laid = read_reading_order(text, TextEncoding::Utf8).unwrap();
        let cells: Vec<Vec<String>> = laid.lines.iter().map(|l| l.cells.clone()).collect();
        let t = cells.iter().position(|c| c[0] == "收入决算表").unwrap_or_else(|| panic!("{cells:?}"));
        assert_eq!(cells[t + 1], ["部门：上海市某局 单位：元"]);
    }

    /// A 三公 table printed category-first (预算数 决算数 under each category): its amounts
    /// run 合计预算, 合计决算, 因公出国预算 … which the catalogue's split-first order would put
    /// under the wrong columns. No row; printed split-first (each band once), one row.
    #[test]
    fn a_three_public_header_with_bands_under_each_category_places_no_row() {
        let amounts = "13.87 13.33 0.00 0.00 10.36 10.36 0.00 0.00 10.36 10.36 3.51 2.97";
        let category_first = format!(
            "一般公共预算财政拨款\"三公\"经费支出决算表\n单位：万元\n合计 因公出国(境)费 公务用车购置及运行维护费 公务接待费\n预算数 决算数 预算数 决算数\n小计 公务用车购置费 公务用车运行维护费\n预算数 决算数 预算数 决算数 预算数 决算数\n{amounts}\n"
        );
        let laid = read_reading_order(&category_first, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "13.87")), "{:?}", laid.lines);
        assert!(laid.warnings.iter().any(|w| w.contains("each band under every category")), "{:?}", laid.warnings);
        let split_first = format!(
            "一般公共预算财政拨款\"三公\"经费支出决算表\n单位：万元\n预算数 决算数\n合计 因公出国(境)费 公务用车购置及运行维护费 公务接待费\n小计 公务用车购置费 公务用车运行维护费\n{amounts}\n"
        );
        let laid = read_reading_order(&split_first, TextEncoding::Utf8).unwrap();
        assert!(laid.lines.iter().any(|l| l.cells.iter().any(|c| c == "13.87")), "{:?}", laid.lines);
    }

    /// A summary line whose left side's amounts are blank: its label, a 行次 and the right
    /// side's label and amounts run together (`其他收入 8 八、社会保障和就业支出 10.82`).
    /// Which label the amounts are whose is not certain: no row, never one keyed
    /// `其他收入8八、社会保障和就业支出`.
    #[test]
    fn two_labels_run_together_place_no_row() {
        let text = "收入支出决算总表\n其他收入 8 八、社会保障和就业支出 10.82\n其他收入 八、社会保障和就业支出 10.82\n";
        let laid = read_reading_order(text, TextEncoding::Utf8).unwrap();
        assert!(!laid.lines.iter().any(|l| l.cells.iter().any(|c| c.contains("其他收入") && c.contains("八、"))), "{:?}", laid.lines);
        assert!(laid.warnings.iter().any(|w| w.contains("2 lines")), "{:?}", laid.warnings);
    }
}
