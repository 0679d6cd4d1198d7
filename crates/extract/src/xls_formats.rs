//! The number formats of a BIFF8 workbook (.xls, WPS .et), which calamine reads but does
//! not give out: each number cell's format, by sheet name, row and column. The
//! `Workbook` stream of the compound file (the cfb crate) is a list of records
//! (`[type u16][length u16][data]`, [MS-XLS] 2.1.4): FORMAT (0x041E) names a format code,
//! XF (0x00E0) gives each cell style its format index, BOUNDSHEET (0x0085) says where each
//! sheet's records start, and the number records of a sheet (NUMBER 0x0203, RK 0x027E,
//! MULRK 0x00BD, FORMULA 0x0006) carry the XF of their cell.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// (sheet name, row, column) → format code.
pub type Formats = HashMap<(String, u32, u32), String>;

/// Built-in format codes by index ([MS-XLS] 2.5.165), those with digits.
fn builtin(i: u16) -> Option<&'static str> {
    Some(match i {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 | 6 | 37 | 38 => "#,##0",
        7 | 8 | 39 | 40 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        48 => "##0.0E+0",
        _ => return None,
    })
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// An XLUnicodeString body: `cch` characters after a flags byte (bit 0: UTF-16, else
/// Latin-1 compressed).
fn unicode(d: &[u8], cch: usize) -> Option<String> {
    let flags = *d.first()?;
    let mut at = 1;
    if flags & 0x08 != 0 {
        at += 2; // rich text runs count
    }
    if flags & 0x04 != 0 {
        at += 4; // extended data size
    }
    if flags & 1 != 0 {
        let units: Vec<u16> = d.get(at..at + 2 * cch)?.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(d.get(at..at + cch)?.iter().map(|&b| b as char).collect())
    }
}

/// The number formats of every number cell, or None where the file is not a BIFF8
/// workbook these records can be read from (the cells then show their shortest form).
pub fn read(bytes: &[u8]) -> Option<Formats> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut stream = Vec::new();
    let name = if comp.is_stream("/Workbook") { "/Workbook" } else { "/Book" };
    comp.open_stream(name).ok()?.take(512 << 20).read_to_end(&mut stream).ok()?;
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xf_format: Vec<u16> = Vec::new();
    let mut sheets: Vec<(u32, String)> = Vec::new();
    // The globals: formats, styles, where the sheets are.
    let mut records: Vec<(usize, u16, &[u8])> = Vec::new();
    let mut at = 0;
    while at + 4 <= stream.len() {
        let (kind, len) = (u16_at(&stream, at)?, u16_at(&stream, at + 2)? as usize);
        let data = stream.get(at + 4..at + 4 + len)?;
        records.push((at, kind, data));
        at += 4 + len;
    }
    for &(_, kind, d) in &records {
        match kind {
            0x041E => {
                let (ifmt, cch) = (u16_at(d, 0)?, u16_at(d, 2)? as usize);
                formats.insert(ifmt, unicode(d.get(4..)?, cch)?);
            }
            0x00E0 => xf_format.push(u16_at(d, 2)?),
            0x0085 => {
                let cch = *d.get(6)? as usize;
                sheets.push((u32_at(d, 0)?, unicode(d.get(7..)?, cch)?));
            }
            _ => {}
        }
    }
    let code = |xf: u16| -> Option<String> {
        let ifmt = *xf_format.get(xf as usize)?;
        formats.get(&ifmt).cloned().or_else(|| builtin(ifmt).map(str::to_string))
    };
    let mut out = Formats::new();
    let mut sheet: Option<&str> = None;
    for &(pos, kind, d) in &records {
        if let Some((_, n)) = sheets.iter().find(|(p, _)| *p as usize == pos) {
            sheet = Some(n);
        }
        let Some(name) = sheet else { continue };
        let mut put = |row: u16, col: u16, xf: u16| {
            if let Some(c) = code(xf) {
                out.insert((name.to_string(), row as u32, col as u32), c);
            }
        };
        match kind {
            0x0203 | 0x027E | 0x0006 => put(u16_at(d, 0)?, u16_at(d, 2)?, u16_at(d, 4)?),
            0x00BD => {
                let (row, first) = (u16_at(d, 0)?, u16_at(d, 2)?);
                let n = (d.len().saturating_sub(6)) / 6;
                for k in 0..n {
                    put(row, first + k as u16, u16_at(d, 4 + 6 * k)?);
                }
            }
            _ => {}
        }
    }
    Some(out)
}
