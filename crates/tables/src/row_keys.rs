//! Row keys of the tables keyed by classification codes (facts contract, row keys 1 and
//! 3): a row is keyed by a code of the table's classification that the catalogue knows,
//! or it is a closing row the catalogue names (合计; 人员经费合计 / 公用经费合计 in the
//! economic detail). A label cell that holds code and name together (`30299其他商品和服务支出`)
//! is split. Anything else — a garbled label, a code of another classification (the rows
//! of a table whose title was missed, read into the table above), digits that are no
//! code — yields no fact: never a key made of what was misread.

use gongkai_model::{catalogue, compact, nearest_label, CodeKind, TableSpec};

use crate::columns::similarity;
use crate::{is_grand_total, norm};

/// How a row of a coded table is keyed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RowKey {
    /// A code the catalogue knows, with the row's label (the name part of a code+name cell).
    Code { code: String, label: String },
    /// A closing row the catalogue names, keyed by its standard label.
    Closing(String),
}

/// Leading code digits of a label cell that prints code and name together: 3, 5 or 7
/// digits, then the name (at least one letter, not another digit or a decimal point).
pub(crate) fn split_code_name(label: &str) -> Option<(String, String)> {
    let t = compact(label);
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &t[digits..];
    let name_starts = rest.chars().next().is_some_and(|c| c.is_alphabetic());
    (matches!(digits, 3 | 5 | 7) && name_starts).then(|| (t[..digits].to_string(), rest.to_string()))
}

/// The closing rows of a table of this classification besides 合计: the economic detail's
/// 人员经费合计 and 公用经费合计 (each class's `funding` in economic_codes.json).
pub(crate) fn closing(kind: CodeKind, std: &str) -> bool {
    kind == CodeKind::Economic && catalogue().econ.iter().any(|e| std.strip_suffix("合计") == Some(e.funding.as_str()))
}

/// The key of a row of a table keyed by `kind`, from the code its code cells give (empty
/// when none) and its label; `Err` says why the row yields no fact.
pub(crate) fn key(kind: CodeKind, code: &str, label: &str) -> Result<RowKey, String> {
    let cat = catalogue();
    let what = match kind {
        CodeKind::Function => "function",
        CodeKind::Economic => "economic",
    };
    if !code.is_empty() {
        if cat.knows_code(kind, code) {
            return Ok(RowKey::Code { code: code.to_string(), label: label.to_string() });
        }
        return Err(format!("the row coded `{code}` (`{label}`) has no {what} classification code the catalogue knows"));
    }
    if let Some((c, name)) = split_code_name(label) {
        // The name printed with the code, where the catalogue names the code, must be its
        // name or close to it: digits run into a label are not always a code.
        let named = cat.code_name(kind, &c).is_none_or(|n| similarity(&norm(&name), &norm(n)) >= 0.5);
        if cat.knows_code(kind, &c) && named {
            return Ok(RowKey::Code { code: c, label: name });
        }
        return Err(format!("the row `{label}` has no {what} classification code the catalogue knows"));
    }
    let std = norm(label);
    if is_grand_total(&std) {
        return Ok(RowKey::Closing("合计".into()));
    }
    if closing(kind, &std) {
        return Ok(RowKey::Closing(std));
    }
    Err(format!("the row `{label}` has no {what} classification code and is no closing row the catalogue knows"))
}

/// What a row of a two-sided summary is (facts contract, row keys 2 and 4).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SummaryRow {
    /// A function class line of the expenditure side, by its code.
    Class(String),
    /// A row the catalogue lists for this side of this table (tables.json `rows`).
    Row(String),
    /// A sub-line under the row above it (row_children).
    Child(String),
}

/// The row a two-sided summary's label names: a sub-line of the row above (`children`),
/// a function class (支出 side), or a row of its side in the catalogue; a label one or two
/// characters from exactly one of these (a damaged text layer: 上→P) is that one, with a
/// note. Anything else names no row (`Err`, why): its amounts give no fact, since a key
/// made of a garbled label would compare with nothing (never a key made of a garble).
pub(crate) fn summary_row(
    spec: &TableSpec,
    side: &str,
    std: &str,
    children: Option<&[String]>,
) -> Result<(SummaryRow, Option<String>), String> {
    let cat = catalogue();
    let expenditure = side == "支出";
    let exact = |label: &str| -> Option<SummaryRow> {
        if children.is_some_and(|c| c.iter().any(|x| x == label)) {
            return Some(SummaryRow::Child(label.to_string()));
        }
        if expenditure {
            if let Some(code) = cat.function_class(label) {
                return Some(SummaryRow::Class(code.to_string()));
            }
        }
        spec.rows.get(side).is_some_and(|r| r.iter().any(|x| x == label)).then(|| SummaryRow::Row(label.to_string()))
    };
    if let Some(r) = exact(std) {
        return Ok((r, None));
    }
    // The nearest of the labels this row could be; a tie between two is no answer.
    let body: Vec<char> = std.chars().collect();
    let cap = match body.len() {
        0..=3 => 0,
        4..=9 => 1,
        _ => 2,
    };
    // Each label with the row it names, in the order exact matching prefers them.
    let mut vocab: Vec<(Vec<char>, &str, SummaryRow)> = Vec::new();
    for c in children.unwrap_or_default() {
        vocab.push((c.chars().collect(), c, SummaryRow::Child(c.clone())));
    }
    if expenditure {
        for (code, name) in &cat.function_names {
            vocab.push((name.chars().collect(), name, SummaryRow::Class(code.clone())));
        }
    }
    for r in spec.rows.get(side).into_iter().flatten() {
        vocab.push((r.chars().collect(), r, SummaryRow::Row(r.clone())));
    }
    let near = nearest_label(&body, vocab.iter().map(|(c, l, _)| (c.as_slice(), *l)), cap).filter(|_| cap > 0);
    match near.and_then(|label| vocab.iter().find(|v| v.1 == label)) {
        Some((_, label, row)) => Ok((row.clone(), Some(format!("the {side} row `{std}` is read as the catalogue's `{label}`")))),
        None => Err(format!("the {side} row `{std}` is none the catalogue knows for this table")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_row_is_one_the_catalogue_knows_or_gives_no_fact() {
        let spec = catalogue().table("income_expenditure_summary").unwrap();
        let row = |side: &str, l: &str| summary_row(spec, side, l, None).map(|r| r.0);
        assert_eq!(row("收入", "上级补助收入"), Ok(SummaryRow::Row("上级补助收入".into())));
        assert_eq!(row("支出", "一般公共服务支出"), Ok(SummaryRow::Class("201".into())));
        // A damaged text layer (Ghostscript's ToUnicode for Chromium's fonts: 上→P).
        assert_eq!(row("收入", "P级补助收入"), Ok(SummaryRow::Row("上级补助收入".into())));
        assert_eq!(row("支出", "一般公共服务攴出"), Ok(SummaryRow::Class("201".into())));
        // Garbles near nothing, or a short label one character off, name no row.
        for garble in ["一1财政拨款收入", "收入P", "总汁", "Ā本支出"] {
            assert!(row("收入", garble).is_err(), "{garble}");
        }
        // The other side's rows are not this side's: 本年支出合计 is no income row.
        assert!(row("收入", "本年支出合计").is_err());
        let children: Vec<String> = catalogue().children_of("年初结转和结余").unwrap().to_vec();
        assert_eq!(summary_row(spec, "收入", "经营结余", Some(&children)).unwrap().0, SummaryRow::Child("经营结余".into()));
    }

    #[test]
    fn code_and_name_in_one_cell_are_split() {
        assert_eq!(split_code_name("30299其他商品和服务支出"), Some(("30299".into(), "其他商品和服务支出".into())));
        assert_eq!(split_code_name("2080505 机关事业单位基本养老保险缴费支出").unwrap().0, "2080505");
        for no in ["其他支出", "30299", "3029其他", "12.50", "201.5万元", ""] {
            assert_eq!(split_code_name(no), None, "{no}");
        }
    }

    #[test]
    fn rows_are_keyed_by_known_codes_or_named_closing_rows() {
        let f = CodeKind::Function;
        let e = CodeKind::Economic;
        assert_eq!(key(f, "2080505", "机关事业单位基本养老保险缴费支出"), Ok(RowKey::Code { code: "2080505".into(), label: "机关事业单位基本养老保险缴费支出".into() }));
        assert_eq!(key(e, "", "30299其他商品和服务支出"), Ok(RowKey::Code { code: "30299".into(), label: "其他商品和服务支出".into() }));
        assert_eq!(key(f, "", "合 计"), Ok(RowKey::Closing("合计".into())));
        assert_eq!(key(e, "", "公用经费合计"), Ok(RowKey::Closing("公用经费合计".into())));
        // A code of the other classification, an unknown code, a code whose printed name is
        // another's, a garble, a closing row of the other classification: no key.
        assert!(key(f, "", "30299其他商品和服务支出").is_err());
        assert!(key(f, "99901", "其他").is_err());
        assert!(key(e, "30298", "其他").is_err());
        assert!(key(e, "", "30201印刷费").is_err());
        assert!(key(f, "", "VîS").is_err());
        assert!(key(f, "", "公用经费合计").is_err());
    }
}
