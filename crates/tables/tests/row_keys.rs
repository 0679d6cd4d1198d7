//! Row keys of the tables keyed by classification codes: a row is keyed by a code the
//! catalogue knows (a code printed in one cell with its name is split from it) or is a
//! closing row the catalogue names; a garbled label, an unknown code or a code of another
//! classification (rows of a table whose title was missed) is reported and yields no fact.
//! (A table the catalogue does not know keeps its labels as keys: crates/cli/tests/unknown_tables.rs.)

use gongkai_extract::Line;
use gongkai_model::Table;

fn line(n: u32, cells: &[&str]) -> Line {
    Line { line: Some(n), page: None, cells: cells.iter().map(|s| s.to_string()).collect(), spans: vec![], boxes: vec![] }
}

fn lines(rows: &[&[&str]]) -> Vec<Line> {
    rows.iter().enumerate().map(|(i, r)| line(i as u32 + 1, r)).collect()
}

fn tables(lines: &[Line]) -> (Vec<Table>, Vec<String>) {
    let seg = gongkai_segment::segment(lines);
    let mut warnings = Vec::new();
    let tables = seg.tables.iter().map(|b| gongkai_tables::build(b, None, &mut warnings)).collect();
    (tables, warnings)
}

/// (key, label, first value) of each row.
fn keyed(t: &Table) -> Vec<(String, String, String)> {
    t.rows.iter().map(|r| (r.key.clone(), r.label.clone(), r.cells.first().map(|c| c.value.to_string()).unwrap_or_default())).collect()
}

fn k(key: &str, label: &str, v: &str) -> (String, String, String) {
    (key.into(), label.into(), v.into())
}

const EXPENDITURE: &[&str] = &["科目编码", "科目名称", "合计", "基本支出", "项目支出"];

/// A function-coded table: a garbled label without a code, a code whose class the
/// catalogue does not know, and economic rows run into it (the next table's title was
/// missed), code and name in one cell, give no fact and a warning each; the known codes
/// and the total keep theirs.
#[test]
fn rows_without_a_known_code_give_no_fact_in_a_function_table() {
    let body = lines(&[
        &["一般公共预算财政拨款支出决算表"],
        &["单位：万元"],
        EXPENDITURE,
        &["", "合计", "10.00", "6.00", "4.00"],
        &["201", "一般公共服务支出", "10.00", "6.00", "4.00"],
        &["2010101", "行政运行", "10.00", "6.00", "4.00"],
        &["", "VîS", "3.00", "3.00", ""],
        &["99901", "其他", "2.00", "2.00", ""],
        &["", "30299其他商品和服务支出", "1.00", "1.00", ""],
    ]);
    let (ts, w) = tables(&body);
    assert_eq!(ts.len(), 1, "{w:#?}");
    assert_eq!(ts[0].id, "general_budget_expenditure");
    assert_eq!(keyed(&ts[0]), vec![k("合计", "合计", "10.00"), k("201", "一般公共服务支出", "10.00"), k("2010101", "行政运行", "10.00")], "{w:#?}");
    for (label, what) in [("VîS", "function classification code and is no closing row"), ("99901", "function classification code the catalogue knows"), ("30299其他商品和服务支出", "function")] {
        assert!(w.iter().any(|m| m.contains(label) && m.contains(what) && m.contains("left out")), "{label}: {w:#?}");
    }
    // The table knows what it lost (two amounts a row), for readers of its identities; the
    // same table without those rows lost nothing.
    assert_eq!(ts[0].cells_left_out, 6, "{w:#?}");
    let (whole, w) = tables(&body[..6]);
    assert_eq!(whole[0].cells_left_out, 0, "{w:#?}");
}

/// An economic-coded table (the budget's 基本支出 by economic class): code and name printed
/// in one cell are split into the row's code and label; an economic code the catalogue
/// does not list, and a function code, give no fact.
#[test]
fn code_and_name_in_one_cell_are_split_in_an_economic_table() {
    let body = lines(&[
        &["2025年部门一般公共预算基本支出部门预算经济分类预算表"],
        &["单位：元"],
        &["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        &["", "合计", "30.00", "10.00", "20.00"],
        &["302", "商品和服务支出", "20.00", "", "20.00"],
        &["", "30299其他商品和服务支出", "20.00", "", "20.00"],
        &["30298", "其他", "5.00", "", "5.00"],
        &["2010101", "行政运行", "5.00", "5.00", ""],
    ]);
    let (ts, w) = tables(&body);
    assert_eq!(ts[0].id, "budget_general_budget_basic_expenditure", "{w:#?}");
    assert_eq!(keyed(&ts[0]), vec![k("合计", "合计", "30.00"), k("302", "商品和服务支出", "20.00"), k("30299", "其他商品和服务支出", "20.00")], "{w:#?}");
    let row = &ts[0].rows[2];
    assert_eq!((row.code.as_deref(), row.level.as_deref()), (Some("30299"), Some("款")));
    assert!(w.iter().any(|m| m.contains("`30298`")), "{w:#?}");
    assert!(w.iter().any(|m| m.contains("`2010101`")), "{w:#?}");
}

/// A scan of an empty 国有资本经营预算 table whose ruling between 栏次 2 and 3 was lost:
/// its numbering line reads `栏次|1 | 234 | 15 | 6` (rulings lost, one read as `|`), no longer
/// counting up. It names itself (`栏次`), so it is no row: before, its numbers were
/// joined into a code (`23415`) with an amount 6.
#[test]
fn a_numbering_line_that_does_not_count_up_is_no_row() {
    let body = lines(&[
        &["国有资本经营预算财政拨款收入支出决算表"],
        &["部门：上海市普陀区财政局", "单位：万元"],
        &["科目编码", "科目名称", "本体收入合计基年", "", "", "年末结转和结余"],
        &["", "", "安出项目基本支出", "交出项目支出", ""],
        &["栏次|1", "", "234", "15", "", "6"],
        &["注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。"],
    ]);
    let (ts, w) = tables(&body);
    assert_eq!(ts.len(), 1, "{w:#?}");
    assert!(ts[0].rows.is_empty(), "{:?} {w:#?}", ts[0].rows);
}
