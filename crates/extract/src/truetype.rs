//! Unicode for an embedded TrueType font that has no ToUnicode CMap: the font's own
//! `cmap` table maps Unicode to glyph ids; inverted, it says which character each glyph
//! draws. Under Identity-H a CID is the glyph id (or goes through /CIDToGIDMap), so a
//! CID font without ToUnicode still reads. Only the table directory and the `cmap`
//! subtables (formats 4 and 12) are read, with every offset bounds-checked.

use std::collections::HashMap;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The offset of table `tag` in a TrueType font file.
fn table(font: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let tables = u16_at(font, 4)? as usize;
    (0..tables.min(64)).find_map(|i| {
        let rec = 12 + 16 * i;
        (font.get(rec..rec + 4)? == tag).then(|| u32_at(font, rec + 8).map(|o| o as usize)).flatten()
    })
}

/// Whether the font program says which characters its glyphs are: a Unicode `cmap`
/// subtable ((3,1), (3,10) or platform 0) or glyph names (`post` format 1 or 2). None when
/// the data is not a TrueType font file with a `cmap` table. A subset that has neither (only
/// a symbol (3,0) or Mac (1,0) cmap, `post` format 3, as Ghostscript writes them) maps codes
/// to glyphs and glyphs to nothing.
pub fn names_characters(font: &[u8]) -> Option<bool> {
    let cmap = table(font, b"cmap")?;
    let subtables = u16_at(font, cmap + 2)? as usize;
    for i in 0..subtables.min(64) {
        let rec = cmap + 4 + 8 * i;
        if matches!((u16_at(font, rec)?, u16_at(font, rec + 2)?), (3, 1) | (3, 10) | (0, _)) {
            return Some(true);
        }
    }
    let post = table(font, b"post").and_then(|at| u32_at(font, at));
    Some(matches!(post, Some(0x0001_0000 | 0x0002_0000)))
}

/// Glyph id -> Unicode, from the best Unicode `cmap` subtable of a TrueType font file.
/// Where several characters draw one glyph, the lowest code point wins.
pub fn glyph_unicode(font: &[u8]) -> Option<HashMap<u16, char>> {
    let cmap = table(font, b"cmap")?;
    let subtables = u16_at(font, cmap + 2)? as usize;
    // Prefer the full-repertoire table (3,10), then Windows BMP (3,1), then Unicode (0,*).
    let mut best: Option<(u8, usize)> = None;
    for i in 0..subtables.min(64) {
        let rec = cmap + 4 + 8 * i;
        let (platform, encoding) = (u16_at(font, rec)?, u16_at(font, rec + 2)?);
        let rank = match (platform, encoding) {
            (3, 10) => 3,
            (3, 1) => 2,
            (0, _) => 1,
            _ => continue,
        };
        let at = cmap.checked_add(u32_at(font, rec + 4)? as usize)?;
        if best.is_none_or(|b| rank > b.0) {
            best = Some((rank, at));
        }
    }
    let at = best?.1;
    let mut map: HashMap<u16, char> = HashMap::new();
    // A real cmap maps each code point once: more steps than Unicode has code points is a
    // hostile table (overlapping ranges), and reading stops there.
    let mut budget: u32 = 0x11_0000;
    let mut put = |code: u32, gid: u32| {
        if let (Ok(gid), Some(c)) = (u16::try_from(gid), char::from_u32(code)) {
            if gid != 0 && !c.is_control() {
                map.entry(gid).and_modify(|old| *old = (*old).min(c)).or_insert(c);
            }
        }
    };
    match u16_at(font, at)? {
        4 => {
            let segs = u16_at(font, at + 6)? as usize / 2;
            let ends = at + 14;
            let starts = ends + 2 * segs + 2;
            let deltas = starts + 2 * segs;
            let offsets = deltas + 2 * segs;
            for s in 0..segs.min(0x4000) {
                let (end, start) = (u16_at(font, ends + 2 * s)? as u32, u16_at(font, starts + 2 * s)? as u32);
                let delta = u16_at(font, deltas + 2 * s)?;
                let range_at = offsets + 2 * s;
                let range = u16_at(font, range_at)? as usize;
                if start > end || end == 0xFFFF && start == 0xFFFF {
                    continue;
                }
                for code in start..=end {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    let gid = if range == 0 {
                        (code as u16).wrapping_add(delta) as u32
                    } else {
                        let g = u16_at(font, range_at.saturating_add(range).saturating_add(2 * (code - start) as usize)).unwrap_or(0);
                        if g == 0 { 0 } else { g.wrapping_add(delta) as u32 }
                    };
                    put(code, gid);
                }
            }
        }
        12 => {
            let groups = u32_at(font, at + 12)? as usize;
            for g in 0..groups.min(0x10000) {
                let rec = at + 16 + 12 * g;
                let (start, end, gid) = (u32_at(font, rec)?, u32_at(font, rec + 4)?, u32_at(font, rec + 8)?);
                // Untrusted numbers: no group runs past u32 or spans more than 65,536 codes.
                for code in start..=end.min(start.saturating_add(0xFFFF)) {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    put(code, gid.saturating_add(code - start));
                }
            }
        }
        _ => return None,
    }
    (!map.is_empty()).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tests/fixtures/tiny-cmap.ttf: a font file holding only a `cmap` table with one
    /// format-4 subtable (3,1): `收` -> glyph 5, `入` -> glyph 6, `1`..`3` -> glyphs 10..12.
    fn tiny_font() -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-cmap.ttf")).unwrap()
    }

    #[test]
    fn format_4_is_inverted() {
        let m = glyph_unicode(&tiny_font()).unwrap();
        assert_eq!(m[&5], '收');
        assert_eq!(m[&6], '入');
        assert_eq!(m[&10], '1');
        assert_eq!(m[&12], '3');
        assert!(glyph_unicode(b"not a font").is_none());
        assert!(glyph_unicode(&tiny_font()[..40]).is_none());
    }

    /// A font file of one `cmap` table holding one subtable of the given platform and encoding.
    fn cmap_only(platform: u16, encoding: u16) -> Vec<u8> {
        let mut f = vec![0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0];
        f.extend_from_slice(b"cmap");
        f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 12]);
        f.extend_from_slice(&[0, 0, 0, 1]);
        f.extend_from_slice(&platform.to_be_bytes());
        f.extend_from_slice(&encoding.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 12]);
        f
    }

    #[test]
    fn a_program_names_characters_by_a_unicode_cmap_or_glyph_names() {
        assert_eq!(names_characters(&tiny_font()), Some(true));
        assert_eq!(names_characters(&cmap_only(3, 0)), Some(false));
        assert_eq!(names_characters(&cmap_only(1, 0)), Some(false));
        assert_eq!(names_characters(&cmap_only(0, 3)), Some(true));
        assert_eq!(names_characters(b"not a font"), None);
    }
}
