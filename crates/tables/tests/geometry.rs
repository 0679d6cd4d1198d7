//! Table geometry by position: synthetic pages (glyphs and rulings, as the PDF
//! interpreter yields them) through the grid builder, the segmenter and the table
//! builder, and lines with boxes in grid-column units (as markup and spreadsheet readers
//! yield them). Cells belong to columns by where they sit, header rows are headers
//! wherever they are printed, and a merged cell's text goes to what it spans.

use gongkai_extract::lattice::page_lines;
use gongkai_extract::pdf::{Glyph, Page, Rect};
use gongkai_extract::{CellBox, Line};
use gongkai_model::Table;

const ROW_H: f32 = 20.0;

/// Glyphs of `s` from `x` on baseline `y`: CJK 10 pt wide, ASCII 5 pt.
fn glyphs(s: &str, x: f32, y: f32) -> Vec<Glyph> {
    let mut out = Vec::new();
    let mut at = x;
    for c in s.chars() {
        let width = if c.is_ascii() { 5.0 } else { 10.0 };
        out.push(Glyph { text: c.to_string().as_str().into(), x: at, y, width, size: 10.0, turn: 0 });
        at += width;
    }
    out
}

/// A page builder: free text lines and ruled grids. A grid row is a list of
/// (text, columns spanned) over the grid's column edges `xs`.
struct PageBuilder {
    page: Page,
}

impl PageBuilder {
    fn new(number: u32) -> Self {
        PageBuilder { page: Page { number, width: 842.0, height: 595.0, ..Page::default() } }
    }
    fn text(mut self, s: &str, x: f32, y: f32) -> Self {
        self.page.glyphs.extend(glyphs(s, x, y));
        self
    }
    fn grid(mut self, xs: &[f32], top: f32, rows: &[Vec<(&str, usize)>]) -> Self {
        let (left, right) = (xs[0], *xs.last().unwrap());
        for (r, row) in rows.iter().enumerate() {
            let (y_top, y_bot) = (top - r as f32 * ROW_H, top - (r + 1) as f32 * ROW_H);
            self.page.rules.push(Rect { x0: left, y0: y_top, x1: right, y1: y_top });
            let mut c = 0;
            for &(text, span) in row {
                // A cell's left edge is ruled; the edges inside a merged cell are not.
                self.page.rules.push(Rect { x0: xs[c], y0: y_bot, x1: xs[c], y1: y_top });
                if !text.is_empty() {
                    // Amounts right-aligned, labels left-aligned, as office suites print them.
                    let w: f32 = text.chars().map(|ch| if ch.is_ascii() { 5.0 } else { 10.0 }).sum();
                    let x = if text.is_ascii() { xs[c + span] - 3.0 - w } else { xs[c] + 3.0 };
                    self.page.glyphs.extend(glyphs(text, x, y_bot + 6.0));
                }
                c += span;
            }
            assert_eq!(c, xs.len() - 1, "row {r} covers every column");
            self.page.rules.push(Rect { x0: right, y0: y_bot, x1: right, y1: y_top });
        }
        let bottom = top - rows.len() as f32 * ROW_H;
        self.page.rules.push(Rect { x0: left, y0: bottom, x1: right, y1: bottom });
        self
    }
    fn lines(self) -> Vec<Line> {
        page_lines(&self.page)
    }
}

fn one(s: &str) -> (&str, usize) {
    (s, 1)
}

/// Segment the lines and build every table found, with the warnings.
fn tables(lines: &[Line]) -> (Vec<Table>, Vec<String>) {
    let seg = gongkai_segment::segment(lines);
    let mut warnings = Vec::new();
    let tables = seg.tables.iter().map(|b| gongkai_tables::build(b, None, &mut warnings)).collect();
    (tables, warnings)
}

/// (row key, [(column key, value)]) of a table, in order.
fn cells(t: &Table) -> Vec<(String, Vec<(String, String)>)> {
    t.rows
        .iter()
        .map(|r| (r.key.clone(), r.cells.iter().map(|c| (c.col.clone(), c.value.to_string())).collect()))
        .collect()
}

fn row(key: &str, cols: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    (key.to_string(), cols.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect())
}

/// 类 | 款 | 项 | 科目名称 | three value columns.
const XS7: [f32; 8] = [40.0, 70.0, 100.0, 130.0, 330.0, 430.0, 530.0, 630.0];

fn expenditure_header() -> Vec<Vec<(&'static str, usize)>> {
    vec![
        vec![("项目", 4), one("本年支出合计"), one("基本支出"), one("项目支出")],
        vec![("科目编码", 3), one("科目名称"), one(""), one(""), one("")],
        vec![one("类"), one("款"), one("项"), one(""), one(""), one(""), one("")],
    ]
}

/// The last page holds only the 合计 row, its label merged over 类/款/项/科目名称: a grid of
/// 4 cells where the table has 7. Its cells go to the columns they sit over.
#[test]
fn a_total_row_alone_on_a_continuation_page_with_its_own_grid() {
    let mut rows = expenditure_header();
    rows.push(vec![one("201"), one(""), one(""), one("一般公共服务支出"), one("10.00"), one("6.00"), one("4.00")]);
    rows.push(vec![one("201"), one("01"), one("01"), one("行政运行"), one("10.00"), one("6.00"), one("4.00")]);
    let mut lines = PageBuilder::new(1)
        .text("支出决算表", 300.0, 540.0)
        .text("单位：万元", 560.0, 520.0)
        .grid(&XS7, 500.0, &rows)
        .lines();
    let last = [XS7[0], XS7[4], XS7[5], XS7[6], XS7[7]];
    lines.extend(PageBuilder::new(2).grid(&last, 500.0, &[vec![one("合计"), one("10.00"), one("6.00"), one("4.00")]]).lines());
    let (ts, w) = tables(&lines);
    assert_eq!(ts.len(), 1);
    let all = [("本年支出合计", "10.00"), ("基本支出", "6.00"), ("项目支出", "4.00")];
    assert_eq!(cells(&ts[0]), vec![row("201", &all), row("2010101", &all), row("合计", &all)], "{w:#?}");
    assert_eq!(ts[0].rows[2].at.page, Some(2));
    assert_eq!(ts[0].rows[2].label, "合计");
    assert!(w.is_empty(), "{w:#?}");
}

/// The same continuation, from a reader whose boxes are grid columns and whose merged cell
/// is one cell (no placeholder cells, no spans): a markup table's colspan.
#[test]
fn cells_in_grid_column_units_go_to_the_columns_they_cover() {
    let cell = |s: &str| s.to_string();
    let b = |x0: f32, x1: f32| CellBox { x0, x1, top: 0.0, bottom: 0.0 };
    let line = |cells: Vec<String>, boxes: Vec<CellBox>| Line { line: None, page: None, cells, spans: vec![], boxes };
    let unit = |n: usize| (0..n).map(|i| b(i as f32, i as f32 + 1.0)).collect::<Vec<_>>();
    let mut lines = vec![
        line(vec![cell("支出决算表")], vec![b(0.0, 7.0)]),
        line(vec![cell("单位：万元")], vec![b(6.0, 7.0)]),
        line(vec![cell("项目"), cell("本年支出合计"), cell("基本支出"), cell("项目支出")], vec![b(0.0, 4.0), b(4.0, 5.0), b(5.0, 6.0), b(6.0, 7.0)]),
        line(["类", "款", "项", "科目名称", "", "", ""].map(cell).to_vec(), unit(7)),
        line(["201", "", "", "一般公共服务支出", "10.00", "6.00", "4.00"].map(cell).to_vec(), unit(7)),
        line(["201", "01", "01", "行政运行", "10.00", "", "4.00"].map(cell).to_vec(), unit(7)),
        // 合计 over the four label columns, and a blank 基本支出 cell omitted altogether.
        line(vec![cell("合计"), cell("10.00"), cell("4.00")], vec![b(0.0, 4.0), b(4.0, 5.0), b(6.0, 7.0)]),
    ];
    for (i, l) in lines.iter_mut().enumerate() {
        l.line = Some(i as u32 + 1);
    }
    let (ts, w) = tables(&lines);
    assert_eq!(ts.len(), 1);
    let full = [("本年支出合计", "10.00"), ("基本支出", "6.00"), ("项目支出", "4.00")];
    let part = [("本年支出合计", "10.00"), ("项目支出", "4.00")];
    assert_eq!(cells(&ts[0]), vec![row("201", &full), row("2010101", &part), row("合计", &part)], "{w:#?}");
}

/// Spreadsheet print titles: the header rows are printed again on the next page, and the
/// amounts are whole 元. The repeated header is a header there too; every value column
/// stays one, and the rows under it are read.
#[test]
fn header_rows_repeated_on_a_continuation_page_with_whole_yuan_amounts() {
    let mut p1 = expenditure_header();
    p1.push(vec![one("201"), one(""), one(""), one("一般公共服务支出"), one("300000"), one("200000"), one("100000")]);
    p1.push(vec![one("201"), one("01"), one("01"), one("行政运行"), one("300000"), one("200000"), one("100000")]);
    let mut p2 = expenditure_header();
    p2.push(vec![one("208"), one(""), one(""), one("社会保障和就业支出"), one("50000"), one("50000"), one("")]);
    p2.push(vec![one("208"), one("05"), one("05"), one("机关事业单位基本养老保险缴费支出"), one("50000"), one("50000"), one("")]);
    p2.push(vec![("合计", 4), one("350000"), one("250000"), one("100000")]);
    let mut lines = PageBuilder::new(1)
        .text("支出决算表", 300.0, 540.0)
        .text("单位：元", 560.0, 520.0)
        .grid(&XS7, 500.0, &p1)
        .lines();
    lines.extend(PageBuilder::new(2).grid(&XS7, 500.0, &p2).lines());
    let expect = vec![
        row("201", &[("本年支出合计", "300000"), ("基本支出", "200000"), ("项目支出", "100000")]),
        row("2010101", &[("本年支出合计", "300000"), ("基本支出", "200000"), ("项目支出", "100000")]),
        row("208", &[("本年支出合计", "50000"), ("基本支出", "50000")]),
        row("2080505", &[("本年支出合计", "50000"), ("基本支出", "50000")]),
        row("合计", &[("本年支出合计", "350000"), ("基本支出", "250000"), ("项目支出", "100000")]),
    ];
    let (ts, w) = tables(&lines);
    assert_eq!(cells(&ts[0]), expect, "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");

    // The same table as tab-separated text (no boxes): the repeated header is a header too.
    let text = "支出决算表\n单位：元\n项目\t\t\t\t本年支出合计\t基本支出\t项目支出\n科目编码\t\t\t科目名称\t\t\t\n类\t款\t项\t\t\t\t\n\
                201\t\t\t一般公共服务支出\t300000\t200000\t100000\n201\t01\t01\t行政运行\t300000\t200000\t100000\n\
                项目\t\t\t\t本年支出合计\t基本支出\t项目支出\n科目编码\t\t\t科目名称\t\t\t\n类\t款\t项\t\t\t\t\n\
                208\t\t\t社会保障和就业支出\t50000\t50000\t\n208\t05\t05\t机关事业单位基本养老保险缴费支出\t50000\t50000\t\n\
                合计\t\t\t\t350000\t250000\t100000\n";
    let lines = gongkai_extract::read_text(text.as_bytes()).unwrap().lines;
    let (ts, w) = tables(&lines);
    assert_eq!(cells(&ts[0]), expect, "{w:#?}");
}

/// A two-sided summary continued with its header repeated and whole-元 amounts.
#[test]
fn a_repeated_header_of_a_two_sided_summary_is_no_row() {
    let xs = [40.0, 240.0, 340.0, 540.0, 640.0];
    let head = || vec![("收入", 2), ("支出", 2)];
    let head2 = || vec![one("项目"), one("决算数"), one("项目"), one("决算数")];
    let p1 = vec![head(), head2(), vec![one("一、财政拨款收入"), one("5000"), one("一、一般公共服务支出"), one("5000")]];
    let p2 = vec![head(), head2(), vec![one("本年收入合计"), one("5000"), one("本年支出合计"), one("5000")]];
    let mut lines = PageBuilder::new(1).text("收入支出决算总表", 300.0, 540.0).text("单位：元", 560.0, 520.0).grid(&xs, 500.0, &p1).lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &p2).lines());
    let (ts, w) = tables(&lines);
    let keys: Vec<(&str, Vec<String>)> =
        ts[0].rows.iter().map(|r| (r.key.as_str(), r.cells.iter().map(|c| c.value.to_string()).collect())).collect();
    assert_eq!(
        keys,
        vec![("收入/财政拨款收入", vec!["5000".to_string()]), ("收入/本年收入合计", vec!["5000".into()]), ("201", vec!["5000".into()]), ("支出/本年支出合计", vec!["5000".into()])],
        "{w:#?}"
    );
    assert!(w.is_empty(), "{w:#?}");
}

/// The side-by-side 基本支出 detail closes with `人员经费合计 | 2,880.38 | 公用经费合计
/// (merged over two groups) | 102.30`: the merged label names the amount it leads to.
#[test]
fn a_closing_label_merged_over_two_groups_names_its_amount() {
    let xs = [40.0, 80.0, 200.0, 270.0, 310.0, 430.0, 500.0, 540.0, 660.0, 730.0];
    let head = vec![
        one("科目编码"),
        one("科目名称"),
        one("决算数"),
        one("科目编码"),
        one("科目名称"),
        one("决算数"),
        one("科目编码"),
        one("科目名称"),
        one("决算数"),
    ];
    let rows = vec![
        head,
        vec![one("301"), one("工资福利支出"), one("2,880.38"), one("302"), one("商品和服务支出"), one("102.30"), one("310"), one("资本性支出"), one("0.00")],
        vec![one("30101"), one("基本工资"), one("2,880.38"), one("30201"), one("办公费"), one("102.30"), one(""), one(""), one("")],
        vec![("人员经费合计", 2), one("2,880.38"), ("公用经费合计", 5), one("102.30")],
    ];
    let lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款基本支出决算表", 200.0, 540.0)
        .text("单位：万元", 600.0, 520.0)
        .grid(&xs, 500.0, &rows)
        .lines();
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    let want: Vec<(String, String)> = [
        ("301", "2880.38"),
        ("30101", "2880.38"),
        ("302", "102.30"),
        ("30201", "102.30"),
        ("310", "0.00"),
        ("人员经费合计", "2880.38"),
        ("公用经费合计", "102.30"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(got, want, "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// A table printed without rulings whose last page holds only the 合计 line: its text runs
/// go to the columns of the first page by where they sit, a blank column staying blank.
#[test]
fn a_borderless_total_line_alone_on_the_last_page() {
    let p = |n| PageBuilder::new(n);
    let mut lines = p(1)
        .text("支出决算表", 300.0, 540.0)
        .text("单位：万元", 560.0, 520.0)
        .text("项目", 40.0, 500.0)
        .text("本年支出合计", 330.0, 500.0)
        .text("基本支出", 440.0, 500.0)
        .text("项目支出", 540.0, 500.0)
        .text("201", 40.0, 480.0)
        .text("一般公共服务支出", 100.0, 480.0)
        .text("10.00", 390.0, 480.0)
        .text("6.00", 495.0, 480.0)
        .text("4.00", 595.0, 480.0)
        .text("20101", 40.0, 460.0)
        .text("人大事务", 100.0, 460.0)
        .text("10.00", 390.0, 460.0)
        .text("6.00", 495.0, 460.0)
        .text("4.00", 595.0, 460.0)
        .lines();
    lines.extend(p(2).text("合计", 100.0, 500.0).text("10.00", 390.0, 500.0).text("4.00", 595.0, 500.0).lines());
    let (ts, w) = tables(&lines);
    let all = [("本年支出合计", "10.00"), ("基本支出", "6.00"), ("项目支出", "4.00")];
    assert_eq!(
        cells(&ts[0]),
        vec![row("201", &all), row("20101", &all), row("合计", &[("本年支出合计", "10.00"), ("项目支出", "4.00")])],
        "{w:#?}"
    );
}

/// The 基本支出 closing row from a reader whose merged cells are single cells with wide
/// boxes (grid columns): the same rows as from the ruled page.
#[test]
fn a_merged_closing_label_in_grid_column_units() {
    let b = |x0: usize, x1: usize| CellBox { x0: x0 as f32, x1: x1 as f32, top: 0.0, bottom: 0.0 };
    let line = |cells: &[&str], boxes: Vec<CellBox>| Line {
        line: None,
        page: None,
        cells: cells.iter().map(|s| s.to_string()).collect(),
        spans: vec![],
        boxes,
    };
    let unit: Vec<CellBox> = (0..9).map(|i| b(i, i + 1)).collect();
    let lines = vec![
        line(&["一般公共预算财政拨款基本支出决算表"], vec![b(0, 9)]),
        line(&["单位：万元"], vec![b(8, 9)]),
        line(&["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"], unit.clone()),
        line(&["301", "工资福利支出", "2,880.38", "302", "商品和服务支出", "102.30", "310", "资本性支出", ""], unit.clone()),
        line(&["人员经费合计", "2,880.38", "公用经费合计", "102.30"], vec![b(0, 2), b(2, 3), b(3, 8), b(8, 9)]),
    ];
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    let want = [("301", "2880.38"), ("302", "102.30"), ("人员经费合计", "2880.38"), ("公用经费合计", "102.30")];
    assert_eq!(got, want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>(), "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// Print titles that include the title rows: the next page starts with the table's title,
/// unit and header again. It is the same table continued, not a second one.
#[test]
fn a_title_repeated_at_the_top_of_the_next_page_continues_the_table() {
    let mut p1 = expenditure_header();
    p1.push(vec![one("201"), one(""), one(""), one("一般公共服务支出"), one("300000"), one("200000"), one("100000")]);
    let mut p2 = expenditure_header();
    p2.push(vec![("合计", 4), one("300000"), one("200000"), one("100000")]);
    let page = |n: u32, rows: &[Vec<(&str, usize)>]| {
        PageBuilder::new(n).text("支出决算表", 300.0, 540.0).text("单位：元", 560.0, 520.0).grid(&XS7, 500.0, rows).lines()
    };
    let mut lines = page(1, &p1);
    lines.extend(page(2, &p2));
    let (ts, w) = tables(&lines);
    assert_eq!(ts.len(), 1, "{:#?}", ts.iter().map(|t| &t.id).collect::<Vec<_>>());
    let all = [("本年支出合计", "300000"), ("基本支出", "200000"), ("项目支出", "100000")];
    assert_eq!(cells(&ts[0]), vec![row("201", &all), row("合计", &all)], "{w:#?}");
    assert_eq!((ts[0].provenance.start.page, ts[0].provenance.end.page), (Some(1), Some(2)));
}

/// A browser splits a tall row over a page break: the row's borders run to the bottom of
/// the page with no ruling under them, and the rest of its wrapped label opens the next
/// page under the repeated header. The row keeps its amounts and its whole label.
#[test]
fn a_row_split_by_a_page_break_keeps_its_cells_and_its_label() {
    let xs = [40.0, 110.0, 230.0, 330.0, 430.0, 530.0];
    let head = || vec![one("科目编码"), one("科目名称"), one("本年支出合计"), one("基本支出"), one("项目支出")];
    let mut p1 = PageBuilder::new(1).text("支出决算表", 300.0, 540.0).text("单位：万元", 560.0, 520.0).grid(&xs, 500.0, &[head()]);
    // The split row: borders down to y = 440, no ruling under it.
    for &x in &xs {
        p1.page.rules.push(Rect { x0: x, y0: 440.0, x1: x, y1: 480.0 });
    }
    p1 = p1.text("2150899", 43.0, 466.0).text("其他支持中小企业", 113.0, 466.0).text("发展和管", 113.0, 450.0);
    p1 = p1.text("9.00", 307.0, 466.0).text("9.00", 507.0, 466.0);
    let mut lines = p1.lines();
    let p2 = vec![head(), vec![one(""), one("理支出"), one(""), one(""), one("")], vec![one(""), one("合计"), one("9.00"), one(""), one("9.00")]];
    lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &p2).lines());
    let (ts, w) = tables(&lines);
    let both = [("本年支出合计", "9.00"), ("项目支出", "9.00")];
    assert_eq!(cells(&ts[0]), vec![row("2150899", &both), row("合计", &both)], "{w:#?}");
    assert_eq!(ts[0].rows[0].label, "其他支持中小企业发展和管理支出");
    assert!(w.is_empty(), "{w:#?}");
}

/// A page break splits the last row of a page, its amount wrapped in a narrow column
/// (`2961680` on this page, `0` at the top of the next): the fragments below a filled
/// cell of that row, with no label of their own, are the rest of it.
#[test]
fn an_amount_wrapped_past_the_page_break_is_joined() {
    let xs = [40.0, 240.0, 300.0, 500.0, 560.0];
    let head = vec![("收入", 2), ("支出", 2)];
    let head2 = vec![one("项目"), one("决算数"), one("项目"), one("决算数")];
    let p1 = vec![
        head,
        head2,
        vec![one("一、财政拨款收入"), one("29616800"), one("一、一般公共服务支出"), one("29616800")],
        vec![one("收入总计"), one("29616800"), one("支出总计"), one("2961680")],
    ];
    let mut lines = PageBuilder::new(1).text("收入支出决算总表", 300.0, 540.0).text("单位：元", 560.0, 520.0).grid(&xs, 500.0, &p1).lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &[vec![one(""), one(""), one(""), one("0")]]).lines());
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    let want = [("收入/财政拨款收入", "29616800"), ("收入/总计", "29616800"), ("201", "29616800"), ("支出/总计", "29616800")];
    assert_eq!(got, want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>(), "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
    // A line with text of its own (a label), or whose join makes no amount, is no fragment.
    for frag in [vec![one("二、其他收入"), one(""), one(""), one("0")], vec![one(""), one(""), one(""), one("元")]] {
        let mut lines = PageBuilder::new(1).text("收入支出决算总表", 300.0, 540.0).text("单位：元", 560.0, 520.0).grid(&xs, 500.0, &p1[..3]).lines();
        lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &[frag]).lines());
        let (ts, _) = tables(&lines);
        assert_eq!(ts[0].rows.iter().find(|r| r.key == "201").unwrap().cells[0].value.to_string(), "29616800");
    }
}

/// 类 | 款 | 项 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出 on page 1 with `last` as its last
/// row, `next` the first row on page 2 under the header printed again; the table's rows.
fn across_the_break(last: Vec<(&str, usize)>, next: Vec<(&str, usize)>) -> (Table, Vec<String>) {
    let mut p1 = expenditure_header();
    p1.push(vec![one("201"), one(""), one(""), one("一般公共服务支出"), one("10.00"), one("6.00"), one("4.00")]);
    p1.push(last);
    let mut lines = PageBuilder::new(1).text("支出决算表", 300.0, 540.0).text("单位：万元", 560.0, 520.0).grid(&XS7, 500.0, &p1).lines();
    let mut p2 = expenditure_header();
    p2.push(next);
    p2.push(vec![one("201"), one("01"), one("02"), one("一般行政管理事务"), one("1.00"), one("1.00"), one("")]);
    lines.extend(PageBuilder::new(2).grid(&XS7, 500.0, &p2).lines());
    let (mut ts, w) = tables(&lines);
    assert_eq!(ts.len(), 1, "{w:#?}");
    (ts.remove(0), w)
}

fn blank_code() -> [(&'static str, usize); 4] {
    [one(""), one(""), one(""), one("")]
}

/// Certain: the row above the break printed its label and no amount, and the amounts at
/// the top of the next page, without a label, sit under its blank cells: they are its
/// amounts (a tall row whose amounts are printed below its label, past the page's end).
#[test]
fn amounts_of_a_row_without_amounts_above_the_break_are_its_amounts() {
    let last = vec![one("201"), one("01"), one("01"), one("行政运行"), one(""), one(""), one("")];
    let mut next = blank_code().to_vec();
    next.extend([one("9.00"), one("5.00"), one("4.00")]);
    let (t, w) = across_the_break(last, next);
    let all = [("本年支出合计", "10.00"), ("基本支出", "6.00"), ("项目支出", "4.00")];
    let moved = [("本年支出合计", "9.00"), ("基本支出", "5.00"), ("项目支出", "4.00")];
    assert_eq!(cells(&t), vec![row("201", &all), row("2010101", &moved), row("2010102", &[("本年支出合计", "1.00"), ("基本支出", "1.00")])], "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// Not certain: amounts without a label under the blank cell of a row that printed its
/// other amounts could as well be a row whose label was lost: left out, with a warning.
/// And where one of them sits under an amount of that row (`1` | `0.00`) and another
/// under a blank cell, the amount above the break may be cut short: it is left out too,
/// never read as 1.
#[test]
fn label_less_amounts_that_may_not_continue_the_row_above_are_left_out() {
    let last = vec![one("201"), one("01"), one("01"), one("行政运行"), one("9.00"), one("9.00"), one("")];
    let mut next = blank_code().to_vec();
    next.extend([one(""), one(""), one("4.00")]);
    let (t, w) = across_the_break(last, next);
    let r = t.rows.iter().find(|r| r.key == "2010101").unwrap();
    assert_eq!(r.cells.iter().map(|c| (c.col.as_str(), c.value.to_string())).collect::<Vec<_>>(), [("本年支出合计", "9.00".to_string()), ("基本支出", "9.00".into())]);
    assert!(w.iter().any(|m| m.contains("page 2: amounts without a label") && m.contains("`4.00`") && m.contains("nothing makes it certain")), "{w:#?}");

    let last = vec![one("201"), one("01"), one("01"), one("行政运行"), one("1"), one("9.00"), one("")];
    let mut next = blank_code().to_vec();
    next.extend([one("0.00"), one(""), one("1.00")]);
    let (t, w) = across_the_break(last, next);
    let r = t.rows.iter().find(|r| r.key == "2010101").unwrap();
    assert_eq!(r.cells.iter().map(|c| (c.col.as_str(), c.value.to_string())).collect::<Vec<_>>(), [("基本支出", "9.00".to_string())], "{w:#?}");
    assert!(w.iter().any(|m| m.contains("with the amounts above them")), "{w:#?}");
}

/// The rest of a label wrapped over the break in a two-sided summary (`十、节能环保支` |
/// `出` under the repeated header) ends that label, so the line is keyed by its class;
/// a label that is a row of its own (年初结转和结余, blank amounts) is not joined.
#[test]
fn a_label_wrapped_over_the_break_in_a_two_sided_summary_is_joined_where_certain() {
    let xs = [40.0, 240.0, 340.0, 540.0, 640.0];
    let head = || vec![("收入", 2), ("支出", 2)];
    let head2 = || vec![one("项目"), one("决算数"), one("项目"), one("决算数")];
    let build = |p1_last: Vec<(&'static str, usize)>, p2_first: Vec<(&'static str, usize)>| {
        let p1 = vec![head(), head2(), vec![one("一、财政拨款收入"), one("5.00"), one("一、一般公共服务支出"), one("4.00")], p1_last];
        let p2 = vec![head(), head2(), p2_first, vec![one("本年收入合计"), one("6.00"), one("本年支出合计"), one("5.00")]];
        let mut lines = PageBuilder::new(1).text("收入支出决算总表", 300.0, 540.0).text("单位：万元", 560.0, 520.0).grid(&xs, 500.0, &p1).lines();
        lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &p2).lines());
        let (ts, w) = tables(&lines);
        let keys: Vec<String> = ts[0].rows.iter().map(|r| r.key.clone()).collect();
        (keys, w)
    };
    let (keys, w) = build(vec![one("二、其他收入"), one("1.00"), one("十、节能环保支"), one("1.00")], vec![one(""), one(""), one("出"), one("")]);
    assert_eq!(keys, ["收入/财政拨款收入", "收入/其他收入", "收入/本年收入合计", "201", "211", "支出/本年支出合计"], "{w:#?}");
    let (keys, w) = build(vec![one("二、其他收入"), one("1.00"), one("十、节能环保支出"), one("1.00")], vec![one("年初结转和结余"), one(""), one(""), one("")]);
    assert_eq!(keys, ["收入/财政拨款收入", "收入/其他收入", "收入/年初结转和结余", "收入/本年收入合计", "201", "211", "支出/本年支出合计"], "{w:#?}");
    // Both sides wrapped: a summary row (tables.json `rows`) whose pieces name nothing, and
    // a class printed without its 支出 (the same class either way).
    let (keys, w) = build(vec![one("二、一般公共预算财政拨"), one("1.00"), one("十、节能环保"), one("1.00")], vec![one("款收入"), one(""), one("支出"), one("")]);
    assert_eq!(keys, ["收入/财政拨款收入", "收入/一般公共预算财政拨款收入", "收入/本年收入合计", "201", "211", "支出/本年支出合计"], "{w:#?}");
}

/// The 基本支出 detail: an amount wrapped in its narrow cell past the page's end
/// (`2082850` on this page, `0` at the top of the next) is joined, never read as 2082850.
#[test]
fn an_amount_wrapped_past_the_break_in_the_basic_detail_is_joined() {
    let xs = [40.0, 100.0, 300.0, 360.0];
    let head = || vec![one("科目编码"), one("科目名称"), one("决算数")];
    let p1 = vec![head(), vec![one("301"), one("工资福利支出"), one("2082850")]];
    let p2 = vec![head(), vec![one(""), one(""), one("0")], vec![one("30101"), one("基本工资"), one("20828500")]];
    let mut lines = PageBuilder::new(1).text("一般公共预算财政拨款基本支出决算表", 100.0, 540.0).text("单位：元", 300.0, 520.0).grid(&xs, 500.0, &p1).lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 500.0, &p2).lines());
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    assert_eq!(got, [("301".to_string(), "20828500".to_string()), ("30101".into(), "20828500".into())], "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// The 合计 row alone at the top of the next page (whole-元 amounts, `117200` above the
/// break, `3078200` under it) is a row of its own: a label the catalogue knows is never the
/// rest of the label above, and digits are never run together beside a label.
#[test]
fn a_total_row_opening_the_next_page_is_its_own_row() {
    let last = vec![one("201"), one("01"), one("01"), one("行政运行"), one("117200"), one("117200"), one("")];
    let next = vec![one(""), one(""), one(""), one("合计"), one("3078200"), one("3078200"), one("")];
    let (t, w) = across_the_break(last, next);
    let keys: Vec<(&str, String)> = t.rows.iter().map(|r| (r.key.as_str(), r.cells[0].value.to_string())).collect();
    assert_eq!(keys, [("201", "10.00".to_string()), ("2010101", "117200".into()), ("合计", "3078200".into()), ("2010102", "1.00".into())], "{w:#?}");
}

/// (row key, 行次, [(column key, value)]) of a table, in order.
fn numbered(t: &Table) -> Vec<(String, Option<u32>, Vec<(String, String)>)> {
    t.rows
        .iter()
        .map(|r| (r.key.clone(), r.line_number, r.cells.iter().map(|c| (c.col.clone(), c.value.to_string())).collect()))
        .collect()
}

fn nrow(key: &str, n: u32, cols: &[(&str, &str)]) -> (String, Option<u32>, Vec<(String, String)>) {
    (key.to_string(), Some(n), cols.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect())
}

/// 财政拨款收入支出决算总表 in whole 元: 项目 | 行次 | 金额 on the 收入 side, 项目 | 行次 | four
/// value columns on the 支出 side. The 行次 numbers and the amounts are all integers; the
/// 行次 columns are known by their header, each side's value columns by the header group
/// printed over them (收入 | 支出), and the header printed again on page 2 is no row.
#[test]
fn a_whole_yuan_fiscal_summary_with_line_numbers_and_its_header_repeated() {
    let xs = [40.0, 180.0, 210.0, 290.0, 430.0, 460.0, 540.0, 680.0, 820.0, 960.0];
    let band = || vec![("收入", 3), ("支出", 6)];
    let head = || {
        ["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
            .map(one)
            .to_vec()
    };
    let r = |cells: [&'static str; 9]| cells.map(one).to_vec();
    let mut p1 = vec![band(), head()];
    p1.push(r(["一、一般公共预算财政拨款", "1", "29,400,500", "一、一般公共服务支出", "32", "21,066,600", "21,066,600", "", ""]));
    p1.push(r(["二、政府性基金预算财政拨款", "2", "0", "二、社会保障和就业支出", "33", "3,267,200", "3,267,200", "0", "0"]));
    let mut p2 = vec![band(), head()];
    p2.push(r(["", "", "", "三、住房保障支出", "34", "5,066,700", "5,066,700", "", ""]));
    p2.push(r(["本年收入合计", "4", "29,400,500", "本年支出合计", "35", "29,400,500", "29,400,500", "0", "0"]));
    let mut lines = PageBuilder::new(1)
        .text("财政拨款收入支出决算总表", 280.0, 560.0)
        .text("单位：元", 660.0, 540.0)
        .grid(&xs, 520.0, &p1)
        .lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 520.0, &p2).lines());
    let (ts, w) = tables(&lines);
    assert_eq!(ts.len(), 1);
    assert_eq!(ts[0].id, "fiscal_summary");
    let out = |v: &'static str, g: &'static str| {
        let mut c = vec![("合计", v), ("一般公共预算财政拨款", g)];
        c.retain(|x| !x.1.is_empty());
        c
    };
    let want = vec![
        nrow("收入/一般公共预算财政拨款", 1, &[("金额", "29400500")]),
        nrow("收入/政府性基金预算财政拨款", 2, &[("金额", "0")]),
        nrow("收入/本年收入合计", 4, &[("金额", "29400500")]),
        nrow("201", 32, &out("21066600", "21066600")),
        nrow("208", 33, &[("合计", "3267200"), ("一般公共预算财政拨款", "3267200"), ("政府性基金预算财政拨款", "0"), ("国有资本经营预算财政拨款", "0")]),
        nrow("221", 34, &out("5066700", "5066700")),
        nrow("支出/本年支出合计", 35, &[("合计", "29400500"), ("一般公共预算财政拨款", "29400500"), ("政府性基金预算财政拨款", "0"), ("国有资本经营预算财政拨款", "0")]),
    ];
    assert_eq!(numbered(&ts[0]), want, "{w:#?}");
    let sides: Vec<(Option<&str>, &str)> = ts[0].columns.iter().map(|c| (c.side.as_deref(), c.key.as_str())).collect();
    assert_eq!(
        sides,
        [
            (Some("收入"), "金额"),
            (Some("支出"), "合计"),
            (Some("支出"), "一般公共预算财政拨款"),
            (Some("支出"), "政府性基金预算财政拨款"),
            (Some("支出"), "国有资本经营预算财政拨款")
        ]
    );
    assert!(w.is_empty(), "{w:#?}");
}

/// 一般公共预算财政拨款支出决算表 in whole 元 with its codes split over 类 | 款 | 项 and a 栏次
/// row: the 款 and 项 digits (`05`, `50`) and the amounts (`46,500`, `0`) are all integers;
/// the code columns are known by their header (科目编码 over 类/款/项), the value columns by
/// theirs. The same table with its codes joined and no 栏次 row gives the same facts, the
/// zeros staying values (not digits glued onto the code).
#[test]
fn a_whole_yuan_coded_table_with_split_codes() {
    let xs = [40.0, 70.0, 100.0, 130.0, 330.0, 430.0, 530.0, 630.0];
    let mut rows = vec![
        vec![("科目编码", 3), one("科目名称"), one("合计"), one("基本支出"), one("项目支出")],
        vec![one("类"), one("款"), one("项"), one(""), one(""), one(""), one("")],
        vec![("栏次", 4), one("1"), one("2"), one("3")],
        vec![("合计", 4), one("3,346,500"), one("3,300,000"), one("46,500")],
    ];
    let body: [[&str; 7]; 5] = [
        ["201", "", "", "一般公共服务支出", "46,500", "0", "46,500"],
        ["201", "05", "", "统计信息事务", "46,500", "0", "46,500"],
        ["201", "05", "50", "事业运行", "46,500", "0", "46,500"],
        ["208", "", "", "社会保障和就业支出", "3,300,000", "3,300,000", "0"],
        ["", "05", "05", "机关事业单位基本养老保险缴费支出", "3,300,000", "3,300,000", "0"],
    ];
    rows.extend(body.iter().map(|r| r.map(one).to_vec()));
    let lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款支出决算表", 250.0, 560.0)
        .text("单位：元", 580.0, 540.0)
        .grid(&xs, 520.0, &rows)
        .lines();
    let (ts, w) = tables(&lines);
    let v = |a: &str, b: &str, c: &str| vec![("合计".to_string(), a.to_string()), ("基本支出".into(), b.into()), ("项目支出".into(), c.into())];
    let want: Vec<(String, Vec<(String, String)>)> = vec![
        ("合计".into(), v("3346500", "3300000", "46500")),
        ("201".into(), v("46500", "0", "46500")),
        ("20105".into(), v("46500", "0", "46500")),
        ("2010550".into(), v("46500", "0", "46500")),
        ("208".into(), v("3300000", "3300000", "0")),
        ("2080505".into(), v("3300000", "3300000", "0")),
    ];
    assert_eq!(ts[0].id, "general_budget_expenditure");
    assert_eq!(cells(&ts[0]), want, "{w:#?}");
    let levels: Vec<Option<&str>> = ts[0].rows.iter().map(|r| r.level.as_deref()).collect();
    assert_eq!(levels, [None, Some("类"), Some("款"), Some("项"), Some("类"), Some("项")]);
    assert_eq!(ts[0].columns.iter().map(|c| c.number).collect::<Vec<_>>(), [Some(1), Some(2), Some(3)]);
    assert!(w.is_empty(), "{w:#?}");

    // Codes joined in one 科目编码 column, no 栏次 row.
    let xj = [40.0, 110.0, 330.0, 430.0, 530.0, 630.0];
    let mut rows = vec![
        vec![one("科目编码"), one("科目名称"), one("合计"), one("基本支出"), one("项目支出")],
        vec![("合计", 2), one("3,346,500"), one("3,300,000"), one("46,500")],
    ];
    let joined: [[&str; 5]; 5] = [
        ["201", "一般公共服务支出", "46,500", "0", "46,500"],
        ["20105", "统计信息事务", "46,500", "0", "46,500"],
        ["2010550", "事业运行", "46,500", "0", "46,500"],
        ["208", "社会保障和就业支出", "3,300,000", "3,300,000", "0"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "3,300,000", "3,300,000", "0"],
    ];
    rows.extend(joined.iter().map(|r| r.map(one).to_vec()));
    let lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款支出决算表", 250.0, 560.0)
        .text("单位：元", 580.0, 540.0)
        .grid(&xj, 520.0, &rows)
        .lines();
    let (ts, w) = tables(&lines);
    assert_eq!(cells(&ts[0]), want, "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// Whole-元 amounts under a header nobody can read (garbled OCR): nothing tells an amount
/// column from a column of other integers, so its cells are left out with a warning,
/// never guessed; a column whose header is read keeps its cells.
#[test]
fn whole_yuan_columns_under_an_unreadable_header_are_not_guessed() {
    let xs = [40.0, 110.0, 330.0, 430.0, 530.0, 630.0];
    let mut rows = vec![vec![one("科目编码"), one("科目名称"), one("合计"), one("垦卒乂"), one("彐彡丬")]];
    rows.push(["201", "一般公共服务支出", "46,500", "0", "46,500"].map(one).to_vec());
    rows.push(["2010550", "事业运行", "46,500", "0", "46,500"].map(one).to_vec());
    let lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款支出决算表", 250.0, 560.0)
        .text("单位：元", 580.0, 540.0)
        .grid(&xs, 520.0, &rows)
        .lines();
    let (ts, w) = tables(&lines);
    let only = [("合计", "46500")];
    assert_eq!(cells(&ts[0]), vec![row("201", &only), row("2010550", &only)], "{w:#?}");
}

/// The 基本支出 detail in whole 元, an amount wrapped past the page break (`2082850` at the
/// bottom of a page, `0` at the top of the next): the fragment is the rest of that amount,
/// not a lost cell that leaves the row a tenth of its value.
#[test]
fn a_detail_amount_wrapped_past_the_page_break_is_joined() {
    let xs = [40.0, 110.0, 330.0, 430.0];
    let p1 = vec![
        vec![one("科目编码"), one("科目名称"), one("决算数")],
        vec![("栏次", 2), one("1")],
        vec![one("301"), one("工资福利支出"), one("2082850")],
    ];
    let p2 = vec![vec![one(""), one(""), one("0")], vec![one("30101"), one("基本工资"), one("2623300")]];
    let mut lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款基本支出决算表", 200.0, 560.0)
        .text("单位：元", 380.0, 540.0)
        .grid(&xs, 520.0, &p1)
        .lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 520.0, &p2).lines());
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    assert_eq!(got, [("301".to_string(), "20828500".to_string()), ("30101".into(), "2623300".into())], "{w:#?}");
    assert!(w.is_empty(), "{w:#?}");
}

/// A table whose first page holds only the top row of its header (the rest of the header
/// and the body pushed over the page break): its columns are those of the page where its
/// grid is printed whole, not the two cells of that top row.
#[test]
fn a_header_row_alone_at_the_bottom_of_a_page() {
    let xs = [40.0, 100.0, 160.0, 220.0, 280.0, 340.0, 400.0, 480.0];
    let top = vec![("预算数", 6), one("机关运行经费预算")];
    let mut lines = PageBuilder::new(1)
        .text("2025年部门“三公”经费和机关运行经费预算表", 200.0, 560.0)
        .text("单位：元", 420.0, 540.0)
        .grid(&xs, 80.0, &[top])
        .lines();
    let p2 = vec![
        vec![one(""), one(""), one(""), one(""), one(""), one(""), one("数")],
        vec![one("合计"), one("因公出国(境)费"), one("公务接待费"), ("公务用车购置及运行维护费", 3), one("")],
        vec![one(""), one(""), one(""), one("小计"), one("公务用车购置费"), one("公务用车运行维护费"), one("")],
        ["1", "2", "3", "4", "5", "6", "7"].map(one).to_vec(),
        ["10000", "", "10000", "", "", "", "1710100"].map(one).to_vec(),
    ];
    lines.extend(PageBuilder::new(2).grid(&xs, 520.0, &p2).lines());
    let (ts, w) = tables(&lines);
    assert_eq!(ts[0].id, "budget_three_public");
    let want = [("预算数/合计", "10000"), ("预算数/公务接待费", "10000"), ("机关运行经费预算数", "1710100")];
    assert_eq!(cells(&ts[0]), vec![row("合计", &want)], "{w:#?}");
}

/// Whole-元 rows whose labels are too wide for their cells (the last character of
/// `一、一般公共预算财政拨款` printed into the 行次 cell): no decimal marks them as data, yet
/// they print amounts under the header's value columns, so they are rows, not header.
#[test]
fn whole_yuan_rows_with_a_label_spilling_into_the_line_number_cell_are_rows() {
    let xs = [40.0, 150.0, 180.0, 260.0, 400.0, 430.0, 510.0];
    let band = || vec![("收入", 3), ("支出", 3)];
    let head = || ["项目", "行次", "金额", "项目", "行次", "决算数"].map(one).to_vec();
    let rows = vec![
        band(),
        head(),
        ["一、一般公共预算财政拨款收入", "1", "29,400,500", "一、一般公共服务支出", "32", "21,066,600"].map(one).to_vec(),
        ["本年收入合计", "4", "29,400,500", "本年支出合计", "35", "29,400,500"].map(one).to_vec(),
    ];
    let lines = PageBuilder::new(1).text("收入支出决算总表", 280.0, 560.0).text("单位：元", 460.0, 540.0).grid(&xs, 520.0, &rows).lines();
    assert!(lines.iter().any(|l| l.cells.get(1).is_some_and(|c| c.contains('入'))), "the label spills: {lines:#?}");
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    // The label as read lost its last character to the 行次 cell: the catalogue's row one
    // character from it names it (it was once keyed as read, 收入/一般公共预算财政拨款).
    let want = [("收入/一般公共预算财政拨款收入", "29400500"), ("收入/本年收入合计", "29400500"), ("201", "21066600"), ("支出/本年支出合计", "29400500")];
    assert_eq!(got, want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>(), "{w:#?}");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].contains("is read as the catalogue's `一般公共预算财政拨款收入`"), "{w:#?}");
}

/// The detail's closing row opening the next page under a blank-valued last row (zeros
/// printed blank): 人员经费合计 is a row of its own, its amount never the row above's.
#[test]
fn a_closing_row_opening_the_next_page_is_not_the_blank_row_above() {
    let xs = [40.0, 110.0, 330.0, 430.0];
    let p1 = vec![
        vec![one("科目编码"), one("科目名称"), one("决算数")],
        vec![one("301"), one("工资福利支出"), one("95.36")],
        vec![one("31099"), one("其他资本性支出"), one("")],
    ];
    let p2 = vec![vec![one(""), one("人员经费合计"), one("95.36")]];
    let mut lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款基本支出决算表", 200.0, 560.0)
        .text("单位：万元", 380.0, 540.0)
        .grid(&xs, 520.0, &p1)
        .lines();
    lines.extend(PageBuilder::new(2).grid(&xs, 520.0, &p2).lines());
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    assert!(!got.iter().any(|(k, v)| k == "31099" && v == "95.36"), "{got:?} {w:#?}");
    assert!(got.contains(&("人员经费合计".to_string(), "95.36".to_string())), "{got:?} {w:#?}");
}

/// Two rows under one key with different amounts (a nesting the print does not show):
/// neither is kept, since which one the key names is not known; the same amounts printed
/// twice are one row.
#[test]
fn a_key_printed_twice_with_different_amounts_gives_no_fact() {
    let xs = [40.0, 110.0, 330.0, 430.0];
    let p1 = vec![
        vec![one("科目编码"), one("科目名称"), one("决算数")],
        vec![one("301"), one("工资福利支出"), one("95.36")],
        vec![one("30101"), one("基本工资"), one("40.00")],
        vec![one("30101"), one("基本工资"), one("12.00")],
        vec![one("30102"), one("津贴补贴"), one("5.00")],
        vec![one("30102"), one("津贴补贴"), one("5.00")],
    ];
    let lines = PageBuilder::new(1)
        .text("一般公共预算财政拨款基本支出决算表", 200.0, 560.0)
        .text("单位：万元", 380.0, 540.0)
        .grid(&xs, 520.0, &p1)
        .lines();
    let (ts, w) = tables(&lines);
    let got: Vec<(String, String)> = ts[0].rows.iter().map(|r| (r.key.clone(), r.cells[0].value.to_string())).collect();
    assert_eq!(got, [("301".to_string(), "95.36".to_string()), ("30102".into(), "5.00".into())], "{w:#?}");
    assert!(w.iter().any(|m| m.contains("`30101` appears twice with different amounts")), "{w:#?}");
}
