//! The content interpreter: graphics and text state, paths, clips and form XObjects;
//! it places every visible glyph and collects the rulings of a page.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use super::font::{load_font, Font};
use super::*;
use crate::content::{Lexer, Operand};

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// The text state (PDF 32000-1 §9.3): part of the graphics state, so `q` saves it, `Q`
/// restores it and a form XObject starts with its caller's. `BT` resets only the text
/// and line matrices, which live with the text object, not here.
#[derive(Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f32,
    /// Character spacing Tc, word spacing Tw, horizontal scaling Tz / 100, leading TL, rise Ts.
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
    render: i64,
}

impl Default for TextState {
    fn default() -> Self {
        TextState { font: None, size: 0.0, tc: 0.0, tw: 0.0, th: 1.0, tl: 0.0, rise: 0.0, render: 0 }
    }
}

/// The graphics state this interpreter needs (§8.4): CTM, clip, whether fill and stroke
/// paint white, and the text state.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    clip: Option<Rect>,
    fill_white: bool,
    stroke_white: bool,
    /// A `gs` (ExtGState) was applied: it may set a soft mask, alpha or blend mode.
    styled: bool,
    text: TextState,
}

/// Rulings thinner than this (points) are lines; thicker filled shapes are backgrounds.
const THIN: f32 = 3.0;

fn is_white(a: &[Operand<'_>], op: &str) -> bool {
    let v: Vec<f32> = a.iter().filter_map(Operand::num).collect();
    match op {
        "k" | "K" => v.len() == 4 && v.iter().all(|c| *c <= 0.001),
        _ => !v.is_empty() && v.iter().all(|c| *c >= 0.999),
    }
}

/// What one page may spend (the limits in `super`), counted as it runs.
struct Budget {
    operators: usize,
    glyphs: usize,
    segments: usize,
    forms: usize,
    started: Instant,
}

struct Interp<'a> {
    doc: &'a Document,
    page: Page,
    fonts: HashMap<usize, Rc<Font>>,
    /// Decoded form contents of this file, by object: a form drawn on every page (or many
    /// times on one) is decompressed once.
    forms: HashMap<lopdf::ObjectId, Rc<Vec<u8>>>,
    budget: Budget,
    /// Decompressed content still allowed for this file (`MAX_FILE_CONTENT_BYTES`).
    file_content: usize,
    /// The limit this page went past: interpretation stops and the page is dropped.
    over: Option<String>,
    /// The open marked-content sequences (BMC/BDC … EMC, §14.6), outermost first: a `/Span`
    /// whose property list has /ActualText holds its replacement text and the extent of
    /// the glyphs it spans.
    marked: Vec<Option<ActualText>>,
    /// Where in `marked` the span with /ActualText is (at most one: inside it, nested
    /// spans are part of what it replaces), so a glyph finds it without a search.
    active: Option<usize>,
    /// BMC/BDC past `MAX_MARKED_DEPTH`: counted so that their EMCs close nothing else.
    marked_overflow: usize,
}

/// An open `/Span <</ActualText …>> BDC … EMC` (§14.9.4): the text that replaces the glyphs
/// shown inside it, and where those glyphs are, along the first one's baseline.
struct ActualText {
    text: CompactString,
    /// The first visible glyph: origin, size, direction; then the span's extent along that
    /// baseline (from the origin, in points).
    first: Option<(f32, f32, f32, u16)>,
    from: f32,
    to: f32,
}

/// Marked-content sequences nested deeper than this are not tracked (their EMCs are counted).
const MAX_MARKED_DEPTH: usize = 4_096;
/// Images recorded as placed on one page (a scan draws one or a few; the count `images` goes on).
const MAX_PLACED_IMAGES: usize = 64;

/// The unit vector of a glyph's baseline direction.
fn direction(turn: u16) -> (f32, f32) {
    match turn {
        90 => (0.0, 1.0),
        180 => (-1.0, 0.0),
        270 => (0.0, -1.0),
        _ => (1.0, 0.0),
    }
}

/// A text string (§7.9.2.2), as lopdf reads it: UTF-16BE or UTF-8 after their byte order
/// marks, else PDFDocEncoding. One it refuses (an unpaired surrogate, broken UTF-8) is read
/// with U+FFFD for what is wrong. Language escapes (ESC … ESC) are dropped.
fn text_string(bytes: &[u8]) -> String {
    let s = lopdf::decode_text_string(&Object::String(bytes.to_vec(), lopdf::StringFormat::Literal)).unwrap_or_else(|_| match bytes.strip_prefix(b"\xFE\xFF") {
        Some(b) => super::font::utf16_be(b),
        None => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned(),
    });
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        if c == '\u{1b}' {
            escaped = !escaped;
        } else if !escaped {
            out.push(c);
        }
    }
    out
}

struct Resources<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    fn lookup(&self, doc: &'a Document, kind: &[u8], name: &[u8]) -> Option<&'a Object> {
        self.dicts.iter().find_map(|d| {
            let sub = dict_get(doc, d, kind)?.as_dict().ok()?;
            dict_get(doc, sub, name)
        })
    }
    /// The object id behind a resource name, where it is an indirect reference.
    fn lookup_id(&self, doc: &'a Document, kind: &[u8], name: &[u8]) -> Option<lopdf::ObjectId> {
        self.dicts.iter().find_map(|d| {
            let sub = dict_get(doc, d, kind)?.as_dict().ok()?;
            sub.get(name).ok()?.as_reference().ok()
        })
    }
}

fn fmt_n(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl<'a> Interp<'a> {
    fn font(&mut self, res: &Resources<'a>, name: &[u8]) -> Option<Rc<Font>> {
        let obj = res.lookup(self.doc, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        // Cache by dictionary address: one parse per font per file (names differ across forms).
        let key = dict as *const Dictionary as usize;
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let f = Rc::new(load_font(self.doc, dict));
        for p in &f.problems {
            self.page.problems.push(p.clone());
        }
        self.fonts.insert(key, f.clone());
        Some(f)
    }

    /// The innermost span whose /ActualText replaces what is shown now (the outermost one
    /// that has it: an ActualText replaces everything inside it, nested spans too).
    fn actual_text(&mut self) -> Option<&mut ActualText> {
        let i = self.active?;
        self.marked.get_mut(i).and_then(Option::as_mut)
    }

    /// BMC or BDC: a sequence opens; a `/Span` with /ActualText (its property list inline or
    /// named in the resources' /Properties, §14.6.2) starts collecting the glyphs it replaces.
    fn begin_marked(&mut self, a: &[Operand<'_>], res: &Resources<'a>, with_properties: bool) {
        if self.marked.len() >= MAX_MARKED_DEPTH {
            self.marked_overflow += 1;
            return;
        }
        let span = with_properties && a.first().and_then(Operand::name) == Some(b"Span".as_slice());
        let bytes: Option<&[u8]> = match a.get(1) {
            _ if !span => None,
            Some(d @ Operand::Dict(_)) => match d.get(b"ActualText") {
                Some(Operand::Str(b)) => Some(b),
                _ => None,
            },
            Some(Operand::Name(n)) => res
                .lookup(self.doc, b"Properties", n)
                .and_then(|o| o.as_dict().ok())
                .and_then(|d| dict_get(self.doc, d, b"ActualText"))
                .and_then(|o| o.as_str().ok()),
            _ => None,
        };
        // Inside a span that already has its replacement, this one is part of what it replaces.
        let entry = match bytes {
            Some(b) if self.active.is_none() => self.actual_text_entry(b),
            _ => None,
        };
        self.marked.push(entry);
    }

    /// The replacement a span's /ActualText brings, counted as glyphs shown: one huge
    /// string (or one repeated by thousands of spans) spends the page's budget like any text.
    fn actual_text_entry(&mut self, bytes: &[u8]) -> Option<ActualText> {
        if bytes.len() > MAX_STRING_BYTES {
            let problem = format!(
                "an /ActualText of {} bytes is past the limit of {} (MAX_STRING_BYTES): its glyphs show their own text",
                fmt_n(bytes.len()),
                fmt_n(MAX_STRING_BYTES)
            );
            if !self.page.problems.contains(&problem) {
                self.page.problems.push(problem);
            }
            return None;
        }
        let text = super::font::printed_form(text_string(bytes).into());
        self.budget.glyphs += text.chars().count();
        if self.budget.glyphs > MAX_PAGE_GLYPHS {
            self.exceed("glyphs", MAX_PAGE_GLYPHS, "MAX_PAGE_GLYPHS");
            return None;
        }
        self.active = Some(self.marked.len());
        Some(ActualText { text, first: None, from: 0.0, to: 0.0 })
    }

    /// EMC (or the end of the stream that opened the sequence): a span with /ActualText puts
    /// its text where its glyphs were, the characters sharing their extent evenly.
    fn end_marked(&mut self, base: usize) {
        if self.marked_overflow > 0 {
            self.marked_overflow -= 1;
            return;
        }
        if self.marked.len() <= base {
            return;
        }
        let Some(Some(span)) = self.marked.pop() else { return };
        self.active = None;
        let Some((x, y, size, turn)) = span.first else { return };
        let n = span.text.chars().count();
        if n == 0 {
            return;
        }
        let (dx, dy) = direction(turn);
        let w = (span.to - span.from) / n as f32;
        for (i, c) in span.text.chars().enumerate() {
            let s = span.from + w * i as f32;
            let text = CompactString::from(&*c.encode_utf8(&mut [0; 4]));
            self.page.glyphs.push(Glyph { text, x: x + dx * s, y: y + dy * s, width: w, size, turn });
        }
    }

    /// Stop the page: it went past `limit`.
    fn exceed(&mut self, what: &str, limit: usize, name: &str) {
        if self.over.is_none() {
            self.over = Some(format!("more than {} {what} (limit {name})", fmt_n(limit)));
        }
    }

    fn rule(&mut self, r: Rect, clip: Option<Rect>) {
        let r = match clip {
            Some(c) => {
                let i = r.intersect(&Rect { x0: c.x0 - 1.0, y0: c.y0 - 1.0, x1: c.x1 + 1.0, y1: c.y1 + 1.0 });
                if i.x1 < i.x0 || i.y1 < i.y0 {
                    return;
                }
                i
            }
            None => r,
        };
        if self.page.rules.len() >= MAX_PAGE_RULINGS {
            self.exceed("rulings", MAX_PAGE_RULINGS, "MAX_PAGE_RULINGS");
            return;
        }
        self.page.rules.push(r);
    }

    fn paint(&mut self, path: &[Vec<(f32, f32)>], gs: &GState, stroke: bool, fill: bool) {
        if stroke && !gs.stroke_white {
            for sub in path {
                for w in sub.windows(2) {
                    let ((ax, ay), (bx, by)) = (w[0], w[1]);
                    if (ay - by).abs() < 0.5 && (ax - bx).abs() > 0.5 {
                        let y = (ay + by) / 2.0;
                        self.rule(Rect { x0: ax.min(bx), y0: y, x1: ax.max(bx), y1: y }, gs.clip);
                    } else if (ax - bx).abs() < 0.5 && (ay - by).abs() > 0.5 {
                        let x = (ax + bx) / 2.0;
                        self.rule(Rect { x0: x, y0: ay.min(by), x1: x, y1: ay.max(by) }, gs.clip);
                    }
                }
            }
        }
        if fill && !gs.fill_white {
            for sub in path {
                let Some(b) = bbox(sub) else { continue };
                let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
                if h <= THIN && w > h {
                    let y = (b.y0 + b.y1) / 2.0;
                    self.rule(Rect { x0: b.x0, y0: y, x1: b.x1, y1: y }, gs.clip);
                } else if w <= THIN && h > w {
                    let x = (b.x0 + b.x1) / 2.0;
                    self.rule(Rect { x0: x, y0: b.y0, x1: x, y1: b.y1 }, gs.clip);
                }
            }
        }
    }

    /// Count content about to be interpreted against the file's budget.
    fn take_content(&mut self, n: usize) -> bool {
        if n > self.file_content {
            self.file_content = 0;
            if self.over.is_none() {
                self.over = Some(format!(
                    "the file's content budget is spent (limit MAX_FILE_CONTENT_BYTES, {} MiB decompressed content per file)",
                    MAX_FILE_CONTENT_BYTES >> 20
                ));
            }
            return false;
        }
        self.file_content -= n;
        true
    }

    /// Show one string operand: place each glyph and advance the text matrix (§9.4.4).
    fn show(&mut self, bytes: &[u8], ts: &TextState, fnt: &Font, tm: &mut Matrix, gs: &GState, codes: &mut Vec<(u32, Option<CompactString>)>) {
        if bytes.len() > MAX_STRING_BYTES {
            self.page.problems.push(format!(
                "a string of {} bytes is past the limit of {} (MAX_STRING_BYTES): not shown",
                fmt_n(bytes.len()),
                fmt_n(MAX_STRING_BYTES)
            ));
            return;
        }
        codes.clear();
        fnt.decode(bytes, codes);
        self.budget.glyphs += codes.len();
        if self.budget.glyphs > MAX_PAGE_GLYPHS {
            self.exceed("glyphs", MAX_PAGE_GLYPHS, "MAX_PAGE_GLYPHS");
            return;
        }
        // Invisible (3) and clip-only (7) text is not printed.
        let visible = ts.render != 3 && ts.render != 7;
        let (size, th) = (ts.size, ts.th);
        for (c, text) in codes.drain(..) {
            let nbytes = if c > 0xFF || fnt.two_byte { 2 } else { 1 };
            // Glyph-space width to text space: /1000, or a Type3 font's FontMatrix.
            let w0 = fnt.width(c, nbytes) * fnt.scale;
            let trm = mul(&[size * th, 0.0, 0.0, size, 0.0, ts.rise], &mul(tm, &gs.ctm));
            // Word spacing applies to the single-byte code 32 only (§9.3.3).
            let single_space = nbytes == 1 && c == 32;
            let adv = (w0 * size + ts.tc + if single_space { ts.tw } else { 0.0 }) * th;
            let scale_x = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt() / (size * th).abs().max(1e-6);
            let gsize = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt() * fnt.em;
            let width = w0 * size * th * scale_x;
            let (cx, cy) = (trm[4] + width / 2.0, trm[5] + gsize * 0.3);
            let printed = visible && gs.clip.is_none_or(|r| r.contains(cx, cy, 0.5));
            let turn = match (trm[0].abs() >= trm[1].abs(), trm[0] >= 0.0, trm[1] >= 0.0) {
                (true, true, _) => 0,
                (true, false, _) => 180,
                (false, _, true) => 90,
                (false, _, false) => 270,
            };
            // Inside a span with /ActualText the glyph's own text (or its lack of one) is
            // replaced: only where it is printed counts.
            if let Some(span) = self.actual_text() {
                if printed {
                    let (x0, y0, _, t0) = *span.first.get_or_insert((trm[4], trm[5], gsize, turn));
                    let (dx, dy) = direction(t0);
                    let s = (trm[4] - x0) * dx + (trm[5] - y0) * dy;
                    let e = s + width * if turn == t0 { 1.0 } else { 0.0 };
                    span.from = span.from.min(s.min(e));
                    span.to = span.to.max(s.max(e));
                    if let Some(f) = span.first.as_mut() {
                        f.2 = f.2.max(gsize);
                    }
                }
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], tm);
                continue;
            }
            match text {
                Some(t) if printed => self.page.glyphs.push(Glyph { text: t, x: trm[4], y: trm[5], width, size: gsize, turn }),
                Some(_) => {}
                None => {
                    self.page.unmapped += 1;
                    if let Some(w) = &fnt.missing_table {
                        if !self.page.problems.contains(w) {
                            self.page.problems.push(w.clone());
                        }
                    }
                }
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], tm);
        }
    }

    fn run(&mut self, content: &[u8], res: &Resources<'a>, gs0: GState, depth: usize) {
        let mut lexer = Lexer::new(content);
        let mut a: Vec<Operand<'_>> = Vec::new();
        let mut gs = gs0;
        // This stream's own saved states: its Q cannot pop a caller's.
        let mut stack: Vec<GState> = Vec::new();
        // The text object's matrices (§9.4.2).
        let (mut tm, mut tlm): (Matrix, Matrix) = (IDENTITY, IDENTITY);
        let mut path: Vec<Vec<(f32, f32)>> = Vec::new();
        let mut pending_clip = false;
        let mut codes = Vec::new();
        // A marked-content sequence lies within one content stream (§14.6.1): this stream's
        // EMCs close only its own, and what it leaves open ends with it.
        let marked_base = self.marked.len();
        while let Some(opb) = lexer.next_op(&mut a) {
            if self.over.is_some() {
                return;
            }
            self.budget.operators += 1;
            if self.budget.operators > MAX_PAGE_OPERATORS {
                self.exceed("operators", MAX_PAGE_OPERATORS, "MAX_PAGE_OPERATORS");
                return;
            }
            if self.budget.operators % 4096 == 0 && self.budget.started.elapsed() > Duration::from_millis(MAX_PAGE_MILLIS) {
                self.over = Some(format!("more than {} ms of interpretation (limit MAX_PAGE_MILLIS)", fmt_n(MAX_PAGE_MILLIS as usize)));
                return;
            }
            let Ok(op) = std::str::from_utf8(opb) else { continue };
            let f = |i: usize| a.get(i).and_then(Operand::num).unwrap_or(0.0);
            if matches!(op, "m" | "l" | "c" | "v" | "y" | "re" | "h") {
                self.budget.segments += if op == "re" { 4 } else { 1 };
                if self.budget.segments > MAX_PAGE_PATH_SEGMENTS {
                    self.exceed("path segments", MAX_PAGE_PATH_SEGMENTS, "MAX_PAGE_PATH_SEGMENTS");
                    return;
                }
            }
            match op {
                "q" => {
                    if stack.len() < MAX_GSTATE_DEPTH {
                        stack.push(gs.clone());
                    }
                }
                "Q" => gs = stack.pop().unwrap_or(gs),
                "cm" => gs.ctm = mul(&[f(0), f(1), f(2), f(3), f(4), f(5)], &gs.ctm),
                "g" | "rg" | "k" | "sc" | "scn" => gs.fill_white = is_white(&a, op),
                "G" | "RG" | "K" | "SC" | "SCN" => gs.stroke_white = is_white(&a, op),
                "m" => path.push(vec![apply(&gs.ctm, f(0), f(1))]),
                "l" => {
                    let p = apply(&gs.ctm, f(0), f(1));
                    match path.last_mut() {
                        Some(s) => s.push(p),
                        None => path.push(vec![p]),
                    }
                }
                "c" | "v" | "y" => {
                    let n = a.len();
                    let p = apply(&gs.ctm, f(n.saturating_sub(2)), f(n.saturating_sub(1)));
                    // Curves are not rulings: a break in the subpath keeps them from becoming one.
                    path.push(vec![p]);
                }
                "h" => {
                    if let Some(s) = path.last_mut() {
                        if let Some(&p) = s.first() {
                            s.push(p);
                        }
                    }
                }
                "re" => {
                    let (x, y, w, h) = (f(0), f(1), f(2), f(3));
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                    path.push(pts.iter().map(|&(px, py)| apply(&gs.ctm, px, py)).collect());
                }
                "W" | "W*" => pending_clip = true,
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    let o = op;
                    let stroke = matches!(o, "S" | "s" | "B" | "B*" | "b" | "b*");
                    let fill = matches!(o, "f" | "F" | "f*" | "B" | "B*" | "b" | "b*");
                    if (stroke || fill) && !path.is_empty() {
                        self.page.marks += 1;
                    }
                    self.paint(&path, &gs, stroke, fill);
                    if pending_clip {
                        if let Some(b) = path.iter().filter_map(|s| bbox(s)).reduce(union) {
                            gs.clip = Some(gs.clip.map_or(b, |c| c.intersect(&b)));
                        }
                        pending_clip = false;
                    }
                    path.clear();
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    gs.text.font = a.first().and_then(Operand::name).and_then(|n| self.font(res, n));
                    gs.text.size = f(1);
                }
                "Tc" => gs.text.tc = f(0),
                "Tw" => gs.text.tw = f(0),
                "Tz" => gs.text.th = f(0) / 100.0,
                "TL" => gs.text.tl = f(0),
                "Ts" => gs.text.rise = f(0),
                "Tr" => gs.text.render = a.first().and_then(Operand::num).map_or(0, |n| n as i64),
                "Td" | "TD" => {
                    if op == "TD" {
                        gs.text.tl = -f(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.text.tl], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op == "'" || op == "\"" {
                        if op == "\"" {
                            gs.text.tw = f(0);
                            gs.text.tc = f(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.text.tl], &tlm);
                        tm = tlm;
                    }
                    let items: &[Operand<'_>] = match op {
                        "TJ" => match a.first() {
                            Some(Operand::Array(v)) => v,
                            _ => &[],
                        },
                        "\"" => a.get(2..3).unwrap_or(&[]),
                        _ => a.get(0..1).unwrap_or(&[]),
                    };
                    let Some(fnt) = gs.text.font.clone() else {
                        // Text in a font the page does not define (lost, or never there): unreadable.
                        let n: usize = items.iter().map(|o| if let Operand::Str(b) = o { b.len() } else { 0 }).sum();
                        if n > 0 {
                            self.page.unmapped += n.min(MAX_PAGE_GLYPHS);
                            if !self.page.problems.iter().any(|p| p.starts_with("text drawn in a font")) {
                                self.page.problems.push("text drawn in a font the page does not define".into());
                            }
                        }
                        continue;
                    };
                    for it in items {
                        match it {
                            Operand::Str(bytes) => self.show(bytes, &gs.text, &fnt, &mut tm, &gs, &mut codes),
                            o => {
                                if let Some(k) = o.num() {
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, -k / 1000.0 * gs.text.size * gs.text.th, 0.0], &tm);
                                }
                            }
                        }
                        if self.over.is_some() {
                            return;
                        }
                    }
                }
                "Do" => {
                    let Some(name) = a.first().and_then(Operand::name) else { continue };
                    let Some(Object::Stream(st)) = res.lookup(self.doc, b"XObject", name) else { continue };
                    let sub = st.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                    if sub == b"Image" {
                        self.page.images += 1;
                        if self.page.placed.len() < MAX_PLACED_IMAGES {
                            self.page.placed.push(PlacedImage {
                                id: res.lookup_id(self.doc, b"XObject", name),
                                ctm: gs.ctm,
                                clip: gs.clip,
                                plain: !gs.styled && depth == 0,
                            });
                        }
                    } else if sub == b"Form" {
                        if depth >= MAX_FORM_DEPTH {
                            if !self.page.problems.iter().any(|p| p.starts_with("form XObjects nested too deep")) {
                                self.page.problems.push(format!("form XObjects nested too deep (a cycle?): past {MAX_FORM_DEPTH} levels skipped"));
                            }
                            continue;
                        }
                        self.budget.forms += 1;
                        if self.budget.forms > MAX_PAGE_FORMS {
                            self.exceed("form XObject invocations", MAX_PAGE_FORMS, "MAX_PAGE_FORMS");
                            return;
                        }
                        let id = res.lookup_id(self.doc, b"XObject", name);
                        let Some(data) = self.form_content(id, st) else { continue };
                        if !self.take_content(data.len()) {
                            return;
                        }
                        let m = matrix_of(self.doc, &st.dict, b"Matrix").unwrap_or(IDENTITY);
                        // The form starts with the caller's whole state (§8.10.1), its
                        // matrix concatenated and its BBox, in form space, as a clip.
                        let mut inner = gs.clone();
                        inner.ctm = mul(&m, &gs.ctm);
                        if let Some(b) = dict_get(self.doc, &st.dict, b"BBox").and_then(|o| o.as_array().ok()) {
                            let v: Vec<f32> = b.iter().filter_map(|o| num(resolve(self.doc, o))).collect();
                            if v.len() == 4 {
                                let corners = [(v[0], v[1]), (v[2], v[1]), (v[2], v[3]), (v[0], v[3])];
                                let pts: Vec<(f32, f32)> = corners.iter().map(|&(x, y)| apply(&inner.ctm, x, y)).collect();
                                if let Some(r) = bbox(&pts) {
                                    inner.clip = Some(inner.clip.map_or(r, |c| c.intersect(&r)));
                                }
                            }
                        }
                        let mut dicts = Vec::new();
                        if let Some(d) = dict_get(self.doc, &st.dict, b"Resources").and_then(|o| o.as_dict().ok()) {
                            dicts.push(d);
                        }
                        // A form without its own resources uses its caller's (PDF 1.1 style).
                        dicts.extend(res.dicts.iter().copied());
                        let inner_res = Resources { dicts };
                        self.run(&data, &inner_res, inner, depth + 1);
                    }
                }
                "BI" => {
                    self.page.images += 1;
                    if self.page.placed.len() < MAX_PLACED_IMAGES {
                        self.page.placed.push(PlacedImage { id: None, ctm: gs.ctm, clip: gs.clip, plain: false });
                    }
                }
                "gs" => gs.styled = true,
                "sh" => self.page.marks += 1,
                "BMC" | "BDC" => self.begin_marked(&a, res, op == "BDC"),
                "EMC" => self.end_marked(marked_base),
                _ => {}
            }
        }
        while self.marked.len() > marked_base {
            self.end_marked(marked_base);
        }
        if lexer.too_deep && !self.page.problems.iter().any(|p| p.starts_with("the content nests arrays")) {
            self.page.problems.push("the content nests arrays past the depth limit: that part was skipped".into());
        }
    }

    /// A form's decoded content, decoded once per file.
    fn form_content(&mut self, id: Option<lopdf::ObjectId>, st: &lopdf::Stream) -> Option<Rc<Vec<u8>>> {
        if let Some(d) = id.and_then(|i| self.forms.get(&i)) {
            return Some(d.clone());
        }
        let data = match st.decompressed_content_with_limit(MAX_CONTENT_BYTES) {
            Ok(data) => data,
            Err(_) if st.filters().map_or(true, |f| f.is_empty()) && st.content.len() <= MAX_CONTENT_BYTES => st.content.clone(),
            Err(e) => {
                self.page.problems.push(format!("a form XObject could not be decoded: {e}"));
                return None;
            }
        };
        let data = Rc::new(data);
        if let Some(i) = id {
            self.forms.insert(i, data.clone());
        }
        Some(data)
    }
}

fn union(a: Rect, b: Rect) -> Rect {
    Rect { x0: a.x0.min(b.x0), y0: a.y0.min(b.y0), x1: a.x1.max(b.x1), y1: a.y1.max(b.y1) }
}

fn matrix_of(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<Matrix> {
    let v: Vec<f32> = dict_get(doc, d, key)?.as_array().ok()?.iter().filter_map(|o| num(resolve(doc, o))).collect();
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

fn bbox(pts: &[(f32, f32)]) -> Option<Rect> {
    let first = pts.first()?;
    Some(pts.iter().fold(Rect { x0: first.0, y0: first.1, x1: first.0, y1: first.1 }, |r, &(x, y)| Rect {
        x0: r.x0.min(x),
        y0: r.y0.min(y),
        x1: r.x1.max(x),
        y1: r.y1.max(y),
    }))
}

/// A page printed sideways without /Rotate (its text mostly runs up or down the page) is
/// turned so that its text reads left to right, as a reader turns the paper.
fn upright(page: &mut Page) {
    let n = page.glyphs.len();
    let count = |t: u16| page.glyphs.iter().filter(|g| g.turn == t).count();
    let Some(turn) = [90u16, 180, 270].into_iter().find(|&t| count(t) * 5 > n * 3) else { return };
    let (w, h) = (page.width, page.height);
    let m: Matrix = match turn {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        180 => [-1.0, 0.0, 0.0, -1.0, w, h],
        _ => [0.0, 1.0, -1.0, 0.0, h, 0.0],
    };
    for g in &mut page.glyphs {
        (g.x, g.y) = apply(&m, g.x, g.y);
        g.turn = (g.turn + 360 - turn) % 360;
    }
    for r in &mut page.rules {
        let (a, b) = (apply(&m, r.x0, r.y0), apply(&m, r.x1, r.y1));
        *r = Rect { x0: a.0.min(b.0), y0: a.1.min(b.1), x1: a.0.max(b.0), y1: a.1.max(b.1) };
    }
    if turn != 180 {
        (page.width, page.height) = (h, w);
    }
}

/// Fake bold draws a glyph twice, a hair apart: keep one.
fn drop_overprint(glyphs: &mut Vec<Glyph>) {
    let mut kept: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs.drain(..) {
        let twin = kept.iter().rev().take(64).any(|k| k.text == g.text && (k.x - g.x).abs() < 1.0 && (k.y - g.y).abs() < 1.0);
        if !twin {
            kept.push(g);
        }
    }
    *glyphs = kept;
}

/// Every page: glyphs, rulings, images, and what could not be read. Each page runs under
/// its own budget (the `MAX_PAGE_*` limits) and the file under `MAX_FILE_CONTENT_BYTES`:
/// a page past either is dropped whole (`Page::dropped`) and the others are kept.
pub fn pages(doc: &Document) -> Vec<Page> {
    let mut out = Vec::new();
    let mut fonts = HashMap::new();
    let mut forms = HashMap::new();
    let mut file_content = MAX_FILE_CONTENT_BYTES;
    for (number, id) in doc.get_pages().into_iter().take(MAX_PAGES) {
        let (mw, mh, origin) = media_box(doc, id);
        // Page space is the page as displayed: /Rotate turns the media box (clockwise).
        let (rotate, (width, height)) = match rotation(doc, id) {
            90 => ([0.0, -1.0, 1.0, 0.0, 0.0, mw], (mh, mw)),
            180 => ([-1.0, 0.0, 0.0, -1.0, mw, mh], (mw, mh)),
            270 => ([0.0, 1.0, -1.0, 0.0, mh, 0.0], (mh, mw)),
            _ => (IDENTITY, (mw, mh)),
        };
        let page = Page { number, width, height, ..Page::default() };
        let budget = Budget { operators: 0, glyphs: 0, segments: 0, forms: 0, started: Instant::now() };
        let mut it = Interp {
            doc,
            page,
            fonts: std::mem::take(&mut fonts),
            forms: std::mem::take(&mut forms),
            budget,
            file_content,
            over: None,
            marked: Vec::new(),
            active: None,
            marked_overflow: 0,
        };
        let dicts: Vec<&Dictionary> = match doc.get_page_resources(id) {
            Ok((inline, ids)) => inline.into_iter().chain(ids.iter().filter_map(|i| doc.get_dictionary(*i).ok())).collect(),
            Err(_) => vec![],
        };
        let res = Resources { dicts };
        match page_content(doc, id, it.file_content) {
            Ok(content) if it.take_content(content.len()) => {
                // Page space with the media box origin at (0, 0), turned as displayed.
                let gs = GState {
                    ctm: mul(&[1.0, 0.0, 0.0, 1.0, -origin.0, -origin.1], &rotate),
                    clip: None,
                    fill_white: false,
                    stroke_white: false,
                    styled: false,
                    text: TextState::default(),
                };
                it.run(&content, &res, gs, 0);
            }
            Ok(_) => {}
            Err(e) => match e.strip_prefix("dropped: ") {
                Some(limit) => it.over = Some(limit.to_string()),
                None => it.page.problems.push(e),
            },
        }
        if let Some(limit) = it.over.take() {
            // A page past its budget is not read at all: half a page could be a wrong table.
            let p = &mut it.page;
            (p.glyphs, p.rules, p.images, p.unmapped) = (Vec::new(), Vec::new(), 0, 0);
            p.placed.clear();
            p.problems.push(format!("dropped: {limit}"));
            p.dropped = Some(limit);
        }
        drop_overprint(&mut it.page.glyphs);
        upright(&mut it.page);
        // Fonts and forms are keyed by their objects, which pages share: each is parsed once per file.
        fonts = it.fonts;
        forms = it.forms;
        file_content = it.file_content;
        out.push(it.page);
    }
    out
}

/// A page's content streams, decompressed once each within `MAX_CONTENT_BYTES` in all
/// (and within what the file's budget has left). A stream that does not decompress is a
/// problem named for the page, never read as its raw bytes (those would be garbage operators).
fn page_content(doc: &Document, id: lopdf::ObjectId, file_left: usize) -> Result<Vec<u8>, String> {
    let mut content = Vec::new();
    for sid in doc.get_page_contents(id) {
        let Ok(stream) = doc.get_object(sid).and_then(Object::as_stream) else {
            return Err(format!("content stream {} {} is missing", sid.0, sid.1));
        };
        let page_left = MAX_CONTENT_BYTES.saturating_sub(content.len());
        if file_left <= content.len() {
            return Err(format!(
                "dropped: the file's content budget is spent (limit MAX_FILE_CONTENT_BYTES, {} MiB decompressed content per file)",
                MAX_FILE_CONTENT_BYTES >> 20
            ));
        }
        let remaining = page_left.min(file_left - content.len() + 1);
        let filtered = stream.filters().is_ok_and(|f| !f.is_empty());
        match stream.decompressed_content_with_limit(remaining) {
            // lopdf's lenient inflate yields nothing from garbage: that is a corrupt stream.
            Ok(data) if data.is_empty() && filtered && stream.content.len() > 16 => {
                return Err(format!("content stream {} {} does not decompress: corrupt", sid.0, sid.1));
            }
            Ok(data) => content.extend_from_slice(&data),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) if remaining < page_left => {
                return Err(format!(
                    "dropped: the file's content budget is spent (limit MAX_FILE_CONTENT_BYTES, {} MiB decompressed content per file)",
                    MAX_FILE_CONTENT_BYTES >> 20
                ));
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(format!("the content inflates past the {} MiB limit (a decompression bomb?): not read", MAX_CONTENT_BYTES >> 20));
            }
            // An unfiltered stream has nothing to decompress.
            Err(_) if stream.filters().map_or(true, |f| f.is_empty()) && stream.content.len() <= remaining => {
                content.extend_from_slice(&stream.content)
            }
            Err(e) => return Err(format!("content stream {} {} does not decompress ({e}): corrupt", sid.0, sid.1)),
        }
        content.push(b'\n');
    }
    Ok(content)
}

/// A page attribute, inherited from the page tree where the page does not set it.
fn inherited<'a>(doc: &'a Document, id: lopdf::ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(id).ok();
    for _ in 0..32 {
        let d = node?;
        if let Some(o) = dict_get(doc, d, key) {
            return Some(o);
        }
        node = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok()).and_then(|r| doc.get_dictionary(r).ok());
    }
    None
}

/// A rectangle of the page (MediaBox, CropBox), inherited: width, height, lower-left corner.
fn page_rect(doc: &Document, id: lopdf::ObjectId, key: &[u8]) -> Option<(f32, f32, (f32, f32))> {
    let Some(Object::Array(a)) = inherited(doc, id, key) else { return None };
    let v: Vec<f32> = a.iter().filter_map(|o| num(resolve(doc, o))).collect();
    (v.len() == 4).then(|| ((v[2] - v[0]).abs(), (v[3] - v[1]).abs(), (v[0].min(v[2]), v[1].min(v[3]))))
}

fn media_box(doc: &Document, id: lopdf::ObjectId) -> (f32, f32, (f32, f32)) {
    page_rect(doc, id, b"MediaBox").unwrap_or((595.0, 842.0, (0.0, 0.0)))
}

/// The page's /Rotate, inherited, as 0, 90, 180 or 270 (clockwise).
fn rotation(doc: &Document, id: lopdf::ObjectId) -> i64 {
    inherited(doc, id, b"Rotate").and_then(num).map_or(0, |r| (r as i64).rem_euclid(360))
}

/// The size in points of what a renderer (`pdftoppm`) draws of page `number` (1-based):
/// its MediaBox (the larger of it and the CropBox, which should lie inside it; US Letter,
/// poppler's default, where there is none), inherited from the page tree, turned by
/// /Rotate, times /UserUnit. poppler 22.12 renders the MediaBox and ignores /UserUnit
/// (measured); counting it only makes a bound on the image safer for a renderer that
/// honours it. None for a page the file does not have.
pub fn page_size(doc: &Document, number: u32) -> Option<(f32, f32)> {
    let id = *doc.get_pages().get(&number)?;
    let rect = |key: &[u8]| page_rect(doc, id, key).filter(|r| r.0.is_finite() && r.1.is_finite()).map(|r| (r.0, r.1));
    let media = rect(b"MediaBox").unwrap_or((612.0, 792.0));
    let (w, h) = match rect(b"CropBox") {
        Some(c) if c.0 * c.1 > media.0 * media.1 => c,
        _ => media,
    };
    let unit = doc
        .get_dictionary(id)
        .ok()
        .and_then(|d| dict_get(doc, d, b"UserUnit"))
        .and_then(num)
        .filter(|u| u.is_finite() && *u > 1.0)
        .unwrap_or(1.0);
    let (w, h) = if rotation(doc, id) % 180 == 90 { (h, w) } else { (w, h) };
    Some((w * unit, h * unit))
}
