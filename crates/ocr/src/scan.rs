//! A scanned page's image decoded directly, instead of the page rendered: where the page
//! is its one image (no text, no painted path, no shading, no graphics state parameters)
//! drawn axis-aligned to cover the page, the image's samples turned and flipped as its
//! CTM places them are what a renderer draws at the image's own resolution, without a
//! subprocess or a resampling. Anything else (masks, several images, a colour space or
//! filter not converted here, an image smaller than the page, a skewed placement) is
//! named and the page rendered as before: a page is never read worse than rendered.

use crate::raster::{Gray, MAX_PAGE_PIXELS};
use gongkai_extract::pdf::Page;
use lopdf::{Dictionary, Document, Object};

/// A page's image, decoded and placed as the page shows it.
pub struct Decoded {
    pub img: Gray,
    /// Pixels per inch of the page (the image's own resolution).
    pub dpi: f32,
    /// The filter its samples were stored with (`DCTDecode`, `FlateDecode`, …, or `none`).
    pub filter: String,
}

/// How far (points) the image's edges may lie from the page's: a scanner's or a
/// converter's rounding of the page size to whole pixels.
const EDGE_TOLERANCE: f32 = 1.5;

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| resolve(doc, o))
}

fn int(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<i64> {
    get(doc, d, key).and_then(|o| o.as_i64().ok())
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// PP-OCRv4 reads a scan's image at its own resolution from this up (measured on the
/// Jiaozuo scans, README: at 200 and 300 dpi as many cells right as the pages rendered at
/// 300, and more proven; read at its own 150 dpi most tables were lost, and brought up to
/// 300 by a bilinear resize it read 7 cells fewer than pdftoppm's rendering). Below, the
/// page is rendered at the resolution asked, as before.
pub const MIN_DECODED_DPI: f32 = 200.0;

/// The resolutions at which `engine` reads a scan's image as it is, where `asked` dpi is
/// asked: from [`MIN_DECODED_DPI`] up to `asked` for PP-OCRv4 (a finer scan is rendered
/// down to it, as before: its reading at more is unmeasured); never for tesseract, which
/// read the 300 dpi scans worse decoded than rendered (99.34% right, 3 cells missing and 3
/// extra, against 99.89%) and at its own 200 dpi lost the tables' titles.
pub fn decoded_range(engine: crate::EngineKind, asked: u32) -> Option<(f32, f32)> {
    let asked = asked as f32;
    match engine {
        crate::EngineKind::Paddle => Some((MIN_DECODED_DPI.min(asked * 0.98), asked * 1.02)),
        crate::EngineKind::Tesseract => None,
    }
}

/// The page's image decoded at its own resolution, or why the page is rendered instead.
pub fn decode_page(doc: &Document, page: &Page) -> Result<Decoded, String> {
    decode_page_within(doc, page, 0.0, f32::INFINITY)
}

/// [`decode_page`] where the image's resolution lies within [`lo`, `hi`] dpi (known from
/// its placement, before a sample is decoded); a scan outside is rendered.
pub fn decode_page_within(doc: &Document, page: &Page, lo: f32, hi: f32) -> Result<Decoded, String> {
    if !page.glyphs.is_empty() || page.unmapped > 0 {
        return Err("the page has text".into());
    }
    if page.marks > 0 || !page.rules.is_empty() {
        return Err("the page paints paths besides its image".into());
    }
    if page.dropped.is_some() {
        return Err("the page went past its budget".into());
    }
    let placed = match page.placed.as_slice() {
        [one] if page.images == 1 => one,
        [] => return Err("no image XObject is drawn".into()),
        _ => return Err(format!("{} images are drawn", page.images)),
    };
    if !placed.plain {
        return Err("the image is drawn through a graphics state (gs) or a form".into());
    }
    let id = placed.id.ok_or("an inline image")?;
    let st = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|_| "the image object is missing".to_string())?;
    let d = &st.dict;
    let (w, h) = match (int(doc, d, b"Width"), int(doc, d, b"Height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (w as usize, h as usize),
        _ => return Err("the image has no size".into()),
    };
    if w.checked_mul(h).map_or(true, |n| n > MAX_PAGE_PIXELS) {
        return Err(format!("the image is {w}×{h}: more than MAX_PAGE_PIXELS"));
    }
    // Where the image lands: the unit square through the CTM, axis-aligned, covering the page.
    let [a, b, c, dd, e, f] = placed.ctm;
    let small = |v: f32, of: f32| v.abs() <= 1e-3 * of.abs().max(1e-6);
    let swap = if small(b, a) && small(c, dd) {
        false
    } else if small(a, b) && small(dd, c) {
        true
    } else {
        return Err("the image is drawn turned by an angle, not a multiple of 90°".into());
    };
    let xs = [e, e + a + c];
    let ys = [f, f + b + dd];
    let (x0, x1) = (xs[0].min(xs[1]), xs[0].max(xs[1]));
    let (y0, y1) = (ys[0].min(ys[1]), ys[0].max(ys[1]));
    let t = EDGE_TOLERANCE;
    if (x0).abs() > t || (y0).abs() > t || (x1 - page.width).abs() > t || (y1 - page.height).abs() > t {
        return Err(format!(
            "the image covers [{x0:.1}, {y0:.1}, {x1:.1}, {y1:.1}], not the page [0, 0, {:.1}, {:.1}]",
            page.width, page.height
        ));
    }
    if let Some(cl) = placed.clip {
        if cl.x0 > t || cl.y0 > t || cl.x1 < page.width - t || cl.y1 < page.height - t {
            return Err("a clip cuts the image".into());
        }
    }
    // The image as shown: its columns run along the page's x unless turned.
    let (ow, oh) = if swap { (h, w) } else { (w, h) };
    let dpi_x = ow as f32 * 72.0 / (x1 - x0);
    let dpi_y = oh as f32 * 72.0 / (y1 - y0);
    if (dpi_x - dpi_y).abs() > 0.01 * dpi_x {
        return Err(format!("the image's pixels are not square ({dpi_x:.1}×{dpi_y:.1} dpi)"));
    }
    let dpi = (dpi_x + dpi_y) / 2.0;
    if dpi < lo || dpi > hi {
        return Err(format!("the image is {dpi:.0} dpi, outside the {lo:.0} to {hi:.0} dpi read as they are"));
    }
    if get(doc, d, b"SMask").is_some() || get(doc, d, b"Mask").is_some() {
        return Err("the image has a mask".into());
    }
    if get(doc, d, b"ImageMask").and_then(|o| o.as_bool().ok()).unwrap_or(false) {
        return Err("the image is a stencil mask (painted in the fill colour)".into());
    }
    let (samples, filter) = samples(doc, st, w, h)?;
    let img = place(&samples, w, h, [a, b, c, dd], swap);
    Ok(Decoded { img, dpi, filter })
}

/// The colour spaces converted here: gray or RGB (device, or calibrated: a scan's
/// calibration moves gray levels a little, never ink to paper).
fn components(doc: &Document, d: &Dictionary) -> Result<usize, String> {
    let cs = get(doc, d, b"ColorSpace").ok_or("the image has no colour space")?;
    let name = match cs {
        Object::Name(n) => n.as_slice(),
        Object::Array(v) => v.first().and_then(|o| resolve(doc, o).as_name().ok()).unwrap_or(b""),
        _ => b"",
    };
    match name {
        b"DeviceGray" | b"G" | b"CalGray" => Ok(1),
        b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(3),
        other => Err(format!("the colour space {} is not converted here", String::from_utf8_lossy(other))),
    }
}

/// A decoded image's /Decode applied: none, or every component inverted (`[1 0]`); any
/// other mapping is not converted here (the page is rendered instead).
fn inverted_by_decode(doc: &Document, d: &Dictionary, n: usize, px: &mut [u8]) -> Result<(), String> {
    match decode_array(doc, d, n)? {
        None => Ok(()),
        Some(pairs) if pairs.iter().all(|&p| p == (1.0, 0.0)) => {
            px.iter_mut().for_each(|v| *v = 255 - *v);
            Ok(())
        }
        Some(_) => Err("the image's /Decode is not converted here".into()),
    }
}

/// The /Decode array's pairs, or None for the default [0 1 …].
fn decode_array(doc: &Document, d: &Dictionary, n: usize) -> Result<Option<Vec<(f32, f32)>>, String> {
    let Some(Object::Array(v)) = get(doc, d, b"Decode") else { return Ok(None) };
    let v: Vec<f32> = v.iter().filter_map(|o| number(resolve(doc, o))).collect();
    if v.len() != 2 * n {
        return Err("the image's /Decode does not match its colour space".into());
    }
    let pairs: Vec<(f32, f32)> = v.chunks(2).map(|p| (p[0], p[1])).collect();
    Ok((!pairs.iter().all(|&p| p == (0.0, 1.0))).then_some(pairs))
}

/// The image's samples as gray (0 black, 255 white), row by row as stored.
fn samples(doc: &Document, st: &lopdf::Stream, w: usize, h: usize) -> Result<(Vec<u8>, String), String> {
    let d = &st.dict;
    let filters: Vec<Vec<u8>> = st.filters().map(|f| f.into_iter().map(<[u8]>::to_vec).collect()).unwrap_or_default();
    let last = filters.last().cloned().unwrap_or_default();
    let label = if filters.is_empty() { "none".to_string() } else { String::from_utf8_lossy(&last).into_owned() };
    let image_filter = matches!(last.as_slice(), b"DCTDecode" | b"DCT" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" | b"JPXDecode");
    if image_filter && filters.len() > 1 {
        return Err(format!("the image's filters are a chain ending in {label}"));
    }
    let params = match get(doc, d, b"DecodeParms") {
        Some(Object::Dictionary(p)) => Some(p),
        Some(Object::Array(v)) => v.first().and_then(|o| resolve(doc, o).as_dict().ok()),
        _ => None,
    };
    match last.as_slice() {
        b"DCTDecode" | b"DCT" => {
            let n = components(doc, d)?;
            if params.is_some_and(|p| p.get(b"ColorTransform").is_ok()) {
                return Err("the JPEG sets a /ColorTransform".into());
            }
            let mut px = jpeg(&st.content, w, h, n)?;
            inverted_by_decode(doc, d, n, &mut px)?;
            Ok((px, label))
        }
        b"CCITTFaxDecode" | b"CCF" => {
            let mut px = ccitt(&st.content, params, w, h)?;
            inverted_by_decode(doc, d, 1, &mut px)?;
            Ok((px, label))
        }
        b"JBIG2Decode" => {
            // Shared symbol dictionaries, stored (possibly compressed) in their own stream.
            let globals = params
                .and_then(|p| p.get(b"JBIG2Globals").ok())
                .map(|o| resolve(doc, o))
                .and_then(|o| o.as_stream().ok())
                .map(|g| g.decompressed_content_with_limit(crate::raster::MAX_PAGE_PIXELS).unwrap_or_else(|_| g.content.clone()));
            let mut px = jbig2(&st.content, globals.as_deref(), w, h)?;
            inverted_by_decode(doc, d, 1, &mut px)?;
            Ok((px, label))
        }
        b"JPXDecode" => Err(format!("{label} images are rendered")),
        _ => {
            // Lossless filters (Flate with its predictors, LZW, RunLength, ASCII…): lopdf's.
            let n = components(doc, d)?;
            let bpc = int(doc, d, b"BitsPerComponent").unwrap_or(8);
            if !matches!(bpc, 1 | 2 | 4 | 8) || (n == 3 && bpc != 8) {
                return Err(format!("{bpc}-bit samples of {n} components are not converted here"));
            }
            let bpc = bpc as usize;
            let row = (w * n * bpc).div_ceil(8);
            let need = row * h;
            let data = match st.decompressed_content_with_limit(need + 1024) {
                Ok(v) => v,
                Err(_) if filters.is_empty() => st.content.clone(),
                Err(e) => return Err(format!("the image's samples do not decode: {e}")),
            };
            if data.len() < need {
                return Err(format!("the image's samples are short: {} bytes of {need}", data.len()));
            }
            let pairs = decode_array(doc, d, n)?;
            if n == 3 && pairs.is_some() {
                return Err("the image's /Decode is not converted here".into());
            }
            let (lo, hi) = pairs.map_or((0.0, 1.0), |p| p[0]);
            let max = ((1usize << bpc) - 1) as f32;
            // Every possible sample's gray, once.
            let lut: Vec<u8> = (0..=max as usize)
                .map(|s| ((lo + s as f32 * (hi - lo) / max).clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect();
            let mut px = vec![0u8; w * h];
            for (y, out) in px.chunks_mut(w).enumerate() {
                let r = &data[y * row..(y + 1) * row];
                if n == 3 {
                    for (x, o) in out.iter_mut().enumerate() {
                        let (red, g, b) = (r[3 * x] as u32, r[3 * x + 1] as u32, r[3 * x + 2] as u32);
                        *o = rgb_gray(red, g, b);
                    }
                } else {
                    for (x, o) in out.iter_mut().enumerate() {
                        let bit = x * bpc;
                        let s = (r[bit / 8] >> (8 - bpc - bit % 8)) & max as u8;
                        *o = lut[s as usize];
                    }
                }
            }
            Ok((px, label))
        }
    }
}

/// RGB to gray as poppler's renderer does it (0.30 R + 0.59 G + 0.11 B).
fn rgb_gray(r: u32, g: u32, b: u32) -> u8 {
    ((r * 77 + g * 151 + b * 28 + 128) >> 8).min(255) as u8
}

/// A JPEG's samples as gray; its size and components must be the image dictionary's.
fn jpeg(data: &[u8], w: usize, h: usize, n: usize) -> Result<Vec<u8>, String> {
    use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let opts = DecoderOptions::default()
        .set_max_width(w)
        .set_max_height(h)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
    dec.decode_headers().map_err(|e| format!("the JPEG does not decode: {e:?}"))?;
    let info = dec.info().ok_or("the JPEG has no header")?;
    if (info.width as usize, info.height as usize) != (w, h) {
        return Err(format!("the JPEG is {}×{}, its dictionary says {w}×{h}", info.width, info.height));
    }
    let comps = info.components as usize;
    if comps != n {
        return Err(format!("the JPEG has {comps} components, its colour space {n}"));
    }
    let px = dec.decode().map_err(|e| format!("the JPEG does not decode: {e:?}"))?;
    if px.len() != w * h {
        return Err("the JPEG decoded to another size".into());
    }
    Ok(px)
}

/// A CCITT fax image's samples as gray (black 0 unless /BlackIs1), rows missing at the
/// end of a damaged stream left white.
fn ccitt(data: &[u8], params: Option<&Dictionary>, w: usize, h: usize) -> Result<Vec<u8>, String> {
    use hayro_ccitt::{DecodeSettings, DecoderContext, EncodingMode};
    let p = |k: &[u8]| params.and_then(|d| d.get(k).ok());
    let k = p(b"K").and_then(|o| o.as_i64().ok()).unwrap_or(0);
    let flag = |key: &[u8], default: bool| p(key).and_then(|o| o.as_bool().ok()).unwrap_or(default);
    let columns = p(b"Columns").and_then(|o| o.as_i64().ok()).unwrap_or(1728);
    if columns as usize != w {
        return Err(format!("the fax image has {columns} columns, its dictionary says {w}"));
    }
    let settings = DecodeSettings {
        columns: w as u32,
        rows: h as u32,
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: match k {
            k if k < 0 => EncodingMode::Group4,
            0 => EncodingMode::Group3_1D,
            _ => EncodingMode::Group3_2D,
        },
        strict: false,
    };
    let black_is_1 = flag(b"BlackIs1", false);
    struct Rows {
        px: Vec<u8>,
        w: usize,
        y: usize,
        h: usize,
    }
    impl hayro_ccitt::Decoder for Rows {
        fn push_row(&mut self, changes: &[u32]) {
            if self.y >= self.h {
                return;
            }
            let row = &mut self.px[self.y * self.w..(self.y + 1) * self.w];
            for pair in changes.chunks(2) {
                let a = (pair[0] as usize).min(self.w);
                let b = pair.get(1).map_or(self.w, |&b| (b as usize).min(self.w));
                row[a..b.max(a)].iter_mut().for_each(|v| *v = 0);
            }
            self.y += 1;
        }
    }
    let mut rows = Rows { px: vec![255; w * h], w, y: 0, h };
    let mut ctx = DecoderContext::new(settings);
    let done = hayro_ccitt::decode(data, &mut rows, &mut ctx);
    if done.is_err() && rows.y < h {
        return Err(format!("the fax image does not decode (row {} of {h})", rows.y));
    }
    if black_is_1 {
        // Its 1s are black: what a renderer maps through /Decode as 1 is the other gray.
        rows.px.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Ok(rows.px)
}

/// A JBIG2 image's samples as gray (black 0: the filter's 1 bits are black, §7.4.7),
/// its page size that of the image dictionary (checked before a bitmap is allocated).
fn jbig2(data: &[u8], globals: Option<&[u8]>, w: usize, h: usize) -> Result<Vec<u8>, String> {
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals = globals
        .map(|g| hayro_jbig2::Globals::new(g, &settings))
        .transpose()
        .map_err(|e| format!("the JBIG2 globals do not decode: {e:?}"))?;
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings).map_err(|e| format!("the JBIG2 image does not parse: {e:?}"))?;
    if (page.width() as usize, page.height() as usize) != (w, h) {
        return Err(format!("the JBIG2 page is {}×{}, its dictionary says {w}×{h}", page.width(), page.height()));
    }
    struct Px {
        px: Vec<u8>,
        w: usize,
        x: usize,
        y: usize,
    }
    impl Px {
        fn put(&mut self, black: bool, n: usize) {
            let (a, b) = ((self.y * self.w + self.x).min(self.px.len()), (self.y * self.w + (self.x + n).min(self.w)).min(self.px.len()));
            if black {
                self.px[a..b.max(a)].iter_mut().for_each(|v| *v = 0);
            }
            self.x += n;
        }
    }
    impl hayro_jbig2::Decoder for Px {
        fn push_pixel(&mut self, black: bool) {
            self.put(black, 1);
        }
        fn push_pixel_chunk(&mut self, black: bool, chunks: u32) {
            self.put(black, 8 * chunks as usize);
        }
        fn next_line(&mut self) {
            self.y += 1;
            self.x = 0;
        }
    }
    let mut out = Px { px: vec![255; w * h], w, x: 0, y: 0 };
    page.decode(&mut out).map_err(|e| format!("the JBIG2 image does not decode: {e:?}"))?;
    Ok(out.px)
}

/// The samples (`w`×`h`, rows top first as stored) as the page shows them: image space's
/// unit square through the CTM's linear part, page y up turned to raster y down.
fn place(src: &[u8], w: usize, h: usize, [a, b, c, d]: [f32; 4], swap: bool) -> Gray {
    // Sample (i, j) sits at u = (i + ½)/w, v = 1 − (j + ½)/h; page x = a·u + c·v,
    // page y = b·u + d·v (plus the origin); the raster's y runs down.
    if !swap {
        let (flip_x, flip_y) = (a < 0.0, d < 0.0);
        let mut g = Gray::new(w, h, 255);
        for j in 0..h {
            let y = if flip_y { h - 1 - j } else { j };
            let s = &src[j * w..(j + 1) * w];
            let out = &mut g.px[y * w..(y + 1) * w];
            if flip_x {
                out.iter_mut().zip(s.iter().rev()).for_each(|(o, &v)| *o = v);
            } else {
                out.copy_from_slice(s);
            }
        }
        g
    } else {
        // x follows v (the image's rows), y follows u (its columns).
        let (ow, oh) = (h, w);
        let mut g = Gray::new(ow, oh, 255);
        for j in 0..h {
            let x = if c > 0.0 { h - 1 - j } else { j };
            for i in 0..w {
                let y = if b > 0.0 { w - 1 - i } else { i };
                g.px[y * ow + x] = src[j * w + i];
            }
        }
        g
    }
}
