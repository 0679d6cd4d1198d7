//! The Jiaozuo 2024 golden: the sample converts to exactly the committed golden, and
//! the golden is proven right by the document's own arithmetic.

use std::path::PathBuf;

use gongkai_check::{outcomes, Severity};
use gongkai_model::Document;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SAMPLE: &str = "samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt";
const GOLDEN_FACTS: &str = "golden/jiaozuo-2024/jiaozuo-2024-final-accounts.facts.jsonl";
const GOLDEN_DOC: &str = "golden/jiaozuo-2024/jiaozuo-2024-final-accounts.json";

fn sample() -> Vec<u8> {
    std::fs::read(root().join(SAMPLE)).unwrap()
}

fn convert(bytes: &[u8]) -> Document {
    gongkai::convert_bytes(bytes, "jiaozuo-2024-final-accounts.txt").unwrap()
}

fn golden_doc() -> Document {
    serde_json::from_str(&std::fs::read_to_string(root().join(GOLDEN_DOC)).unwrap()).unwrap()
}

fn diff_lines(a: &str, b: &str) -> Vec<(String, String)> {
    a.lines().zip(b.lines()).filter(|(x, y)| x != y).map(|(x, y)| (x.to_string(), y.to_string())).collect()
}

#[test]
fn sample_reproduces_the_golden_byte_for_byte() {
    let doc = convert(&sample());
    let facts = gongkai::facts_jsonl(&doc);
    let golden = std::fs::read_to_string(root().join(GOLDEN_FACTS)).unwrap();
    assert_eq!(facts.lines().count(), golden.lines().count(), "fact count differs from the golden");
    assert!(diff_lines(&facts, &golden).is_empty(), "facts differ from the golden: {:?}", diff_lines(&facts, &golden));
    let json = gongkai::document_json(&doc);
    let golden_json = std::fs::read_to_string(root().join(GOLDEN_DOC)).unwrap();
    assert!(json == golden_json, "document differs from the golden; run scripts/regen-golden and read the diff");
}

#[test]
fn output_is_deterministic() {
    let a = gongkai::document_json(&convert(&sample()));
    let b = gongkai::document_json(&convert(&sample()));
    assert_eq!(a, b);
}

#[test]
fn one_changed_value_in_the_sample_breaks_the_golden_at_that_cell() {
    let text = String::from_utf8(sample()).unwrap();
    // 公开03表 row 2080501 行政单位离退休 prints 72. 70 twice; change the 基本支出 cell.
    let line = "2080501\t行政单位离退休\t72. 70\t72. 70\t0.00";
    assert!(text.contains(line));
    let changed = text.replacen(line, "2080501\t行政单位离退休\t72. 70\t72. 71\t0.00", 1);
    // Other bytes are another document (another sha256): compare as the same one.
    let mut changed_doc = convert(changed.as_bytes());
    changed_doc.source.sha256 = golden_doc().source.sha256;
    let facts = gongkai::facts_jsonl(&changed_doc);
    let golden = std::fs::read_to_string(root().join(GOLDEN_FACTS)).unwrap();
    let d = diff_lines(&facts, &golden);
    assert_eq!(d.len(), 1, "{} lines differ, the first: {:?}", d.len(), d.first());
    assert!(d[0].0.contains(r#""table":"expenditure","row":"2080501","col":"基本支出","value":"72.71""#), "{d:?}");
    // And the arithmetic sees it: 20805 基本支出 no longer adds up beyond rounding? (0.01 is
    // within the rounding of four terms, so it is a notice, not an error.)
    let doc = convert(changed.as_bytes());
    let o = outcomes(&doc);
    let hit = o.iter().find(|o| {
        o.finding.table == "expenditure" && o.finding.row.as_deref() == Some("2080501") && o.finding.col.as_deref() == Some("本年支出合计")
    });
    assert!(hit.is_some_and(|h| !h.holds_exactly), "the row identity of 2080501 must notice the change");
}

/// Every table the 目录 lists is in the golden, with its rows.
#[test]
fn golden_has_the_nine_tables() {
    let doc = golden_doc();
    let ids: Vec<&str> = doc.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "income_expenditure_summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure",
            "general_budget_basic_expenditure", "government_fund", "state_capital", "three_public"
        ]
    );
    for t in &doc.tables {
        assert_eq!(t.unit.as_deref(), Some("万元"), "{}", t.id);
        assert!(!t.rows.is_empty(), "{}", t.id);
    }
    assert!(doc.table("state_capital").unwrap().empty_statement.as_deref().unwrap().contains("本表无数据"));
}

/// The document's own arithmetic, on the golden: every identity holds within the
/// rounding (尾差) of its printed terms, none is an error.
#[test]
fn golden_identities_hold() {
    let doc = golden_doc();
    let o = outcomes(&doc);
    assert!(o.len() > 500, "too few identities were checked: {}", o.len());
    let errors: Vec<_> = o.iter().filter(|o| o.finding.severity == Severity::Error).map(|o| &o.finding.message).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Each family of identities was actually exercised.
    for rule in [
        "table.hierarchy", "table.columns", "summary.totals", "summary.balance", "cross.summary_income",
        "cross.summary_expenditure", "cross.fiscal_summary", "cross.fiscal_detail", "cross.basic_detail",
    ] {
        assert!(o.iter().any(|x| x.finding.rule == rule), "rule {rule} never applied");
    }
    // Every rounding difference is at most 0.01 (one unit of the last printed digit).
    for x in &o {
        let d: rust_decimal::Decimal = x.finding.diff.parse().unwrap();
        assert!(d.abs() <= rust_decimal::Decimal::new(1, 2), "{}: {}", x.finding.message, x.finding.diff);
    }
}

/// Basic-expenditure detail (rebuilt from a page flowed into words): every class equals
/// the sum of its items within rounding, and the two closing rows hold.
#[test]
fn basic_detail_amounts_land_on_their_codes() {
    let doc = golden_doc();
    let b = doc.table("general_budget_basic_expenditure").unwrap();
    let dec = |k: &str| b.row(k).and_then(|r| r.value("决算数")).unwrap().0;
    let sum = |prefix: &str| -> rust_decimal::Decimal {
        b.rows.iter().filter(|r| r.key.len() == 5 && r.key.starts_with(prefix)).map(|r| r.value("决算数").unwrap().0).sum()
    };
    for class in ["301", "302", "303", "307", "310", "399"] {
        let diff = (dec(class) - sum(class)).abs();
        assert!(diff <= rust_decimal::Decimal::new(2, 2), "{class}: {} vs {}", dec(class), sum(class));
    }
    assert_eq!(dec("人员经费合计"), dec("301") + dec("303"));
    assert_eq!(dec("公用经费合计"), dec("302") + dec("307") + dec("310") + dec("399"));
    let g = doc.table("general_budget_expenditure").unwrap();
    assert_eq!(g.row("合计").unwrap().value("基本支出").unwrap().0, dec("人员经费合计") + dec("公用经费合计"));
}

/// Income and expenditure by function class agree in this document for every class but
/// one: class 215 prints 1788.89 in 收入决算表 and 1788.92 in 支出决算表 (and its 款
/// 21505 1744.37 vs 1744.41). The printed values stay; this is the known exception.
#[test]
fn income_and_expenditure_classes_agree_except_215() {
    let doc = golden_doc();
    let inc = doc.table("income").unwrap();
    let exp = doc.table("expenditure").unwrap();
    let mut differing = Vec::new();
    for r in inc.rows.iter().filter(|r| r.code.is_some()) {
        let a = r.value("本年收入合计").unwrap();
        let b = exp.row(&r.key).and_then(|e| e.value("本年支出合计")).unwrap();
        if a != b {
            differing.push(r.key.clone());
        }
    }
    assert_eq!(differing, ["215", "21505", "2150501"]);
}
