//! Column keys from header rows: nested headers joined top-down, garbled words mapped
//! through the alias table or by similarity, and the 栏次 position as the fallback
//! where the header text cannot be read.

use gongkai_extract::Line;

use crate::norm;

#[derive(Debug, Clone, PartialEq)]
pub struct ValueCol {
    pub idx: usize,
    pub number: Option<u32>,
    pub key: String,
    pub printed: String,
    /// False for a column of a catalogued table whose header matches none of its columns:
    /// its cells are read (a line of them is still checked for numbers) but give no fact,
    /// since a key made of a garbled header would compare with nothing.
    pub known: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pub cols: Vec<ValueCol>,
}

/// Character-multiset Dice similarity: robust to one or two misread characters.
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let mut b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let mut common = 0;
    for c in a {
        if let Some(p) = b.iter().position(|x| *x == c) {
            b.remove(p);
            common += 1;
        }
    }
    2.0 * common as f64 / (la + lb) as f64
}

fn leaf_eq(frag: &str, leaf: &str) -> bool {
    frag == leaf || (frag == "小计" && leaf == "合计") || similarity(frag, leaf) >= 0.8
}

/// Match one column's header fragments to a key of the catalogue. A key matches when
/// every one of its parts names a fragment, in whatever order the print nests them
/// (预算数 over 公务接待费, or 公务接待费 over 预算数); the key naming the most parts wins.
/// Fragments that name nothing (a header row OCR turned to garbage) are ignored.
pub(crate) fn match_key(frags: &[String], keys: &[String]) -> Option<usize> {
    // Score: parts named, then parts named exactly (年初结转和结余 is one character from
    // 年末结转和结余); a tie between different keys names nothing.
    let mut best: Option<((usize, usize, usize), usize)> = None;
    let mut tie = false;
    for (k, key) in keys.iter().enumerate() {
        let parts: Vec<&str> = key.split('/').collect();
        if !parts.iter().all(|p| frags.iter().any(|f| leaf_eq(f, p))) {
            continue;
        }
        let exact = parts.iter().filter(|p| frags.iter().any(|f| f == *p)).count();
        // Then the deepest header row it names: under a band (预算数 over 合计 · 项目支出),
        // the column is named by the row beneath.
        let depth = parts.iter().filter_map(|p| frags.iter().rposition(|f| leaf_eq(f, p))).max().unwrap_or(0);
        let score = (parts.len(), exact, depth);
        match best {
            Some((b, _)) if b > score => {}
            Some((b, bk)) if b == score => tie |= keys[bk] != *key,
            _ => {
                best = Some((score, k));
                tie = false;
            }
        }
    }
    if let (Some((_, k)), false) = (best, tie) {
        return Some(k);
    }
    // A band printed over its columns with nothing under its first column: the total.
    let mut hits = keys.iter().enumerate().filter(|(_, key)| {
        let parts: Vec<&str> = key.split('/').collect();
        parts.len() == 2 && (parts[1] == "合计" || parts[1] == "小计") && frags.last().map(String::as_str) == Some(parts[0])
    });
    match (hits.next(), hits.next()) {
        (Some((k, _)), None) => Some(k),
        _ => None,
    }
}

/// Header fragments of the column at cell `idx`, top-down: a merged header cell covering
/// it counts; without spans (text input) a blank cell takes a band from its left,
/// within the value columns only.
pub(crate) fn fragments(header: &[&Line], idx: usize, first_value: usize, bands: &[String], drop_bands: &[String]) -> Vec<String> {
    let mut frags: Vec<String> = Vec::new();
    for l in header {
        let mut t = l.covering(idx).map(norm).map(strip_year).unwrap_or_default();
        if t.is_empty() && l.spans.is_empty() {
            if let Some(b) = (first_value..idx)
                .rev()
                .map(|j| l.cells.get(j).map(|c| norm(c)).unwrap_or_default())
                .find(|s| !s.is_empty())
            {
                if bands.contains(&b) {
                    t = b;
                }
            }
        }
        if !t.is_empty() && !drop_bands.contains(&t) && frags.last() != Some(&t) {
            frags.push(t);
        }
    }
    frags
}

/// A header's leading year is not part of its name (`2024年“三公”经费预算数`).
fn strip_year(s: String) -> String {
    let b = s.as_bytes();
    if b.len() > 7 && b[..4].iter().all(u8::is_ascii_digit) && s[4..].starts_with('年') {
        let rest = s[4 + '年'.len_utf8()..].trim_start_matches('度');
        if !rest.is_empty() {
            return norm(rest);
        }
    }
    s
}

/// The band names of a key list (the first part of nested keys) and the dropped bands.
pub(crate) fn bands(keys: &[String], drop_bands: &[String]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| k.split_once('/').map(|b| b.0.to_string()))
        .chain(drop_bands.iter().cloned())
        .collect()
}

/// Map value columns to keys. `value_idx` are the cell indices with their 栏次 numbers.
pub fn map_columns(
    header: &[&Line],
    value_idx: &[(usize, Option<u32>)],
    keys: &[String],
    drop_bands: &[String],
) -> (ColumnMap, Vec<String>) {
    let mut warnings = Vec::new();
    let first_value = value_idx.iter().map(|v| v.0).min().unwrap_or(0);
    let bands = bands(keys, drop_bands);
    let frags_per_col: Vec<Vec<String>> =
        value_idx.iter().map(|&(idx, _)| fragments(header, idx, first_value, &bands, drop_bands)).collect();
    let text_map: Vec<Option<usize>> = frags_per_col.iter().map(|f| match_key(f, keys)).collect();
    let complete = text_map.iter().all(|m| m.is_some()) && {
        let mut seen: Vec<usize> = text_map.iter().flatten().copied().collect();
        seen.sort();
        seen.dedup();
        seen.len() == text_map.len()
    };
    // The catalogue's order stands in for headers nobody can read, but only for a print in
    // that order: where the headers that were read name distinct columns out of the
    // catalogue's order (三公 printed category-first, the catalogue split-first), position
    // says nothing. Headers that name one column twice are noise themselves (an OCR header
    // shifted by a cell) and do not overrule position.
    let read: Vec<usize> = text_map.iter().flatten().copied().collect();
    let distinct = {
        let mut r = read.clone();
        r.sort();
        r.dedup();
        r.len() == read.len()
    };
    let contradicts = distinct && read.windows(2).any(|w| w[0] > w[1]);
    // Position is weighed against what the headers say of each column: a header read
    // exactly (each part of its key printed as it is, no alias, no similarity) for one
    // column only, or a band name read over it (预算数, 决算数), agrees with the key its
    // position gives or contradicts it. Where the contradictions are not fewer than the
    // agreements, either the print is in another order (三公 category-first, whose bands
    // layout text cannot delimit, so that the columns read one key twice and `distinct`
    // says nothing) or its headers stand off their columns (pdftotext -layout sets CJK
    // headers columns away from where they are printed): neither is evidence, and only
    // the columns whose header and position agree are kept. A few contradictions among
    // many agreements are a header shifted by a cell (OCR), and position stands.
    let once = |k: usize| text_map.iter().filter(|m| **m == Some(k)).count() == 1;
    let exact = |i: usize, k: usize| keys[k].split('/').all(|p| frags_per_col[i].iter().any(|f| f == p));
    let top: Vec<&str> = keys.iter().filter_map(|k| k.split_once('/').map(|b| b.0)).collect();
    let (mut agree, mut contra) = (0usize, 0usize);
    for i in 0..value_idx.len().min(keys.len()) {
        let band = keys[i].split_once('/').map(|b| b.0);
        let read: Vec<&str> = frags_per_col[i].iter().map(String::as_str).filter(|f| top.contains(f)).collect();
        let band_says = band.filter(|_| !read.is_empty()).map(|b| read.contains(&b));
        let header_says = text_map[i].filter(|&k| once(k) && exact(i, k)).map(|k| k == i);
        if band_says == Some(false) || header_says == Some(false) {
            contra += 1;
        } else if band_says == Some(true) || header_says == Some(true) || text_map[i] == Some(i) {
            agree += 1;
        }
    }
    let disagrees = contra > 0 && contra >= agree;
    let positional = value_idx.len() == keys.len() && !contradicts;
    let cols = value_idx
        .iter()
        .enumerate()
        .map(|(i, &(idx, number))| {
            let printed = frags_per_col[i].join("/");
            let key = if complete {
                Some(keys[text_map[i].unwrap()].clone())
            } else if positional && disagrees {
                text_map[i].filter(|&k| k == i && once(k)).map(|k| keys[k].clone())
            } else if positional {
                Some(keys[i].clone())
            } else {
                // Without position, a key read for several columns is none of them for
                // certain.
                text_map[i].filter(|&k| once(k)).map(|k| keys[k].clone())
            };
            let known = key.is_some() || keys.is_empty();
            let name = number.map(|n| n.to_string()).unwrap_or_else(|| (idx + 1).to_string());
            if !known {
                warnings.push(format!(
                    "column {name} (header `{printed}`) matches no standard column of this table; its cells are left out"
                ));
            } else if key.is_none() {
                warnings.push(format!("column {name} (header `{printed}`) kept under its printed header"));
            }
            let key = key.unwrap_or_else(|| if printed.is_empty() { format!("栏{}", number.unwrap_or(idx as u32 + 1)) } else { printed.clone() });
            ValueCol { idx, number, key, printed, known }
        })
        .collect();
    (ColumnMap { cols }, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[&str]) -> Line {
        Line { line: None, page: None, cells: cells.iter().map(|s| s.to_string()).collect(), spans: vec![], boxes: vec![] }
    }

    fn keys(ks: &[&str]) -> Vec<String> {
        ks.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn nested_band_with_blank_first_child_is_its_total() {
        let h1 = line(&["项", "目", "本年支出", "", ""]);
        let h2 = line(&["科目代码", "科目名称", "", "基本支出", "项目支出"]);
        let ks = keys(&["年初结转和结余", "本年收入", "本年支出/合计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余"]);
        let (m, w) = map_columns(&[&h1, &h2], &[(2, Some(1)), (3, Some(2)), (4, Some(3))], &ks, &[]);
        let got: Vec<_> = m.cols.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(got, ["本年支出/合计", "本年支出/基本支出", "本年支出/项目支出"]);
        assert!(w.is_empty());
    }

    #[test]
    fn garbled_headers_fall_back_to_position() {
        let h = line(&["", "项目", "本年收入合计", "财政拨款收入", "上级补肋收入", "事业收 λ", "xx", "yy", "zz"]);
        let ks = keys(&["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]);
        let idx: Vec<_> = (2..9).map(|i| (i, Some(i as u32 - 1))).collect();
        let (m, _) = map_columns(&[&h], &idx, &ks, &[]);
        assert_eq!(m.cols.iter().map(|c| c.key.clone()).collect::<Vec<_>>(), ks);
    }

    #[test]
    fn position_never_overrules_a_header_that_was_read() {
        // Read headers out of the catalogue's order: the readable 公务接待费 is the first
        // column, not the third the catalogue's order would give it.
        let h = line(&["", "公务接待费", "因公出国(境)费", "y#"]);
        let ks = keys(&["因公出国(境)费", "公务用车购置费", "公务接待费"]);
        let (m, w) = map_columns(&[&h], &[(1, None), (2, None), (3, None)], &ks, &[]);
        let got: Vec<_> = m.cols.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(got[..2], ["公务接待费", "因公出国(境)费"]);
        assert!(!m.cols[2].known, "{got:?}");
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn a_garbled_lower_header_row_does_not_hide_the_readable_one() {
        let h1 = line(&["项目", "本年收入合计", "财政拨款收入", "其他收入"]);
        let h2 = line(&["科目名称", "7-1-10/10", "X1 2X1X1", "大匹収入"]);
        let ks = keys(&["本年收入合计", "财政拨款收入", "上级补助收入", "其他收入"]);
        let (m, _) = map_columns(&[&h1, &h2], &[(1, None), (2, None), (3, None)], &ks, &[]);
        assert_eq!(m.cols.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["本年收入合计", "财政拨款收入", "其他收入"]);
    }

    /// A unit-level budget summary: 预算数 over 合计 · 基本支出(人员经费, 公用经费) · 项目支出.
    #[test]
    fn a_band_over_its_parts_names_only_the_first_column() {
        let h1 = Line { spans: vec![1, 4, 0, 0, 0], ..line(&["项目", "预算数", "", "", ""]) };
        let h2 = Line { spans: vec![1, 1, 2, 0, 1], ..line(&["", "合计", "基本支出", "", "项目支出"]) };
        let h3 = line(&["", "", "人员经费", "公用经费", ""]);
        let ks = keys(&["预算数", "基本支出/人员经费", "基本支出/公用经费", "项目支出"]);
        let idx: Vec<_> = (1..5).map(|i| (i, None)).collect();
        let (m, w) = map_columns(&[&h1, &h2, &h3], &idx, &ks, &[]);
        assert_eq!(m.cols.iter().map(|c| c.key.clone()).collect::<Vec<_>>(), ks);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn clean_headers_win_over_position() {
        let h = line(&["项目", "基本支出", "合计"]);
        let ks = keys(&["合计", "基本支出"]);
        let (m, _) = map_columns(&[&h], &[(1, None), (2, None)], &ks, &[]);
        assert_eq!(m.cols[0].key, "基本支出");
        assert_eq!(m.cols[1].key, "合计");
    }

    /// 三公 printed category-first in layout text: each category's 预算数 read exactly
    /// and out of the catalogue's order, while the 决算数 columns whose category band the
    /// text does not delimit all read 决算数/合计. Position (split-first) would key
    /// 决算数/合计's 13.33 as 预算数/因公出国(境)费: only the column whose header and
    /// position agree is kept.
    #[test]
    fn an_exact_header_out_of_place_overrules_position() {
        let h1 = line(&["合计", "", "因公出国(境)费", "", "公务接待费", ""]);
        let h2 = line(&["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"]);
        let h1 = Line { spans: vec![1, 1, 1, 1, 1, 1], ..h1 };
        let ks = keys(&["预算数/合计", "预算数/因公出国(境)费", "预算数/公务接待费", "决算数/合计", "决算数/因公出国(境)费", "决算数/公务接待费"]);
        let idx: Vec<_> = (0..6).map(|i| (i, None)).collect();
        let (m, _) = map_columns(&[&h1, &h2], &idx, &ks, &[]);
        let got: Vec<Option<&str>> = m.cols.iter().map(|c| c.known.then_some(c.key.as_str())).collect();
        assert_eq!(got, [Some("预算数/合计"), None, None, None, None, None]);
        // A header set off its column by one (基本支出 printed over the second column,
        // standing over the first): the two columns are left out, the others kept.
        let h = line(&["基本支出", "", "项目支出"]);
        let ks = keys(&["合计", "基本支出", "项目支出"]);
        let (m, _) = map_columns(&[&h], &[(0, None), (1, None), (2, None)], &ks, &[]);
        let got: Vec<Option<&str>> = m.cols.iter().map(|c| c.known.then_some(c.key.as_str())).collect();
        assert_eq!(got, [None, None, Some("项目支出")]);
    }
}
