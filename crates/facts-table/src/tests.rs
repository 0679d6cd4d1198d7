use super::*;
use arrow_array::{Array, Decimal128Array, Int32Array, StringArray};
use gongkai_model::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn doc(file: &str, values: &[(&str, &str)]) -> Document {
    Document {
        schema: SCHEMA.into(),
        source: Source { file: file.into(), sha256: format!("sha-of-{file}"), format: "text".into(), encoding: None, pages: None },
        metadata: Metadata {
            title: None,
            department: Some("某区财政局".into()),
            year: Some(2024),
            kind: Some("final_accounts".into()),
            scope: Some("department".into()),
            unit: Some("万元".into()),
        },
        tables: vec![Table {
            id: "income".into(),
            printed_number: Some("公开02表".into()),
            title: "收入决算表".into(),
            department: None,
            unit: Some("万元".into()),
            unit_source: Some("header".into()),
            columns: vec![],
            rows: values
                .iter()
                .enumerate()
                .map(|(i, (label, v))| Row {
                    key: format!("20105{i:02}"),
                    side: None,
                    code: Some(format!("20105{i:02}")),
                    level: Some("项".into()),
                    label: label.to_string(),
                    line_number: None,
                    cells: vec![Cell { col: "本年收入合计".into(), value: parse_amount(v).unwrap(), bbox: None, ocr: None }],
                    at: Location { page: Some(3), line: None },
                })
                .collect(),
            empty_statement: None,
            note: None,
            provenance: Provenance { start: Location::default(), end: Location::default() },
            cells_left_out: 0,
        }],
        narrative: vec![],
        warnings: vec![],
        findings: vec![],
        toc: vec![],
    }
}

#[test]
fn amounts_become_exact_decimals_at_the_column_scale() {
    let a = |s: &str| decimal128(parse_amount(s).unwrap());
    assert_eq!(a("4.65"), Some(4_650_000));
    assert_eq!(a("0.00"), Some(0));
    assert_eq!(a("-12"), Some(-12_000_000));
    assert_eq!(a("371514655.00"), Some(371_514_655_000_000));
    // Finer than the column: no amount rather than a rounded one.
    assert_eq!(a("1.1234567"), None);
}

fn read_parquet(path: &std::path::Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap().map(|b| b.unwrap()).collect()
}

#[test]
fn parquet_keeps_every_printed_value_exactly_and_dictionary_encodes_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facts.parquet");
    let printed = ["4.65", "0.00", "12", "-3.5", "5896.65", "1.1234567"];
    let docs = [doc("a.txt", &printed.map(|v| ("事业运行", v))), doc("b.txt", &[("行政运行, 其他", "7.10")])];
    let mut w = TableWriter::new(Format::Parquet, std::fs::File::create(&path).unwrap()).unwrap();
    for d in &docs {
        w.push(d).unwrap();
    }
    assert_eq!(w.facts(), 7);
    w.finish().unwrap();

    let batches = read_parquet(&path);
    assert_eq!(batches[0].schema(), schema());
    let b = &batches[0];
    let col = |n: &str| b.column_by_name(n).unwrap().clone();
    let value = col("value");
    let value = value.as_any().downcast_ref::<StringArray>().unwrap();
    let amount = col("amount");
    let amount = amount.as_any().downcast_ref::<Decimal128Array>().unwrap();
    let scale = col("scale");
    let scale = scale.as_any().downcast_ref::<Int32Array>().unwrap();
    for i in 0..b.num_rows() {
        let printed = value.value(i);
        if amount.is_null(i) {
            assert_eq!(printed, "1.1234567");
            continue;
        }
        // value == amount printed at scale decimals, for every row.
        let exact = amount.value(i) / 10i128.pow((AMOUNT_SCALE as i32 - scale.value(i)) as u32);
        let d = gongkai_model::Amount(rust_decimal_from(exact, scale.value(i) as u32));
        assert_eq!(d.to_string(), printed);
    }
    let file = col("file");
    let file = file.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(file.value(6), "b.txt");

    let reader = parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let meta = parquet::file::reader::FileReader::metadata(&reader);
    let rg = meta.row_group(0);
    let dept = rg.columns().iter().find(|c| c.column_path().string() == "department").unwrap();
    let dictionary = dept.page_encoding_stats().map(|s| s.iter().any(|e| e.encoding == parquet::basic::Encoding::RLE_DICTIONARY || e.encoding == parquet::basic::Encoding::PLAIN_DICTIONARY));
    assert!(dictionary.unwrap_or(false) || dept.dictionary_page_offset().is_some(), "department is not dictionary-encoded");
}

fn rust_decimal_from(mantissa: i128, scale: u32) -> rust_decimal::Decimal {
    rust_decimal::Decimal::from_i128_with_scale(mantissa, scale)
}

#[test]
fn csv_has_a_header_and_quotes_what_needs_it() {
    let mut w = TableWriter::new(Format::Csv, Vec::new()).unwrap();
    w.push(&doc("a.txt", &[("行政运行, 其他", "7.10")])).unwrap();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "table,row,col,value,unit,amount,label,code,level,page,line,table_number,table_title,doc,file,department,year,kind,scope");
    assert_eq!(
        lines[1],
        "income,2010500,本年收入合计,7.10,万元,7.10,\"行政运行, 其他\",2010500,项,3,,公开02表,收入决算表,sha-of-a.txt,a.txt,某区财政局,2024,final_accounts,department"
    );
}

#[test]
fn jsonl_is_the_documents_facts_one_after_the_other() {
    let (a, b) = (doc("a.txt", &[("x", "1.00")]), doc("b.txt", &[("y", "2")]));
    let mut w = TableWriter::new(Format::Jsonl, Vec::new()).unwrap();
    w.push(&a).unwrap();
    w.push(&b).unwrap();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert_eq!(out, facts_jsonl(&a) + &facts_jsonl(&b));
}

#[test]
fn the_ipc_stream_has_the_table_schema() {
    let bytes = ipc_stream([&doc("a.txt", &[("x", "1.00")])]).unwrap();
    let r = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
    assert_eq!(r.schema(), schema());
    let batches: Vec<_> = r.map(|b| b.unwrap()).collect();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 1);
}
