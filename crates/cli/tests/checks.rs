//! Each check fires where the document is wrong, and only there: take the Jiaozuo
//! sample (or its golden), change one sentence or one value, and the matching rule
//! reports exactly that place; the unchanged document has no such finding.

use std::path::PathBuf;

use gongkai_check::{check, narrative_outcomes, outcomes, Finding, Severity};
use gongkai_model::{Amount, Document};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample() -> String {
    std::fs::read_to_string(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).unwrap()
}

fn convert(text: &str) -> Document {
    gongkai::convert_bytes(text.as_bytes(), "jiaozuo-2024-final-accounts.txt").unwrap()
}

/// Findings of the changed text that the original does not have.
fn new_findings(from: &str, to: &str) -> Vec<Finding> {
    let text = sample();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once in the sample");
    let before = check(&convert(&text));
    let after = check(&convert(&text.replacen(from, to, 1)));
    after.into_iter().filter(|f| !before.contains(f)).collect()
}

fn only(found: &[Finding], rule: &str) -> Finding {
    assert_eq!(found.len(), 1, "expected one new finding ({rule}), got {found:#?}");
    assert_eq!(found[0].rule, rule, "{found:#?}");
    found[0].clone()
}

#[test]
fn the_sample_narrative_agrees_with_its_tables() {
    let doc = convert(&sample());
    let o = narrative_outcomes(&doc);
    assert!(o.len() >= 50, "too few statements checked: {}", o.len());
    let bad: Vec<_> = o.iter().filter(|x| !x.holds_exactly).map(|x| &x.finding.message).collect();
    assert!(bad.is_empty(), "{bad:#?}");
    for rule in ["narrative.amount", "narrative.share", "narrative.rate", "narrative.change", "narrative.parts"] {
        assert!(o.iter().any(|x| x.finding.rule == rule), "{rule} never applied");
    }
    // The convert output carries the findings.
    assert_eq!(doc.findings, check(&doc));
}

#[test]
fn a_wrong_amount_in_the_text_is_found_at_its_figure() {
    // The parts after 其中 now exceed their whole too: that finding is in the same sentence.
    let found = new_findings("其他收入1.16万元", "其他收入1.26万元");
    assert!(found.iter().all(|f| f.sentence.as_deref().is_some_and(|s| s.contains("其他收入1.26万元"))), "{found:#?}");
    let f = found.iter().find(|f| f.rule == "narrative.amount").cloned().expect("narrative.amount");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.row.as_deref(), Some("收入/其他收入"));
    assert_eq!((f.expected.as_str(), f.actual.as_str()), ("1.16", "1.26"));
    assert!(f.section.as_deref().unwrap().contains("二、收入决算情况说明"), "{f:?}");
    assert!(f.sentence.as_deref().unwrap().contains("其他收入1.26万元"));
}

#[test]
fn an_amount_in_the_wrong_unit_is_found() {
    let f = only(&new_findings("节能环保(类)支出1,050.00万元", "节能环保(类)支出1,050.00元"), "narrative.unit");
    assert_eq!(f.row.as_deref(), Some("211"));
}

#[test]
fn a_wrong_share_is_found() {
    let f = only(&new_findings("占99.99%", "占98.99%"), "narrative.share");
    assert_eq!(f.actual, "98.99");
    assert_eq!(f.severity, Severity::Error);
}

#[test]
fn a_wrong_completion_rate_is_found() {
    let f = only(&new_findings("完成年初预算的116.99%", "完成年初预算的106.99%"), "narrative.rate");
    assert!(f.sentence.unwrap().contains("62.14"));
}

#[test]
fn a_change_whose_direction_contradicts_its_amount_is_found() {
    only(&new_findings("各减少6,558.73万元,下降36.53%", "各减少6,558.73万元,增长36.53%"), "narrative.direction");
}

#[test]
fn a_wrong_rate_of_change_is_found() {
    only(&new_findings("增加16.10万元,增长19.63%", "增加16.10万元,增长9.63%"), "narrative.change");
}

#[test]
fn a_template_placeholder_for_the_department_is_found() {
    let found = new_findings("第三部分 2024年度部门决算情况说明\n\n一、收入支出决算总体情况说明", "第三部分 XX局2024年度部门决算情况说明\n\n一、收入支出决算总体情况说明");
    // The heading now also differs from the 目录's (toc.title, see corpus_checks.rs).
    let found: Vec<Finding> = found.into_iter().filter(|f| f.rule != "toc.title").collect();
    let f = only(&found, "identity.department");
    assert_eq!(f.table, "第3部分");
}

/// A basic-expenditure line that exceeds the 三公 figure it is part of.
#[test]
fn a_basic_detail_line_above_its_three_public_figure_is_found() {
    let golden = std::fs::read_to_string(root().join("golden/jiaozuo-2024/jiaozuo-2024-final-accounts.json")).unwrap();
    let mut doc: Document = serde_json::from_str(&golden).unwrap();
    let held = outcomes(&doc);
    assert!(held.iter().any(|o| o.finding.rule == "cross.three_public"), "the rule never applied");
    assert!(held.iter().filter(|o| o.finding.rule == "cross.three_public").all(|o| o.finding.severity == Severity::Notice));
    let b = doc.tables.iter_mut().find(|t| t.id == "general_budget_basic_expenditure").unwrap();
    let r = b.rows.iter_mut().find(|r| r.key == "30217").unwrap();
    r.cells[0].value = Amount(r.cells[0].value.0 + rust_decimal::Decimal::new(200, 2));
    let bad: Vec<_> = outcomes(&doc).into_iter().filter(|o| o.finding.severity == Severity::Error).map(|o| o.finding).collect();
    assert!(bad.iter().any(|f| f.rule == "cross.three_public" && f.row.as_deref() == Some("30217")), "{bad:#?}");
}

/// Each identity rule fires when one printed value of the golden changes: the golden is
/// loaded, one cell moved by 1.00, and the rule named reports an error.
#[test]
fn each_identity_rule_fires_on_one_changed_value() {
    let golden = std::fs::read_to_string(root().join("golden/jiaozuo-2024/jiaozuo-2024-final-accounts.json")).unwrap();
    let base: Document = serde_json::from_str(&golden).unwrap();
    let before: Vec<Finding> = outcomes(&base).into_iter().filter(|o| o.finding.severity == Severity::Error).map(|o| o.finding).collect();
    let cases = [
        ("table.hierarchy", "income", "20105", "本年收入合计"),
        ("table.columns", "income", "2010550", "财政拨款收入"),
        ("summary.totals", "income_expenditure_summary", "收入/其他收入", "决算数"),
        ("summary.balance", "income_expenditure_summary", "支出/总计", "决算数"),
        ("cross.summary_income", "income", "合计", "其他收入"),
        ("cross.summary_expenditure", "income_expenditure_summary", "201", "决算数"),
        ("cross.fiscal_summary", "fiscal_summary", "收入/一般公共预算财政拨款", "金额"),
        ("cross.fiscal_detail", "fiscal_summary", "201", "一般公共预算财政拨款"),
        ("cross.basic_detail", "general_budget_basic_expenditure", "人员经费合计", "决算数"),
    ];
    for (rule, table, row, col) in cases {
        let mut doc = base.clone();
        let t = doc.tables.iter_mut().find(|t| t.id == table).unwrap();
        let r = t.rows.iter_mut().find(|r| r.key == row).unwrap_or_else(|| panic!("{table} {row}"));
        let c = r.cells.iter_mut().find(|c| c.col == col).unwrap_or_else(|| panic!("{table} {row} {col}"));
        c.value = Amount(c.value.0 + rust_decimal::Decimal::ONE);
        let new: Vec<Finding> = outcomes(&doc)
            .into_iter()
            .filter(|o| o.finding.severity == Severity::Error)
            .map(|o| o.finding)
            .filter(|f| !before.contains(f))
            .collect();
        assert!(new.iter().any(|f| f.rule == rule), "{rule} did not fire for {table}/{row}/{col}: {new:#?}");
        // Every new error is about the changed table or a table that restates it.
        assert!(new.iter().all(|f| f.message.contains(table) || f.table == table), "{rule}: {new:#?}");
    }
}

#[test]
fn a_table_captioned_with_another_department_is_found() {
    let found = new_findings("公开02表\n\n部门: 焦作市工业和信息化局", "公开02表\n\n部门: 焦作市财政局");
    let f = only(&found, "identity.department");
    assert_eq!((f.table.as_str(), f.actual.as_str()), ("income", "焦作市财政局"));
}
