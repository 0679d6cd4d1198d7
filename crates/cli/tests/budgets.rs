//! A unit-level budget (单位预算) that the corpus lacks, written here as extracted text:
//! its summary splits the expenditure side into 合计 · 基本支出(人员经费, 公用经费) ·
//! 项目支出, as facts-budgets.md describes. It converts under the budget contract, its
//! scope is `unit`, its columns are keyed by the contract and its identities hold.

const UNIT_BUDGET: &str = "上海市某区2025年区级单位预算
预算单位：某中心
2025年预算单位财务收支预算总表
编制单位：某中心\t单位：元
本年收入\t\t本年支出
项目\t预算数\t项目\t预算数
\t\t\t合计\t基本支出\t\t项目支出
\t\t\t\t人员经费\t公用经费
一、财政拨款收入\t1,000.00\t一、一般公共服务支出\t1,000.00\t600.00\t300.00\t100.00
1.一般公共预算\t1,000.00\t\t\t\t\t
2.政府性基金\t\t\t\t\t\t
二、事业收入\t\t\t\t\t\t
收入总计\t1,000.00\t支出总计\t1,000.00\t600.00\t300.00\t100.00
2025年预算单位一般公共预算基本支出部门预算经济分类预算表
编制单位：某中心\t单位：元
项目\t\t\t一般公共预算基本支出
经济分类科目编码\t\t经济分类科目名称\t合计\t人员经费\t公用经费
类\t款
301\t\t工资福利支出\t600\t600\t
301\t1\t基本工资\t600\t600\t
302\t\t商品和服务支出\t300\t\t300
302\t1\t办公费\t300\t\t300
合计\t\t\t900\t600\t300
";

#[test]
fn a_unit_level_budget_converts_under_the_contract() {
    let doc = gongkai::convert_bytes(UNIT_BUDGET.as_bytes(), "unit-budget.txt").unwrap();
    assert_eq!((doc.metadata.kind.as_deref(), doc.metadata.scope.as_deref()), (Some("budget"), Some("unit")));
    let s = doc.table("budget_income_expenditure_summary").unwrap();
    let cols: Vec<(&str, Option<&str>)> = s.columns.iter().map(|c| (c.key.as_str(), c.side.as_deref())).collect();
    assert_eq!(
        cols,
        [
            ("预算数", Some("收入")),
            ("预算数", Some("支出")),
            ("基本支出/人员经费", Some("支出")),
            ("基本支出/公用经费", Some("支出")),
            ("项目支出", Some("支出"))
        ]
    );
    assert_eq!(s.row("收入/财政拨款收入/一般公共预算").and_then(|r| r.value("预算数")).unwrap().to_string(), "1000.00");
    assert_eq!(s.row("支出/总计").and_then(|r| r.value("基本支出/公用经费")).unwrap().to_string(), "300.00");
    // A single-digit 款 is zero-padded; integer 元 keep no decimals.
    let b = doc.table("budget_general_budget_basic_expenditure").unwrap();
    assert_eq!(b.row("30101").and_then(|r| r.value("人员经费")).unwrap().to_string(), "600");
    assert!(doc.tables.iter().all(|t| t.unit.as_deref() == Some("元")));
    // Its identities hold: the split summary row sums, the basic table, summary vs basic.
    let o = gongkai_check::outcomes(&doc);
    let rules: Vec<&str> = o.iter().map(|x| x.finding.rule.as_str()).collect();
    for r in ["table.columns", "table.hierarchy", "summary.totals", "summary.balance", "cross.basic_detail"] {
        assert!(rules.contains(&r), "{r} never applied: {rules:?}");
    }
    let broken: Vec<_> = o.iter().filter(|x| !x.holds_exactly).map(|x| &x.finding.message).collect();
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
}
