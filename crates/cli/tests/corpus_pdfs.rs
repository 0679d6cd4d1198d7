//! The corpus PDFs (../shared/corpus, never committed): each final-accounts PDF converts
//! to exactly its committed golden, and the golden is proven by the document's own
//! arithmetic; the official template converts to its nine tables, structured and empty;
//! no corpus file panics or yields a silent empty table. Every test here skips, saying
//! why, where the corpus folder is absent (a user's clone).

use std::path::PathBuf;

use gongkai_check::{outcomes, Severity};
use gongkai_model::Document;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (the corpus PDFs are not part of the repository)", dir.display());
        None
    }
}

fn convert(dir: &std::path::Path, name: &str) -> Document {
    let bytes = std::fs::read(dir.join(format!("{name}.pdf"))).unwrap();
    gongkai::convert_bytes(&bytes, &format!("{name}.pdf")).unwrap()
}

fn golden(name: &str, ext: &str) -> String {
    std::fs::read_to_string(root().join(format!("golden/{name}/{name}.{ext}"))).unwrap()
}

const FINAL_ACCOUNTS: [&str; 2] = ["putuo-finance-bureau-2024-final-accounts", "putuo-social-work-dept-2024-final-accounts"];

#[test]
fn final_accounts_pdfs_reproduce_their_goldens() {
    let Some(dir) = corpus() else { return };
    for name in FINAL_ACCOUNTS {
        let doc = convert(&dir, name);
        let facts = gongkai::facts_jsonl(&doc);
        let want = golden(name, "facts.jsonl");
        let diff: Vec<_> = facts.lines().zip(want.lines()).filter(|(a, b)| a != b).take(5).collect();
        assert!(diff.is_empty() && facts.lines().count() == want.lines().count(), "{name}: facts differ: {diff:#?}");
        assert!(gongkai::document_json(&doc) == golden(name, "json"), "{name}: document differs; run scripts/regen-golden and read the diff");
    }
}

/// The goldens are proven by arithmetic, not trusted: every identity of the nine tables
/// holds within rounding, each family of identities was exercised, and the tables a
/// department fills are not empty.
#[test]
fn final_accounts_goldens_satisfy_their_identities() {
    for name in FINAL_ACCOUNTS {
        let doc: Document = serde_json::from_str(&golden(name, "json")).unwrap();
        assert_eq!(doc.metadata.year, Some(2024), "{name}");
        assert_eq!(doc.tables.len(), 9, "{name}: {:?}", doc.tables.iter().map(|t| &t.id).collect::<Vec<_>>());
        for id in ["income_expenditure_summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure", "general_budget_basic_expenditure"] {
            let t = doc.table(id).unwrap();
            assert!(t.rows.iter().filter(|r| !r.cells.is_empty()).count() >= 5, "{name}: {id} has too few rows");
            assert_eq!(t.unit.as_deref(), Some("万元"), "{name}: {id}");
        }
        let o = outcomes(&doc);
        assert!(o.len() > 120, "{name}: too few identities were checked: {}", o.len());
        let errors: Vec<_> = o.iter().filter(|o| o.finding.severity == Severity::Error).map(|o| &o.finding.message).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        for rule in ["table.hierarchy", "table.columns", "summary.totals", "summary.balance", "cross.summary_income", "cross.summary_expenditure", "cross.fiscal_detail", "cross.basic_detail"] {
            assert!(o.iter().any(|x| x.finding.rule == rule), "{name}: rule {rule} never applied");
        }
        let warnings: Vec<_> = doc.warnings.iter().filter(|w| !w.contains("notice")).collect();
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
    }
}

/// Every column the catalogue names is recognised in both PDFs, blank columns included.
#[test]
fn final_accounts_goldens_have_every_column() {
    for name in FINAL_ACCOUNTS {
        let doc: Document = serde_json::from_str(&golden(name, "json")).unwrap();
        let cat = gongkai_model::catalogue();
        for t in &doc.tables {
            let spec = cat.table(&t.id).unwrap();
            // In print order, which may interleave (三公: 合计 预算数 | 合计 决算数 | …).
            let mut want: Vec<String> = spec.columns.clone();
            want.extend(spec.sides.iter().flat_map(|s| s.columns.iter().cloned()));
            let mut got: Vec<String> = t.columns.iter().map(|c| c.key.clone()).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{name}: {}", t.id);
        }
    }
}

#[test]
fn the_official_template_converts_empty_but_structured() {
    let Some(dir) = corpus() else { return };
    let doc = convert(&dir, "final-accounts-template");
    assert_eq!(doc.tables.len(), 9);
    assert_eq!(doc.metadata.department.as_deref(), Some("上海市XX局"));
    assert!(gongkai::facts(&doc).is_empty(), "the template prints no amount");
    for t in &doc.tables {
        assert!(!t.columns.is_empty(), "{}: no columns recognised", t.id);
        assert!(t.rows.iter().all(|r| r.cells.is_empty()), "{}", t.id);
    }
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
    assert!(gongkai::document_json(&doc) == golden("final-accounts-template", "json"), "template document differs from its golden");
}

/// Whatever the corpus holds, each file converts or gets a kinded error; nothing panics
/// and no recognised table is silently empty.
#[test]
fn every_corpus_file_converts_or_says_why() {
    let Some(dir) = corpus() else { return };
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for p in names {
        let bytes = std::fs::read(&p).unwrap();
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        match gongkai::convert_bytes(&bytes, &file) {
            Ok(doc) => {
                for t in &doc.tables {
                    let silent = t.rows.iter().all(|r| r.cells.is_empty()) && t.empty_statement.is_none();
                    let said = doc.warnings.iter().any(|w| w.starts_with(&t.id));
                    let template = doc.metadata.department.as_deref().is_some_and(|d| d.contains("XX"));
                    assert!(!silent || said || template, "{file}: {} is empty without a statement or warning", t.id);
                }
            }
            Err(e) => assert!(!e.kind().is_empty() && !e.to_string().is_empty(), "{file}"),
        }
    }
}

/// The genuine inconsistencies of the finance bureau's narrative are found (read from its
/// golden, so this runs without the corpus): 财政拨款收入支出总计 printed as 0.3万元 where
/// the table says 2961.68万元 (0.3亿元: the unit is wrong), and a share of 71.73% where
/// 2106.66 / 2940.05 is 71.65%; the social-work department's 9.55% (9.56% by its amounts,
/// adjusted so the shares add to 100%) is a notice.
#[test]
fn the_narrative_inconsistencies_of_the_corpus_are_found() {
    let doc: Document = serde_json::from_str(&golden("putuo-finance-bureau-2024-final-accounts", "json")).unwrap();
    let errors: Vec<_> = doc.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().any(|f| f.rule == "narrative.unit" && f.table == "fiscal_summary" && f.row.as_deref() == Some("收入/总计") && f.actual == "0.3"));
    assert!(errors.iter().any(|f| f.rule == "narrative.share" && f.actual == "71.73"));
    let doc: Document = serde_json::from_str(&golden("putuo-social-work-dept-2024-final-accounts", "json")).unwrap();
    assert!(doc.findings.iter().all(|f| f.severity == Severity::Notice), "{:#?}", doc.findings);
    assert!(doc.findings.iter().any(|f| f.rule == "narrative.share" && f.actual == "9.55"));
    let statements = gongkai_check::narrative_outcomes(&doc);
    assert!(statements.len() >= 30, "{}", statements.len());
}

const BUDGET: &str = "putuo-commerce-commission-2025-budget";

#[test]
fn the_budget_pdf_reproduces_its_golden() {
    let Some(dir) = corpus() else { return };
    let doc = convert(&dir, BUDGET);
    assert!(gongkai::facts_jsonl(&doc) == golden(BUDGET, "facts.jsonl"), "budget facts differ; run scripts/regen-golden and read the diff");
    assert!(gongkai::document_json(&doc) == golden(BUDGET, "json"), "budget document differs");
}

/// The budget golden under facts-budgets.md, proven by its identities: nine tables,
/// kind and scope, each table's own unit (元, the 三公 table 万元), every identity of the
/// contract holding, and the narrative's 万元 figures equal to the tables' 元 rounded half-up.
#[test]
fn the_budget_golden_satisfies_its_identities_and_narrative() {
    let doc: Document = serde_json::from_str(&golden(BUDGET, "json")).unwrap();
    assert_eq!(doc.metadata.kind.as_deref(), Some("budget"));
    assert_eq!(doc.metadata.scope.as_deref(), Some("department"));
    assert_eq!(doc.metadata.year, Some(2025));
    assert_eq!(doc.metadata.department.as_deref(), Some("上海市普陀区商务委员会"));
    let ids: Vec<&str> = doc.tables.iter().map(|t| t.id.as_str()).collect();
    let cat = gongkai_model::catalogue();
    let want: Vec<&str> = cat.tables.iter().filter(|t| t.kind == "budget").map(|t| t.id.as_str()).collect();
    assert_eq!(ids, want);
    for t in &doc.tables {
        let unit = if t.id == "budget_three_public" { "万元" } else { "元" };
        assert_eq!(t.unit.as_deref(), Some(unit), "{}", t.id);
        assert_eq!(t.unit_source.as_deref(), Some("header"), "{}", t.id);
        let spec = cat.table(&t.id).unwrap();
        let known: Vec<&String> = spec.columns.iter().chain(spec.sides.iter().flat_map(|s| s.columns.iter())).collect();
        assert!(t.columns.iter().all(|c| known.contains(&&c.key)), "{}: {:?}", t.id, t.columns);
        if spec.sides.is_empty() {
            assert_eq!(t.columns.len(), spec.columns.len(), "{}", t.id);
        }
    }
    for id in ["budget_government_fund", "budget_state_capital"] {
        let t = doc.table(id).unwrap();
        assert!(t.rows.iter().all(|r| r.cells.is_empty()) && t.empty_statement.is_some(), "{id}");
    }
    let o = outcomes(&doc);
    assert!(o.len() > 250, "{}", o.len());
    let broken: Vec<_> = o.iter().filter(|x| !x.holds_exactly).map(|x| &x.finding.message).collect();
    assert!(broken.is_empty(), "{broken:#?}");
    for rule in ["table.hierarchy", "table.columns", "summary.totals", "summary.balance", "cross.summary_income", "cross.summary_expenditure", "cross.fiscal_summary", "cross.fiscal_detail", "cross.basic_detail"] {
        assert!(o.iter().any(|x| x.finding.rule == rule), "rule {rule} never applied");
    }
    let statements = gongkai_check::narrative_outcomes(&doc);
    assert!(statements.len() >= 30, "{}", statements.len());
    assert!(statements.iter().all(|s| s.holds_exactly), "{:#?}", statements.iter().filter(|s| !s.holds_exactly).collect::<Vec<_>>());
    assert!(doc.findings.is_empty(), "{:#?}", doc.findings);
}

/// One changed cell of the budget is found where it is: its class no longer sums, and
/// the tables that restate it disagree with it.
#[test]
fn a_changed_budget_cell_is_found_at_its_place() {
    let mut doc: Document = serde_json::from_str(&golden(BUDGET, "json")).unwrap();
    let t = doc.tables.iter_mut().find(|t| t.id == "budget_expenditure").unwrap();
    let r = t.rows.iter_mut().find(|r| r.key == "2011301").unwrap();
    let c = r.cells.iter_mut().find(|c| c.col == "基本支出").unwrap();
    c.value = gongkai_model::Amount(c.value.0 + rust_decimal::Decimal::new(100, 0));
    let errors: Vec<_> = gongkai_check::check(&doc).into_iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|f| f.table == "budget_expenditure"), "{errors:#?}");
    assert!(errors.iter().any(|f| f.rule == "table.columns" && f.row.as_deref() == Some("2011301")), "{errors:#?}");
    assert!(errors.iter().any(|f| f.rule == "table.hierarchy" && f.row.as_deref() == Some("20113") && f.col.as_deref() == Some("基本支出")), "{errors:#?}");
}
