//! A content-stream lexer: operators with their operands, borrowed from the decoded
//! stream wherever possible. It replaces lopdf's general object parser on the hot path
//! (that parser builds an owned `Object` per operand and was most of a page's cost); it
//! never recurses deeper than `MAX_DEPTH` and never fails: what it cannot read it skips.

use std::borrow::Cow;

/// Arrays nested deeper than this are skipped, not parsed (a hostile stream).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f32),
    Name(&'a [u8]),
    Str(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// An inline dictionary (a marked-content property list, §14.6.2): its keys in order.
    Dict(Vec<(&'a [u8], Operand<'a>)>),
    /// `true`/`false`/`null`, or anything else the interpreter does not read.
    Other,
}

impl<'a> Operand<'a> {
    pub fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn name(&self) -> Option<&'a [u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
    /// The value of `key` in an inline dictionary.
    pub fn get(&self, key: &[u8]) -> Option<&Operand<'a>> {
        match self {
            Operand::Dict(d) => d.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// Arrays nested past `MAX_DEPTH` were skipped: the stream is malformed or hostile.
    pub too_deep: bool,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0, too_deep: false }
    }

    fn skip_space(&mut self) {
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < self.data.len() && !matches!(self.data[self.pos], b'\n' | b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.pos < self.data.len() && !is_white(self.data[self.pos]) && !is_delim(self.data[self.pos]) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// The next operator, its operands in `operands` (cleared first); None at the end.
    pub fn next_op(&mut self, operands: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        operands.clear();
        loop {
            self.skip_space();
            if self.pos >= self.data.len() {
                return None;
            }
            match self.operand(0) {
                Some(o) => operands.push(o),
                None => {
                    let op = self.regular();
                    if op.is_empty() {
                        // A stray delimiter (`)`, `>`, `}`): skip it.
                        self.pos += 1;
                        continue;
                    }
                    if op == b"BI" {
                        self.skip_inline_image();
                    }
                    return Some(op);
                }
            }
        }
    }

    /// An operand at the current position, or None when an operator stands there.
    fn operand(&mut self, depth: usize) -> Option<Operand<'a>> {
        let b = *self.data.get(self.pos)?;
        match b {
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let tok = self.regular();
                Some(Operand::Num(parse_num(tok)))
            }
            b'/' => {
                self.pos += 1;
                Some(Operand::Name(self.regular()))
            }
            b'(' => Some(Operand::Str(self.literal())),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                if depth >= MAX_DEPTH {
                    self.too_deep = true;
                    self.skip_dict();
                    return Some(Operand::Other);
                }
                self.pos += 2;
                let mut entries = Vec::new();
                let mut key: Option<&'a [u8]> = None;
                loop {
                    self.skip_space();
                    match self.data.get(self.pos) {
                        None => break,
                        Some(b'>') => {
                            // `>>` closes the dictionary (a lone `>` is malformed: skipped).
                            self.pos += if self.data.get(self.pos + 1) == Some(&b'>') { 2 } else { 1 };
                            break;
                        }
                        Some(_) => match self.operand(depth + 1) {
                            Some(o) => match key.take() {
                                None => key = o.name(),
                                Some(k) => entries.push((k, o)),
                            },
                            // An operator inside a dictionary is malformed: keep it out.
                            None => {
                                if self.regular().is_empty() {
                                    self.pos += 1;
                                }
                            }
                        },
                    }
                }
                Some(Operand::Dict(entries))
            }
            b'<' => Some(Operand::Str(Cow::Owned(self.hex()))),
            b'[' => {
                self.pos += 1;
                if depth >= MAX_DEPTH {
                    self.too_deep = true;
                    self.skip_array();
                    return Some(Operand::Other);
                }
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.data.get(self.pos) {
                        None => break,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => match self.operand(depth + 1) {
                            Some(o) => items.push(o),
                            // An operator inside an array is malformed: keep it out.
                            None => {
                                if self.regular().is_empty() {
                                    self.pos += 1;
                                }
                            }
                        },
                    }
                }
                Some(Operand::Array(items))
            }
            _ => {
                let start = self.pos;
                let tok = self.regular();
                match tok {
                    b"true" | b"false" | b"null" => Some(Operand::Other),
                    _ => {
                        self.pos = start;
                        None
                    }
                }
            }
        }
    }

    /// A literal string: balanced parentheses and escapes; borrowed when it has no escape.
    fn literal(&mut self) -> Cow<'a, [u8]> {
        self.pos += 1;
        let start = self.pos;
        let mut depth = 1;
        let mut escaped = false;
        let mut i = self.pos;
        while i < self.data.len() {
            match self.data[i] {
                b'\\' => {
                    escaped = true;
                    i += 2;
                    continue;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let end = i.min(self.data.len());
        self.pos = (end + 1).min(self.data.len());
        let raw = &self.data[start..end];
        if !escaped {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut k = 0;
        while k < raw.len() {
            let c = raw[k];
            if c != b'\\' || k + 1 >= raw.len() {
                out.push(c);
                k += 1;
                continue;
            }
            let e = raw[k + 1];
            k += 2;
            match e {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'\r' => {
                    if raw.get(k) == Some(&b'\n') {
                        k += 1;
                    }
                }
                b'\n' => {}
                b'0'..=b'7' => {
                    let mut v = (e - b'0') as u32;
                    for _ in 0..2 {
                        match raw.get(k) {
                            Some(d @ b'0'..=b'7') => {
                                v = v * 8 + (d - b'0') as u32;
                                k += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push(v as u8);
                }
                other => out.push(other),
            }
        }
        Cow::Owned(out)
    }

    fn hex(&mut self) -> Vec<u8> {
        self.pos += 1;
        let end = self.data[self.pos..].iter().position(|&b| b == b'>').map_or(self.data.len(), |i| self.pos + i);
        let out = hex_decode(&self.data[self.pos..end]);
        self.pos = (end + 1).min(self.data.len());
        out
    }

    fn skip_dict(&mut self) {
        self.pos += 2;
        self.skip_balanced(b"<<", b">>");
    }

    fn skip_array(&mut self) {
        self.skip_balanced(b"[", b"]");
    }

    /// Past the closer that balances an opener already read; strings may hold either.
    fn skip_balanced(&mut self, open: &[u8], close: &[u8]) {
        let mut depth = 1;
        while self.pos < self.data.len() && depth > 0 {
            let rest = &self.data[self.pos..];
            if rest[0] == b'(' {
                self.literal();
            } else if rest.starts_with(open) {
                depth += 1;
                self.pos += open.len();
            } else if rest.starts_with(close) {
                depth -= 1;
                self.pos += close.len();
            } else {
                self.pos += 1;
            }
        }
    }

    /// After `BI` (§8.9.7): the image's parameters up to `ID`, then its data. Unfiltered
    /// data has a known length (width, height, components, bits per component), so bytes
    /// that look like `EI` or operators inside it are skipped exactly; filtered data (or
    /// an unknown colour space) ends at the first `EI` that stands alone and is followed
    /// by what looks like content again (text, not binary).
    fn skip_inline_image(&mut self) {
        let d = self.data;
        let (mut w, mut h, mut bpc, mut comps, mut filtered, mut known) = (0f32, 0f32, 8f32, 1f32, false, true);
        let mut length: Option<usize> = None;
        let mut key: Option<&[u8]> = None;
        loop {
            self.skip_space();
            if self.pos >= d.len() {
                return;
            }
            if d[self.pos..].starts_with(b"ID") && d.get(self.pos + 2).is_none_or(|b| is_white(*b) || is_delim(*b)) {
                self.pos += 2;
                break;
            }
            let Some(o) = self.operand(1) else {
                // Something that is neither a parameter nor ID: skip a token.
                if self.regular().is_empty() {
                    self.pos += 1;
                }
                continue;
            };
            match key.take() {
                None => key = o.name().or(Some(b"")),
                Some(k) => match (k, &o) {
                    (b"W" | b"Width", Operand::Num(n)) => w = *n,
                    (b"H" | b"Height", Operand::Num(n)) => h = *n,
                    (b"BPC" | b"BitsPerComponent", Operand::Num(n)) => bpc = *n,
                    (b"L" | b"Length", Operand::Num(n)) if *n >= 0.0 => length = Some(*n as usize),
                    (b"IM" | b"ImageMask", Operand::Other) => (bpc, comps) = (1.0, 1.0),
                    (b"CS" | b"ColorSpace", Operand::Name(n)) => match *n {
                        b"G" | b"DeviceGray" | b"I" | b"Indexed" => comps = 1.0,
                        b"RGB" | b"DeviceRGB" => comps = 3.0,
                        b"CMYK" | b"DeviceCMYK" => comps = 4.0,
                        _ => known = false,
                    },
                    (b"CS" | b"ColorSpace", _) => known = false,
                    (b"F" | b"Filter", Operand::Name(_)) => filtered = true,
                    (b"F" | b"Filter", Operand::Array(v)) => filtered |= !v.is_empty(),
                    _ => {}
                },
            }
        }
        // One white-space byte separates ID from the data.
        if self.pos < d.len() && is_white(d[self.pos]) {
            self.pos += 1;
        }
        let exact = length.or_else(|| {
            (!filtered && known && w > 0.0 && h > 0.0 && bpc > 0.0 && w * h * comps * bpc < 1e10)
                .then(|| ((w * comps * bpc / 8.0).ceil() * h) as usize)
        });
        if let Some(n) = exact {
            let end = self.pos.saturating_add(n).min(d.len());
            let mut k = end;
            while k < d.len() && is_white(d[k]) {
                k += 1;
            }
            if d[k..].starts_with(b"EI") {
                self.pos = k + 2;
                return;
            }
        }
        while self.pos + 2 <= d.len() {
            let at_ei = &d[self.pos..self.pos + 2] == b"EI"
                && (self.pos == 0 || is_white(d[self.pos - 1]))
                && d.get(self.pos + 2).is_none_or(|b| is_white(*b) || is_delim(*b));
            if at_ei {
                // Binary image data can hold ` EI `: what follows the real one is content.
                let after = &d[self.pos + 2..(self.pos + 66).min(d.len())];
                if after.iter().all(|&b| b.is_ascii_graphic() || is_white(b)) {
                    self.pos += 2;
                    return;
                }
            }
            self.pos += 1;
        }
        self.pos = d.len();
    }
}

/// The bytes of a hex string's digits (`<4E2D>`, also in CMaps): white space and other
/// bytes skipped, an odd last digit padded with 0, as the PDF reference says.
pub(crate) fn hex_decode(digits: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(digits.len() / 2);
    let mut hi: Option<u8> = None;
    for &b in digits {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => continue,
        };
        match hi.take() {
            Some(h) => out.push(h << 4 | v),
            None => hi = Some(v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    out
}

/// A PDF number (`12`, `-3.5`, `.5`, `4.`), for geometry and text state — never an
/// amount (those are `gongkai_model::parse_amount`'s); anything unreadable is 0.
fn parse_num(tok: &[u8]) -> f32 {
    let mut i = 0;
    let mut neg = false;
    while i < tok.len() && (tok[i] == b'-' || tok[i] == b'+') {
        neg ^= tok[i] == b'-';
        i += 1;
    }
    let mut v = 0f64;
    while i < tok.len() && tok[i].is_ascii_digit() {
        v = v * 10.0 + (tok[i] - b'0') as f64;
        i += 1;
    }
    if i < tok.len() && tok[i] == b'.' {
        i += 1;
        let mut scale = 0.1;
        while i < tok.len() && tok[i].is_ascii_digit() {
            v += (tok[i] - b'0') as f64 * scale;
            scale *= 0.1;
            i += 1;
        }
    }
    (if neg { -v } else { v }) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(src: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut lx = Lexer::new(src);
        let mut v = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lx.next_op(&mut v) {
            out.push((String::from_utf8_lossy(op).into_owned(), v.clone()));
        }
        out
    }

    #[test]
    fn operators_and_operands() {
        let o = ops(b"BT /F1 12 Tf 1 0 0 1 -3.5 .5 Tm (a\\(b\\)c\\101) Tj [(x) -250 <4E2D>] TJ ET % comment\nq 0.5 g Q");
        let names: Vec<&str> = o.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Tm", "Tj", "TJ", "ET", "q", "g", "Q"]);
        assert_eq!(o[1].1, vec![Operand::Name(b"F1"), Operand::Num(12.0)]);
        assert_eq!(o[2].1[4], Operand::Num(-3.5));
        assert_eq!(o[2].1[5], Operand::Num(0.5));
        assert_eq!(o[3].1[0], Operand::Str(Cow::Owned(b"a(b)cA".to_vec())));
        assert_eq!(
            o[4].1[0],
            Operand::Array(vec![Operand::Str(Cow::Borrowed(b"x")), Operand::Num(-250.0), Operand::Str(Cow::Owned(vec![0x4E, 0x2D]))])
        );
    }

    #[test]
    fn inline_dictionaries_are_read() {
        let o = ops(b"/Span <</ActualText <feff95e8> /Lang (zh) /A [1 <</B 2>>] /E <<>> /N null>> BDC EMC /P /MC0 BDC");
        let names: Vec<&str> = o.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["BDC", "EMC", "BDC"]);
        let d = &o[0].1[1];
        assert_eq!(d.get(b"ActualText"), Some(&Operand::Str(Cow::Owned(vec![0xFE, 0xFF, 0x95, 0xE8]))));
        assert_eq!(d.get(b"Lang"), Some(&Operand::Str(Cow::Borrowed(b"zh"))));
        assert_eq!(d.get(b"E"), Some(&Operand::Dict(vec![])));
        assert_eq!(d.get(b"N"), Some(&Operand::Other));
        assert_eq!(d.get(b"Z"), None);
        assert_eq!(o[2].1, vec![Operand::Name(b"P"), Operand::Name(b"MC0")]);
        // Unterminated: the dictionary ends with the stream, nothing is lost before it.
        let o = ops(b"q /Span <</ActualText (x)");
        assert_eq!(o.len(), 1);
    }

    #[test]
    fn inline_images_dictionaries_and_hostile_nesting_are_skipped() {
        let o = ops(b"/P <</MCID 0 /A (x>>)>> BDC BI /W 2 /H 2 ID \x00EI\xff EI Q");
        let names: Vec<&str> = o.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["BDC", "BI", "Q"]);
        let deep = [vec![b'['; 100_000], vec![b']'; 100_000], b" TJ".to_vec()].concat();
        let o = ops(&deep);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].0, "TJ");
        let deep = [b"/P ".repeat(1), b"<</A ".repeat(100_000), b">>".repeat(100_000), b" BDC".to_vec()].concat();
        let o = ops(&deep);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].0, "BDC");
    }
}
