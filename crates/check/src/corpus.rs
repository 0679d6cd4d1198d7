//! Checks across documents. A disclosure restates others: a budget's 比2024年预算增加Δ
//! names last year's budget, a final account's 年初预算 names the same year's budget. The
//! documents of a batch are grouped by department (its names in the title and the
//! captions, normalized; a name is the same department as one it ends with after a
//! region prefix: 上海市普陀区商务委员会 = 普陀区商务委员会), kind and year, and each such
//! statement is checked against its counterpart where the batch holds it:
//! - `corpus.year_over_year`: previous = current ∓ Δ (持平: Δ = 0) at the text's printed
//!   precision, the previous document's figure converted to the text's unit and rounded
//!   half-up, within the rounding of the printed terms (尾差); and 增长/下降 P% = Δ / previous;
//! - `corpus.budget_vs_final`: a final account's 年初预算 / 预算数 figures (the text's and
//!   the 三公 table's 预算数) equal the same year's budget at the coarser printed precision.
//!
//! A statement whose counterpart is not in the batch is counted as unchecked, with why.

use gongkai_model::{catalogue, normalize_label, Document, Severity, Table};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::half_unit;
use crate::narrative::{figure_named, in_unit, round, statements, target, Figure, Prior, Said, Statement, Target};

/// Where a figure is: the document (file and sha256) and the table cell or sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub file: String,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// One check across two documents that did not hold exactly: a notice within rounding,
/// an error beyond it. `this` is the statement (or figure) checked, `other` its counterpart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusFinding {
    pub rule: String,
    pub severity: Severity,
    pub this: Place,
    pub other: Place,
    pub expected: String,
    pub actual: String,
    pub diff: String,
    pub tolerance: String,
    pub message: String,
}

/// A statement about another document that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unchecked {
    pub rule: String,
    pub place: Place,
    pub reason: String,
}

/// Documents of one department, kind and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub department: String,
    pub kind: String,
    pub year: u32,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CorpusReport {
    pub groups: Vec<Group>,
    /// Statements and figures compared with a counterpart.
    pub checked: usize,
    /// Of those, the ones that hold within rounding.
    pub held: usize,
    pub failed: usize,
    pub findings: Vec<CorpusFinding>,
    pub unchecked: Vec<Unchecked>,
}

const YOY: &str = "corpus.year_over_year";
const BVF: &str = "corpus.budget_vs_final";

/// A department name, normalized: the contract's label normalization, a trailing
/// (本级) / 本级 dropped.
fn norm_name(s: &str) -> String {
    let n = normalize_label(s);
    let n = n.strip_suffix("(本级)").unwrap_or(&n);
    n.strip_suffix("本级").unwrap_or(n).to_string()
}

/// The names a document gives its department: the cover's and every caption's.
fn names(d: &Document) -> Vec<String> {
    let mut v: Vec<String> = d.metadata.department.iter().chain(d.tables.iter().filter_map(|t| t.department.as_ref())).map(|n| norm_name(n)).filter(|n| n.chars().count() >= 2).collect();
    v.sort();
    v.dedup();
    v
}

/// Region words that may open a department's full name (上海市, 普陀区, 河南省, 焦作市).
const REGION_ENDS: &[char] = &['省', '市', '区', '县', '州', '盟', '旗'];

fn same_department(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    // The shorter name must itself open with a region (普陀区商务委员会): a bare 财政局 is
    // every region's.
    let opens_with_region = short.char_indices().skip(1).any(|(i, c)| REGION_ENDS.contains(&c) && i + c.len_utf8() < short.len());
    opens_with_region && long.strip_suffix(short).is_some_and(|p| p.ends_with(REGION_ENDS))
}

struct Doc<'a> {
    d: &'a Document,
    cluster: usize,
}

fn place_of(d: &Document) -> Place {
    Place { file: d.source.file.clone(), sha256: d.source.sha256.clone(), table: None, row: None, col: None, section: None, sentence: None, page: None }
}

fn page_of(t: &Table, row: &str) -> Option<u32> {
    t.row(row).and_then(|r| r.at.page).or(t.provenance.start.page)
}

fn cell_place(d: &Document, tg: &Target) -> Place {
    let page = d.table(&tg.table).and_then(|t| page_of(t, &tg.row));
    Place { table: Some(tg.table.clone()), row: Some(tg.row.clone()), col: Some(tg.col.clone()), page, ..place_of(d) }
}

fn statement_place(d: &Document, s: &Statement) -> Place {
    let tg = s.figure.as_ref().and_then(|f| f.target.as_ref());
    Place {
        table: tg.map(|t| t.table.clone()),
        row: tg.map(|t| t.row.clone()),
        col: tg.map(|t| t.col.clone()),
        section: Some(s.section.clone()),
        sentence: Some(s.sentence.clone()),
        page: s.page,
        ..place_of(d)
    }
}

/// Decimals a table value has once converted to `unit` (元 → 万元 adds four).
fn scale_in(tg: &Target, unit: &str, text_scale: u32) -> u32 {
    if tg.blank {
        return text_scale;
    }
    let digits = |u: &str| match u {
        "万元" => 4i64,
        "亿元" => 8,
        _ => 0,
    };
    let shift = digits(unit) - tg.unit.as_deref().map_or(0, digits);
    (i64::from(tg.value.scale()) + shift).max(0) as u32
}

struct Cx<'a> {
    docs: Vec<Doc<'a>>,
    report: CorpusReport,
}

impl<'a> Cx<'a> {
    fn unchecked(&mut self, rule: &str, place: Place, reason: String) {
        self.report.unchecked.push(Unchecked { rule: rule.into(), place, reason });
    }

    #[allow(clippy::too_many_arguments)]
    fn outcome(&mut self, rule: &str, this: Place, other: Place, expected: Decimal, actual: Decimal, tol: Decimal, message: String) {
        let diff = actual.checked_sub(expected).unwrap_or(Decimal::MAX);
        self.report.checked += 1;
        let severity = if diff.abs() <= tol {
            self.report.held += 1;
            if diff.is_zero() {
                return;
            }
            Severity::Notice
        } else {
            self.report.failed += 1;
            Severity::Error
        };
        self.report.findings.push(CorpusFinding {
            rule: rule.into(),
            severity,
            this,
            other,
            expected: expected.normalize().to_string(),
            actual: actual.normalize().to_string(),
            diff: diff.normalize().to_string(),
            tolerance: tol.normalize().to_string(),
            message,
        });
    }

    fn counterparts(&self, i: usize, kind: &str, year: u32) -> Vec<&'a Document> {
        let of = &self.docs[i];
        self.docs
            .iter()
            .filter(|o| o.cluster == of.cluster && !std::ptr::eq(o.d, of.d))
            .filter(|o| o.d.metadata.kind.as_deref() == Some(kind) && o.d.metadata.year == Some(year))
            .map(|o| o.d)
            .collect()
    }

    /// The counterpart's figure: the same table cell where both documents are of one kind,
    /// else the figure its words name there.
    fn locate(other: &Document, fig: &Figure, same_kind: bool) -> Option<Target> {
        if same_kind {
            if let Some(t) = &fig.target {
                return other.table(&t.table).and_then(|tt| target(tt, &t.row, &t.col));
            }
        }
        figure_named(other, &fig.subject)
    }

    fn year_over_year(&mut self, i: usize, s: &Statement) {
        let Said::Change { year, prior, dir, delta, delta_scale } = s.said else { return };
        let d = self.docs[i].d;
        let this = statement_place(d, s);
        let Some(own_year) = d.metadata.year else {
            return self.unchecked(YOY, this, "the document's year is unknown".into());
        };
        let Some(py) = year.or(own_year.checked_sub(1)) else { return };
        let kind = match prior {
            Prior::Budget => "budget",
            Prior::Final => "final_accounts",
            Prior::Same => d.metadata.kind.as_deref().unwrap_or(""),
            Prior::Execution => {
                return self.unchecked(YOY, this, format!("measured against the {py} 预算执行数 (the budget as executed), which no disclosure prints"));
            }
        };
        let Some(fig) = &s.figure else {
            return self.unchecked(YOY, this, "the figure the statement speaks of is not identified".into());
        };
        let others = self.counterparts(i, kind, py);
        if others.is_empty() {
            return self.unchecked(YOY, this, format!("no {kind} of {py} of this department in the batch"));
        }
        for o in others {
            let same_kind = o.metadata.kind == d.metadata.kind;
            let Some(prev) = Self::locate(o, fig, same_kind) else {
                self.unchecked(YOY, this.clone(), format!("`{}` is not found in {}", fig.subject, o.source.file));
                continue;
            };
            let other = cell_place(o, &prev);
            let s_text = if dir == 0 { fig.scale } else { fig.scale.min(delta_scale) };
            let s_cmp = s_text.min(scale_in(&prev, fig.unit, s_text));
            let Some(expected) = delta.checked_mul(Decimal::from(dir)).and_then(|d| fig.value.checked_sub(d)) else {
                self.unchecked(YOY, this.clone(), "the figures are out of range".into());
                continue;
            };
            let prev_v = in_unit(prev.value, prev.unit.as_deref(), fig.unit);
            let actual = round(prev_v, s_cmp);
            // The current figure and Δ are rounded, and so is the previous figure.
            let terms = if dir == 0 { 1u64 } else { 2 };
            let tol = half_unit(s_cmp) * Decimal::from(terms + 1);
            let word = match dir {
                1 => format!("增加 {delta}{}", fig.unit),
                -1 => format!("减少 {delta}{}", fig.unit),
                _ => "持平".to_string(),
            };
            let message = format!(
                "`{}` {}{} is {word} against {py}: {} {} should print {}{}; it prints {}",
                fig.subject,
                fig.value.normalize(),
                fig.unit,
                o.source.file,
                other.table.as_deref().unwrap_or(""),
                round(expected, s_cmp),
                fig.unit,
                prev.printed()
            );
            self.outcome(YOY, this.clone(), other.clone(), expected, actual, tol, message);
            if let (Some(pct), true) = (s.pct, dir != 0) {
                let Some((exp, tol, _)) = crate::narrative::grade_ratio(pct, (delta, delta_scale), (prev_v, s_cmp)) else { continue };
                let shown = round(exp, pct.1 + 2);
                let message = format!("`{}` changes by {}% against {py}: Δ {delta} / {} ({}) = {}%", fig.subject, pct.0, round(prev_v, s_cmp), o.source.file, round(exp, pct.1));
                self.outcome(YOY, this.clone(), other, shown, pct.0, tol.round_dp(4), message);
            }
        }
    }

    fn budget_vs_final(&mut self, i: usize, s: &Statement) {
        let d = self.docs[i].d;
        let this = statement_place(d, s);
        let Some(fig) = &s.figure else {
            return self.unchecked(BVF, this, "the figure the 年初预算 belongs to is not identified".into());
        };
        let Some(year) = d.metadata.year else { return self.unchecked(BVF, this, "the document's year is unknown".into()) };
        let budgets = self.counterparts(i, "budget", year);
        if budgets.is_empty() {
            return self.unchecked(BVF, this, format!("no budget of {year} of this department in the batch"));
        }
        for b in budgets {
            let counterpart = fig
                .target
                .as_ref()
                .and_then(|t| {
                    let cp = catalogue().table(&t.table)?.budget_counterpart.as_ref()?;
                    target(b.table(&cp.table)?, &t.row, cp.col(&t.col))
                })
                .or_else(|| figure_named(b, &format!("{}预算", fig.subject)))
                .or_else(|| figure_named(b, &fig.subject));
            let Some(bt) = counterpart else {
                self.unchecked(BVF, this.clone(), format!("`{}` is not found in {}", fig.subject, b.source.file));
                continue;
            };
            self.compare_budget(this.clone(), fig.value, fig.scale, fig.unit, &fig.subject, b, &bt);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_budget(&mut self, this: Place, value: Decimal, scale: u32, unit: &str, what: &str, b: &Document, bt: &Target) {
        let other = cell_place(b, bt);
        let s = scale.min(scale_in(bt, unit, scale));
        let expected = round(in_unit(bt.value, bt.unit.as_deref(), unit), s);
        let actual = round(value, s);
        let message = format!("`{what}` 年初预算 {}{unit}; the budget {} ({} {} {}) prints {}", value, b.source.file, bt.table, bt.row, bt.col, bt.printed());
        self.outcome(BVF, this, other, expected, actual, half_unit(s), message);
    }

    /// The final account's 三公 table: each printed 预算数 column against the budget's.
    fn three_public_budget(&mut self, i: usize) {
        let d = self.docs[i].d;
        let Some(t) = d.table("three_public") else { return };
        let Some(cp) = catalogue().table("three_public").and_then(|s| s.budget_counterpart.clone()) else { return };
        let Some(year) = d.metadata.year else { return };
        let budgets = self.counterparts(i, "budget", year);
        let unit = t.unit.clone().unwrap_or_default();
        for col in t.columns.iter().filter(|c| c.key.starts_with("预算数")) {
            let Some(ft) = target(t, "合计", &col.key) else { continue };
            let this = cell_place(d, &ft);
            if budgets.is_empty() {
                self.unchecked(BVF, this, format!("no budget of {year} of this department in the batch"));
                continue;
            }
            for b in &budgets {
                let Some(bt) = b.table(&cp.table).and_then(|bt| target(bt, "合计", cp.col(&col.key))) else {
                    self.unchecked(BVF, this.clone(), format!("{} {} is not printed in {}", cp.table, col.key, b.source.file));
                    continue;
                };
                let scale = if ft.blank { bt.value.scale() } else { ft.value.scale() };
                self.compare_budget(this.clone(), ft.value, scale, &unit, &format!("三公 {}", col.key), b, &bt);
            }
        }
    }
}

/// Check a batch of documents against each other.
pub fn check_corpus(docs: &[Document]) -> CorpusReport {
    // The same document given twice (a PDF and its canonical JSON) counts once.
    let mut seen = std::collections::HashSet::new();
    let docs: Vec<&Document> = docs.iter().filter(|d| d.source.sha256.is_empty() || seen.insert(d.source.sha256.clone())).collect();
    // Departments: documents whose names match are one department (union-find).
    let names: Vec<Vec<String>> = docs.iter().map(|d| names(d)).collect();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            if names[a].iter().any(|x| names[b].iter().any(|y| same_department(x, y))) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let clusters: Vec<usize> = (0..docs.len()).map(|i| root(&mut parent, i)).collect();
    let mut cx = Cx { docs: docs.iter().zip(&clusters).map(|(d, &c)| Doc { d, cluster: c }).collect(), report: CorpusReport::default() };
    let mut groups: Vec<Group> = Vec::new();
    for (d, &c) in docs.iter().zip(&clusters) {
        let (Some(kind), Some(year)) = (d.metadata.kind.clone(), d.metadata.year) else { continue };
        let department = docs[c].metadata.department.clone().unwrap_or_default();
        match groups.iter_mut().find(|g| g.department == department && g.kind == kind && g.year == year) {
            Some(g) => g.files.push(d.source.file.clone()),
            None => groups.push(Group { department, kind, year, files: vec![d.source.file.clone()] }),
        }
    }
    cx.report.groups = groups;
    for i in 0..cx.docs.len() {
        let d = cx.docs[i].d;
        let final_account = d.metadata.kind.as_deref() == Some("final_accounts");
        for s in statements(d) {
            match s.said {
                Said::Change { .. } => cx.year_over_year(i, &s),
                Said::Budget if final_account => cx.budget_vs_final(i, &s),
                Said::Budget => {}
            }
        }
        if final_account {
            cx.three_public_budget(i);
        }
    }
    cx.report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names_match_after_a_region_prefix() {
        assert!(same_department("上海市普陀区商务委员会", "普陀区商务委员会"));
        assert!(same_department("中共上海市普陀区委社会工作部", "中共上海市普陀区委社会工作部"));
        assert!(!same_department("上海市普陀区商务委员会", "上海市普陀区财政局"));
        // What remains is no region: 商务委员会 of 普陀区 is not 区商务委员会's prefix.
        assert!(!same_department("上海市普陀区商务委员会", "区商务委员会"));
        assert!(!same_department("上海市普陀区商务委员会", "商务委员会"));
        assert!(!same_department("上海市普陀区市场监督管理局", "市场监督管理局"));
        assert!(same_department("上海市普陀区市场监督管理局", "普陀区市场监督管理局"));
        assert_eq!(norm_name("上海市普陀区财政局（本级）"), norm_name("上海市普陀区财政局"));
    }
}
