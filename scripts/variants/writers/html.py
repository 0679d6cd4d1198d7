"""HTML: each table a <table> with rowspan/colspan, a page break before each table and at
the variant's breaks; repeated headers as <thead> (Chromium repeats it on every printed
page), headers printed once as ordinary rows."""
from xml.sax.saxutils import escape


def _cell(c, tag="td"):
    span = ""
    if c["cs"] > 1:
        span += f' colspan="{c["cs"]}"'
    if c["rs"] > 1:
        span += f' rowspan="{c["rs"]}"'
    cls = {"amount": "a", "label": "l", "code": "c"}.get(c["kind"], "h")
    align = {"amount": ' align="right"', "head": ' align="center"'}.get(c["kind"], "")
    return f'<{tag} class="{cls}"{align}{span}>{escape(c["text"])}</{tag}>'


def _rows(rows, tag="td"):
    return "\n".join("<tr>" + "".join(_cell(c, tag) for c in r if c is not None) + "</tr>" for r in rows)


def write(variant, path):
    o = variant.opts
    fs = o["font_size"]
    page = "port" if o["orientation"] == "portrait" else "land"
    out = [f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(variant.title)}</title>
<style>
@page port {{ size: A4 portrait; margin: 12mm; }}
@page land {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: "Noto Sans CJK SC", "Droid Sans Fallback", sans-serif; font-size: {fs}pt; }}
section {{ page: {page}; break-before: page; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
td, th {{ border: 0.5pt solid #000; padding: 1pt 2pt; font-size: {fs}pt; font-weight: normal; vertical-align: middle; }}
td.a {{ text-align: right; white-space: nowrap; }}
th, td.h {{ text-align: center; }}
.brk {{ break-before: page; page-break-before: always; }}
.title {{ text-align: center; font-size: {fs + 5}pt; margin: 4pt 0; }}
.num {{ text-align: right; margin: 0; }}
.cap {{ margin: 2pt 0; }}
.beside {{ display: flex; justify-content: space-between; align-items: baseline; }}
</style></head><body>
<section><h1 class="title">{escape(variant.title)}</h1></section>"""]
    for t in variant.tables:
        out.append("<section>")
        if t.number:
            out.append(f'<p class="num">{escape(t.number)}</p>')
        caps = "　　".join(t.captions)
        if o["caption"] == "above":
            out.append(f'<p class="cap">{escape(caps)}</p><h2 class="title">{escape(t.title)}</h2>')
        elif o["caption"] == "below":
            out.append(f'<h2 class="title">{escape(t.title)}</h2><p class="cap">{escape(caps)}</p>')
        else:
            out.append(f'<div class="beside"><h2 class="title">{escape(t.title)}</h2><span class="cap">{escape(caps)}</span></div>')
        cols = "".join(f'<col style="width:{w * fs:.1f}pt">' for w in t.widths)
        chunks, cur = [], []
        for i, r in enumerate(t.body):
            cur.append(r)
            if i in t.breaks:
                chunks.append(cur)
                cur = []
        chunks.append(cur)
        for k, chunk in enumerate(chunks):
            if k:
                # the break as an empty paragraph before the table: LibreOffice Writer's HTML
                # import hangs on a table that carries break-before itself
                out.append('<p class="brk"></p>')
            width = sum(t.widths) * fs
            # border/cellspacing attributes too: Writer's HTML import ignores CSS borders
            out.append(f'<table border="1" cellspacing="0" cellpadding="2" style="width:{width:.1f}pt"><colgroup>{cols}</colgroup>')
            if o["repeat_header"] == "yes":
                out.append("<thead>" + _rows(t.header, "th") + "</thead>")
            elif k == 0:
                out.append("<tbody>" + _rows(t.header) + "</tbody>")
            out.append("<tbody>" + _rows(chunk) + "</tbody></table>")
        for n in t.notes:
            out.append(f"<p>{escape(n)}</p>")
        out.append("</section>")
    out.append("</body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return path
