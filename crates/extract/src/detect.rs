//! Which reader a file needs, from its bytes: magic numbers (`%PDF-`, a zip's local
//! header, an OLE compound file), a zip's contents (`[Content_Types].xml`, an ODF
//! `mimetype`), an OLE file's stream names, markup, and for text the dialect its lines
//! show. The extension only decides one thing: a file named `.pdf` that is no PDF is
//! reported as such (`not_a_pdf`), not read as the error page it holds.

use std::io::Read;

use crate::{text, ExtractError, LaidOut};

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Xls,
    Ods,
    Docx,
    Html,
    /// Decoded text, its dialect still to be told from its lines.
    Text,
    /// Named with the reason and how to convert it.
    Unsupported(&'static str),
}

/// The format of `bytes`, never from a name.
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE compound file: the directory names its streams in UTF-16LE.
        let has = |name: &str| {
            let n: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            bytes.windows(n.len()).any(|w| w == n.as_slice())
        };
        if has("Workbook") || has("Book") {
            return Format::Xls;
        }
        if has("WordDocument") {
            return Format::Unsupported("a legacy Word .doc (binary) file; gongkai reads .docx: soffice --headless --convert-to docx FILE");
        }
        return Format::Unsupported("an OLE compound file that is neither a workbook nor a Word document");
    }
    if looks_like_html(head) {
        return Format::Html;
    }
    Format::Text
}

fn sniff_zip(bytes: &[u8]) -> Format {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Format::Unsupported("a damaged or truncated zip archive (an office file?); re-save it or convert it: soffice --headless --convert-to xlsx|docx FILE");
    };
    let mut read = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.by_ref().take(1 << 20).read_to_string(&mut s).ok()?;
        Some(s)
    };
    if let Some(types) = read("[Content_Types].xml") {
        if types.contains("spreadsheetml") {
            return Format::Xlsx;
        }
        if types.contains("wordprocessingml") {
            return Format::Docx;
        }
        if types.contains("ms-excel") {
            return Format::Xlsx; // .xlsb / .xlsm content types are read by the same reader
        }
        return Format::Unsupported("an Office Open XML file that is neither a workbook nor a Word document (a presentation?)");
    }
    if let Some(mime) = read("mimetype") {
        let mime = mime.trim();
        if mime == "application/vnd.oasis.opendocument.spreadsheet" {
            return Format::Ods;
        }
        if mime.starts_with("application/vnd.oasis.opendocument.text") {
            return Format::Unsupported("an OpenDocument text (.odt); convert it to .docx first: soffice --headless --convert-to docx FILE");
        }
    }
    Format::Unsupported("a zip archive that holds no workbook or Word document")
}

/// Markup: the first tag of the text (after a BOM and blanks) opens an HTML document or
/// a table fragment.
fn looks_like_html(head: &[u8]) -> bool {
    let start = head.iter().position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF)).unwrap_or(head.len());
    let lower: Vec<u8> = head[start..].iter().map(u8::to_ascii_lowercase).collect();
    if !lower.starts_with(b"<") {
        return false;
    }
    [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<table", b"<meta", b"<!--", b"<?xml version"]
        .iter()
        .any(|tag| lower.windows(tag.len()).any(|w| w == *tag))
        && lower.windows(5).any(|w| w == b"<html" || w == b"<tabl" || w == b"<body" || w == b"<!doc")
}

/// The dialect of decoded text: `text` (tab-separated cells), `markdown` (pipe tables),
/// `text-layout` (cells at character positions, as `pdftotext -layout` prints), else
/// `text-reading-order` (cells one after the other, as `pdftotext -raw` or a copy prints).
pub fn text_dialect(s: &str) -> &'static str {
    let (mut tabs, mut pipes, mut rule) = (0usize, 0usize, false);
    // Lines with amounts: spaced (two or more spaces in the line), packed, alone.
    let (mut decimal, mut whole_n) = ((0usize, 0usize, 0usize), (0usize, 0usize, 0usize));
    for l in s.lines() {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if l.contains('\t') && t.contains('\t') {
            tabs += 1;
        }
        if t.starts_with('|') && t.ends_with('|') && t.len() > 2 {
            pipes += 1;
            if t.trim_matches('|').split('|').all(|c| {
                let c = c.trim();
                !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')) && c.contains("---")
            }) {
                rule = true;
            }
        }
        let amounts = t.split_whitespace().filter(|w| gongkai_model::parse_amount(w).is_some_and(|a| a.scale() > 0)).count();
        // Whole 元 (no amount with decimals in the text): a number right of a label.
        let whole = {
            let mut seen = false;
            t.split_whitespace().any(|w| {
                let number = gongkai_model::parse_amount(w).is_some();
                let hit = seen && number;
                seen |= !number && w.chars().any(char::is_alphabetic);
                hit
            })
        };
        for (n, on) in [(&mut decimal, amounts > 0), (&mut whole_n, whole)] {
            if on {
                if t.contains("  ") {
                    n.0 += 1;
                } else if t.split_whitespace().count() > 1 {
                    n.1 += 1;
                } else {
                    n.2 += 1;
                }
            }
        }
    }
    // A text with no amount printed with decimals prints whole 元: its lines are told by
    // the numbers right of their labels.
    let (spaced, packed, alone) = if decimal == (0, 0, 0) { whole_n } else { decimal };
    if rule && pipes >= 3 && pipes >= tabs {
        "markdown"
    } else if tabs >= 5 {
        "text"
    } else if spaced >= 5 && spaced >= packed {
        "text-layout"
    } else if alone > packed {
        // pdftotext's default mode: an amount on a line of its own, more often than
        // amounts sharing a line
        "text-plain"
    } else {
        "text-reading-order"
    }
}

/// Where a PDF header (`%PDF-`) starts within the first 1024 bytes (readers accept junk
/// before it), if anywhere. A header after junk makes a PDF only if the file then reads as
/// one: [`read_any`] decides that.
pub fn pdf_header(bytes: &[u8]) -> Option<usize> {
    bytes[..bytes.len().min(1024 + 5)].windows(5).position(|w| w == b"%PDF-")
}

/// Read any supported input. `file_name` is used only to report a `.pdf` that is not one.
pub fn read_any(bytes: &[u8], file_name: &str) -> Result<LaidOut, ExtractError> {
    read_any_report(bytes, file_name).map(|r| r.0)
}

/// [`read_any`], with what a PDF's report says where no table is found: the error for text
/// whose glyphs could not be mapped to Unicode. A PDF starts with its header; a header
/// after junk makes a PDF only if the file then reads as one (a text whose title quotes
/// `%PDF-` stays text).
pub fn read_any_report(bytes: &[u8], file_name: &str) -> Result<(LaidOut, Option<ExtractError>), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let pdf = |b: &[u8]| {
        crate::read_pdf_report(b).map(|r| {
            let unmapped = r.unmapped_error();
            (r.laid, unmapped)
        })
    };
    let named_pdf = file_name.to_lowercase().ends_with(".pdf");
    match pdf_header(bytes) {
        Some(0) => return pdf(bytes),
        _ if named_pdf => return pdf(bytes),
        Some(_) => match pdf(bytes) {
            Err(e @ ExtractError::Pdf(crate::pdf::PdfError::NotPdf | crate::pdf::PdfError::Damaged(_))) => {
                return read_not_pdf(bytes).map(|l| (l, None)).map_err(|_| e)
            }
            r => return r,
        },
        None => {}
    }
    read_not_pdf(bytes).map(|l| (l, None))
}

/// UTF-16 text (any format written as text: HTML, Markdown, extracted text): by its
/// byte-order mark, else by its bytes, where the zero high bytes of ASCII characters
/// (markup, spaces, digits, line ends) stand at every other position and never between.
pub fn utf16_of(bytes: &[u8]) -> Option<text::TextEncoding> {
    if let Some(order) = text::utf16_bom(bytes) {
        return Some(order);
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros = |k: usize| head.iter().skip(k).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 5 >= pairs && even * 50 <= pairs {
        Some(text::TextEncoding::Utf16Le)
    } else if even * 5 >= pairs && odd * 50 <= pairs {
        Some(text::TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Every reader but the PDF one, chosen from the bytes. UTF-16 text is read as the
/// UTF-8 it holds (the encoding it came in recorded).
fn read_not_pdf(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    // Only where no other format's magic shows (zip and OLE headers hold zeros too).
    if let Some(order) = utf16_of(bytes).filter(|_| matches!(sniff(bytes), Format::Text)) {
        if let Some(s) = text::decode_utf16(bytes, order) {
            let mut laid = read_utf8(s.as_bytes())?;
            laid.encoding = Some(order.name());
            return Ok(laid);
        }
    }
    read_utf8(bytes)
}

fn read_utf8(bytes: &[u8]) -> Result<LaidOut, ExtractError> {
    match sniff(bytes) {
        Format::Xlsx => crate::sheet::read_xlsx(bytes),
        Format::Xls => crate::sheet::read_xls(bytes),
        Format::Ods => crate::sheet::read_ods(bytes),
        Format::Docx => crate::docx::read_docx(bytes),
        Format::Html => crate::html::read_html(bytes),
        Format::Unsupported(why) => Err(ExtractError::Unsupported(why.to_string())),
        // Text quoting a PDF header reads as text.
        Format::Pdf | Format::Text => {
            let (s, enc) = text::decode(bytes)?;
            // Old Mac line ends (CR alone) end lines too: one form for every dialect.
            let s = if s.contains('\r') { s.replace("\r\n", "\n").replace('\r', "\n") } else { s };
            match text_dialect(&s) {
                "text" => text::read_text(bytes),
                "markdown" => crate::markdown::read_markdown(&s, enc),
                "text-layout" => crate::layout_text::read_layout(&s, enc),
                "text-plain" => crate::reading_order::read_plain(&s, enc),
                _ => crate::reading_order::read_reading_order(&s, enc),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_bytes_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(sniff(b"\xEF\xBB\xBF<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff(b"  <table><tr><td>1</td></tr></table>"), Format::Html);
        assert_eq!(sniff("收入决算表\t合计".as_bytes()), Format::Text);
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(matches!(sniff(&ole), Format::Unsupported(m) if m.contains("soffice --headless --convert-to docx")));
        assert!(matches!(sniff(b"PK\x03\x04garbage"), Format::Unsupported(_)));
    }

    #[test]
    fn utf16_pages_and_text_with_or_without_a_bom() {
        let page = "<html><head><meta charset=\"utf-16\"></head><body><h2>收入决算表</h2><table><tr><td>合计</td><td>1.00</td></tr></table></body></html>";
        let le: Vec<u8> = page.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = page.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, enc) in [([&b"\xFF\xFE"[..], &le].concat(), "utf-16le"), (le.clone(), "utf-16le"), (be.clone(), "utf-16be")] {
            let laid = read_any(&bytes, "page.html").unwrap();
            assert_eq!((laid.format, laid.encoding), ("html", Some(enc)));
            assert!(laid.lines.iter().any(|l| l.cells == ["合计", "1.00"]), "{:?}", laid.lines);
        }
        let text = "收入决算表\n合计      11.00     10.00\n".repeat(6);
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let laid = read_any(&le, "a.txt").unwrap();
        assert_eq!((laid.format, laid.encoding), ("text-layout", Some("utf-16le")));
        // Binary-looking bytes are no UTF-16, nor a BOM before code points no text holds.
        assert!(utf16_of(&[0u8; 64]).is_none());
        assert!(read_any(&[b"\xff\xfe\xfa".repeat(50), b"\x80\x81".to_vec()].concat(), "a.txt").is_err_and(|e| matches!(e, ExtractError::Encoding)));
    }

    #[test]
    fn text_dialects() {
        assert_eq!(text_dialect(&"合计\t1.00\t2.00\n".repeat(6)), "text");
        assert_eq!(text_dialect("| 项目 | 金额 |\n|---|---|\n| 合计 | 1.00 |\n| 201 | 1.00 |\n"), "markdown");
        assert_eq!(text_dialect(&"一般公共服务支出      5.01        5.01\n".repeat(6)), "text-layout");
        assert_eq!(text_dialect(&"201 一般公共服务支出 5.01 5.01\n".repeat(6)), "text-reading-order");
        // Whole 元 (no decimals anywhere): told by the numbers right of the labels.
        assert_eq!(text_dialect(&"201     一般公共服务支出      21128600     21066600\n".repeat(6)), "text-layout");
        assert_eq!(text_dialect(&"201 一般公共服务支出 21128600 21066600\n".repeat(6)), "text-reading-order");
    }
}
