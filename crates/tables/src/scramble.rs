//! Rebuilds a side-by-side detail page that text extraction flowed into one line of
//! words (codes, names and amounts of three column groups interleaved). The national
//! economic classification (data) says which group and row each code belongs to; each
//! amount goes to the code or name printed just before it, and the amounts of one
//! printed row fill that row's remaining slots in group order.

use gongkai_model::{catalogue, normalize_label, parse_amount, Amount};

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub group: usize,
    pub value: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Code(String),
    Amount(Amount),
    Word(String),
}

fn is_econ_code(t: &str) -> bool {
    (t.len() == 3 || t.len() == 5) && t.chars().all(|c| c.is_ascii_digit()) && catalogue().econ(t).is_some()
}

pub fn looks_scrambled(text: &str) -> bool {
    text.split_whitespace().filter(|t| is_econ_code(t)).count() >= 6
}

/// Split one whitespace token into amounts, codes and words (`0.0030218`,
/// `0.09伙食补助费`, `0.000.00` are glued pieces).
fn split_token(t: &str, out: &mut Vec<Tok>) {
    if t.is_empty() {
        return;
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        out.push(if is_econ_code(t) { Tok::Code(t.into()) } else { Tok::Word(t.into()) });
        return;
    }
    if let Some(a) = parse_amount(t).filter(|a| a.scale() > 0 && a.scale() <= 2) {
        out.push(Tok::Amount(a));
        return;
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        // The longest prefix that is an amount with two decimals.
        if let Some(dot) = t.find(['.', ',']) {
            let end = dot + 3;
            if end <= t.len() && t.is_char_boundary(end) {
                if let Some(a) = parse_amount(&t[..end]).filter(|a| a.scale() == 2) {
                    out.push(Tok::Amount(a));
                    return split_token(&t[end..], out);
                }
            }
        }
        out.push(Tok::Word(t.into()));
        return;
    }
    match t.find(|c: char| c.is_ascii_digit()) {
        Some(p) if p > 0 => {
            out.push(Tok::Word(t[..p].into()));
            split_token(&t[p..], out);
        }
        _ => out.push(Tok::Word(t.into())),
    }
}

fn tokenize(text: &str) -> Vec<Tok> {
    // Join number fragments split at a separator: `405,` `50` / `1,` `819,` `88`.
    let mut merged: Vec<String> = Vec::new();
    for t in text.split_whitespace() {
        match merged.last_mut() {
            Some(prev)
                if (prev.ends_with(',') || prev.ends_with('.'))
                    && prev.starts_with(|c: char| c.is_ascii_digit())
                    && t.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                prev.push_str(t)
            }
            _ => merged.push(t.to_string()),
        }
    }
    let mut toks = Vec::new();
    for t in &merged {
        split_token(t, &mut toks);
    }
    toks
}

pub fn unscramble(text: &str) -> (Vec<Entry>, Vec<String>) {
    let cat = catalogue();
    let toks = tokenize(text);
    let mut warnings = Vec::new();
    let codes: Vec<String> = toks
        .iter()
        .filter_map(|t| if let Tok::Code(c) = t { Some(c.clone()) } else { None })
        .collect();
    let ngroups = codes.iter().filter_map(|c| cat.econ(c)).map(|e| e.group + 1).max().unwrap_or(0);
    let mut groups: Vec<Vec<String>> = vec![Vec::new(); ngroups];
    for c in &codes {
        let g = cat.econ(c).map(|e| e.group).unwrap_or(0);
        if !groups[g].contains(c) {
            groups[g].push(c.clone());
        }
    }
    // The anchor (code) a token names, if any: a code, or the standard name of a code
    // printed on this page (a name cut in two matches by its first part).
    let anchor = |t: &Tok| -> Option<String> {
        match t {
            Tok::Code(c) => Some(c.clone()),
            Tok::Word(w) => {
                let n = normalize_label(w);
                let present = |code: &String| codes.contains(code);
                let exact: Vec<String> =
                    cat.econ_by_name(&n).into_iter().map(|e| e.code.clone()).filter(present).collect();
                if exact.len() == 1 {
                    return exact.into_iter().next();
                }
                if n.chars().count() >= 4 {
                    let pre: Vec<String> = cat
                        .econ
                        .iter()
                        .filter(|e| normalize_label(&e.name).starts_with(&n) && codes.contains(&e.code))
                        .map(|e| e.code.clone())
                        .collect();
                    if pre.len() == 1 {
                        return pre.into_iter().next();
                    }
                }
                None
            }
            Tok::Amount(_) => None,
        }
    };
    // Each amount with the anchor printed right before it.
    let mut amounts: Vec<(Amount, Option<String>)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Tok::Amount(a) = t {
            let mut a_anchor = None;
            for prev in toks[..i].iter().rev() {
                if matches!(prev, Tok::Amount(_)) {
                    break;
                }
                if let Some(c) = anchor(prev) {
                    a_anchor = Some(c);
                    break;
                }
            }
            amounts.push((*a, a_anchor));
        }
    }
    let nrows = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let slots: usize = groups.iter().map(|g| g.len()).sum();
    let mut value: std::collections::HashMap<String, Amount> = Default::default();
    if amounts.len() == slots {
        let mut next = 0;
        for r in 0..nrows {
            let row: Vec<&String> = groups.iter().filter_map(|g| g.get(r)).collect();
            let chunk = &amounts[next..next + row.len()];
            next += row.len();
            let mut free: Vec<&String> = row.clone();
            let mut left = Vec::new();
            for (a, anc) in chunk {
                match anc.as_ref().and_then(|c| free.iter().position(|f| *f == c)) {
                    Some(p) => {
                        value.insert(free.remove(p).clone(), *a);
                    }
                    None => left.push(*a),
                }
            }
            for (code, a) in free.into_iter().zip(left) {
                value.insert(code.clone(), a);
            }
        }
    } else {
        warnings.push(format!(
            "flowed detail page: {} amounts for {} codes; only amounts printed right after their code or name were placed",
            amounts.len(),
            slots
        ));
        for (a, anc) in amounts {
            if let Some(c) = anc {
                value.entry(c).or_insert(a);
            }
        }
    }
    let mut out = Vec::new();
    for (g, list) in groups.iter().enumerate() {
        for c in list {
            let name = cat.econ(c).map(|e| e.name.clone()).unwrap_or_default();
            out.push(Entry { code: c.clone(), name, group: g, value: value.get(c).copied() });
        }
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_amounts_by_anchor_within_rows() {
        // Row 2 prints its left amount last, after the other two groups' amounts.
        let text = "301 工资福利支出 1,060,50 302 商品和服务支出 102. 21 307 债务利息及费用支出 0.00 \
                    30101 基本工资 405, 50 30201 办公费 3. 13 30701 国内债务付息 0.00 \
                    30102 津贴补贴 30202 印刷费 1. 02 30702 国外债务付息 0.00 167.66";
        let (e, w) = unscramble(text);
        assert!(w.is_empty(), "{w:?}");
        let v = |c: &str| e.iter().find(|x| x.code == c).and_then(|x| x.value).map(|a| a.to_string());
        assert_eq!(v("301").as_deref(), Some("1060.50"));
        assert_eq!(v("30101").as_deref(), Some("405.50"));
        assert_eq!(v("30202").as_deref(), Some("1.02"));
        assert_eq!(v("30702").as_deref(), Some("0.00"));
        assert_eq!(v("30102").as_deref(), Some("167.66"));
    }
}
