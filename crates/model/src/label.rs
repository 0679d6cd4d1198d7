//! Label normalization, exactly as the facts contract defines it. This is the one
//! normalizer of the project: headers, row labels and titles all go through it.

/// Fold full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space to ASCII.
/// Used for labels and, before parsing, for amounts (full-width digits).
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Fold full-width forms and drop all white space: the form in which amounts, codes
/// and 栏次 numbers are read (never label-normalized, see `normalize_label`).
pub fn compact(s: &str) -> String {
    fold_width(s).chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '〝' | '〞')
}

const CN_NUMERALS: &str = "一二三四五六七八九十百零〇";

/// Drop one leading ordinal such as `一、`, `(一)`, `1.`, `1、`, `十三、`, `(1)`.
/// Expects an already folded, space-free label.
pub fn strip_ordinal(s: &str) -> &str {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if chars.is_empty() {
        return s;
    }
    // (一) / (1)
    if chars[0].1 == '(' {
        let mut i = 1;
        while i < chars.len() && (CN_NUMERALS.contains(chars[i].1) || chars[i].1.is_ascii_digit()) {
            i += 1;
        }
        if i > 1 && i < chars.len() && chars[i].1 == ')' {
            let end = chars.get(i + 1).map(|c| c.0).unwrap_or(s.len());
            return &s[end..];
        }
        return s;
    }
    let mut i = 0;
    let cn = CN_NUMERALS.contains(chars[0].1);
    while i < chars.len()
        && ((cn && CN_NUMERALS.contains(chars[i].1)) || (!cn && chars[i].1.is_ascii_digit()))
    {
        i += 1;
    }
    if i == 0 || i >= chars.len() {
        return s;
    }
    let sep = chars[i].1;
    let ok = match sep {
        '、' => true,
        // `1.` is an ordinal only when no digit follows (else it is a number like 1.5).
        '.' | '．' => chars.get(i + 1).is_some_and(|c| !c.1.is_ascii_digit()),
        _ => false,
    };
    if ok {
        let end = chars.get(i + 1).map(|c| c.0).unwrap_or(s.len());
        &s[end..]
    } else {
        s
    }
}

/// Normalize a label: remove white space, fold full-width forms, drop quotation marks,
/// drop one leading ordinal. Every other character is kept.
pub fn normalize_label(s: &str) -> String {
    let folded: String = fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_quote(*c))
        .collect();
    strip_ordinal(&folded).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_as_the_contract_says() {
        assert_eq!(normalize_label("一、一般公共预算财政拨款收入"), "一般公共预算财政拨款收入");
        assert_eq!(normalize_label("（一）总体情况"), "总体情况");
        assert_eq!(normalize_label("十三、 预算 绩效"), "预算绩效");
        assert_eq!(normalize_label("1. 基本工资"), "基本工资");
        assert_eq!(normalize_label("2、 津贴"), "津贴");
        assert_eq!(normalize_label("使用非财政拨款结余（含专用结余）"), "使用非财政拨款结余(含专用结余)");
        assert_eq!(normalize_label("“三公”经费"), "三公经费");
        assert_eq!(normalize_label("三、国有资本经营预算财政拨 款"), "国有资本经营预算财政拨款");
        // Only one ordinal is dropped, and numbers are not ordinals.
        assert_eq!(normalize_label("一、二、x"), "二、x");
        assert_eq!(normalize_label("36.56"), "36.56");
        assert_eq!(normalize_label("一般"), "一般");
    }
}

/// Levenshtein distance of two labels in characters, or `cap + 1` as soon as it must
/// exceed `cap` (labels are short; the cap keeps a vocabulary scan cheap).
pub fn edit_distance(a: &[char], b: &[char], cap: usize) -> usize {
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The label a misread one is nearest to: of `(spelling, label)` pairs, the label whose
/// spellings come closest to `read`, within `cap` edits; a tie between two labels is no
/// answer (two spellings of one label are no tie).
pub fn nearest_label<'a>(read: &[char], vocab: impl IntoIterator<Item = (&'a [char], &'a str)>, cap: usize) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for (spelling, label) in vocab {
        let d = edit_distance(read, spelling, cap);
        match best {
            _ if d > cap => {}
            Some((bd, _)) if d > bd => {}
            Some((bd, b)) if d == bd => tie |= b != label,
            _ => {
                best = Some((d, label));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|b| b.1)
}
