//! Review pages: static, self-contained HTML that shows what was read, where it was
//! printed and what disagrees. One page per document (its findings, each table page drawn
//! as SVG from the glyphs and rulings the interpreter produced, every fact's cell outlined
//! and linked both ways to the rebuilt table beside it, the cells of a failing identity
//! marked) and an index of all documents. No server, no script or style from elsewhere:
//! the files work opened from disk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use gongkai_extract::pdf::Page;
use gongkai_model::{Document, Finding, Severity, Table};

/// What the index says of one document.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The review page's file name, relative to the index.
    pub href: String,
    pub file: String,
    pub department: String,
    pub year: String,
    pub kind: String,
    pub tables: usize,
    pub facts: usize,
    pub errors: usize,
    pub notices: usize,
    pub warnings: usize,
    /// Set for an input that could not be converted: why.
    pub failed: Option<String>,
}

impl Entry {
    pub fn of(doc: &Document, href: &str) -> Entry {
        let count = |s: Severity| doc.findings.iter().filter(|f| f.severity == s).count();
        Entry {
            href: href.to_string(),
            file: doc.source.file.clone(),
            department: doc.metadata.department.clone().unwrap_or_default(),
            year: doc.metadata.year.map(|y| y.to_string()).unwrap_or_default(),
            kind: doc.metadata.kind.clone().unwrap_or_default(),
            tables: doc.tables.len(),
            facts: doc.tables.iter().flat_map(|t| &t.rows).map(|r| r.cells.len()).sum(),
            errors: count(Severity::Error),
            notices: count(Severity::Notice),
            warnings: doc.warnings.len(),
            failed: None,
        }
    }

    fn verdict(&self) -> (String, &'static str) {
        if let Some(f) = &self.failed {
            return (format!("not converted: {f}"), "bad");
        }
        match (self.errors, self.warnings) {
            (0, 0) => ("identities hold".into(), "ok"),
            (0, w) => (format!("identities hold; {w} warnings"), "warn"),
            (e, _) => (format!("{e} errors"), "bad"),
        }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A coordinate printed short: page points to 0.1.
fn n(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

const STYLE: &str = r#"
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
header{background:#20303c;color:#fff;padding:12px 20px}header h1{font-size:19px;margin:0 0 4px}header p{margin:0;font-size:13px;opacity:.85}
main{padding:12px 20px}h2{font-size:16px;margin:18px 0 8px}h3{font-size:14px;margin:10px 0 6px}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;font-size:13px}.ok{background:#d7f0dc;color:#145c25}.warn{background:#fbeed0;color:#6b4a00}.bad{background:#f9d6d5;color:#8a1411}
.findings li{margin:4px 0;font-size:13px}.findings .rule{font-family:monospace;background:#eee;padding:0 4px;border-radius:3px}
.findings .sev-error{border-left:4px solid #c62828;padding-left:6px}.findings .sev-notice{border-left:4px solid #c9a227;padding-left:6px}
.page{display:flex;gap:16px;align-items:flex-start;margin:10px 0 28px;flex-wrap:wrap}
.sheet{background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25);flex:0 0 auto}
.sheet text{font-family:inherit;fill:#222}.sheet line{stroke:#777;stroke-width:.5}
.sheet rect.fact{fill:rgba(33,150,243,.06);stroke:#2196f3;stroke-width:.6}.sheet rect.fact:hover,.sheet rect.fact:target{fill:rgba(33,150,243,.25)}
.sheet rect.bad{fill:rgba(198,40,40,.25);stroke:#c62828;stroke-width:1.4}.sheet rect.term{fill:rgba(255,179,0,.22);stroke:#e69100;stroke-width:1}
table.rebuilt{border-collapse:collapse;font-size:12px;background:#fff;margin-bottom:12px}
table.rebuilt th,table.rebuilt td{border:1px solid #ccc;padding:2px 5px;vertical-align:top}
table.rebuilt th{background:#eef1f4;font-weight:600}table.rebuilt td.v{text-align:right;font-family:monospace;white-space:nowrap}
table.rebuilt td.v a{color:inherit;text-decoration:none}table.rebuilt td:target{outline:2px solid #2196f3}
table.rebuilt td.bad{background:#f9d6d5;color:#8a1411;font-weight:600}table.rebuilt td.term{background:#fff0c8}
.narr p{font-size:13px;line-height:1.6;margin:4px 0}.narr mark{background:#f9d6d5}.narr mark.notice{background:#fff0c8}
.warnings li{font-size:12px;color:#6b4a00}
#docs{border-collapse:collapse;background:#fff;font-size:13px}#docs th,#docs td{border:1px solid #ccc;padding:4px 8px}#docs th{cursor:pointer;background:#eef1f4}
#filter{margin:8px 0;padding:4px 8px;width:320px}
"#;

const INDEX_SCRIPT: &str = r#"
(function(){var t=document.getElementById('docs'),f=document.getElementById('filter');
f.addEventListener('input',function(){var q=f.value.toLowerCase();Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h,i){h.addEventListener('click',function(){var rows=Array.prototype.slice.call(t.tBodies[0].rows),d=h.dataset.dir==='a'?'d':'a';h.dataset.dir=d;
rows.sort(function(a,b){var x=a.cells[i].dataset.k||a.cells[i].textContent,y=b.cells[i].dataset.k||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return d==='a'?c:-c;});
rows.forEach(function(r){t.tBodies[0].appendChild(r);});});});})();
"#;

fn head(title: &str) -> String {
    format!("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n", esc(title))
}

/// The index of all reviewed documents: sortable by any column, filterable by any text.
pub fn index(entries: &[Entry]) -> String {
    let mut h = head("gongkai review");
    let ok = entries.iter().filter(|e| e.failed.is_none() && e.errors == 0).count();
    let _ = write!(
        h,
        "<header><h1>gongkai review</h1><p>{} documents: {} whose identities all hold, {} with errors, {} not converted</p></header><main>\n",
        entries.len(),
        ok,
        entries.iter().filter(|e| e.failed.is_none() && e.errors > 0).count(),
        entries.iter().filter(|e| e.failed.is_some()).count()
    );
    h.push_str("<input id=\"filter\" placeholder=\"filter: department, year, kind, file…\">\n<table id=\"docs\"><thead><tr>");
    for c in ["file", "department", "year", "kind", "verdict", "tables", "facts", "errors", "notices", "warnings"] {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for e in entries {
        let (verdict, class) = e.verdict();
        let file = if e.failed.is_some() { esc(&e.file) } else { format!("<a href=\"{}\">{}</a>", esc(&e.href), esc(&e.file)) };
        let _ = writeln!(
            h,
            "<tr><td>{file}</td><td>{}</td><td>{}</td><td>{}</td><td data-k=\"{}\"><span class=\"verdict {class}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.department),
            esc(&e.year),
            esc(&e.kind),
            e.errors,
            esc(&verdict),
            e.tables,
            e.facts,
            e.errors,
            e.notices,
            e.warnings
        );
    }
    let _ = write!(h, "</tbody></table></main><script>{INDEX_SCRIPT}</script></body></html>\n");
    h
}

/// Every cell of the document by (table, row, col), numbered in facts order: the ids that
/// link a fact's outline on the page to its cell in the rebuilt table.
fn cell_ids(doc: &Document) -> HashMap<(&str, &str, &str), usize> {
    let mut ids = HashMap::new();
    let mut k = 0;
    for t in &doc.tables {
        for r in &t.rows {
            for c in &r.cells {
                ids.entry((t.id.as_str(), r.key.as_str(), c.col.as_str())).or_insert(k);
                k += 1;
            }
        }
    }
    ids
}

/// The marks of failing identities: a total in red, its terms in amber (errors only; a
/// notice is within rounding).
fn marks(doc: &Document, ids: &HashMap<(&str, &str, &str), usize>) -> (BTreeSet<usize>, BTreeSet<usize>, HashMap<usize, String>) {
    let (mut bad, mut term, mut why) = (BTreeSet::new(), BTreeSet::new(), HashMap::new());
    for f in doc.findings.iter().filter(|f| f.severity == Severity::Error) {
        if let (Some(r), Some(c)) = (&f.row, &f.col) {
            if let Some(&i) = ids.get(&(f.table.as_str(), r.as_str(), c.as_str())) {
                bad.insert(i);
                why.entry(i).or_insert_with(|| finding_line(f));
            }
        }
        for t in &f.terms {
            if let Some(&i) = ids.get(&(t.table.as_str(), t.row.as_str(), t.col.as_str())) {
                term.insert(i);
            }
        }
    }
    (bad, term, why)
}

fn finding_line(f: &Finding) -> String {
    let mut s = format!("[{}] {}", f.rule, f.message);
    if !f.expected.is_empty() || !f.actual.is_empty() {
        let _ = write!(s, " — expected {}, printed {}, difference {} (尾差 allowed {})", f.expected, f.actual, f.diff, f.tolerance);
    }
    s
}

/// The review page of one document. `pages` are the interpreted PDF pages (glyphs and
/// rulings) where the input was a PDF; other inputs show the rebuilt tables only.
pub fn document(doc: &Document, pages: Option<&[Page]>) -> String {
    let ids = cell_ids(doc);
    let (bad, term, why) = marks(doc, &ids);
    let md = &doc.metadata;
    let entry = Entry::of(doc, "");
    let (verdict, vclass) = entry.verdict();
    let title = md.title.clone().unwrap_or_else(|| doc.source.file.clone());
    let mut h = head(&title);
    let _ = write!(
        h,
        "<header><h1>{}</h1><p>{} · {} · {} · {} · {} tables · {} facts · {} errors · {} notices · {} warnings · <a style=\"color:#fff\" href=\"index.html\">index</a></p></header><main>\n<p><span class=\"verdict {vclass}\">{}</span> <small>sha256 {}</small></p>\n",
        esc(&title),
        esc(&doc.source.file),
        esc(md.department.as_deref().unwrap_or("?")),
        md.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
        esc(md.kind.as_deref().unwrap_or("?")),
        entry.tables,
        entry.facts,
        entry.errors,
        entry.notices,
        entry.warnings,
        esc(&verdict),
        esc(&doc.source.sha256)
    );
    findings_html(&mut h, doc, &ids);
    if !doc.warnings.is_empty() {
        h.push_str("<h2>Warnings</h2><ul class=\"warnings\">");
        for w in &doc.warnings {
            let _ = write!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul>\n");
    }
    // Every page that holds a row is drawn; a table is rebuilt beside the page it starts
    // on. Tables of a text input have no page.
    let mut by_page: BTreeMap<u32, Vec<&Table>> = BTreeMap::new();
    let mut pageless = Vec::new();
    for t in &doc.tables {
        match t.rows.iter().find_map(|r| r.at.page).or(t.provenance.start.page) {
            Some(p) if pages.is_some() => {
                by_page.entry(p).or_default().push(t);
                for q in t.rows.iter().filter_map(|r| r.at.page) {
                    by_page.entry(q).or_default();
                }
            }
            _ => pageless.push(t),
        }
    }
    h.push_str("<h2>Tables</h2>\n");
    for (p, tables) in &by_page {
        let page = pages.and_then(|ps| ps.iter().find(|pg| pg.number == *p));
        let _ = write!(h, "<section id=\"page-{p}\"><h3>page {p}</h3><div class=\"page\">");
        if let Some(page) = page {
            svg_page(&mut h, page, doc, &ids, &bad, &term, &why);
        }
        h.push_str("<div>");
        for t in tables {
            table_html(&mut h, t, &ids, &bad, &term, &why, true);
        }
        h.push_str("</div></div></section>\n");
    }
    for t in pageless {
        table_html(&mut h, t, &ids, &bad, &term, &why, false);
    }
    narrative_html(&mut h, doc, &ids);
    h.push_str("</main></body></html>\n");
    h
}

fn cell_anchor(f: &Finding, ids: &HashMap<(&str, &str, &str), usize>) -> Option<usize> {
    ids.get(&(f.table.as_str(), f.row.as_deref()?, f.col.as_deref()?)).copied()
}

fn findings_html(h: &mut String, doc: &Document, ids: &HashMap<(&str, &str, &str), usize>) {
    h.push_str("<section id=\"findings\"><h2>Findings</h2>\n");
    if doc.findings.is_empty() {
        h.push_str("<p>None: every identity and every checked statement holds exactly.</p></section>\n");
        return;
    }
    for (sev, name) in [(Severity::Error, "errors"), (Severity::Notice, "notices (within rounding)")] {
        let list: Vec<(usize, &Finding)> = doc.findings.iter().enumerate().filter(|(_, f)| f.severity == sev).collect();
        if list.is_empty() {
            continue;
        }
        let _ = write!(h, "<h3>{} {name}</h3><ul class=\"findings\">", list.len());
        for (k, f) in list {
            let class = if sev == Severity::Error { "sev-error" } else { "sev-notice" };
            let mut place = f.table.clone();
            if let Some(s) = &f.section {
                place = s.clone();
            }
            if let Some(r) = &f.row {
                let _ = write!(place, " row {r}");
            }
            if let Some(c) = &f.col {
                let _ = write!(place, " col {c}");
            }
            if let Some(p) = f.page {
                let _ = write!(place, " (page {p})");
            }
            let link = match cell_anchor(f, ids) {
                Some(i) => format!(" <a href=\"#c{i}\">cell</a> · <a href=\"#b{i}\">on the page</a>"),
                None => String::new(),
            };
            let sentence = if f.sentence.is_some() { format!(" · <a href=\"#s{k}\">sentence</a>") } else { String::new() };
            let _ = write!(h, "<li class=\"{class}\" id=\"f{k}\"><span class=\"rule\">{}</span> {}{link}{sentence}<br>{}", esc(&f.rule), esc(&place), esc(&f.message));
            if !f.expected.is_empty() || !f.actual.is_empty() {
                let _ = write!(h, "<br>expected <b>{}</b>, printed <b>{}</b>, difference {} (尾差 allowed {})", esc(&f.expected), esc(&f.actual), esc(&f.diff), esc(&f.tolerance));
            }
            if let Some(s) = &f.sentence {
                let _ = write!(h, "<br>「{}」", esc(s));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

#[allow(clippy::too_many_arguments)]
fn svg_page(
    h: &mut String,
    page: &Page,
    doc: &Document,
    ids: &HashMap<(&str, &str, &str), usize>,
    bad: &BTreeSet<usize>,
    term: &BTreeSet<usize>,
    why: &HashMap<usize, String>,
) {
    let (w, ht) = (page.width.max(1.0), page.height.max(1.0));
    // Shown at most 760 px wide; SVG coordinates stay page points (y flipped).
    let scale = (760.0 / w).min(1.6);
    let _ = write!(
        h,
        "<svg class=\"sheet\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
        n(w * scale),
        n(ht * scale),
        n(w),
        n(ht)
    );
    for r in &page.rules {
        let _ = write!(h, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", n(r.x0), n(ht - r.y0), n(r.x1), n(ht - r.y1));
    }
    // Glyphs in runs: one <text> per baseline stretch of one size, each glyph at its own x.
    let mut i = 0;
    let gs = &page.glyphs;
    while i < gs.len() {
        let g = &gs[i];
        let mut j = i + 1;
        while j < gs.len() && (gs[j].y - g.y).abs() < 0.01 && (gs[j].size - g.size).abs() < 0.01 && gs[j].x >= gs[j - 1].x && gs[j].turn == 0 && g.turn == 0 {
            j += 1;
        }
        let xs: Vec<String> = gs[i..j].iter().map(|g| n(g.x)).collect();
        let text: String = gs[i..j].iter().map(|g| g.text.as_str()).collect();
        let _ = write!(h, "<text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>", xs.join(" "), n(ht - g.y), n(g.size), esc(&text));
        i = j;
    }
    for t in &doc.tables {
        for r in &t.rows {
            if r.at.page != Some(page.number) {
                continue;
            }
            for c in &r.cells {
                let Some(b) = c.bbox else { continue };
                let Some(&k) = ids.get(&(t.id.as_str(), r.key.as_str(), c.col.as_str())) else { continue };
                let class = if bad.contains(&k) {
                    "fact bad"
                } else if term.contains(&k) {
                    "fact term"
                } else {
                    "fact"
                };
                let tip = why.get(&k).map(|s| format!(" — {s}")).unwrap_or_default();
                let _ = write!(
                    h,
                    "<a href=\"#c{k}\"><rect id=\"b{k}\" class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{} · {} · {} = {}{}</title></rect></a>",
                    n(b[0]),
                    n(ht - b[3]),
                    n(b[2] - b[0]),
                    n(b[3] - b[1]),
                    esc(&t.id),
                    esc(&r.key),
                    esc(&c.col),
                    c.value,
                    esc(&tip)
                );
            }
        }
    }
    h.push_str("</svg>");
}

#[allow(clippy::too_many_arguments)]
fn table_html(
    h: &mut String,
    t: &Table,
    ids: &HashMap<(&str, &str, &str), usize>,
    bad: &BTreeSet<usize>,
    term: &BTreeSet<usize>,
    why: &HashMap<usize, String>,
    on_page: bool,
) {
    let _ = write!(
        h,
        "<h3 id=\"t-{}\">{} {} <small>({}, {})</small></h3>",
        esc(&t.id),
        esc(t.printed_number.as_deref().unwrap_or("")),
        esc(&t.title),
        esc(&t.id),
        esc(t.unit.as_deref().unwrap_or("no unit"))
    );
    if let Some(s) = &t.empty_statement {
        let _ = write!(h, "<p>{}</p>", esc(s));
    }
    h.push_str("<table class=\"rebuilt\"><thead><tr><th>row</th><th>label</th>");
    for c in &t.columns {
        let side = c.side.as_deref().map(|s| format!("{s}/")).unwrap_or_default();
        let _ = write!(h, "<th title=\"printed: {}\">{}{}</th>", esc(&c.printed), esc(&side), esc(&c.key));
    }
    h.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        let _ = write!(h, "<tr><td>{}</td><td>{}</td>", esc(&r.key), esc(&r.label));
        for col in &t.columns {
            if col.side.is_some() && r.side.is_some() && col.side != r.side {
                h.push_str("<td></td>");
                continue;
            }
            match r.cells.iter().find(|c| c.col == col.key) {
                Some(c) => {
                    let k = ids.get(&(t.id.as_str(), r.key.as_str(), c.col.as_str())).copied().unwrap_or(usize::MAX);
                    let class = if bad.contains(&k) {
                        "v bad"
                    } else if term.contains(&k) {
                        "v term"
                    } else {
                        "v"
                    };
                    let tip = why.get(&k).map(|s| format!(" title=\"{}\"", esc(s))).unwrap_or_default();
                    let value = if on_page && c.bbox.is_some() { format!("<a href=\"#b{k}\">{}</a>", c.value) } else { c.value.to_string() };
                    let _ = write!(h, "<td id=\"c{k}\" class=\"{class}\"{tip}>{value}</td>");
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
}

fn narrative_html(h: &mut String, doc: &Document, ids: &HashMap<(&str, &str, &str), usize>) {
    if doc.narrative.is_empty() {
        return;
    }
    // Sentences named by findings, highlighted where they stand and linked to their cell.
    let named: Vec<(usize, &Finding)> = doc.findings.iter().enumerate().filter(|(_, f)| f.sentence.is_some()).collect();
    h.push_str("<h2>Narrative</h2><div class=\"narr\">");
    let mut placed = BTreeSet::new();
    for part in &doc.narrative {
        let _ = write!(h, "<h3>{}</h3>", esc(&part.title));
        let texts = std::iter::once((String::new(), part.text.as_str())).chain(part.sections.iter().map(|s| (format!("{}、{}", s.ordinal, s.title), s.text.as_str())));
        for (heading, text) in texts {
            if !heading.is_empty() {
                let _ = write!(h, "<p><b>{}</b></p>", esc(&heading));
            }
            for para in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut out = esc(para);
                for (k, f) in &named {
                    let s = esc(f.sentence.as_deref().unwrap_or(""));
                    if s.is_empty() || placed.contains(k) || !out.contains(&s) {
                        continue;
                    }
                    placed.insert(*k);
                    let class = if f.severity == Severity::Error { "" } else { " class=\"notice\"" };
                    let link = cell_anchor(f, ids).map(|i| format!(" <a href=\"#c{i}\">→ cell</a>")).unwrap_or_default();
                    let mark = format!("<mark id=\"s{k}\"{class} title=\"{}\">{s}</mark> <a href=\"#f{k}\">[{}]</a>{link}", esc(&finding_line(f)), esc(&f.rule));
                    out = out.replacen(&s, &mark, 1);
                }
                let _ = write!(h, "<p>{out}</p>");
            }
        }
    }
    // A sentence the text no longer holds verbatim is still listed.
    for (k, f) in named.iter().filter(|(k, _)| !placed.contains(k)) {
        let _ = write!(h, "<p><mark id=\"s{k}\">{}</mark> <a href=\"#f{k}\">[{}]</a></p>", esc(f.sentence.as_deref().unwrap_or("")), esc(&f.rule));
    }
    h.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_numbers_short() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!((n(12.0), n(12.04), n(12.06)), ("12".to_string(), "12".to_string(), "12.1".to_string()));
    }
}
