"""A flat ODF spreadsheet (.fods): one sheet per table, ruled cells with merged bands,
page breaks as row breaks, repeated headers as print titles (table:table-header-rows),
a page style per orientation. LibreOffice Calc prints it to PDF, or converts it to
XLSX/ODS."""
from xml.sax.saxutils import escape

FONT = "Noto Sans CJK SC"


def _cell(c, style):
    if c is None:
        return f'<table:covered-table-cell table:style-name="{style}"/>'
    span = ""
    if c["cs"] > 1:
        span += f' table:number-columns-spanned="{c["cs"]}"'
    if c["rs"] > 1:
        span += f' table:number-rows-spanned="{c["rs"]}"'
    if c["text"] == "":
        return f'<table:table-cell table:style-name="{style}"{span}/>'
    return (f'<table:table-cell table:style-name="{style}" office:value-type="string"{span}>'
            f"<text:p>{escape(c['text'])}</text:p></table:table-cell>")


def _style_of(c):
    if c is None:
        return "grid"
    return {"amount": "amt", "label": "grid", "code": "grid"}.get(c["kind"], "head")


def _row(cells, brk=False):
    rs = "rbrk" if brk else "ro1"
    return f'<table:table-row table:style-name="{rs}">' + "".join(_cell(c, _style_of(c)) for c in cells) + "</table:table-row>"


def _plain_row(ncols, pieces):
    """A row of text without rulings: pieces = [(text, colspan, style)]."""
    out = ['<table:table-row table:style-name="ro1">']
    used = 0
    for text, cs, style in pieces:
        out.append(_cell({"text": text, "cs": cs, "rs": 1, "kind": "plain"}, style))
        out.extend(['<table:covered-table-cell/>'] * (cs - 1))
        used += cs
    return "".join(out) + "</table:table-row>"


def _beside_split(t, o, fs):
    """Columns the title takes when the captions sit beside it; widens the last column so the
    captions fit in the rest (Calc clips a merged cell's text)."""
    n = len(t.widths)
    title_em = len(t.title) * (fs + 5) / fs + 1
    caps_em = len("　　".join(t.captions)) + 2
    k, width = 0, 0.0
    while k < n - 1 and width < title_em:
        width += t.widths[k]
        k += 1
    rest = sum(t.widths[k:])
    if rest < caps_em:
        t.widths[-1] += caps_em - rest
    return k


def sheet(t, o, fs):
    n = t.ncols
    out = [f'<table:table table:name="{escape(t.id)}" table:style-name="ta1">']
    for i, w in enumerate(t.widths):
        out.append(f'<table:table-column table:style-name="co{id(t)}_{i}"/>')
    if t.number:
        out.append(_plain_row(n, [(t.number, n, "plain")]))
    caps = "　　".join(t.captions)
    if o["caption"] == "above":
        out.append(_plain_row(n, [(caps, n, "plain")]))
        out.append(_plain_row(n, [(t.title, n, "title")]))
    elif o["caption"] == "below":
        out.append(_plain_row(n, [(t.title, n, "title")]))
        out.append(_plain_row(n, [(caps, n, "plain")]))
    else:
        right = n - _beside_split(t, o, fs)
        out.append(_plain_row(n, [(t.title, n - right, "title"), (caps, right, "plain")]))
    if o["repeat_header"] == "yes":
        out.append("<table:table-header-rows>")
    out.extend(_row(r) for r in t.header)
    if o["repeat_header"] == "yes":
        out.append("</table:table-header-rows>")
    for i, r in enumerate(t.body):
        out.append(_row(r, brk=(i - 1) in t.breaks))
    for note in t.notes:
        out.append(_plain_row(n, [(note, n, "plain")]))
    out.append("</table:table>")
    return "\n".join(out)


def write(variant, path):
    o = variant.opts
    fs = o["font_size"]
    land = o["orientation"] != "portrait"
    pw, ph = ("297mm", "210mm") if land else ("210mm", "297mm")
    border = "0.5pt solid #000000"
    cols = []
    for t in variant.tables:
        if o["caption"] == "beside":
            t.widths = list(t.widths)
            _beside_split(t, o, fs)
        for i, w in enumerate(t.widths):
            mm = w * fs * 0.3528 + 1.5
            cols.append(f'<style:style style:name="co{id(t)}_{i}" style:family="table-column">'
                        f'<style:table-column-properties style:column-width="{mm:.1f}mm"/></style:style>')
    cover = ('<table:table table:name="封面" table:style-name="ta1"><table:table-column table:style-name="cocover"/>'
             f'<table:table-row table:style-name="ro1">{_cell({"text": variant.title, "cs": 1, "rs": 1, "kind": "t"}, "title")}'
             "</table:table-row></table:table>")
    body = cover + "\n" + "\n".join(sheet(t, o, fs) for t in variant.tables)
    text_props = (f'<style:text-properties style:font-name="{FONT}" fo:font-size="{fs}pt" '
                  f'style:font-name-asian="{FONT}" style:font-size-asian="{fs}pt"/>')
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="'{FONT}'"/></office:font-face-decls>
<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="{pw}" fo:page-height="{ph}"
   style:print-orientation="{'landscape' if land else 'portrait'}" fo:margin-top="10mm" fo:margin-bottom="10mm" fo:margin-left="10mm" fo:margin-right="10mm"
   style:scale-to-X="1" style:scale-to-Y="0"/></style:page-layout>
 <style:style style:name="ta1" style:family="table" style:master-page-name="mp1"><style:table-properties table:display="true"/></style:style>
 <style:style style:name="cocover" style:family="table-column"><style:table-column-properties style:column-width="150mm"/></style:style>
 {''.join(cols)}
 <style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true"/></style:style>
 <style:style style:name="rbrk" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true" fo:break-before="page"/></style:style>
 <style:style style:name="plain" style:family="table-cell">{text_props}</style:style>
 <style:style style:name="title" style:family="table-cell"><style:table-cell-properties fo:wrap-option="no-wrap"/><style:paragraph-properties fo:text-align="center"/>
   <style:text-properties style:font-name="{FONT}" fo:font-size="{fs + 5}pt" style:font-name-asian="{FONT}" style:font-size-asian="{fs + 5}pt"/></style:style>
 <style:style style:name="grid" style:family="table-cell"><style:table-cell-properties fo:border="{border}" fo:wrap-option="wrap" style:vertical-align="middle"/>{text_props}</style:style>
 <style:style style:name="head" style:family="table-cell"><style:table-cell-properties fo:border="{border}" fo:wrap-option="wrap" style:vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/>{text_props}</style:style>
 <style:style style:name="amt" style:family="table-cell"><style:table-cell-properties fo:border="{border}" style:vertical-align="middle"/><style:paragraph-properties fo:text-align="end"/>{text_props}</style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="mp1" style:page-layout-name="pm1">
 <style:header style:display="false"/><style:footer style:display="false"/></style:master-page></office:master-styles>
<office:body><office:spreadsheet>
{body}
</office:spreadsheet></office:body></office:document>
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
    return path
