//! The 目录 (table of contents): the entries it lists, as printed. It opens with a line
//! reading 目录 and runs over the lines that are entries — `第三部分 …` (a part), `九、…`
//! or `1. …` (an item), each perhaps closing with a page number after a gap or dot
//! leaders — up to the first line that is none, or the body's own first heading (a part
//! number the 目录 has already listed).

use std::sync::OnceLock;

use gongkai_extract::Line;
use gongkai_model::TocEntry;
use regex::Regex;

use super::{cn_number, plain, re};

/// Lines searched for the 目录 heading: it stands near the front.
const SEARCH: usize = 300;
/// Entries at most: a 目录 longer than that is not one.
const MAX_ENTRIES: usize = 120;

fn heading_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^目\s*录$")
}
fn part_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^第([一二三四五六七八九十]{1,2})部分\s*(.*)$")
}
fn item_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:([一二三四五六七八九十]{1,3})\s*、|(\d{1,2})\s*[.．、])\s*(.+)$")
}
/// A closing page number after a gap or leaders (`…决算表 ……… 5`, `…决算表\t5`).
fn page_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(.*?\S)(?:\s*[.·…‥—_-]{2,}\s*|\s+)(\d{1,4})$")
}

/// Title and page of an entry's text.
fn title_page(text: &str) -> (String, Option<u32>) {
    match page_re().captures(text) {
        Some(c) => (c[1].trim().to_string(), c[2].parse().ok()),
        None => (text.trim().to_string(), None),
    }
}

fn entry(line: &Line, part: Option<u32>) -> Option<TocEntry> {
    let text = plain(line);
    if let Some(c) = part_re().captures(&text) {
        let (title, page) = title_page(&c[2]);
        let n = cn_number(&c[1]);
        return Some(TocEntry { kind: "part".into(), number: n, printed: format!("第{}部分", &c[1]), title, part: Some(n), page, at: line.at() });
    }
    let c = item_re().captures(&text)?;
    let (number, printed) = match (c.get(1), c.get(2)) {
        (Some(cn), _) => (cn_number(cn.as_str()), cn.as_str().to_string()),
        (_, Some(d)) => (d.as_str().parse().ok()?, d.as_str().to_string()),
        _ => return None,
    };
    // An item's text is a title, not a sentence.
    let (title, page) = title_page(&c[3]);
    if title.contains('。') || title.chars().count() > 60 || number == 0 {
        return None;
    }
    Some(TocEntry { kind: "item".into(), number, printed, title, part, page, at: line.at() })
}

/// The entries of the document's 目录, in order; empty where it prints none.
pub fn toc(lines: &[Line]) -> Vec<TocEntry> {
    let Some(start) = lines.iter().take(SEARCH).position(|l| heading_re().is_match(&plain(l).replace(char::is_whitespace, ""))) else {
        return Vec::new();
    };
    let mut out: Vec<TocEntry> = Vec::new();
    let mut part = None;
    let rest = &lines[start + 1..];
    for (k, l) in rest.iter().enumerate() {
        let text = plain(l);
        if text.is_empty() {
            continue;
        }
        let Some(e) = entry(l, part) else {
            // A part's title wrapped onto a short line of its own (…决算情况 / 说明), with
            // the 目录 going on after it.
            let next = rest[k + 1..].iter().find(|n| !plain(n).is_empty());
            let wrapped = text.chars().count() <= 12 && !text.contains('。') && next.is_some_and(|n| entry(n, part).is_some());
            match out.last_mut() {
                // Only a part's heading is long enough to wrap; on the same page.
                Some(prev) if wrapped && prev.kind == "part" && prev.page.is_none() && prev.at.page == l.page => {
                    let (more, page) = title_page(&text);
                    prev.title.push_str(&more);
                    prev.page = page;
                    continue;
                }
                _ => break,
            }
        };
        if e.kind == "part" {
            // The body's first heading repeats a part the 目录 listed.
            if out.iter().any(|x| x.kind == "part" && x.number == e.number) {
                break;
            }
            part = Some(e.number);
        }
        out.push(e);
        if out.len() > MAX_ENTRIES {
            return Vec::new();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line> {
        gongkai_extract::read_text(s.as_bytes()).unwrap().lines
    }

    #[test]
    fn reads_parts_items_and_pages_up_to_the_body() {
        let doc = "2024年度某局部门决算\n目 录\n第一部分 部门概况 ...... 3\n- 一、部门职责\n第二部分 2024年度部门决算表\n一、收入支出决算总表\t5\n二、收入决算表 ……… 6\n第一部分 部门概况\n一、部门职责\n负责……。\n";
        let t = toc(&lines(doc));
        let got: Vec<_> = t.iter().map(|e| (e.kind.as_str(), e.number, e.title.as_str(), e.part, e.page)).collect();
        assert_eq!(
            got,
            [
                ("part", 1, "部门概况", Some(1), Some(3)),
                ("item", 1, "部门职责", Some(1), None),
                ("part", 2, "2024年度部门决算表", Some(2), None),
                ("item", 1, "收入支出决算总表", Some(2), Some(5)),
                ("item", 2, "收入决算表", Some(2), Some(6)),
            ]
        );
        // Arabic numbers, a year opening the title (not a page), and the first non-entry ends it.
        let doc = "目录\n五、部门预算表\n  1. 2025年部门财务收支预算总表\n  4．2025年部门财政拨款收支预算总表\n上海市某局主要职能\n一、其他\n";
        let t = toc(&lines(doc));
        assert_eq!(t.len(), 3);
        assert_eq!((t[1].number, t[1].title.as_str(), t[1].page), (1, "2025年部门财务收支预算总表", None));
        assert_eq!((t[2].number, t[2].printed.as_str()), (4, "4"));
        assert!(toc(&lines("收入决算表\n一、收入\n")).is_empty());
        // A title wrapped onto a line of its own.
        let t = toc(&lines("目录\n第三部分 某局2024年度部门决算情况\n说明\n一、收入决算情况说明\n"));
        assert_eq!(t.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["某局2024年度部门决算情况说明", "收入决算情况说明"]);
    }
}
