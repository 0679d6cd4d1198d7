//! A label OCR misread by a character or two is replaced by the catalogue's label it is
//! nearest to, where exactly one is that near: the catalogue (tables, classification
//! names, aliases, header words) is the vocabulary. A reading near no label, or near
//! two, is kept as read (the table builder then reports what it cannot match).

use std::collections::BTreeSet;
use std::sync::OnceLock;

fn strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            for part in s.split(['/', '|']) {
                let p: String = part.chars().filter(|c| !c.is_whitespace()).collect();
                if p.chars().count() >= 2 && p.chars().any(is_cjk) {
                    out.insert(p);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            strings(&serde_json::Value::String(k.clone()), out);
            strings(x, out)
        }),
        _ => {}
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
}

fn vocabulary() -> &'static Vec<Vec<char>> {
    static V: OnceLock<Vec<Vec<char>>> = OnceLock::new();
    V.get_or_init(|| {
        let mut set = BTreeSet::new();
        for src in [
            include_str!("../../model/data/tables.json"),
            include_str!("../../model/data/function_classes.json"),
            include_str!("../../model/data/economic_codes.json"),
            include_str!("../../model/data/labels.json"),
        ] {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(src) {
                strings(&v, &mut set);
            }
        }
        set.into_iter().map(|s| s.chars().collect()).collect()
    })
}

fn distance(a: &[char], b: &[char], cap: usize) -> usize {
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The catalogue's label for a misread one, keeping a leading ordinal (`十三、`) as read;
/// a label the catalogue knows only without its closing 收入 / 支出 (the summary's
/// `…财政拨款收入`) is matched without it.
pub fn nearest(text: &str) -> Option<String> {
    if let Some(n) = nearest_whole(text) {
        return Some(n);
    }
    for suffix in ["收入", "支出"] {
        if let Some(stem) = text.trim_end().strip_suffix(suffix) {
            if let Some(n) = nearest_whole(stem) {
                return Some(n + suffix);
            }
        }
    }
    None
}

fn nearest_whole(text: &str) -> Option<String> {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    // The ordinal prefix: up to the first 、 within the first 5 characters.
    let cut = t
        .iter()
        .take(5)
        .position(|&c| c == '、')
        .map(|i| i + 1)
        .unwrap_or(0);
    let (prefix, body) = t.split_at(cut);
    if body.len() < 4 || !body.iter().any(|&c| is_cjk(c)) {
        return None;
    }
    let cap = if body.len() >= 10 { 2 } else { 1 };
    let vocab = vocabulary();
    if vocab.iter().any(|v| v.as_slice() == body) {
        return None;
    }
    let mut best: Option<(usize, &Vec<char>)> = None;
    let mut tie = false;
    for v in vocab {
        let d = distance(body, v, cap);
        if d > cap {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, v));
                tie = false;
            }
        }
    }
    match best {
        Some((_, v)) if !tie => Some(prefix.iter().chain(v.iter()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
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
    }
}
