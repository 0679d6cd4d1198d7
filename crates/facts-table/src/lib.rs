//! Facts of many documents in one table (the corpus table): JSON Lines, CSV or Parquet,
//! and the same rows as Arrow record batches (for the Python package and Spark).
//!
//! Every format has the same columns in the same order ([`COLUMNS`]): the facts
//! contract's fields first, then the document's, then provenance (`docs/facts.md`).
//! Amounts are exact everywhere: in JSON Lines a number with the printed digits, in CSV
//! the printed digits, in Arrow and Parquet a `Decimal128(38, 6)` beside an integer
//! `scale` (the printed number of decimals), so `value` is always `amount` printed at
//! `scale` decimals. One fixed decimal type (rather than one per file) keeps the schema
//! identical across files, so Spark, DuckDB and pyarrow can union them.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use gongkai_emit::{facts, facts_jsonl, Fact};
use gongkai_model::{Amount, Document};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

/// Decimal places of the `amount` column in Arrow and Parquet. Printed amounts carry
/// 0–2 decimals (元, 万元), 亿元 figures up to 4; a value printed with more decimals than
/// this keeps its exact `value` string and gets a null `amount` (never a rounded one).
pub const AMOUNT_SCALE: i8 = 6;
/// The widest decimal Arrow, Parquet and Spark share.
pub const AMOUNT_PRECISION: u8 = 38;

/// The columns of the corpus table, in order. `scale` exists only in the typed formats
/// (Arrow, Parquet): in JSON Lines and CSV the printed digits are the scale.
pub const COLUMNS: &[&str] = &[
    "table", "row", "col", "value", "unit", "amount", "scale", "label", "code", "level", "page", "line",
    "table_number", "table_title", "doc", "file", "department", "year", "kind", "scope",
];

/// Rows per Parquet row group and per Arrow record batch: bounds the writer's memory
/// (a thousand documents are some 900,000 facts).
const BATCH_ROWS: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Parquet,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "jsonl" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            _ => Err(format!("unknown format {s:?} (jsonl, csv or parquet)")),
        }
    }
}

impl Format {
    /// The format a file name asks for by its extension, if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("cannot write the facts table: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("cannot build Arrow arrays: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

impl TableError {
    /// The reader went away (`| head`): the end of the output, not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
        match self {
            TableError::Io(e) => pipe(e),
            TableError::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(e) if pipe(e)),
            _ => false,
        }
    }
}

/// The Arrow schema of the corpus table (Parquet's is derived from it).
pub fn schema() -> SchemaRef {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let int = |name: &str| Field::new(name, DataType::Int32, true);
    Arc::new(Schema::new(vec![
        text("table", false),
        text("row", false),
        text("col", false),
        text("value", false),
        text("unit", true),
        Field::new("amount", DataType::Decimal128(AMOUNT_PRECISION, AMOUNT_SCALE), true),
        Field::new("scale", DataType::Int32, false),
        text("label", false),
        text("code", true),
        text("level", true),
        int("page"),
        int("line"),
        text("table_number", true),
        text("table_title", false),
        text("doc", false),
        text("file", false),
        text("department", true),
        int("year"),
        text("kind", true),
        text("scope", true),
    ]))
}

/// The amount as the `Decimal128(38, AMOUNT_SCALE)` integer, exactly; `None` where the
/// printed scale is finer than the column's or the digits do not fit.
pub fn decimal128(a: Amount) -> Option<i128> {
    let d = a.decimal();
    let shift = (AMOUNT_SCALE as u32).checked_sub(d.scale())?;
    let v = d.mantissa().checked_mul(10i128.checked_pow(shift)?)?;
    (v.unsigned_abs() < 10u128.pow(AMOUNT_PRECISION as u32)).then_some(v)
}

/// Column builders for one record batch.
struct Columns {
    text: Vec<StringBuilder>,
    amount: Decimal128Builder,
    ints: Vec<Int32Builder>,
    rows: usize,
}

// Indices into `Columns::text` and `Columns::ints`, in schema order.
const TEXT: &[&str] =
    &["table", "row", "col", "value", "unit", "label", "code", "level", "table_number", "table_title", "doc", "file", "department", "kind", "scope"];
const INTS: &[&str] = &["scale", "page", "line", "year"];

impl Columns {
    fn new() -> Self {
        Columns {
            text: TEXT.iter().map(|_| StringBuilder::new()).collect(),
            amount: Decimal128Builder::new(),
            ints: INTS.iter().map(|_| Int32Builder::new()).collect(),
            rows: 0,
        }
    }

    fn push(&mut self, f: &Fact<'_>) {
        let texts: [Option<&str>; 15] = [
            Some(f.table),
            Some(f.row),
            Some(f.col),
            Some(&f.value),
            f.unit,
            Some(f.label),
            f.code,
            f.level,
            f.table_number,
            Some(f.table_title),
            Some(f.doc),
            Some(f.file),
            f.department,
            f.kind,
            f.scope,
        ];
        for (b, v) in self.text.iter_mut().zip(texts) {
            b.append_option(v);
        }
        self.amount.append_option(decimal128(f.amount));
        let to_i32 = |v: Option<u32>| v.and_then(|v| i32::try_from(v).ok());
        let ints = [Some(f.amount.scale() as i32), to_i32(f.page), to_i32(f.line), to_i32(f.year)];
        for (b, v) in self.ints.iter_mut().zip(ints) {
            b.append_option(v);
        }
        self.rows += 1;
    }

    fn finish(&mut self) -> Result<RecordBatch, TableError> {
        let schema = schema();
        let text: Vec<ArrayRef> = self.text.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        let ints: Vec<ArrayRef> = self.ints.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        let amount: ArrayRef = Arc::new(self.amount.finish().with_precision_and_scale(AMOUNT_PRECISION, AMOUNT_SCALE)?);
        let arrays = COLUMNS
            .iter()
            .map(|name| match (TEXT.iter().position(|t| t == name), INTS.iter().position(|t| t == name)) {
                (Some(i), _) => text[i].clone(),
                (_, Some(i)) => ints[i].clone(),
                _ => amount.clone(),
            })
            .collect();
        self.rows = 0;
        Ok(RecordBatch::try_new(schema, arrays)?)
    }
}

/// The facts of the documents as one Arrow record batch.
pub fn record_batch<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Result<RecordBatch, TableError> {
    let mut c = Columns::new();
    for d in docs {
        for f in facts(d) {
            c.push(&f);
        }
    }
    c.finish()
}

/// The facts of the documents as an Arrow IPC stream (what `pyarrow.ipc.open_stream` reads).
pub fn ipc_stream<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Result<Vec<u8>, TableError> {
    let batch = record_batch(docs)?;
    let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema())?;
    w.write(&batch)?;
    Ok(w.into_inner()?)
}

/// Writes the facts of documents, pushed one after the other, into one table.
pub struct TableWriter<W: Write + Send> {
    sink: Sink<W>,
    facts: u64,
}

enum Sink<W: Write + Send> {
    Jsonl(std::io::BufWriter<W>),
    Csv(Box<csv::Writer<W>>),
    Parquet(Box<ArrowWriter<W>>, Box<Columns>),
}

impl<W: Write + Send> TableWriter<W> {
    pub fn new(format: Format, out: W) -> Result<Self, TableError> {
        let sink = match format {
            Format::Jsonl => Sink::Jsonl(std::io::BufWriter::new(out)),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(COLUMNS.iter().filter(|c| **c != "scale"))?;
                Sink::Csv(Box::new(w))
            }
            Format::Parquet => {
                // Parquet dictionary-encodes every column by default; snappy keeps it
                // small without a C library.
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_dictionary_enabled(true)
                    .set_max_row_group_row_count(Some(BATCH_ROWS))
                    .build();
                Sink::Parquet(Box::new(ArrowWriter::try_new(out, schema(), Some(props))?), Box::new(Columns::new()))
            }
        };
        Ok(TableWriter { sink, facts: 0 })
    }

    /// Appends the facts of one document; returns how many.
    pub fn push(&mut self, doc: &Document) -> Result<usize, TableError> {
        let n = match &mut self.sink {
            Sink::Jsonl(w) => {
                let s = facts_jsonl(doc);
                w.write_all(s.as_bytes())?;
                s.bytes().filter(|b| *b == b'\n').count()
            }
            Sink::Csv(w) => {
                let fs = facts(doc);
                for f in &fs {
                    w.write_record(csv_record(f))?;
                }
                fs.len()
            }
            Sink::Parquet(w, cols) => {
                let fs = facts(doc);
                for f in &fs {
                    cols.push(f);
                    if cols.rows >= BATCH_ROWS {
                        w.write(&cols.finish()?)?;
                    }
                }
                fs.len()
            }
        };
        self.facts += n as u64;
        Ok(n)
    }

    /// Facts written so far.
    pub fn facts(&self) -> u64 {
        self.facts
    }

    /// Flushes and closes the table (Parquet writes its footer here); returns the sink.
    pub fn finish(self) -> Result<W, TableError> {
        match self.sink {
            Sink::Jsonl(w) => w.into_inner().map_err(|e| TableError::Io(e.into_error())),
            Sink::Csv(w) => w.into_inner().map_err(|e| TableError::Io(e.into_error())),
            Sink::Parquet(mut w, mut cols) => {
                if cols.rows > 0 {
                    w.write(&cols.finish()?)?;
                }
                Ok(w.into_inner()?)
            }
        }
    }
}

fn csv_record(f: &Fact<'_>) -> Vec<String> {
    let s = |v: Option<&str>| v.unwrap_or("").to_string();
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        f.table.into(),
        f.row.into(),
        f.col.into(),
        f.value.clone(),
        s(f.unit),
        f.amount.to_string(),
        f.label.into(),
        s(f.code),
        s(f.level),
        n(f.page),
        n(f.line),
        s(f.table_number),
        f.table_title.into(),
        f.doc.into(),
        f.file.into(),
        s(f.department),
        n(f.year),
        s(f.kind),
        s(f.scope),
    ]
}

#[cfg(test)]
mod tests;
