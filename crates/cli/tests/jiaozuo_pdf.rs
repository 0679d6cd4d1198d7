//! The Jiaozuo golden rendered to PDF by LibreOffice in two layouts (scripts/make-jiaozuo-pdf
//! [--henan], committed under samples/): converting each PDF yields exactly the golden's facts — the same
//! (table, row, col, value, unit) set, which is how the facts contract compares two
//! extractions (provenance fields such as page or line are ignored).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

type Fact = (String, String, String, String, String);

fn fact_set(jsonl: &str) -> BTreeSet<Fact> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let f = |k: &str| v[k].as_str().unwrap().to_string();
            (f("table"), f("row"), f("col"), f("value"), f("unit"))
        })
        .collect()
}

#[test]
fn the_office_suite_pdf_of_the_golden_yields_the_golden_facts() {
    assert_pdf_yields_golden("jiaozuo-2024-final-accounts.pdf");
}

/// The same golden in the layout Henan counties print: 公开NN表 and 部门/单位 captions,
/// codes over 类/款/项, a 栏次 row, 行次 columns, the 基本支出 detail in three groups side
/// by side. Another layout, the same facts.
#[test]
fn the_henan_layout_print_of_the_golden_yields_the_golden_facts() {
    assert_pdf_yields_golden("jiaozuo-2024-final-accounts-henan-layout.pdf");
}

fn assert_pdf_yields_golden(name: &str) {
    let pdf = std::fs::read(root().join("samples/jiaozuo-2024").join(name)).unwrap();
    let doc = gongkai::convert_bytes(&pdf, name).unwrap();
    assert_eq!(doc.source.format, "pdf");
    let got = fact_set(&gongkai::facts_jsonl(&doc));
    let want = fact_set(&std::fs::read_to_string(root().join("golden/jiaozuo-2024/jiaozuo-2024-final-accounts.facts.jsonl")).unwrap());
    let missing: Vec<_> = want.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&want).take(10).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
    assert_eq!(got.len(), 910);
    assert_eq!(doc.metadata.department.as_deref(), Some("焦作市工业和信息化局"));
    assert_eq!(doc.metadata.year, Some(2024));
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
    // Every fact carries the page it was printed on.
    assert!(gongkai::facts(&doc).iter().all(|f| f.page.is_some()));
}
