//! Checks across documents, through `gongkai check --corpus` as a user runs it: the 2025
//! budget golden against its 2024 counterpart (a fixture built from the 2025 text's
//! 比2024年 statements by `fixtures/corpus/make-fixtures.py`) and against a 2025 final
//! account (a fixture whose 年初预算 figures are the budget's). Every statement with a
//! counterpart holds; one changed figure, in either document, gives exactly the finding
//! that names both places; statements without a counterpart are unchecked, never passed.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn budget_2025() -> PathBuf {
    root().join("golden/putuo-commerce-commission-2025-budget/putuo-commerce-commission-2025-budget.json")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus").join(name)
}

const BUDGET_2024: &str = "putuo-commerce-commission-2024-budget.json";
const FINAL_2025: &str = "putuo-commerce-commission-2025-final-accounts.json";

/// `check --corpus --format json` over the files: (exit code, report).
fn corpus(files: &[&Path]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("check").arg("--corpus").args(["--format", "json"]).args(files).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v["corpus"].clone())
}

/// A copy of a canonical document with one edit, in a temporary directory.
fn edited(dir: &Path, src: &Path, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    edit(&mut v);
    let p = dir.join(src.file_name().unwrap());
    std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
    p
}

fn cell<'a>(doc: &'a mut Value, table: &str, row: &str, col: &str) -> &'a mut Value {
    let t = doc["tables"].as_array_mut().unwrap().iter_mut().find(|t| t["id"] == table).unwrap();
    let r = t["rows"].as_array_mut().unwrap().iter_mut().find(|r| r["key"] == row).unwrap();
    let c = r["cells"].as_array_mut().unwrap().iter_mut().find(|c| c["col"] == col).unwrap();
    &mut c["value"]
}

fn errors(report: &Value) -> Vec<Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").cloned().collect()
}

fn n(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap()
}

#[test]
fn two_consecutive_budgets_agree_on_every_statement_with_a_counterpart() {
    let (code, r) = corpus(&[&budget_2025(), &fixture(BUDGET_2024)]);
    assert_eq!(code, 0, "{r:#}");
    // 财政拨款支出 and 一般公共预算拨款支出 比2024年预算增加24,491.71万元, and six 三公 figures 与2024年预算持平.
    assert_eq!((n(&r, "checked"), n(&r, "held"), n(&r, "failed")), (8, 8, 0), "{r:#}");
    assert!(r["findings"].as_array().unwrap().is_empty(), "{r:#}");
    // What is left unchecked is measured against 预算执行数, which no disclosure prints.
    let unchecked = r["unchecked"].as_array().unwrap();
    assert_eq!(unchecked.len(), 3, "{r:#}");
    assert!(unchecked.iter().all(|u| u["reason"].as_str().unwrap().contains("预算执行数")), "{r:#}");
    // Alone, the 2025 budget checks nothing across documents and passes nothing either.
    let (_, alone) = corpus(&[&budget_2025()]);
    assert_eq!((n(&alone, "checked"), n(&alone, "held")), (0, 0));
    assert_eq!(alone["unchecked"].as_array().unwrap().len(), 11, "{alone:#}");
}

#[test]
fn a_changed_figure_of_last_years_budget_is_named_in_both_documents() {
    let dir = tempfile::tempdir().unwrap();
    let b24 = edited(dir.path(), &fixture(BUDGET_2024), |d| {
        *cell(d, "budget_fiscal_summary", "支出/总计", "合计") = "126598600.00".into();
    });
    let (code, r) = corpus(&[&budget_2025(), &b24]);
    assert_eq!(code, 1);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{r:#}");
    let f = &e[0];
    assert_eq!(f["rule"], "corpus.year_over_year");
    assert_eq!(f["this"]["file"], "putuo-commerce-commission-2025-budget.pdf");
    assert_eq!(f["this"]["sha256"], "b067184912969b733d53e86c4cf658ba91b4cecf93c25b9198ea3086515e7a6a");
    assert_eq!((&f["this"]["table"], &f["this"]["row"], &f["this"]["col"]), (&"budget_fiscal_summary".into(), &"支出/总计".into(), &"合计".into()));
    assert!(f["this"]["sentence"].as_str().unwrap().contains("财政拨款支出预算37,151.47万元,比2024年预算增加24,491.71万元"), "{f:#}");
    assert_eq!(f["this"]["page"], 7);
    assert_eq!(f["other"]["file"], BUDGET_2024);
    assert_eq!((&f["other"]["table"], &f["other"]["row"], &f["other"]["col"], &f["other"]["page"]), (&"budget_fiscal_summary".into(), &"支出/总计".into(), &"合计".into(), &4.into()));
    assert_eq!((f["expected"].as_str(), f["actual"].as_str()), (Some("12659.76"), Some("12659.86")));
    assert_eq!((n(&r, "checked"), n(&r, "failed")), (8, 1));

    // A 三公 figure 与2024年预算持平 that last year differs.
    let b24 = edited(dir.path(), &fixture(BUDGET_2024), |d| {
        *cell(d, "budget_three_public", "合计", "预算数/公务接待费") = "1.50".into();
    });
    let (_, r) = corpus(&[&budget_2025(), &b24]);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{r:#}");
    assert_eq!(e[0]["this"]["col"], "预算数/公务接待费");
    assert_eq!(e[0]["other"]["col"], "预算数/公务接待费");
    assert_eq!((e[0]["expected"].as_str(), e[0]["actual"].as_str()), (Some("1"), Some("1.5")));
}

#[test]
fn a_changed_statement_of_this_years_budget_is_named_in_both_documents() {
    let dir = tempfile::tempdir().unwrap();
    // The 2025 text's first 增加24,491.71万元 (财政拨款支出) becomes 24,491.61.
    let b25 = edited(dir.path(), &budget_2025(), |d| {
        let text = d["narrative"][0]["text"].as_str().unwrap().to_string();
        assert_eq!(text.matches("比2024年预算增加24,491.71万元").count(), 2);
        d["narrative"][0]["text"] = text.replacen("比2024年预算增加24,491.71万元", "比2024年预算增加24,491.61万元", 1).into();
    });
    let (code, r) = corpus(&[&b25, &fixture(BUDGET_2024)]);
    assert_eq!(code, 1);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{r:#}");
    assert_eq!(e[0]["this"]["col"], "合计");
    assert!(e[0]["this"]["sentence"].as_str().unwrap().contains("24,491.61"));
    assert_eq!(e[0]["other"]["file"], BUDGET_2024);
    assert_eq!((e[0]["expected"].as_str(), e[0]["actual"].as_str()), (Some("12659.86"), Some("12659.76")));
}

#[test]
fn a_final_accounts_budget_figures_are_the_budgets() {
    let (code, r) = corpus(&[&budget_2025(), &fixture(FINAL_2025)]);
    assert_eq!(code, 0, "{r:#}");
    // The text's three 年初预算 figures and the 三公 table's six 预算数 columns.
    assert_eq!((n(&r, "checked"), n(&r, "held"), n(&r, "failed")), (9, 9, 0), "{r:#}");
    let dir = tempfile::tempdir().unwrap();
    // The item's 年初预算 (行政运行, named by the 类/款/项 chain the item opens with).
    let fa = edited(dir.path(), &fixture(FINAL_2025), |d| {
        let t = d["narrative"][0]["sections"][0]["text"].as_str().unwrap().replace("年初预算为938.99万元", "年初预算为939.99万元");
        d["narrative"][0]["sections"][0]["text"] = t.into();
    });
    let (_, r) = corpus(&[&budget_2025(), &fa]);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{r:#}");
    assert_eq!(e[0]["rule"], "corpus.budget_vs_final");
    assert_eq!((&e[0]["this"]["table"], &e[0]["this"]["row"]), (&"general_budget_expenditure".into(), &"2011301".into()));
    assert_eq!((&e[0]["other"]["table"], &e[0]["other"]["row"], &e[0]["other"]["col"]), (&"budget_general_budget_expenditure".into(), &"2011301".into(), &"合计".into()));
    assert_eq!(e[0]["other"]["page"], 15);
    assert_eq!((e[0]["expected"].as_str(), e[0]["actual"].as_str()), (Some("938.99"), Some("939.99")));
    // The 三公 table's 预算数 cell.
    let fa = edited(dir.path(), &fixture(FINAL_2025), |d| {
        *cell(d, "three_public", "合计", "预算数/公务接待费") = "1.20".into();
    });
    let (_, r) = corpus(&[&budget_2025(), &fa]);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{r:#}");
    assert_eq!((&e[0]["this"]["table"], &e[0]["this"]["col"], &e[0]["this"]["page"]), (&"three_public".into(), &"预算数/公务接待费".into(), &8.into()));
    assert_eq!((&e[0]["other"]["table"], &e[0]["other"]["page"]), (&"budget_three_public".into(), &21.into()));
}

#[test]
fn the_goldens_together_have_no_cross_document_error() {
    // Five documents of five departments: every statement about another year or the
    // budget is unchecked (no counterpart), none is counted as passed.
    let (code, r) = corpus(&[&root().join("golden")]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["groups"].as_array().unwrap().len(), 5, "{r:#}");
    assert_eq!((n(&r, "checked"), n(&r, "held"), n(&r, "failed")), (0, 0, 0), "{r:#}");
    assert!(r["unchecked"].as_array().unwrap().len() >= 11, "{r:#}");
    // With the fixtures beside them, the pairs are found and hold.
    let (code, r) = corpus(&[&root().join("golden"), &fixture("")]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!((n(&r, "checked"), n(&r, "failed")), (17, 0), "{r:#}");
}

#[test]
fn a_stated_amount_against_a_blank_table_compares_with_zero() {
    let src = root().join("golden/putuo-social-work-dept-2024-final-accounts/putuo-social-work-dept-2024-final-accounts.json");
    let mut doc: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    let before = gongkai_check::check(&doc);
    assert!(before.iter().all(|f| f.severity != gongkai_check::Severity::Error), "{before:#?}");
    // The 三公 table is printed with its budget cells blank (本表无数据).
    assert!(doc.table("three_public").unwrap().rows.iter().all(|r| r.cells.is_empty()));
    let s = doc.narrative.iter_mut().flat_map(|p| p.sections.iter_mut()).find(|s| s.title.contains("三公")).unwrap();
    s.text.push_str("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元。\n");
    let after = gongkai_check::check(&doc);
    let new: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!((new[0].rule.as_str(), new[0].severity), ("narrative.amount", gongkai_check::Severity::Error));
    assert_eq!((new[0].table.as_str(), new[0].col.as_deref()), ("three_public", Some("预算数/合计")));
    assert_eq!((new[0].expected.as_str(), new[0].actual.as_str()), ("0", "0.95"));
}

fn jiaozuo() -> String {
    std::fs::read_to_string(root().join("samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt")).unwrap()
}

/// The 目录 findings of the Jiaozuo sample with one change in its 目录.
fn toc_findings(from: &str, to: &str) -> Vec<gongkai_model::Finding> {
    let text = jiaozuo();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let doc = gongkai::convert_bytes(text.replacen(from, to, 1).as_bytes(), "jiaozuo-2024-final-accounts.txt").unwrap();
    doc.findings.into_iter().filter(|f| f.rule.starts_with("toc.")).collect()
}

#[test]
fn the_toc_lists_the_body_under_the_same_numbers_and_titles() {
    let doc = gongkai::convert_bytes(jiaozuo().as_bytes(), "jiaozuo-2024-final-accounts.txt").unwrap();
    // Five parts and the nine tables under 第二部分, all in the body as listed.
    assert_eq!(doc.toc.iter().filter(|e| e.kind == "part").count(), 5);
    assert_eq!(doc.toc.iter().filter(|e| e.part == Some(2) && e.kind == "item").count(), 9);
    assert!(doc.findings.iter().all(|f| !f.rule.starts_with("toc.")), "{:#?}", doc.findings);

    let f = toc_findings("- 七、政府性基金预算财政拨款收入支出决算表", "- 七、政府性基金预算财政拨款支出决算表");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].table.as_str(), f[0].severity), ("toc.title", "government_fund", gongkai_model::Severity::Error));
    assert_eq!(f[0].actual, "政府性基金预算财政拨款收入支出决算表");

    let f = toc_findings("- 八、国有资本经营预算财政拨款支出决算表", "- 七、国有资本经营预算财政拨款支出决算表");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].expected.as_str(), f[0].actual.as_str()), ("toc.number", "7", "8"));

    let f = toc_findings("- 九、一般公共预算财政拨款\"三公\"经费支出决算表\n", "");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].table.as_str(), f[0].severity), ("toc.unlisted", "three_public", gongkai_model::Severity::Notice));

    // A table the body does not have (a budget's, listed by mistake), and a part.
    let f = toc_findings("- 九、一般公共预算财政拨款\"三公\"经费支出决算表\n", "- 九、一般公共预算财政拨款\"三公\"经费支出决算表\n- 十、部门收入预算总表\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].table.as_str()), ("toc.missing", "budget_income"));
    let f = toc_findings("第五部分 附件\n\n第一部分 部门概况", "第五部分 附件\n\n第六部分 其他\n\n第一部分 部门概况");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].expected.as_str()), ("toc.missing", "其他"));
}

#[test]
fn toc_pages_follow_the_documents_own_numbering() {
    // The finance bureau's 目录 gives no pages; give each table the page it starts on in
    // the document's own numbering (two less than the file's), one of them wrong.
    let src = root().join("golden/putuo-finance-bureau-2024-final-accounts/putuo-finance-bureau-2024-final-accounts.json");
    let mut doc: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    assert!(gongkai_check::check(&doc).iter().all(|f| !f.rule.starts_with("toc.")));
    let starts: Vec<(String, u32)> = doc.tables.iter().map(|t| (t.title.clone(), t.provenance.start.page.unwrap())).collect();
    let mut given = 0;
    for e in doc.toc.iter_mut().filter(|e| e.part == Some(2) && e.kind == "item") {
        let page = starts.iter().find(|(t, _)| *t == e.title).unwrap().1;
        e.page = Some(page - 2);
        given += 1;
    }
    assert_eq!(given, 9);
    assert!(gongkai_check::check(&doc).iter().all(|f| !f.rule.starts_with("toc.")));
    let e = doc.toc.iter_mut().find(|e| e.title == "收入决算表").unwrap();
    e.page = Some(e.page.unwrap() + 1);
    let f: Vec<_> = gongkai_check::check(&doc).into_iter().filter(|f| f.rule.starts_with("toc.")).collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].expected.as_str(), f[0].actual.as_str()), ("toc.page", "7", "6"));
    assert_eq!(f[0].section.as_deref(), Some("目录 二、收入决算表"));
}

#[test]
fn an_unnumbered_part_of_tables_is_a_notice() {
    // The social-work department's 目录 lists 第二部分 …决算表; its body prints the title
    // over the tables (page 5) without 第二部分: the tables are there, the number is not.
    let src = root().join("golden/putuo-social-work-dept-2024-final-accounts/putuo-social-work-dept-2024-final-accounts.json");
    let doc: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    let f: Vec<_> = gongkai_check::check(&doc).into_iter().filter(|f| f.rule.starts_with("toc.")).collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].severity), ("toc.missing", gongkai_model::Severity::Notice));
    assert_eq!(f[0].section.as_deref(), Some("目录 第二部分 中共上海市普陀区委社会工作部2024年度部门决算表"));
}

#[test]
fn a_final_accounts_changes_against_last_years_final_account() {
    // The finance bureau's 2024 text against a 2023 final account that prints what it says
    // of 2023: 收入支出总计 2995.39 + 56.95, 财政拨款收入支出总计 持平, 一般公共预算财政拨款支出
    // 2940.05 + 63.14 (the percentages 1.87% and 2.10% follow from these).
    let src = root().join("golden/putuo-finance-bureau-2024-final-accounts/putuo-finance-bureau-2024-final-accounts.json");
    let d24: gongkai_model::Document = serde_json::from_str(&std::fs::read_to_string(&src).unwrap()).unwrap();
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&src).unwrap()).unwrap();
    v["metadata"]["year"] = 2023.into();
    v["source"]["file"] = "finance-2023.json".into();
    v["source"]["sha256"] = "0".repeat(64).into();
    *cell(&mut v, "income_expenditure_summary", "收入/总计", "决算数") = "3052.34".into();
    *cell(&mut v, "general_budget_expenditure", "合计", "合计") = "3003.19".into();
    let d23: gongkai_model::Document = serde_json::from_value(v).unwrap();
    let r = gongkai_check::check_corpus(&[d24.clone(), d23.clone()]);
    let yoy: Vec<_> = r.findings.iter().filter(|f| f.rule == "corpus.year_over_year").collect();
    assert!(yoy.iter().all(|f| f.severity != gongkai_check::Severity::Error), "{yoy:#?}");
    // Three amounts (two with their percentages) checked; the 2023 机关运行经费 is not in a table.
    assert_eq!((r.checked, r.failed), (5, 0), "{r:#?}");
    // One cent more in 2023's 一般公共预算财政拨款支出 is beyond the rounding of three printed values.
    let mut d23b = d23.clone();
    let t = d23b.tables.iter_mut().find(|t| t.id == "general_budget_expenditure").unwrap();
    t.rows.iter_mut().find(|r| r.key == "合计").unwrap().cells.iter_mut().find(|c| c.col == "合计").unwrap().value = gongkai_model::Amount("3003.21".parse().unwrap());
    let r = gongkai_check::check_corpus(&[d24, d23b]);
    let e: Vec<_> = r.findings.iter().filter(|f| f.severity == gongkai_check::Severity::Error).collect();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].this.table.as_deref(), e[0].other.file.as_str()), (Some("general_budget_expenditure"), "finance-2023.json"));
    assert!(e[0].this.sentence.as_deref().unwrap().contains("减少63.14万元"));
}

#[test]
fn amounts_near_the_decimal_limit_are_findings_not_panics() {
    let src = root().join("golden/putuo-finance-bureau-2024-final-accounts/putuo-finance-bureau-2024-final-accounts.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&src).unwrap()).unwrap();
    // 9×10²⁷万元 is 9×10³¹元: more than a Decimal holds.
    *cell(&mut v, "income_expenditure_summary", "收入/总计", "决算数") = "9000000000000000000000000000".into();
    let d24: gongkai_model::Document = serde_json::from_value(v.clone()).unwrap();
    let f = gongkai_check::check(&d24);
    assert!(f.iter().any(|x| x.rule == "narrative.amount" && x.row.as_deref() == Some("收入/总计")), "{f:#?}");
    v["metadata"]["year"] = 2023.into();
    v["source"]["sha256"] = "1".repeat(64).into();
    let d23: gongkai_model::Document = serde_json::from_value(v).unwrap();
    let r = gongkai_check::check_corpus(&[d24, d23]);
    assert!(r.failed >= 1, "{r:#?}");
}
