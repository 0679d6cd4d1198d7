//! pdftotext's default mode on a dense coded table (收入决算表, 支出决算表 …): the cells of a
//! column that stand close over a run of rows are one text block, so the table comes out
//! column by column, a run of rows at a time — its codes (one block or several), its
//! labels (wrapped ones broken over lines), then for each run of rows one block of
//! amounts per value column, in the columns' order. The runs' lengths differ (pdftotext
//! cuts blocks where rows stand apart), but within a run every column's block is as long.
//!
//! Rows are rebuilt only where that leaves one way to do it: the amount blocks fall into
//! runs of exactly as many equal blocks as the table has value columns, the runs' rows
//! are as many as its codes (and its total row), and the table's own arithmetic (the
//! catalogue's hierarchy and row sums) holds on every row and column of the result. A
//! blank cell (a zero printed as nothing) shortens its block and breaks the count; a row
//! moved breaks a sum: either way nothing of the table is kept, and the caller says so.

use gongkai_model::amount::sums_to;
use gongkai_model::{catalogue, normalize_label, parse_amount, Amount, Layout, TableSpec};

use crate::align::is_amount;

/// One line of text in a block: its line number, its text (trimmed).
pub(crate) type BlockLine<'a> = (u32, &'a str);

/// A row rebuilt: the line it is read from (its first amount's), `code label amounts…`
/// (the total row `合计 amounts…`) as reading-order text writes a row.
pub(crate) type RebuiltRow = (u32, String);

/// The rows of a coded table whose blocks (`blocks`: the table's text after its title, up
/// to the next title) hold its cells column by column; `Err` says why that is not certain.
/// `skip(t)`: a line that states something of the table (unit, department), no cell.
pub(crate) fn rebuild(
    spec: &TableSpec,
    blocks: &[Vec<BlockLine<'_>>],
    skip: &dyn Fn(&str) -> bool,
) -> Result<Vec<RebuiltRow>, &'static str> {
    let kind = spec.codes.ok_or("not a table keyed by codes")?;
    if matches!(spec.layout, Layout::TwoSided | Layout::BasicDetail | Layout::SingleRow) {
        return Err("not a table of code rows");
    }
    let n = spec.columns.len();
    let cat = catalogue();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut codes: Vec<&str> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<(u32, Amount)>> = Vec::new();
    for b in blocks {
        let mut amounts: Vec<(u32, Amount)> = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for &(line, t) in b {
            if t.split_whitespace().count() > 1 {
                // Two cells on one line: blocks of another shape.
                return Err("a line holds several cells");
            }
            if is_amount(t) {
                amounts.push((line, parse_amount(t).ok_or("an amount out of range")?));
                continue;
            }
            if !amounts.is_empty() {
                return Err("a block holds text after its amounts");
            }
            if digits(t) {
                // Whole numbers: codes (an integer amount, whole 元, is not told from one).
                if t.len() < 3 {
                    continue; // a 行次 or 栏次 number
                }
                if !cat.knows_code(kind, t) {
                    return Err("a number that is no code the catalogue knows");
                }
                codes.push(t);
                continue;
            }
            let nl = normalize_label(t);
            // 合计 is a header word, and the total row's label.
            if matches!(nl.as_str(), "合计" | "总计") || !(skip(t) || cat.is_header_word(&nl) || cat.is_code_header(&nl) || cat.is_value_header(&nl) || crate::layout_text::known_header(&nl)) {
                words.push(t);
            }
        }
        if amounts.is_empty() {
            labels.extend(words.into_iter().map(str::to_string));
        } else {
            // Text atop a block of amounts is its column's header.
            runs.push(amounts);
        }
    }
    // Runs of rows: `n` consecutive blocks of one length each.
    if runs.is_empty() || runs.len() % n != 0 {
        return Err("the blocks of amounts are not a whole number of runs of the table's columns");
    }
    let chunks: Vec<&[Vec<(u32, Amount)>]> = runs.chunks(n).collect();
    if chunks.iter().any(|c| c.iter().any(|b| b.len() != c[0].len())) {
        return Err("a run of rows has columns of different lengths (a blank cell, or a block cut)");
    }
    let rows: usize = chunks.iter().map(|c| c[0].len()).sum();
    // The total row (合计 / 总计), where the table prints one: first or last, as its label
    // stands among the labels.
    let is_total = |l: &str| matches!(normalize_label(l).as_str(), "合计" | "总计");
    let total_at = if rows == codes.len() + 1 {
        if labels.first().is_some_and(|l| is_total(l)) {
            0
        } else if labels.last().is_some_and(|l| is_total(l)) {
            rows - 1
        } else {
            return Err("one row more than codes, but no total row among the labels");
        }
    } else if rows == codes.len() {
        usize::MAX
    } else {
        return Err("the runs hold another number of rows than the table has codes");
    };
    labels.retain(|l| !is_total(l));
    // Values: row r, column j.
    let mut values: Vec<Vec<(u32, Amount)>> = Vec::with_capacity(rows);
    for c in &chunks {
        for k in 0..c[0].len() {
            values.push(c.iter().map(|b| b[k]).collect());
        }
    }
    // Row r's index among the codes (the total row has none).
    let code_at = |r: usize| -> Option<usize> {
        match r.cmp(&total_at) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Less => Some(r),
            std::cmp::Ordering::Greater => Some(r - 1),
        }
    };
    let code_of = |r: usize| code_at(r).map(|i| codes[i]);
    // The table's arithmetic proves the placement: every row takes part in an identity,
    // and every identity holds.
    let col = |r: usize, j: usize| values[r][j].1;
    let mut proven = vec![false; rows];
    if spec.hierarchy {
        for p in 0..rows {
            let children: Vec<usize> = (0..rows)
                .filter(|&c| match (code_of(p), code_of(c)) {
                    (None, Some(cc)) => cc.len() == 3,
                    (Some(pc), Some(cc)) => cc.len() == pc.len() + 2 && cc.starts_with(pc),
                    _ => false,
                })
                .collect();
            if children.is_empty() {
                continue;
            }
            for j in 0..n {
                let terms: Vec<Amount> = children.iter().map(|&c| col(c, j)).collect();
                if !sums_to(&terms, col(p, j)) {
                    return Err("a parent row is not the sum of its children here");
                }
            }
            proven[p] = true;
            for c in children {
                proven[c] = true;
            }
        }
    }
    for s in &spec.row_sums {
        let at = |k: &str| spec.columns.iter().position(|c| c == k);
        let (Some(t), Some(parts)) = (at(&s.total), s.parts.iter().map(|p| at(p)).collect::<Option<Vec<usize>>>()) else {
            continue;
        };
        for (r, p) in proven.iter_mut().enumerate() {
            let terms: Vec<Amount> = parts.iter().map(|&j| col(r, j)).collect();
            if !sums_to(&terms, col(r, t)) {
                return Err("a row's total is not the sum of its parts here");
            }
            *p = true;
        }
    }
    if proven.iter().any(|p| !p) {
        return Err("a row takes part in no identity that could prove where it stands");
    }
    // Labels where they pair with the codes one to one (none was wrapped); else the
    // catalogue's name of the code where it has one (the row is keyed by its code).
    let paired = labels.len() == codes.len();
    Ok((0..rows)
        .map(|r| {
            let amounts = values[r].iter().map(|(_, a)| a.to_string()).collect::<Vec<_>>().join(" ");
            let head = match code_at(r) {
                None => "合计".to_string(),
                Some(i) => {
                    let code = codes[i];
                    let label = if paired { Some(labels[i].as_str()) } else { cat.code_name(kind, code) };
                    let label: String = label.unwrap_or("").split_whitespace().collect();
                    format!("{code} {label}")
                }
            };
            (values[r][0].0, format!("{} {amounts}", head.trim_end()))
        })
        .collect())
}
