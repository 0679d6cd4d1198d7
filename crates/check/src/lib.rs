//! Checks every number of a document against the others: the accounting identities
//! inside each table, between its columns, and across tables. A printed value is a
//! rounded value (尾差): a sum of N rounded terms may be off by up to (N+1)/2 units of
//! the last printed digit; a difference within that is a `notice`, beyond it an `error`.

mod corpus;
mod identity;
mod narrative;
mod toc;

pub use corpus::{check_corpus, CorpusFinding, CorpusReport, Group, Place, Unchecked};
pub use narrative::outcomes as narrative_outcomes;

use gongkai_model::{catalogue, Amount, CellRef, Document, Table};
use rust_decimal::Decimal;

pub use gongkai_model::{Finding, Severity};

/// A finding of `rule` on `table` saying `message`, nothing else set: every check starts
/// from it and sets what it knows (row and column, place, the amounts, the terms).
pub(crate) fn finding(rule: &str, severity: Severity, table: &str, message: String) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity,
        table: table.to_string(),
        row: None,
        col: None,
        section: None,
        sentence: None,
        page: None,
        expected: String::new(),
        actual: String::new(),
        diff: String::new(),
        tolerance: String::new(),
        message,
        terms: Vec::new(),
    }
}

/// The result of checking one identity, kept whether or not it held.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub finding: Finding,
    pub holds_exactly: bool,
}

struct Ctx<'a> {
    doc: &'a Document,
    out: Vec<Outcome>,
}

fn v(t: &Table, row: &str, col: &str) -> Option<Amount> {
    t.row(row).and_then(|r| r.value(col))
}

pub(crate) use gongkai_model::amount::half_unit;
use gongkai_model::amount::sum_tolerance as tolerance;

/// Σ terms and total − Σ terms in checked arithmetic: None where an amount is so large
/// that the sum leaves exact decimals (an edited document, a misread number).
fn sum_and_diff(terms: &[Amount], total: Amount) -> Option<(Decimal, Decimal)> {
    let sum = terms.iter().try_fold(Decimal::ZERO, |a, t| a.checked_add(t.0))?;
    Some((sum, total.0.checked_sub(sum)?))
}

/// The finding for an identity that cannot be computed exactly: a notice saying so.
fn beyond_exact(rule: &str, table: &str, row: Option<&str>, col: Option<&str>, actual: String, what: String) -> Outcome {
    Outcome {
        holds_exactly: false,
        finding: Finding {
            row: row.map(str::to_string),
            col: col.map(str::to_string),
            actual,
            ..finding(rule, Severity::Notice, table, format!("{what}: not checked, the amounts are beyond exact decimal arithmetic (28 digits)"))
        },
    }
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn compare(&mut self, rule: &'static str, table: &str, row: Option<&str>, col: Option<&str>, total: Amount, terms: &[Amount], refs: Vec<CellRef>, what: String) {
        let Some((sum, diff)) = sum_and_diff(terms, total) else {
            self.out.push(beyond_exact(rule, table, row, col, total.0.to_string(), what));
            return;
        };
        let tol = tolerance(terms, total);
        let holds_exactly = diff.is_zero();
        let severity = if diff.abs() <= tol { Severity::Notice } else { Severity::Error };
        self.out.push(Outcome {
            holds_exactly,
            finding: Finding {
                row: row.map(str::to_string),
                col: col.map(str::to_string),
                expected: sum.to_string(),
                actual: total.0.to_string(),
                diff: diff.to_string(),
                tolerance: tol.to_string(),
                terms: refs,
                ..finding(rule, severity, table, what)
            },
        });
    }

    /// 类 = Σ款, 款 = Σ项, 合计 = Σ类 in every column of a coded table.
    fn hierarchy(&mut self, t: &Table) {
        let cols: Vec<String> = t.columns.iter().map(|c| c.key.clone()).collect();
        for col in &cols {
            for r in &t.rows {
                let Some(total) = r.value(col) else { continue };
                let (kids, name): (Vec<&gongkai_model::Row>, &str) = match &r.code {
                    Some(code) => (
                        t.rows
                            .iter()
                            .filter(|c| c.code.as_ref().is_some_and(|cc| cc.len() == code.len() + 2 && cc.starts_with(code.as_str())))
                            .filter(|c| c.value(col).is_some())
                            .collect(),
                        "its sub-items",
                    ),
                    None if r.key == "合计" => (
                        t.rows.iter().filter(|c| c.code.as_ref().is_some_and(|cc| cc.len() == 3)).filter(|c| c.value(col).is_some()).collect(),
                        "its classes",
                    ),
                    None => continue,
                };
                let children: Vec<Amount> = kids.iter().filter_map(|c| c.value(col)).collect();
                let refs = kids.iter().map(|c| cell_ref(&t.id, &c.key, col)).collect();
                let has_children = t.rows.iter().any(|c| match (&r.code, &c.code) {
                    (Some(p), Some(cc)) => cc.len() == p.len() + 2 && cc.starts_with(p.as_str()),
                    (None, Some(cc)) => cc.len() == 3,
                    _ => false,
                });
                if !has_children {
                    continue;
                }
                let msg = format!("{} `{}` {} = sum of {}", t.id, r.label, col, name);
                self.compare("table.hierarchy", &t.id, Some(&r.key), Some(col), total, &children, refs, msg);
            }
        }
    }

    /// total column = Σ part columns, on every row that prints the total.
    fn row_sum(&mut self, t: &Table, total: &str, parts: &[&str]) {
        for r in &t.rows {
            let Some(tv) = r.value(total) else { continue };
            // A blank cell of a printed column is zero: a total over blank parts is checked
            // (and fails unless it is zero); parts the print lacks altogether are not terms.
            let printed: Vec<&&str> = parts.iter().filter(|p| t.columns.iter().any(|c| c.key == **p)).collect();
            if printed.is_empty() {
                continue;
            }
            // In a two-sided table the parts are one side's columns: the other side's rows
            // (which may share the total's key, 预算数) are not theirs.
            let part_side = t.columns.iter().find(|c| c.key == *printed[0]).and_then(|c| c.side.as_deref());
            if part_side.is_some() && r.side.is_some() && r.side.as_deref() != part_side {
                continue;
            }
            let terms: Vec<Amount> = printed.iter().map(|p| r.value(p).unwrap_or(Amount(Decimal::new(0, tv.scale())))).collect();
            let msg = format!("{} `{}`: {} = {}", t.id, r.label, total, parts.join(" + "));
            let refs = printed.iter().map(|p| cell_ref(&t.id, &r.key, p)).collect();
            self.compare("table.columns", &t.id, Some(&r.key), Some(total), tv, &terms, refs, msg);
        }
    }

    fn rows_sum(&mut self, t: &Table, col: &str, total: &str, parts: &[&str]) {
        let Some(tv) = v(t, total, col) else { return };
        let terms: Vec<Amount> = parts.iter().filter_map(|p| v(t, p, col)).collect();
        let refs = parts.iter().filter(|p| v(t, p, col).is_some()).map(|p| cell_ref(&t.id, p, col)).collect();
        let msg = format!("{}: {} = {}", t.id, total, parts.join(" + "));
        self.compare("summary.totals", &t.id, Some(total), Some(col), tv, &terms, refs, msg);
    }

    /// a ≤ b (within rounding): a part printed in one table may not exceed its whole in another.
    fn at_most(&mut self, rule: &'static str, a: (&Table, &str, &str), b: (&Table, &str, &str)) {
        let (Some(av), Some(bv)) = (v(a.0, a.1, a.2), v(b.0, b.1, b.2)) else { return };
        let tol = tolerance(&[av], bv);
        let Some(over) = av.0.checked_sub(bv.0) else {
            let what = format!("{} {}/{} may not exceed {} {}/{}", a.0.id, a.1, a.2, b.0.id, b.1, b.2);
            self.out.push(beyond_exact(rule, &a.0.id, Some(a.1), Some(a.2), av.0.to_string(), what));
            return;
        };
        self.out.push(Outcome {
            holds_exactly: over <= Decimal::ZERO,
            finding: Finding {
                row: Some(a.1.to_string()),
                col: Some(a.2.to_string()),
                expected: format!("<= {}", bv.0),
                actual: av.0.to_string(),
                diff: over.max(Decimal::ZERO).to_string(),
                tolerance: tol.to_string(),
                terms: vec![cell_ref(&b.0.id, b.1, b.2)],
                ..finding(
                    rule,
                    if over <= tol { Severity::Notice } else { Severity::Error },
                    &a.0.id,
                    format!("{} {}/{} = {} may not exceed {} {}/{} = {}", a.0.id, a.1, a.2, av.0, b.0.id, b.1, b.2, bv.0),
                )
            },
        });
    }

    fn equal(&mut self, rule: &'static str, a: (&Table, &str, &str), parts: &[(&Table, &str, &str)]) {
        let Some(av) = v(a.0, a.1, a.2) else { return };
        let terms: Vec<Amount> = parts.iter().filter_map(|p| v(p.0, p.1, p.2)).collect();
        if terms.is_empty() {
            return;
        }
        let rhs: Vec<String> = parts.iter().map(|p| format!("{} {}/{}", p.0.id, p.1, p.2)).collect();
        let msg = format!("{} {}/{} = {}", a.0.id, a.1, a.2, rhs.join(" + "));
        let refs = parts.iter().filter(|p| v(p.0, p.1, p.2).is_some()).map(|p| cell_ref(&p.0.id, p.1, p.2)).collect();
        self.compare(rule, &a.0.id, Some(a.1), Some(a.2), av, &terms, refs, msg);
    }
}

fn cell_ref(table: &str, row: &str, col: &str) -> CellRef {
    CellRef { table: table.to_string(), row: row.to_string(), col: col.to_string() }
}

fn col_basic(t: &Table) -> &str {
    t.columns.first().map(|c| c.key.as_str()).unwrap_or("决算数")
}

const SUMMARY_INCOME: &[&str] = &[
    "收入/一般公共预算财政拨款收入", "收入/政府性基金预算财政拨款收入", "收入/国有资本经营预算财政拨款收入", "收入/上级补助收入",
    "收入/事业收入", "收入/经营收入", "收入/附属单位上缴收入", "收入/其他收入",
];

fn class_keys(t: &Table) -> Vec<String> {
    t.rows.iter().filter(|r| r.side.as_deref() == Some("支出") && r.code.is_some()).map(|r| r.key.clone()).collect()
}

/// Every identity of the document, held or not.
pub fn outcomes(doc: &Document) -> Vec<Outcome> {
    let mut cx = Ctx { doc, out: Vec::new() };
    // Totals and their parts are the catalogue's columns: the first column of 收入决算表 /
    // 支出决算表 is the total of the others; the 财政拨款 summary's 支出 columns are 合计
    // and the three funds.
    let cols = |id: &str| -> Vec<&str> {
        catalogue().table(id).map(|t| t.columns.iter().map(String::as_str).collect()).unwrap_or_default()
    };
    let income_cols = cols("income");
    let expenditure_cols = cols("expenditure");
    let fiscal_cols: Vec<&str> = catalogue()
        .table("fiscal_summary")
        .and_then(|t| t.sides.iter().find(|s| s.side == "支出"))
        .map(|s| s.columns.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let (income_total, income_sources) = income_cols.split_first().expect("catalogue: income columns");
    let (expenditure_total, _) = expenditure_cols.split_first().expect("catalogue: expenditure columns");
    let funds: &[&str] = fiscal_cols.get(1..).unwrap_or(&[]);
    let d = cx.doc;
    // Identities inside each table are the catalogue's data: hierarchy and row sums.
    for t in &d.tables {
        let Some(spec) = catalogue().table(&t.id) else { continue };
        if spec.hierarchy && spec.layout != gongkai_model::Layout::BasicDetail {
            cx.hierarchy(t);
        }
        for rs in &spec.row_sums {
            let parts: Vec<&str> = rs.parts.iter().map(String::as_str).collect();
            cx.row_sum(t, &rs.total, &parts);
        }
    }
    if let Some(s) = d.table("income_expenditure_summary") {
        let col = "决算数";
        // Older prints carry one 财政拨款收入 line where newer ones split it into three funds.
        let lines: Vec<&str> = SUMMARY_INCOME.iter().copied().chain(["收入/财政拨款收入"]).collect();
        cx.rows_sum(s, col, "收入/本年收入合计", &lines);
        cx.rows_sum(s, col, "收入/总计", &["收入/本年收入合计", "收入/使用非财政拨款结余", "收入/年初结转和结余"]);
        let classes = class_keys(s);
        let refs: Vec<&str> = classes.iter().map(String::as_str).collect();
        cx.rows_sum(s, col, "支出/本年支出合计", &refs);
        cx.rows_sum(s, col, "支出/总计", &["支出/本年支出合计", "支出/结余分配", "支出/年末结转和结余"]);
        cx.equal("summary.balance", (s, "收入/总计", col), &[(s, "支出/总计", col)]);
        if let Some(inc) = d.table("income") {
            cx.equal("cross.summary_income", (s, "收入/本年收入合计", col), &[(inc, "合计", income_total)]);
            cx.equal(
                "cross.summary_income",
                (inc, "合计", "财政拨款收入"),
                &[(s, "收入/一般公共预算财政拨款收入", col), (s, "收入/政府性基金预算财政拨款收入", col), (s, "收入/国有资本经营预算财政拨款收入", col)],
            );
            for src in &income_sources[1..] {
                cx.equal("cross.summary_income", (s, &format!("收入/{src}"), col), &[(inc, "合计", src)]);
            }
        }
        if let Some(exp) = d.table("expenditure") {
            cx.equal("cross.summary_expenditure", (s, "支出/本年支出合计", col), &[(exp, "合计", expenditure_total)]);
            for c in &classes {
                if exp.row(c).is_some() {
                    cx.equal("cross.summary_expenditure", (s, c, col), &[(exp, c, expenditure_total)]);
                }
            }
        }
        if let Some(f) = d.table("fiscal_summary") {
            for (fs, ss) in funds.iter().zip(&SUMMARY_INCOME[..3]) {
                cx.equal("cross.fiscal_summary", (f, &format!("收入/{fs}"), "金额"), &[(s, ss, col)]);
            }
        }
    }
    if let Some(f) = d.table("fiscal_summary") {
        let fund_rows: Vec<String> = funds.iter().map(|x| format!("收入/{x}")).collect();
        let refs: Vec<&str> = fund_rows.iter().map(String::as_str).collect();
        cx.rows_sum(f, "金额", "收入/本年收入合计", &refs);
        let opening: Vec<String> = funds.iter().map(|x| format!("收入/年初财政拨款结转和结余/{x}")).collect();
        let refs: Vec<&str> = opening.iter().map(String::as_str).collect();
        if refs.iter().any(|r| f.row(r).is_some()) {
            cx.rows_sum(f, "金额", "收入/年初财政拨款结转和结余", &refs);
        }
        cx.rows_sum(f, "金额", "收入/总计", &["收入/本年收入合计", "收入/年初财政拨款结转和结余"]);
        let classes = class_keys(f);
        let refs: Vec<&str> = classes.iter().map(String::as_str).collect();
        for col in fiscal_cols.iter().copied() {
            cx.rows_sum(f, col, "支出/本年支出合计", &refs);
            cx.rows_sum(f, col, "支出/总计", &["支出/本年支出合计", "支出/年末财政拨款结转和结余"]);
        }
        cx.equal("summary.balance", (f, "收入/总计", "金额"), &[(f, "支出/总计", "合计")]);
        let detail = [
            ("general_budget_expenditure", funds[0], "合计"),
            ("government_fund", funds[1], "本年支出/合计"),
            ("state_capital", funds[2], "本年支出/合计"),
        ];
        for (id, fund, dcol) in detail {
            let Some(t) = d.table(id) else { continue };
            cx.equal("cross.fiscal_detail", (f, "支出/本年支出合计", fund), &[(t, "合计", dcol)]);
            for c in &classes {
                if t.row(c).is_some() {
                    cx.equal("cross.fiscal_detail", (f, c, fund), &[(t, c, dcol)]);
                }
            }
        }
    }
    if let Some(b) = d.table("general_budget_basic_expenditure") {
        let col = "决算数";
        cx.hierarchy(b);
        // Which closing row a class adds into is data (economic_codes.json `funding`).
        for funding in ["人员经费", "公用经费"] {
            let classes: Vec<&str> = b
                .rows
                .iter()
                .filter(|r| r.code.as_deref().and_then(|c| catalogue().econ(c)).is_some_and(|e| e.code.len() == 3 && e.funding == funding))
                .map(|r| r.key.as_str())
                .collect();
            cx.rows_sum(b, col, &format!("{funding}合计"), &classes);
        }
        // The 三公 table counts all 财政拨款 spending, the detail only its basic part: a
        // detail line may not exceed its 三公 figure.
        // Which detail line is part of which 三公 figure is data (tables.json `detail_lines`).
        if let (Some(tp), Some(spec)) = (d.table("three_public"), catalogue().table("three_public")) {
            for l in &spec.detail_lines {
                cx.at_most("cross.three_public", (b, &l.code, col_basic(b)), (tp, "合计", &l.col));
            }
        }
        if let Some(g) = d.table("general_budget_expenditure") {
            cx.equal("cross.basic_detail", (g, "合计", "基本支出"), &[(b, "人员经费合计", col), (b, "公用经费合计", col)]);
        }
    }
    budget_identities(&mut cx);
    cx.out
}

/// The identities of a budget (facts-budgets.md): the summary, the 财政拨款 summary and
/// the tables they restate. Rules and grading are the final accounts' own.
fn budget_identities(cx: &mut Ctx<'_>) {
    let d = cx.doc;
    let col = "预算数";
    let income = d.table("budget_income");
    let expenditure = d.table("budget_expenditure");
    let sources = ["财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"];
    let funds = ["一般公共预算", "政府性基金预算", "国有资本经营预算"];
    let fund_tables = ["budget_general_budget_expenditure", "budget_government_fund", "budget_state_capital"];
    if let Some(s) = d.table("budget_income_expenditure_summary") {
        let subs: Vec<String> = funds.iter().map(|f| format!("收入/财政拨款收入/{f}")).collect();
        if subs.iter().any(|r| s.row(r).is_some()) {
            let refs: Vec<&str> = subs.iter().map(String::as_str).collect();
            cx.rows_sum(s, col, "收入/财政拨款收入", &refs);
        }
        let lines: Vec<String> = sources.iter().map(|x| format!("收入/{x}")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        cx.rows_sum(s, col, "收入/总计", &refs);
        let classes = class_keys(s);
        let refs: Vec<&str> = classes.iter().map(String::as_str).collect();
        cx.rows_sum(s, col, "支出/总计", &refs);
        cx.equal("summary.balance", (s, "收入/总计", col), &[(s, "支出/总计", col)]);
        if let Some(inc) = income {
            for (line, src) in lines.iter().zip(sources) {
                cx.equal("cross.summary_income", (s, line, col), &[(inc, "合计", src)]);
            }
        }
        for t in [income, expenditure].into_iter().flatten() {
            for c in &classes {
                if t.row(c).is_some() {
                    cx.equal("cross.summary_expenditure", (s, c, col), &[(t, c, "合计")]);
                }
            }
        }
        if let Some(b) = d.table("budget_general_budget_basic_expenditure") {
            for part in ["人员经费", "公用经费"] {
                cx.equal("cross.basic_detail", (s, "支出/总计", &format!("基本支出/{part}")), &[(b, "合计", part)]);
            }
        }
    }
    if let Some(f) = d.table("budget_fiscal_summary") {
        let lines: Vec<String> = funds.iter().map(|x| format!("收入/{x}")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        cx.rows_sum(f, col, "收入/总计", &refs);
        let classes = class_keys(f);
        let refs: Vec<&str> = classes.iter().map(String::as_str).collect();
        for c in std::iter::once("合计").chain(funds) {
            cx.rows_sum(f, c, "支出/总计", &refs);
        }
        cx.equal("summary.balance", (f, "收入/总计", col), &[(f, "支出/总计", "合计")]);
        for (line, fund) in lines.iter().zip(funds) {
            cx.equal("cross.fiscal_summary", (f, line, col), &[(f, "支出/总计", fund)]);
        }
        for (fund, id) in funds.iter().zip(fund_tables) {
            let Some(t) = d.table(id) else { continue };
            cx.equal("cross.fiscal_detail", (f, "支出/总计", fund), &[(t, "合计", "合计")]);
            for c in &classes {
                if t.row(c).is_some() {
                    cx.equal("cross.fiscal_detail", (f, c, fund), &[(t, c, "合计")]);
                }
            }
        }
        if let Some(inc) = income {
            for c in &classes {
                if inc.row(c).is_some() {
                    cx.equal("cross.fiscal_summary", (inc, c, "财政拨款收入"), &[(f, c, "合计")]);
                }
            }
        }
    }
    if let (Some(g), Some(b)) = (d.table("budget_general_budget_expenditure"), d.table("budget_general_budget_basic_expenditure")) {
        cx.equal("cross.basic_detail", (g, "合计", "基本支出"), &[(b, "合计", "合计")]);
    }
}

/// The findings worth reporting: every identity that does not hold exactly.
pub fn check(doc: &Document) -> Vec<Finding> {
    let mut f: Vec<Finding> = outcomes(doc).into_iter().filter(|o| !o.holds_exactly).map(|o| o.finding).collect();
    f.extend(narrative::outcomes(doc).into_iter().filter(|o| !o.holds_exactly).map(|o| o.finding));
    f.extend(identity::presence(doc));
    f.extend(identity::years(doc));
    f.extend(identity::department(doc));
    f.extend(toc::check(doc));
    // Stable: errors first, each group in document order.
    f.sort_by_key(|a| a.severity);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::*;

    fn doc(year: u32, text: &str) -> Document {
        Document {
            schema: SCHEMA.into(),
            source: Source { file: "x".into(), sha256: String::new(), format: "text".into(), encoding: None, pages: None },
            metadata: Metadata { year: Some(year), kind: Some("final_accounts".into()), ..Default::default() },
            tables: vec![],
            toc: vec![],
            narrative: vec![Part {
                number: 3,
                title: format!("{year}年度部门决算情况说明"),
                text: String::new(),
                sections: vec![Section { ordinal: "十二".into(), title: "国有资产占用情况说明".into(), text: text.into(), at: Location::default() }],
                at: Location::default(),
            }],
            warnings: vec![],
            findings: vec![],
        }
    }

    fn narrative_findings(text: &str) -> Vec<Finding> {
        let mut d = doc(2024, "");
        d.narrative[0].sections[0].title = "其他重要事项的情况说明".into();
        d.narrative[0].sections[0].text = text.into();
        check(&d).into_iter().filter(|f| f.rule.starts_with("narrative")).collect()
    }

    #[test]
    fn comparison_words_parts_and_counts_are_checked() {
        let f = narrative_findings("年初预算为10.00万元，支出决算为12.00万元。决算数小于预算数的主要原因：追加。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].rule.as_str(), f[0].severity), ("narrative.compare", Severity::Error));
        assert!(narrative_findings("年初预算为10.00万元，支出决算为8.00万元。决算数小于预算数的主要原因：节约。").is_empty());
        let f = narrative_findings("政府采购金额10.00万元，其中：货物采购金额6.00万元、服务采购金额5.00万元。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].rule.as_str(), f[0].expected.as_str(), f[0].actual.as_str()), ("narrative.parts", "10", "11"));
        assert!(narrative_findings("政府采购金额10.00万元，其中：货物采购金额4.00万元、服务采购金额5.00万元。").is_empty());
        let f = narrative_findings("绩效自评的2024年度项目5个，平均得分95分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个；绩效评级为“合格”的项目0个）。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "narrative.count");
    }

    #[test]
    fn missing_tables_and_stray_years_are_found() {
        let f = check(&doc(2024, "截至2023年12月31日，共有车辆4辆。2024年期末无变化。"));
        assert_eq!(f.iter().filter(|x| x.rule == "presence.table").count(), 9);
        let years: Vec<_> = f.iter().filter(|x| x.rule == "identity.year").collect();
        assert_eq!(years.len(), 1, "{years:?}");
        assert_eq!(years[0].actual, "2023");
        assert_eq!(years[0].severity, Severity::Error);
        assert!(years[0].table.contains("国有资产占用情况说明"));
        let ok = check(&doc(2024, "2024年期末，共有车辆4辆。"));
        assert!(ok.iter().all(|x| x.rule != "identity.year"));
        // Comparing with the year before is what the text is for; another year is a notice.
        let prev = check(&doc(2024, "与2023年末相比，车辆减少1辆；比2023年度增加0辆。"));
        assert!(prev.iter().all(|x| x.rule != "identity.year"), "{prev:?}");
        let cmp = check(&doc(2024, "与2022年末相比，车辆减少1辆。"));
        let cmp: Vec<_> = cmp.iter().filter(|x| x.rule == "identity.year").collect();
        assert_eq!(cmp.len(), 1);
        assert_eq!(cmp[0].severity, Severity::Notice);
    }
}
