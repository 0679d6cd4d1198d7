//! A cell's reading made an amount where it plainly is one: specks read around it
//! dropped, a separator read for the other repaired. Each change lowers the confidence
//! of what it touched, so that only the identities can prove the result; a character
//! filled in is a guess, which the identities may correct but never prove.

use crate::engine::Reading;
use gongkai_model::{compact, parse_amount};

/// The characters an amount is printed in: what an engine narrowed to amounts may read.
pub const AMOUNT_CHARS: &str = "0123456789,.-";

/// The small marks a speck is read as (after full-width folding). A label never ends in
/// one, though it may end in a closing bracket (`…结余(含专用结余)`).
pub const SPECK_MARKS: &str = ".,·'`*:;、\"!^~_";

/// A character an amount is printed in (full-width forms folded).
pub fn amount_char(c: char) -> bool {
    gongkai_model::fold_width(c.encode_utf8(&mut [0; 4])).chars().all(|c| AMOUNT_CHARS.contains(c))
}

/// A reading that plainly is an amount, specks aside: a digit, and at most two other
/// characters (no part of a number), which are at most a third of it. The one test for
/// "read as an amount" (re-decoding over the digits, a second reading, dropping specks).
pub fn looks_like_amount(text: &str) -> bool {
    let t = compact(text);
    let foreign = t.chars().filter(|&c| !amount_char(c)).count();
    t.chars().any(|c| c.is_ascii_digit()) && foreign <= 2 && foreign * 3 <= t.chars().count()
}

/// Latin letters a reader of the whole alphabet takes a digit for (`o` for a lone `0`,
/// `l` for `1`, `S` for `5`).
const DIGIT_LOOKALIKES: &str = "oODQlIi|SsBZzgq";

/// A reading of digit look-alikes (and the characters of amounts) alone, at least one
/// look-alike: `o`, `1O0.00`. No label of a Chinese table reads so; it is a number the
/// full alphabet misread, to be decoded again over the digits (at the digits' own,
/// lower, confidence, so that only the identities can prove it).
pub fn looks_like_misread_amount(text: &str) -> bool {
    let t = compact(text);
    t.chars().count() <= 24
        && t.chars().any(|c| DIGIT_LOOKALIKES.contains(c))
        && t.chars().all(|c| amount_char(c) || DIGIT_LOOKALIKES.contains(c))
}

/// Specks read as characters around an amount (`0.00時·`, `、0.00`, `72.70.`, `21501.`):
/// characters that are no part of a number (at most two) and separators at either end
/// are dropped; what is kept is at most 0.5 confident. True when something was dropped.
/// A character inside the number is never dropped (`12時34.56` may hold a separator
/// misread): such a reading is left as read. Full-width forms are folded (`1234．56`'s
/// `．` is its decimal point).
pub fn drop_specks(r: &mut Reading) -> bool {
    if !looks_like_amount(&r.text) {
        return false;
    }
    let t: Vec<(char, f32)> = r
        .text
        .chars()
        .zip(r.chars.iter().copied().chain(std::iter::repeat(0.0)))
        .filter_map(|(c, p)| compact(c.encode_utf8(&mut [0; 4])).chars().next().map(|c| (c, p)))
        .collect();
    let mut kept = t.clone();
    // A number starts with a digit or its sign and ends with a digit.
    while kept.first().is_some_and(|&(c, _)| !amount_char(c) || ",.".contains(c))
        || (kept.first().is_some_and(|(c, _)| *c == '-')
            && kept.get(1).is_some_and(|(c, _)| !c.is_ascii_digit()))
    {
        kept.remove(0);
    }
    while kept.last().is_some_and(|(c, _)| !c.is_ascii_digit()) {
        kept.pop();
    }
    if kept.len() == t.len() || kept.is_empty() {
        return false;
    }
    let text: String = kept.iter().map(|(c, _)| *c).collect();
    if parse_amount(&text).is_none() {
        return false;
    }
    r.chars = kept.iter().map(|(_, p)| p.min(0.5)).collect();
    r.text = text;
    true
}

/// An amount whose least confident character makes it no number (`1.106.23`,
/// `5,500..0`): that character, least confident first, replaced by what makes it a
/// number of two decimals: the other separator first (the commonest confusion), then
/// a digit. The character is marked confidence 0. True when a character was filled in.
pub fn repair(r: &mut Reading) -> bool {
    let t: Vec<char> = r.text.chars().collect();
    if t.len() < 3 || t.len() != r.chars.len() || !t.iter().all(|&c| amount_char(c)) {
        return false;
    }
    if parse_amount(&r.text).is_some() || t.iter().filter(|c| c.is_ascii_digit()).count() < 2 {
        return false;
    }
    // A separator doubled (`5,500..00`): one of the two is a speck read; the less
    // confident goes, and the one kept is marked as filled in.
    for p in 1..t.len() {
        if ",.".contains(t[p]) && ",.".contains(t[p - 1]) {
            let (gone, kept) = if r.chars[p] < r.chars[p - 1] {
                (p, p - 1)
            } else {
                (p - 1, p)
            };
            let mut u = t.clone();
            u.remove(gone);
            let u: String = u.into_iter().collect();
            if parse_amount(&u).is_some_and(|a| a.scale() == 2) {
                let mut chars = r.chars.clone();
                chars[kept] = 0.0;
                chars.remove(gone);
                r.text = u;
                r.chars = chars;
                return true;
            }
        }
    }
    let mut order: Vec<usize> = (0..t.len()).collect();
    order.sort_by(|&a, &b| r.chars[a].total_cmp(&r.chars[b]));
    let fix = order.into_iter().find_map(|p| {
        let other = match t[p] {
            '.' => Some(','),
            ',' => Some('.'),
            _ => None,
        };
        other
            .into_iter()
            .chain('0'..='9')
            .filter(|&d| d != t[p])
            .find_map(|d| {
                let mut u = t.clone();
                u[p] = d;
                let u: String = u.into_iter().collect();
                parse_amount(&u).filter(|a| a.scale() == 2).map(|_| (p, u))
            })
    });
    match fix {
        Some((p, u)) => {
            r.text = u;
            r.chars[p] = 0.0;
            true
        }
        None => false,
    }
}

/// Two readers agree on an amount when they read the same number, character for
/// character once spaces are left out and full-width forms folded.
pub fn agree(a: &Reading, b: &Reading) -> bool {
    compact(&a.text) == compact(&b.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(t: &str) -> Reading {
        Reading {
            text: t.into(),
            chars: vec![0.99; t.chars().count()],
        }
    }

    #[test]
    fn an_amount_is_a_digit_and_at_most_two_specks_a_third_of_it() {
        for t in ["1,234.56", "0.00時·", "、0.00", "-", "１２.５０"] {
            assert_eq!(looks_like_amount(t), t != "-", "{t}");
        }
        for t in ["2024年收入", "1.基本工资", "二十六、抗疫特别国债", "0時·", "12元角分"] {
            assert!(!looks_like_amount(t), "{t}");
        }
    }

    #[test]
    fn digit_lookalikes_alone_are_a_misread_amount() {
        for t in ["o", "O", "1O0.00", "l,234.S6"] {
            assert!(looks_like_misread_amount(t), "{t}");
        }
        for t in ["0.00", "", "合计", "o合计", "Total", "会议费 o"] {
            assert!(!looks_like_misread_amount(t), "{t}");
        }
    }

    #[test]
    fn specks_around_an_amount_go() {
        for (read, want) in [
            ("0.00時.", "0.00"),
            ("、0.00", "0.00"),
            ("72.70.", "72.70"),
            ("21501.", "21501"),
            ("1234．56時", "1234.56"),
            ("·１２.５０", "12.50"),
            (".O.36", ""),
        ] {
            let mut x = r(read);
            let changed = drop_specks(&mut x);
            if want.is_empty() {
                assert!(
                    !changed || parse_amount(&x.text).is_some(),
                    "{read} -> {}",
                    x.text
                );
            } else {
                assert!(changed, "{read}");
                assert_eq!(x.text, want);
                assert!(x.chars.iter().all(|&c| c <= 0.5));
            }
        }
        // A number as printed, or a label, is left alone.
        for t in [
            "-5.00",
            "1,234.50",
            "一般公共服务支出",
            "二十六、抗疫特别国债",
            // A character inside is no speck: a full-width separator, or a misread one.
            "1234．56",
            "12時34.56",
            "1,2、34.56",
        ] {
            let mut x = r(t);
            assert!(!drop_specks(&mut x), "{t}");
            assert_eq!(x.text, t);
        }
    }

    #[test]
    fn a_separator_misread_is_repaired_as_the_other_separator_first() {
        let mut x = r("1.106.23");
        x.chars[1] = 0.4;
        assert!(repair(&mut x));
        assert_eq!(x.text, "1,106.23");
        assert_eq!(x.chars[1], 0.0);
        let mut x = r("5,500..00");
        x.chars[6] = 0.5;
        assert!(repair(&mut x));
        assert_eq!(x.text, "5,500.00");
        let mut ok = r("1,106.23");
        assert!(!repair(&mut ok));
    }
}
