//! Rows a page break split. The first line of a page's body may be the rest of the last
//! row of the page before: an amount wrapped in a narrow cell (`2082850` | `0`), the rest
//! of a wrapped label (`十、节能环保支` | `出`), or the amounts of a row whose label stayed
//! above. Joined only where that is certain; label-less amounts that could as well be a
//! row of their own are left out with a warning (a wrong value is worse than a missing one).

use std::collections::HashMap;

use gongkai_extract::Line;
use gongkai_model::catalogue;

use crate::Warnings;

use crate::{cell_amount, code_cell, is_grand_total, norm};

/// What became of the lines a break split, by index into the body: the joined row in place
/// of the last line of the page before, `None` for the fragment (joined or left out).
pub(crate) type Joins = HashMap<usize, Option<Line>>;

fn amount(s: &str) -> bool {
    cell_amount(s).is_ok_and(|a| a.is_some())
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A label the catalogue knows: a function class, an economic code's name, a closing or
/// parent row, a standard label its aliases name.
fn known_label(s: &str) -> bool {
    let cat = catalogue();
    let std = norm(s);
    // A closing row (合计, or the detail's 人员经费合计 / 公用经费合计) is a row of its own.
    is_grand_total(&std)
        || crate::row_keys::closing(gongkai_model::CodeKind::Economic, &std)
        || cat.function_class(&std).is_some()
        || !cat.econ_by_name(&std).is_empty()
        || cat.row_children.iter().any(|r| r.parent == std || r.children.contains(&std))
        || cat.tables.iter().any(|t| t.rows.values().any(|r| r.contains(&std)))
        || cat.standard_label(&gongkai_model::normalize_label(s)) != gongkai_model::normalize_label(s)
}

/// The joins of a table's body. `is_value(i)`: cell `i` is a value cell.
pub(crate) fn joins(body: &[&Line], is_value: &dyn Fn(usize) -> bool, w: &mut Warnings) -> Joins {
    let mut out = Joins::new();
    // Blank lines (a spacer row) are no row.
    let seen: Vec<usize> = (0..body.len()).filter(|&k| body[k].filled() > 0).collect();
    for pair in seen.windows(2) {
        let (p, k) = (pair[0], pair[1]);
        let (prev, l) = (body[p], body[k]);
        let (Some(a), Some(b)) = (prev.page, l.page) else { continue };
        // The first line of a page, right after the last line of the page before (a
        // continuation page's repeated header is not in the body), cell for cell.
        if a + 1 != b || out.contains_key(&p) || l.cells.len() != prev.cells.len() {
            continue;
        }
        let filled: Vec<usize> = (0..l.cells.len()).filter(|&i| !blank(&l.cells[i])).collect();
        // A line with a code of its own is a row of its own.
        if filled.iter().any(|&i| code_cell(&l.cells[i]).is_some_and(|d| d.len() >= 3 && !is_value(i))) {
            continue;
        }
        let (vals, texts): (Vec<usize>, Vec<usize>) = filled.iter().partition(|&&i| is_value(i));
        if vals.iter().any(|&i| !amount(&l.cells[i])) {
            continue;
        }
        let prev_coded = (0..prev.cells.len()).any(|i| !is_value(i) && code_cell(&prev.cells[i]).is_some_and(|d| d.len() >= 3));
        let prev_labelled = (0..prev.cells.len()).any(|i| !is_value(i) && !blank(&prev.cells[i]));
        let mut joined = prev.clone();
        // The rest of a wrapped label: text under the label it ends, certain where the row
        // is keyed by its code, or the whole label is one the catalogue knows and neither
        // piece alone is.
        if !texts.is_empty() {
            let ok = texts.iter().all(|&i| {
                let (head, tail) = (prev.cells[i].trim(), l.cells[i].trim());
                let whole = format!("{head}{tail}");
                // A piece that is a label of its own (合计, a class, 一、…) opens a row of its own.
                let own = known_label(tail) || gongkai_model::strip_ordinal(&gongkai_model::compact(tail)) != gongkai_model::compact(tail);
                // A class printed without its 支出 (`一、一般公共服务` | `支出`) is that class
                // either way: joining it changes nothing it names.
                let same_class = catalogue().function_class(&norm(head)).is_some_and(|c| catalogue().function_class(&norm(&whole)) == Some(c));
                let certain = !head.is_empty() && !amount(head) && !own && (prev_coded || (known_label(&whole) && (!known_label(head) || same_class)));
                joined.cells[i] = whole;
                certain
            });
            if !ok {
                continue;
            }
        }
        // Amounts: each under a filled amount of the row above is the rest of that cell
        // (the joined digits must be a number); amounts under the blank cells of a row
        // that printed no amount above the break are its amounts. Anything else is not
        // known to belong to the row above.
        let under_filled: Vec<usize> = vals.iter().copied().filter(|&i| !blank(&prev.cells[i])).collect();
        let prev_amounts = (0..prev.cells.len()).any(|i| is_value(i) && amount(&prev.cells[i]));
        let wrapped = under_filled.len() == vals.len()
            && vals.iter().all(|&i| amount(&prev.cells[i]) && amount(&format!("{}{}", prev.cells[i].trim(), l.cells[i].trim())));
        let moved = under_filled.is_empty() && !prev_amounts && (prev_labelled || prev_coded);
        // Beside the rest of a label, amounts were printed below the break: never digits
        // completing an amount above.
        let certain = vals.is_empty() || (wrapped && texts.is_empty()) || moved;
        if certain {
            for &i in &vals {
                joined.cells[i] = format!("{}{}", prev.cells[i].trim(), l.cells[i].trim());
            }
            out.insert(p, Some(joined));
            out.insert(k, None);
        } else if texts.is_empty() && (prev_labelled || prev_coded) {
            let frags: Vec<&str> = vals.iter().map(|&i| l.cells[i].trim()).collect();
            let above = prev.cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" | ");
            // An amount above the break with a fragment under it may be cut short: it is
            // left out too.
            let mut cut = prev.clone();
            for &i in &under_filled {
                cut.cells[i].clear();
            }
            w.left_out(frags.iter().filter(|f| !f.is_empty()).count() + under_filled.len(), format!(
                "page {b}: amounts without a label at the top of the page (`{}`) were left out{}: nothing makes it certain they belong to the row above the break (`{above}`)",
                frags.join(" | "),
                if under_filled.is_empty() { "" } else { ", with the amounts above them" },
            ));
            if !under_filled.is_empty() {
                out.insert(p, Some(cut));
            }
            out.insert(k, None);
        }
    }
    out
}
