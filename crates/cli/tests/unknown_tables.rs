//! A table the catalogue does not know still yields the cells read, under
//! `unknown:<normalized title>`, and the converter says so (facts contract).

#[test]
fn an_unknown_table_keeps_its_cells_under_its_title() {
    let text = "2024年度某局部门决算
收入决算表
单位：万元
项目\t\t本年收入合计\t财政拨款收入
功能分类科目编码\t科目名称\t\t
\t合计\t10.00\t10.00
201\t一般公共服务支出\t10.00\t10.00
部门整体支出绩效自评表
单位：万元
\t项目\t年初预算数\t全年预算数\t全年执行数
\t资金总额\t12.00\t11.00\t10.50
第三部分 2024年度部门决算情况说明
";
    let doc = gongkai::convert_bytes(text.as_bytes(), "x.txt").unwrap();
    let ids: Vec<&str> = doc.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["income", "unknown:部门整体支出绩效自评表"]);
    let facts = gongkai::facts(&doc);
    let unknown: Vec<_> = facts.iter().filter(|f| f.table.starts_with("unknown:")).map(|f| (f.row, f.col, f.value.as_str())).collect();
    assert_eq!(unknown, [("资金总额", "年初预算数", "12.00"), ("资金总额", "全年预算数", "11.00"), ("资金总额", "全年执行数", "10.50")]);
    assert!(doc.warnings.iter().any(|w| w.starts_with("unknown:部门整体支出绩效自评表") && w.contains("not a table of the catalogue")), "{:#?}", doc.warnings);
    // A reference to a table in running text is not a table.
    let referenced = text.replace("部门整体支出绩效自评表\n", "详见部门整体支出绩效自评表\n");
    let doc = gongkai::convert_bytes(referenced.as_bytes(), "x.txt").unwrap();
    assert_eq!(doc.tables.len(), 1);
}
