//! Exact amounts. An amount keeps the precision it was printed with (`0.00` stays
//! `0.00`, `12` stays `12`); arithmetic is exact decimal arithmetic, never `f64`.
//! `parse_amount` is the one number parser of the project.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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
        Decimal::from_str(&s).map(Amount).map_err(serde::de::Error::custom)
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
    let mut d = Decimal::from_str(&plain).ok()?;
    if neg {
        d.set_sign_negative(true);
    }
    Some(Amount(d))
}

/// Thousands groups: first 1-3 digits, then groups of exactly 3.
fn valid_groups(int: &str) -> bool {
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
}
