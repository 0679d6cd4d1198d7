//! Exact amounts. An amount keeps the precision it was printed with (`0.00` stays
//! `0.00`, `12` stays `12`); arithmetic is exact decimal arithmetic, never `f64`.
//! `parse_amount` is the one number parser of the project.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::label::{compact, fold_width};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    pub fn zero() -> Self {
        Amount(Decimal::ZERO)
    }
    pub fn decimal(&self) -> Decimal {
        self.0
    }
    /// Number of printed decimals.
    pub fn scale(&self) -> u32 {
        self.0.scale()
    }
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

/// Half a unit of the last digit printed at `scale` decimals: the rounding of one value.
/// At 28 decimals (the most an exact amount has) half a unit is not representable: one
/// unit of the 28th decimal stands for it.
pub fn half_unit(scale: u32) -> Decimal {
    if scale >= Decimal::MAX_SCALE {
        Decimal::new(1, Decimal::MAX_SCALE)
    } else {
        Decimal::new(5, scale + 1)
    }
}

/// The rounding difference (尾差) a printed total may show against the sum of its printed
/// terms: half a unit of the least precise of them, times (terms + 1).
pub fn sum_tolerance(terms: &[Amount], total: Amount) -> Decimal {
    let scale = terms.iter().chain([&total]).map(|a| a.scale()).min().unwrap_or(2);
    half_unit(scale).checked_mul(Decimal::from(terms.len() as u64 + 1)).unwrap_or(Decimal::MAX)
}

/// Whether `total` is the sum of `terms` within the rounding of printed values.
pub fn sums_to(terms: &[Amount], total: Amount) -> bool {
    let Some(sum) = terms.iter().try_fold(Decimal::ZERO, |a, t| a.checked_add(t.0)) else { return false };
    total.0.checked_sub(sum).is_some_and(|d| d.abs() <= sum_tolerance(terms, total))
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Decimal's Display keeps the scale: 0.00 prints as "0.00".
        write!(f, "{}", self.0)
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // Exactly as written, or not at all: a value the decimal type would round or
        // cannot hold is an error naming it, never a silently different amount.
        Decimal::from_str_exact(&s)
            .map(Amount)
            .map_err(|e| serde::de::Error::custom(format!("amount `{}`: {e} (an exact amount holds at most 28 digits)", cut(&s, 60))))
    }
}

/// A cell that means "nothing printed": empty, or a dash placeholder.
pub fn is_blank_cell(s: &str) -> bool {
    let t = compact(s);
    t.is_empty()
        || t.chars().all(|c| matches!(c, '-' | '—' | '–' | '－' | '─' | '·' | '/' | '_'))
}

/// Parse a printed amount: `5, 896. 65`, `５８９６.６５`, `-12`, `(1.00)` is not accepted.
/// OCR corruptions handled: a decimal comma where a thousands group of exactly two
/// digits closes the number (`1,060,50` is 1060.50), spaces inside the number, and a
/// trailing table-rule glyph (`78.06l`, `3.5|`). Returns `None` for anything else.
pub fn parse_amount(s: &str) -> Option<Amount> {
    let (neg, plain) = printed_number(s)?;
    // Exactly as printed or not at all: rust_decimal holds 28 significant digits (at most
    // 28 decimals, below 7.9×10²⁸); a longer number is not rounded into a different one.
    let mut d = Decimal::from_str_exact(&plain).ok()?;
    if neg {
        d.set_sign_negative(true);
    }
    Some(Amount(d))
}

/// A printed number that [`parse_amount`] would read but an exact amount cannot hold
/// (more than 28 significant digits or decimals, or beyond ±7.9×10²⁸).
pub fn beyond_exact(s: &str) -> bool {
    printed_number(s).is_some_and(|(_, plain)| Decimal::from_str_exact(&plain).is_err())
}

/// Warnings for the cells that print a number too long for an exact amount: they are
/// not read as amounts (never rounded into another value), and the document says where.
pub fn unreadable_amounts<'a>(lines: impl Iterator<Item = (crate::Location, &'a [String])>) -> Vec<String> {
    let mut found = Vec::new();
    for (at, cells) in lines {
        for c in cells.iter().filter(|c| c.len() > 28 && beyond_exact(c)) {
            let place = match (at.page, at.line) {
                (Some(p), _) => format!("page {p}"),
                (None, Some(l)) => format!("line {l}"),
                _ => "a cell".to_string(),
            };
            found.push(format!("{place}: `{}` has more digits than an exact amount holds (28 significant digits, ±7.9×10²⁸); it was not read as an amount", cut(c.trim(), 60)));
        }
    }
    if found.len() > 20 {
        let more = found.len() - 20;
        found.truncate(20);
        found.push(format!("{more} more numbers too long for an exact amount were not read"));
    }
    found
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).collect::<String>() + "…"
    }
}

/// The sign and the plain digits (`1234.50`) of a printed number, before any range check.
fn printed_number(s: &str) -> Option<(bool, String)> {
    let folded = fold_width(s);
    // Spaces may follow or precede a separator (`5, 896. 65`) but never split digits:
    // `1 77 66` is several numbers, not one.
    let cs: Vec<char> = folded.trim().chars().collect();
    for (i, c) in cs.iter().enumerate() {
        if c.is_whitespace() {
            let before = cs[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = cs[i..].iter().find(|c| !c.is_whitespace());
            if before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
        }
    }
    let mut t: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    // A ruling line read as a letter after a complete two-decimal number.
    while t.len() > 3 && matches!(t.chars().last(), Some('l' | '|' | 'I')) {
        let body = &t[..t.len() - 1];
        if body.rfind('.').is_some_and(|p| body.len() - p == 3) {
            t.pop();
        } else {
            break;
        }
    }
    let (neg, body) = match t.chars().next()? {
        '-' | '−' | '－' => (true, &t[t.chars().next()?.len_utf8()..]),
        _ => (false, &t[..]),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) || !body.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let dots = body.matches('.').count();
    let plain: String = if dots > 1 {
        return None;
    } else if dots == 1 {
        let (int, frac) = body.split_once('.').unwrap();
        if frac.contains(',') || !valid_groups(int) {
            return None;
        }
        format!("{}.{}", int.replace(',', ""), frac)
    } else if let Some(p) = body.rfind(',') {
        let (int, frac) = (&body[..p], &body[p + 1..]);
        if frac.len() == 2 {
            // `1,060,50`: the last comma stands for the decimal point.
            if !valid_groups(int) {
                return None;
            }
            format!("{}.{}", int.replace(',', ""), frac)
        } else if valid_groups(body) {
            body.replace(',', "")
        } else {
            return None;
        }
    } else {
        body.to_string()
    };
    Some((neg, plain))
}

/// Thousands groups: first 1-3 digits, then groups of exactly 3 (an integer part without
/// commas is valid). OCR's prover takes a reading whose integer part fails this for a guess.
pub fn valid_groups(int: &str) -> bool {
    let mut parts = int.split(',');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 && int.contains(',') {
        return false;
    }
    parts.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_amount(s).map(|a| a.to_string())
    }

    #[test]
    fn parses_printed_forms() {
        assert_eq!(p("5, 896. 65").as_deref(), Some("5896.65"));
        assert_eq!(p("0.00").as_deref(), Some("0.00"));
        assert_eq!(p("12").as_deref(), Some("12"));
        assert_eq!(p("１，２３４．５０").as_deref(), Some("1234.50"));
        assert_eq!(p("11,397.91").as_deref(), Some("11397.91"));
        assert_eq!(p("9389913.00").as_deref(), Some("9389913.00"));
        assert_eq!(p("-3.10").as_deref(), Some("-3.10"));
        assert_eq!(p("1,060,50").as_deref(), Some("1060.50"));
        assert_eq!(p("405, 50").as_deref(), Some("405.50"));
        assert_eq!(p("1, 571, 70").as_deref(), Some("1571.70"));
        assert_eq!(p("78. 06l").as_deref(), Some("78.06"));
        assert_eq!(p("1,234").as_deref(), Some("1234"));
    }

    #[test]
    fn rejects_non_numbers() {
        for s in ["", "-", "合计", "1.2.3", "12,34,5", "41 11 JT 66", "0.09伙食", "1,2345", ".", "1 77 66 10 11"] {
            assert_eq!(p(s), None, "{s}");
        }
        assert!(is_blank_cell(" — "));
        assert!(is_blank_cell("·"));
        assert!(!is_blank_cell("0"));
    }

    #[test]
    fn never_rounds_a_number_it_cannot_hold() {
        // 28 decimals fit; 29 would be rounded: not read, and said so.
        assert_eq!(p("0.1234567890123456789012345678").as_deref(), Some("0.1234567890123456789012345678"));
        assert_eq!(p("0.12345678901234567890123456789"), None);
        assert!(beyond_exact("0.12345678901234567890123456789"));
        assert_eq!(p("79228162514264337593543950335").as_deref(), Some("79228162514264337593543950335"));
        assert_eq!(p("79228162514264337593543950336"), None);
        assert!(beyond_exact("792,281,625,142,643,375,935,439,503,360"));
        assert!(!beyond_exact("12.50") && !beyond_exact("合计"));
        let w = unreadable_amounts([(crate::Location { page: None, line: Some(7) }, &["x".to_string(), "9".repeat(40)][..])].into_iter());
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("line 7: `9999"), "{w:?}");
        assert!(serde_json::from_str::<Amount>("\"1.5\"").is_ok());
        assert!(serde_json::from_str::<Amount>("\"0.12345678901234567890123456789\"").is_err());
    }
}
