//! Finds the parts of a disclosure in its lines: the nine tables (by title, not by
//! number), each table's unit, printed number, note and empty-table statement, and
//! the numbered parts (第一部分 … 第五部分) with their numbered sections.

pub mod toc;

use std::sync::OnceLock;

use gongkai_extract::Line;
use gongkai_model::{catalogue, normalize_label, Location, Part, Section, TableSpec};
use regex::Regex;

/// The lines of one table, from its title to its end.
#[derive(Debug, Clone)]
pub struct TableBlock<'a> {
    pub spec: &'static TableSpec,
    pub title: String,
    pub printed_number: Option<String>,
    /// Unit read in the table's own header lines.
    pub unit_header: Option<String>,
    /// Unit stated in the table's note (本表金额转换为万元时 …).
    pub unit_note: Option<String>,
    pub department: Option<String>,
    /// The body: every line after the title up to the note or the next table.
    pub body: &'a [Line],
    /// Indices into `body` of the table matter printed again at the top of a continuation
    /// page (the title, its number, unit and department captions): not rows.
    pub repeated: Vec<usize>,
    pub note: Option<String>,
    pub empty_statement: Option<String>,
    pub start: Location,
    pub end: Location,
}

#[derive(Debug, Clone)]
pub struct Segmented<'a> {
    pub title: Option<String>,
    pub department: Option<String>,
    pub year: Option<u32>,
    pub kind: Option<String>,
    pub scope: Option<String>,
    pub tables: Vec<TableBlock<'a>>,
    pub parts: Vec<Part>,
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

fn unit_re() -> &'static Regex {
    gongkai_extract::unit_caption()
}
fn note_unit_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?:转换为|单位为|单位[:：])\s*(亿元|万元|元)")
}
fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"公开\s*([0-9０-９]{1,2})\s*表")
}
/// Where table matter starts after a title in the same cell: a caption (部门：, 单位：,
/// 编制单位：, 金额单位：) or the printed number, after white space.
fn trailing_matter_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\s+(?:(?:编制|金额)?(?:部门|单位)\s*[:：]|公开\s*[0-9０-９]{1,2}\s*表|(?:19|20)\d{2}\s*年度?\s*$)")
}
fn part_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^第([一二三四五六七八九十])部分\s*(.*)$")
}
fn section_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^([一二三四五六七八九十]{1,3})、\s*(.+)$")
}
fn year_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"((?:19|20)\d{2})\s*年")
}
/// A caption its cell clipped (a narrow cell prints `单位：万元` as `单位：` or `单`): a start
/// of a caption word and its colon, with nothing after it.
fn clipped_caption(c: &str) -> bool {
    let c = c.replace(':', "：");
    !c.is_empty() && ["单位：", "部门：", "编制部门：", "编制单位：", "金额单位："].iter().any(|w| w.starts_with(c.as_str()))
}
fn dept_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:编制)?(?:部门|单位|编制单位)\s*[:：]\s*(\S+)")
}

/// Strip extraction markup: markdown list markers, headings and emphasis.
fn plain(line: &Line) -> String {
    plain_text(&line.text())
}

fn plain_text(t: &str) -> String {
    let t = t.trim();
    let t = t.trim_start_matches("- ").trim_start_matches('#').trim();
    t.replace("**", "").replace("<u>", "").replace("</u>", "").trim().to_string()
}

fn cn_number(s: &str) -> u32 {
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => 10,
        [a] => digit(*a).unwrap_or(0),
        ['十', b] => 10 + digit(*b).unwrap_or(0),
        [a, '十'] => digit(*a).unwrap_or(0) * 10,
        [a, '十', b] => digit(*a).unwrap_or(0) * 10 + digit(*b).unwrap_or(0),
        _ => 0,
    }
}

/// A title line: one short text naming a catalogue table.
fn title_candidate(line: &Line) -> Option<&'static TableSpec> {
    let p = title_text(line)?;
    if p.contains('。') || p.contains('，') || p.chars().count() > 60 || !p.ends_with('表') {
        return None;
    }
    catalogue().match_title(&normalize_label(&p))
}

/// The title a line prints: its one cell, or the one cell beside table matter printed on
/// the same line (公开02表, 单位：万元, 部门：…, 2024年度); a closing `(公开02表)` is dropped.
/// A cell of table matter beside a title: 公开02表, 单位：万元, 部门：…, 2024年度.
fn matter(c: &str) -> bool {
    let c = c.trim();
    number_re().is_match(c) && c.chars().count() <= 8
        || unit_re().is_match(c)
        || dept_re().is_match(c)
        || clipped_caption(c)
        || year_re().find(c).is_some_and(|m| c.trim_end_matches('度').len() == m.end())
}

fn title_text(line: &Line) -> Option<String> {
    let cells: Vec<&String> = line.cells.iter().filter(|c| !c.trim().is_empty()).collect();
    let rest: Vec<&&String> = cells.iter().filter(|c| !matter(c)).collect();
    let one = match (cells.len(), rest.as_slice()) {
        (1, _) => cells[0].as_str(),
        (_, [only]) => only.as_str(),
        _ => return None,
    };
    let mut p = plain_text(one);
    // Table matter run into the title's own cell (a producer that joins the caption
    // printed beside the title: `…决算表 部门：… 单位：万元`) is not part of the title.
    if let Some(m) = trailing_matter_re().find(&p) {
        let head = p[..m.start()].trim_end();
        if head.ends_with('表') {
            p = head.to_string();
        }
    }
    let trimmed = p.trim_end();
    for close in [')', '）'] {
        if let Some(body) = trimmed.strip_suffix(close) {
            if let Some(open) = body.rfind(['(', '（']) {
                if number_re().is_match(&body[open..]) {
                    return Some(body[..open].trim_end().to_string());
                }
            }
        }
    }
    Some(p)
}

/// A title of a table the catalogue does not know: a short line of its own ending in 表
/// that is no sentence and no reference to a table elsewhere (见…表).
fn unknown_title(line: &Line) -> bool {
    let Some(p) = title_text(line) else { return false };
    let n = p.chars().count();
    (4..=30).contains(&n)
        && p.ends_with('表')
        && !p.contains(['。', '，', ',', '：', ':'])
        && !p.contains('见')
        && !number_re().is_match(&p)
        && title_candidate(line).is_none()
        && is_part_heading(line).is_none()
}

/// A grid row (three or more cells) within a few lines, before any other title.
fn grid_follows(lines: &[Line], i: usize) -> bool {
    for l in lines.iter().skip(i + 1).take(8) {
        if title_candidate(l).is_some() || is_part_heading(l).is_some() || unknown_title(l) {
            return false;
        }
        if l.filled() >= 3 {
            return true;
        }
    }
    false
}

fn is_part_heading(line: &Line) -> Option<(u32, String)> {
    let p = plain(line);
    if p.chars().count() > 40 || p.contains('。') {
        return None;
    }
    let c = part_re().captures(&p)?;
    Some((cn_number(&c[1]), c[2].trim().to_string()))
}

/// A title candidate starts a table when table matter follows it (a 公开NN表 marker,
/// a 单位 line or a multi-cell row) before the next candidate: this tells a table's
/// title from the same words in the 目录.
fn starts_table(lines: &[Line], i: usize) -> bool {
    for l in lines.iter().skip(i + 1).take(14) {
        if title_candidate(l).is_some() || is_part_heading(l).is_some() {
            return false;
        }
        let t = l.text();
        if l.filled() >= 3 || number_re().is_match(&t) || unit_re().is_match(&t) || dept_re().is_match(plain(l).as_str()) {
            return true;
        }
    }
    false
}

pub fn segment(lines: &[Line]) -> Segmented<'_> {
    let mut starts: Vec<(usize, &'static TableSpec)> = (0..lines.len())
        .filter_map(|i| title_candidate(&lines[i]).map(|s| (i, s)))
        .filter(|(i, _)| starts_table(lines, *i))
        .collect();
    // Any other titled table with a grid under it is kept too (unknown:<title>).
    if let Some(unknown) = catalogue().table("unknown") {
        let known: Vec<usize> = starts.iter().map(|s| s.0).collect();
        starts.extend(
            (0..lines.len())
                .filter(|i| !known.contains(i) && unknown_title(&lines[*i]) && grid_follows(lines, *i))
                .map(|i| (i, unknown)),
        );
        starts.sort_by_key(|s| s.0);
    }
    let part_heads: Vec<(usize, u32, String)> = (0..lines.len())
        .filter_map(|i| is_part_heading(&lines[i]).map(|(n, t)| (i, n, t)))
        .collect();

    // A title printed again at the top of the next page (print titles that include the
    // title rows) continues its table: the lines it repeats are marked, not a new table.
    let mut kept: Vec<(usize, &'static TableSpec, Vec<usize>)> = Vec::new();
    for &(i, spec) in &starts {
        if let Some((pi, pspec, repeated)) = kept.last_mut() {
            let part_between = part_heads.iter().any(|p| p.0 > *pi && p.0 < i);
            if !part_between {
                if let Some(matter) = continuation(lines, *pi, pspec, i, spec) {
                    repeated.extend(matter);
                    continue;
                }
            }
        }
        kept.push((i, spec, Vec::new()));
    }
    // Each table's matter printed above its title, which ends the table before it.
    let leads: Vec<std::ops::Range<usize>> = (0..kept.len())
        .map(|k| {
            let from = if k == 0 { 0 } else { kept[k - 1].0 + 1 };
            let from = part_heads.iter().map(|p| p.0 + 1).filter(|&p| p <= kept[k].0).fold(from, usize::max);
            lead(lines, from, kept[k].0)
        })
        .collect();
    let mut tables = Vec::new();
    for (k, (i, spec, repeated)) in kept.iter().enumerate() {
        let i = *i;
        let next_table = kept.get(k + 1).map(|_| leads[k + 1].start).unwrap_or(lines.len());
        let next_part = part_heads.iter().map(|p| p.0).find(|&p| p > i).unwrap_or(lines.len());
        let end = next_table.min(next_part);
        let mut block = table_block(lines, i, end, spec, leads[k].clone());
        block.repeated = repeated.iter().filter(|&&j| j > i && j - i - 1 < block.body.len()).map(|&j| j - i - 1).collect();
        tables.push(block);
    }

    // The last heading of each part number is the real one: the 目录 lists them first.
    let mut parts = Vec::new();
    for (idx, &(i, n, ref title)) in part_heads.iter().enumerate() {
        if part_heads[idx + 1..].iter().any(|p| p.1 == n) {
            continue;
        }
        let end = part_heads.iter().map(|p| p.0).find(|&p| p > i).unwrap_or(lines.len());
        let end = if n == 2 { i + 1 } else { end };
        parts.push(part(lines, i, end, n, title));
    }

    let title = cover_title(lines);
    let year = title.as_deref().and_then(|t| year_re().captures(t)).and_then(|c| c[1].parse().ok());
    let kind = title.as_deref().and_then(|t| {
        if t.contains("决算") {
            Some("final_accounts".to_string())
        } else if t.contains("预算") {
            Some("budget".to_string())
        } else {
            None
        }
    });
    // A budget has no 第X部分: its narrative is the explanations headed `…说明`
    // (2025年部门预算编制说明, 其他相关情况说明), each up to the next heading or table.
    if parts.is_empty() && kind.as_deref() == Some("budget") {
        let heads: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let p = plain(&lines[i]);
                // `一、…说明` is a section of the explanation it stands in (or a 目录 line).
                lines[i].filled() == 1
                    && p.chars().count() <= 30
                    && p.ends_with("说明")
                    && !p.contains('，')
                    && !p.contains('。')
                    && !section_re().is_match(&p)
            })
            .collect();
        for (k, &i) in heads.iter().enumerate() {
            let next_head = heads.get(k + 1).copied().unwrap_or(lines.len());
            let next_table = starts.iter().map(|t| t.0).find(|&t| t > i).unwrap_or(lines.len());
            parts.push(part(lines, i, next_head.min(next_table), 0, &plain(&lines[i])));
        }
    }
    let department = most_common(tables.iter().filter_map(|t| t.department.clone())).or_else(|| {
        let t = title.as_deref()?;
        let after_year = year_re().find(t).map(|m| &t[m.end()..]).unwrap_or(t);
        let after_year = after_year.trim_start_matches('度');
        let name = after_year.split("部门决算").next()?.split("部门预算").next()?;
        if !name.is_empty() && name != after_year {
            return Some(name.to_string());
        }
        // 上海市普陀区财政局2024年度部门决算: the name comes before the year.
        let before = year_re().find(t).map(|m| &t[..m.start()])?;
        (!before.is_empty()).then(|| before.to_string())
    });
    // Scope: the cover or title first, else the first table caption that states one.
    let scope = title
        .as_deref()
        .and_then(|t| catalogue().scope_of(t))
        .or_else(|| lines.iter().take(40).find_map(|l| catalogue().scope_of(&plain(l))))
        .or_else(|| tables.iter().find_map(|t| t.body.iter().take(3).find_map(|l| catalogue().scope_of(&plain(l)))))
        .map(str::to_string);
    Segmented { title, department, year, kind, scope, tables, parts }
}

/// The document's title: its first line, or the first lines of a cover that sets the
/// title over several lines (上海市普陀区财政局 / 2024年度部门决算), up to the one naming
/// the 决算 or 预算.
fn cover_title(lines: &[Line]) -> Option<String> {
    let first: Vec<String> = lines.iter().map(plain).filter(|t| !t.is_empty()).take(4).collect();
    let names = |t: &str| t.contains("决算") || t.contains("预算");
    let Some(end) = first.iter().position(|t| names(t)) else { return first.first().cloned() };
    let short = first[..=end].iter().all(|t| t.chars().count() <= 30 && !t.contains('。'));
    if short { Some(first[..=end].concat()) } else { first.first().cloned() }
}

/// The most frequent item; a tie goes to the first seen, so the result is deterministic.
pub fn most_common<T: PartialEq>(it: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for s in it {
        match counts.iter_mut().find(|c| c.0 == s) {
            Some(c) => c.1 += 1,
            None => counts.push((s, 1)),
        }
    }
    let max = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == max).map(|c| c.0)
}

/// Does the title at line `i` continue the table titled at line `pi`? The same table (spec
/// and printed title), at the top of the page after the one the table has reached (only
/// lines of one cell, a running header, before it on its page), the table not closed by a
/// note, and no other department named in its captions. Returns the lines it repeats: the
/// title and the table matter up to the next row of cells.
fn continuation(lines: &[Line], pi: usize, pspec: &'static TableSpec, i: usize, spec: &TableSpec) -> Option<Vec<usize>> {
    if pspec.id != spec.id || title_text(&lines[pi]) != title_text(&lines[i]) {
        return None;
    }
    let page = lines[i].page?;
    // The matter set above the repeated title is repeated too.
    let above = lead(lines, pi + 1, i);
    let before = &lines[pi..above.start];
    if before.iter().any(|l| l.page == Some(page) && l.filled() >= 2) {
        return None;
    }
    let reached = before.iter().rev().find(|l| l.filled() >= 2).and_then(|l| l.page)?;
    if reached + 1 != page {
        return None;
    }
    let prev = table_block(lines, pi, above.start, pspec, pi..pi);
    if prev.note.is_some() {
        return None;
    }
    for l in &lines[above.clone()] {
        if let (Some(d), Some(c)) = (&prev.department, l.cells.iter().find_map(|c| caption_department(c))) {
            if &c != d {
                return None;
            }
        }
    }
    let mut repeated: Vec<usize> = above.chain([i]).collect();
    for (j, l) in lines.iter().enumerate().skip(i + 1) {
        let filled: Vec<&String> = l.cells.iter().filter(|c| !c.trim().is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        if !filled.iter().all(|c| matter(c)) {
            break;
        }
        if let (Some(d), Some(c)) = (&prev.department, l.cells.iter().find_map(|c| caption_department(c))) {
            if &c != d {
                return None;
            }
        }
        repeated.push(j);
    }
    Some(repeated)
}

/// The department a caption cell names (部门：…, 编制单位：…); `单位：万元` names a unit.
fn caption_department(cell: &str) -> Option<String> {
    let p = plain_text(cell);
    let c = dept_re().captures(&p)?;
    let name = c[1].trim();
    (!["元", "万元", "亿元"].iter().any(|u| name.starts_with(u))).then(|| name.to_string())
}

/// The table matter printed above a title (公开07表, 编制部门：… | 单位：元 set over the
/// title): the lines of nothing but matter right above it on its page, after the previous
/// table's last row (`from`: never that table's own captions under its title).
fn lead(lines: &[Line], from: usize, i: usize) -> std::ops::Range<usize> {
    let mut a = i;
    while a > from {
        let l = &lines[a - 1];
        let filled: Vec<&String> = l.cells.iter().filter(|c| !c.trim().is_empty()).collect();
        if !filled.is_empty() && (l.page != lines[i].page || !filled.iter().all(|c| matter(c))) {
            break;
        }
        a -= 1;
    }
    // Blank lines above the matter are nobody's.
    while a < i && lines[a].filled() == 0 {
        a += 1;
    }
    // Matter reaching back to the previous title is that table's own caption.
    let rows_between = lines[from..a].iter().any(|l| l.cells.iter().any(|c| !c.trim().is_empty() && !matter(c)));
    if rows_between { a..i } else { i..i }
}

fn table_block<'a>(lines: &'a [Line], i: usize, end: usize, spec: &'static TableSpec, lead: std::ops::Range<usize>) -> TableBlock<'a> {
    let mut printed_number = None;
    let mut unit_header = None;
    let mut unit_note = None;
    let mut department = None;
    let mut note_at = None;
    let mut note = Vec::new();
    let mut empty_statement = None;
    let mut seen_rows = false;
    // Table matter printed on the title's own line (收入决算表 … 公开02表).
    let head = lines[i].text();
    if let Some(c) = number_re().captures(&head) {
        printed_number = Some(format!("公开{}表", gongkai_model::fold_width(&c[1])));
    }
    if let Some(c) = unit_re().captures(&head) {
        unit_header = Some(c[1].to_string());
    }
    // Matter printed above the title is this table's.
    for l in &lines[lead] {
        let t = l.text();
        if let (None, Some(c)) = (&printed_number, number_re().captures(&t)) {
            printed_number = Some(format!("公开{}表", gongkai_model::fold_width(&c[1])));
        }
        if let (None, Some(c)) = (&unit_header, unit_re().captures(&t)) {
            unit_header = Some(c[1].to_string());
        }
        if department.is_none() {
            department = l.cells.iter().find_map(|c| caption_department(c));
        }
    }
    for (j, l) in lines.iter().enumerate().take(end).skip(i + 1) {
        let t = l.text();
        let p = plain(l);
        if printed_number.is_none() {
            if let Some(c) = number_re().captures(&t) {
                printed_number = Some(format!("公开{}表", gongkai_model::fold_width(&c[1])));
            }
        }
        if l.filled() >= 3 {
            seen_rows = true;
        }
        // The unit is read in the header lines only, before the rows.
        if unit_header.is_none() && !seen_rows {
            if let Some(c) = unit_re().captures(&t) {
                unit_header = Some(c[1].to_string());
            }
        }
        if department.is_none() && !seen_rows {
            if let Some(c) = dept_re().captures(&p) {
                // `单位：万元` names the unit, not the department.
                let name = c[1].trim();
                if !["元", "万元", "亿元"].iter().any(|u| name.starts_with(u)) {
                    department = Some(name.to_string());
                }
            }
        }
        let starts_note = (p.starts_with("注") && (p[3..].starts_with(':') || p[3..].starts_with('：')))
            || p.starts_with("说明:")
            || p.starts_with("说明：");
        if note_at.is_none() && starts_note && l.filled() <= 1 {
            note_at = Some(j);
        }
        if note_at.is_some() && l.filled() >= 1 {
            note.push(p.clone());
            if unit_note.is_none() {
                if let Some(c) = note_unit_re().captures(&p) {
                    unit_note = Some(c[1].to_string());
                }
            }
        }
        if empty_statement.is_none() {
            for s in p.split(['。', ';', '；']) {
                if s.contains("本表无数据") || s.contains("空表") || s.contains("本表为空") {
                    let s = s.split(['：', ':']).next_back().unwrap_or(s);
                    empty_statement = Some(s.trim().to_string());
                }
            }
        }
    }
    let body_end = note_at.unwrap_or(end);
    let last = lines[i..end].iter().rev().find(|l| l.filled() > 0).unwrap_or(&lines[i]);
    TableBlock {
        spec,
        title: title_text(&lines[i]).unwrap_or_else(|| plain(&lines[i])),
        printed_number,
        unit_header,
        unit_note,
        department,
        body: &lines[i + 1..body_end],
        repeated: Vec::new(),
        note: (!note.is_empty()).then(|| note.join("\n")),
        empty_statement,
        start: lines[i].at(),
        end: last.at(),
    }
}

fn part(lines: &[Line], i: usize, end: usize, n: u32, title: &str) -> Part {
    let mut text = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for l in &lines[i + 1..end] {
        if l.filled() == 0 {
            continue;
        }
        let p = plain(l);
        let heading = section_re().captures(&p).filter(|_| {
            let n = p.chars().count();
            n <= 50 && !p.ends_with('。') && !p.contains('：') && !p.contains(':') && !l.text().trim_start().starts_with("- ")
        });
        if let Some(c) = heading {
            sections.push(Section {
                ordinal: c[1].to_string(),
                title: c[2].trim().to_string(),
                text: String::new(),
                at: l.at(),
            });
            continue;
        }
        let raw = l.cells.join("\t");
        match sections.last_mut() {
            Some(s) => {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(raw.trim());
            }
            None => text.push(raw.trim().to_string()),
        }
    }
    Part { number: n, title: title.to_string(), text: text.join("\n"), sections, at: lines[i].at() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line> {
        gongkai_extract::read_text(s.as_bytes()).unwrap().lines
    }

    #[test]
    fn finds_tables_by_title_not_toc() {
        let doc = "2024年度某局部门决算\n目录\n- 一、收入决算表\n- 二、支出决算表\n第三部分 说明\n\n收入决算表\n公开02表\n部门: 某局\n单位: 万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n注: 本表反映收入。\n支出决算表\n单位：元\n\t合计\t1.00\t1.00\n第三部分 2024年度部门决算情况说明\n一、收入决算情况说明\n收入合计1.00万元。\n";
        let ls = lines(doc);
        let s = segment(&ls);
        let ids: Vec<_> = s.tables.iter().map(|t| t.spec.id.as_str()).collect();
        assert_eq!(ids, ["income", "expenditure"]);
        let t = &s.tables[0];
        assert_eq!(t.printed_number.as_deref(), Some("公开02表"));
        assert_eq!(t.unit_header.as_deref(), Some("万元"));
        assert_eq!(t.department.as_deref(), Some("某局"));
        assert_eq!(t.note.as_deref(), Some("注: 本表反映收入。"));
        assert_eq!(s.tables[1].unit_header.as_deref(), Some("元"));
        assert_eq!(s.year, Some(2024));
        assert_eq!(s.kind.as_deref(), Some("final_accounts"));
        let p3 = s.parts.iter().find(|p| p.number == 3).unwrap();
        assert_eq!(p3.sections.len(), 1);
        assert_eq!(p3.sections[0].title, "收入决算情况说明");
        assert_eq!(p3.sections[0].text, "收入合计1.00万元。");
    }

    /// A budget: cover over two lines, a caption naming department and unit on one line,
    /// the scope from the cover, and its explanations (…说明) read as narrative parts.
    #[test]
    fn budgets_have_scope_captions_and_explanations() {
        let doc = "上海市某区2025年区级单位预算\n预算单位：某中心\n2025年单位预算编制说明\n2025年，某中心收入预算10.00万元。\n2025年单位收入预算总表\n编制单位：某中心\t单位：元\n项目\t\t合计\t财政拨款收入\n201\t一般公共服务支出\t100000.00\t100000.00\n合计\t\t100000.00\t100000.00\n其他相关情况说明\n一、2025年“三公”经费预算情况说明\n“三公”经费预算数为0万元。\n";
        let ls = lines(doc);
        let s = segment(&ls);
        assert_eq!(s.title.as_deref(), Some("上海市某区2025年区级单位预算"));
        assert_eq!((s.kind.as_deref(), s.scope.as_deref(), s.year), (Some("budget"), Some("unit"), Some(2025)));
        assert_eq!(s.tables.len(), 1);
        assert_eq!(s.tables[0].spec.id, "budget_income");
        assert_eq!(s.tables[0].department.as_deref(), Some("某中心"));
        assert_eq!(s.tables[0].unit_header.as_deref(), Some("元"));
        let titles: Vec<&str> = s.parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["2025年单位预算编制说明", "其他相关情况说明"]);
        assert!(s.parts.iter().all(|p| p.number == 0));
        assert!(s.parts[0].text.contains("收入预算10.00万元"));
        assert_eq!(s.parts[1].sections[0].title, "2025年“三公”经费预算情况说明");
    }

    /// A title printed with its number or unit on the same line, or with `(公开02表)`.
    #[test]
    fn titles_beside_their_table_matter() {
        for doc in [
            "收入决算表\t公开02表\n单位：万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
            "收入决算表（公开02表）\n单位：万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
            "公开02表\t收入决算表\t单位：万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
            "收入决算表 部门：某局 单位：万元 公开02表\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
            // A caption clipped by its cell (`单位：` without its value) is still table matter.
            "收入决算表\t部门：某局\t单位：\n公开02表\n单位：万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
            "收入决算表\t编制部门：某局\t单\n公开02表\n单位：万元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t1.00\t1.00\n",
        ] {
            let ls = lines(doc);
            let s = segment(&ls);
            assert_eq!(s.tables.len(), 1, "{doc}");
            let t = &s.tables[0];
            assert_eq!((t.spec.id.as_str(), t.title.as_str()), ("income", "收入决算表"), "{doc}");
            assert_eq!(t.printed_number.as_deref(), Some("公开02表"), "{doc}");
            assert_eq!(t.unit_header.as_deref(), Some("万元"), "{doc}");
        }
    }

    /// Captions set above the title (公开NN表, 编制部门 | 单位) are the table's below them, not
    /// the end of the table above.
    #[test]
    fn matter_printed_above_a_title_belongs_to_the_table_below() {
        let doc = "收入决算表\n单位：元\n项目\t本年收入合计\t财政拨款收入\n\t合计\t100\t100\n\
                   公开07表\n编制部门：某局\t单位：万元\n支出决算表\n项目\t本年支出合计\t基本支出\n\t合计\t1.00\t1.00\n";
        let ls = lines(doc);
        let s = segment(&ls);
        assert_eq!(s.tables.len(), 2);
        let (a, b) = (&s.tables[0], &s.tables[1]);
        assert_eq!((a.unit_header.as_deref(), a.printed_number.as_deref()), (Some("元"), None));
        assert_eq!(a.body.len(), 3, "{:?}", a.body);
        assert_eq!((b.unit_header.as_deref(), b.printed_number.as_deref(), b.department.as_deref()), (Some("万元"), Some("公开07表"), Some("某局")));
    }
}
