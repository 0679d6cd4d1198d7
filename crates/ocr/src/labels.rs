//! A label OCR misread by a character or two is replaced by the catalogue's label it is
//! nearest to, where exactly one is that near: the catalogue (tables, classification
//! names, aliases, header words) is the vocabulary. A reading near no label, or near
//! two, is kept as read (the table builder then reports what it cannot match).

use gongkai_model::{catalogue, compact, nearest_label, normalize_label, strip_ordinal};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
}

/// A reading may match a word only where it is one: two or more characters, a CJK one.
fn is_word(w: &str) -> bool {
    w.chars().count() >= 2 && w.chars().any(is_cjk)
}

/// Spellings a reading is matched against, each with the catalogue label it becomes: every
/// label of the catalogue (table titles, the summaries' rows, column headers, function and
/// economic class names, header words, the aliases' standard labels) as itself, and an
/// alias's printed form (a wording or garble seen in real disclosures) as its standard
/// label, so that a reading near a known garble becomes the label, never the garble.
fn vocabulary() -> &'static Vec<(Vec<char>, String)> {
    static V: OnceLock<Vec<(Vec<char>, String)>> = OnceLock::new();
    V.get_or_init(|| {
        let c = catalogue();
        let mut labels: Vec<&str> = Vec::new();
        for t in &c.tables {
            labels.extend(t.titles.iter().map(String::as_str));
            labels.extend(t.rows.values().flatten().map(String::as_str));
            // Column keys are header paths (`基本支出/人员经费`): each header is a label.
            let cols = t.columns.iter().chain(t.sides.iter().flat_map(|s| &s.columns));
            labels.extend(cols.flat_map(|k| k.split('/')));
        }
        labels.extend(c.function_names.values().map(String::as_str));
        labels.extend(c.econ.iter().map(|e| e.name.as_str()));
        // The economic detail's closing rows (人员经费合计, 公用经费合计).
        let closing: Vec<String> = c.econ.iter().map(|e| format!("{}合计", e.funding)).collect();
        labels.extend(closing.iter().map(String::as_str));
        labels.extend(c.header_words());
        labels.extend(c.label_aliases().map(|(_, to)| to));
        let mut words: BTreeMap<String, String> = BTreeMap::new();
        for l in labels {
            let n = normalize_label(l);
            if is_word(&n) {
                words.insert(n.clone(), n);
            }
        }
        for (from, to) in c.label_aliases() {
            if is_word(from) {
                words.entry(from.to_string()).or_insert_with(|| to.to_string());
            }
        }
        words.into_iter().map(|(w, l)| (w.chars().collect(), l)).collect()
    })
}

/// The catalogue's label for a misread one, keeping a leading ordinal (`十三、`) as read.
/// The summaries' row labels (`…财政拨款收入`) are the catalogue's too (`rows` of the
/// two-sided tables in tables.json).
pub fn nearest(text: &str) -> Option<String> {
    // Compared as the normalizer compares labels: full-width folded, spaces out, the
    // leading ordinal (`十三、`, `(一)`, `1.`) kept aside as read.
    let folded = compact(text);
    let rest = strip_ordinal(&folded);
    let prefix: Vec<char> = folded[..folded.len() - rest.len()].chars().collect();
    // No label begins with punctuation: a speck read as `.` or `·` after the ordinal
    // (`九、.卫牛健康支出`) is not part of the label.
    // Nor ends with a speck's punctuation (`合计：`, `栏次·.`); a closing bracket is a
    // label's own (`…结余(含专用结余)`).
    let unspecked = rest
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| crate::tidy::SPECK_MARKS.contains(c));
    let specked = unspecked.len() != rest.len();
    let rest = unspecked;
    let body: &[char] = &rest.chars().collect::<Vec<char>>();
    if !body.iter().any(|&c| is_cjk(c)) || body.len() < if specked { 2 } else { 4 } {
        return None;
    }
    let cap = if body.len() >= 10 { 2 } else { 1 };
    let vocab = vocabulary();
    if let Some((_, label)) = vocab.iter().find(|(w, _)| w.as_slice() == body) {
        let as_read: String = body.iter().collect();
        return (*label != as_read || specked).then(|| prefix.iter().collect::<String>() + label);
    }
    if body.len() < 4 {
        return None;
    }
    // The nearest spellings; a tie between two labels is no answer.
    let near = nearest_label(body, vocab.iter().map(|(w, l)| (w.as_slice(), l.as_str())), cap)?;
    Some(prefix.iter().collect::<String>() + near)
}

/// A title line OCR misread (`2025年部内一般公共预算基本支出部内预算经济分类预算表`): the
/// segmenter finds a table by the catalogue title a line ends with, so the line's end is
/// replaced by the one title it is within a character or two of (one for a title under
/// ten characters), what stands before it kept as read. A line that already ends with a
/// title, or is as near two titles, is left alone.
pub fn nearest_title(text: &str) -> Option<String> {
    let line: Vec<char> = compact(text).chars().collect();
    if line.last() != Some(&'表') || line.len() < 5 {
        return None;
    }
    let titles: Vec<Vec<char>> = catalogue().tables.iter().flat_map(|t| &t.titles).map(|t| normalize_label(t).chars().collect()).collect();
    if titles.iter().any(|t| line.ends_with(t)) {
        return None;
    }
    // Each title against the line's ends of its length give or take the cap.
    let mut best: Option<(usize, &Vec<char>, usize)> = None;
    let mut tie = false;
    for t in &titles {
        let cap = if t.len() >= 10 { 2 } else { 1 };
        for n in t.len().saturating_sub(cap)..=(t.len() + cap).min(line.len()) {
            let d = gongkai_model::edit_distance(&line[line.len() - n..], t, cap);
            match best {
                _ if d > cap => {}
                Some((bd, _, _)) if d > bd => {}
                Some((bd, bt, _)) if d == bd => tie |= bt != t,
                _ => {
                    best = Some((d, t, n));
                    tie = false;
                }
            }
        }
    }
    let (_, title, n) = best.filter(|_| !tie)?;
    Some(line[..line.len() - n].iter().chain(title).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_misread_title_takes_the_catalogue_title_after_what_precedes_it() {
        assert_eq!(
            super::nearest_title("2025年部内一般公共预算基本支出部内预算经济分类预算表").as_deref(),
            Some("2025年部内一般公共预算基本支出部门预算经济分类预算表")
        );
        assert_eq!(super::nearest_title("2024年收人决算表").as_deref(), Some("2024年收入决算表"));
        // Already a title, or no title near: as read.
        assert_eq!(super::nearest_title("2024年度财政拨款收入支出决算总表"), None);
        assert_eq!(super::nearest_title("部门整体绩效自评表"), None);
        assert_eq!(super::nearest_title("收入支出决算总"), None);
    }

    #[test]
    fn a_misread_character_takes_the_catalogue_label() {
        assert_eq!(
            super::nearest("一般公共服务攴出").as_deref(),
            Some("一般公共服务支出")
        );
        assert_eq!(
            super::nearest("二十二、灾害防治及应急管埋支出").as_deref(),
            Some("二十二、灾害防治及应急管理支出")
        );
        assert_eq!(super::nearest("一般公共服务支出"), None);
        assert_eq!(
            super::nearest("国有资本经营预算财攻拨款收入").as_deref(),
            Some("国有资本经营预算财政拨款收入")
        );
        assert_eq!(super::nearest("5,896.65"), None);
        // Full-width forms are folded before comparing, and any ordinal is kept aside.
        assert_eq!(super::nearest("因公出国（境）费"), None);
        assert_eq!(super::nearest("因公出國（境）费").as_deref(), Some("因公出国(境)费"));
        assert_eq!(super::nearest("（三）一般公共服务攴出").as_deref(), Some("(三)一般公共服务支出"));
        // Row labels of the summaries, from the catalogue's data.
        assert_eq!(super::nearest("附属单位上缴收人").as_deref(), Some("附属单位上缴收入"));
        assert_eq!(super::nearest("年末财政拨款结转和结佘").as_deref(), Some("年末财政拨款结转和结余"));
        // A speck read as punctuation between the ordinal and the label is no part of it.
        assert_eq!(super::nearest("九、.卫牛健康支出").as_deref(), Some("九、卫生健康支出"));
        assert_eq!(super::nearest("九、·卫生健康支出").as_deref(), Some("九、卫生健康支出"));
        assert_eq!(super::nearest("合计：").as_deref(), Some("合计"));
        assert_eq!(super::nearest("栏次·.").as_deref(), Some("栏次"));
        // The economic detail's closing rows are labels too.
        assert_eq!(super::nearest("人员经费台计").as_deref(), Some("人员经费合计"));
    }

    #[test]
    fn no_catalogue_label_begins_with_punctuation() {
        for (w, l) in super::vocabulary() {
            assert!(w[0].is_alphanumeric(), "{l} begins with {:?}", w[0]);
        }
    }

    #[test]
    fn a_reading_becomes_a_catalogue_label_never_a_garble_or_prose() {
        // Near an alias's garble (上级补肋收入, 本年收入合): the label it stands for.
        assert_eq!(super::nearest("上级补肋收人").as_deref(), Some("上级补助收入"));
        assert_eq!(super::nearest("事业收人").as_deref(), Some("事业收入"));
        assert_eq!(super::nearest("本年收入合汁").as_deref(), Some("本年收入合计"));
        assert_eq!(super::nearest("上级补肋收入").as_deref(), Some("上级补助收入"));
        // No garble of the aliases is a label a reading can become.
        for garble in ["上级补肋收入", "事业收λ", "本年收入合", "主他收λ"] {
            assert!(!super::vocabulary().iter().any(|(_, l)| l == garble), "{garble}");
        }
        // Prose (the data files' `_comment`s mix English in) is no spelling.
        assert!(!super::vocabulary().iter().any(|(w, _)| w.iter().any(|c| c.is_ascii_alphabetic())));
    }
}
