"""Writers that draw pages themselves: one page layout (tables flowed over pages, rows
wrapped, rulings, repeated headers), rendered by two backends:

- wordlike: raw PDF bytes the way Microsoft Word writes them -- CJK text in a Type0 font
  (Identity-H, an embedded TrueType subset, ToUnicode), ASCII (digits, codes, spaces) in a
  WinAnsi TrueType font without ToUnicode, the space after a CJK run drawn in the WinAnsi
  font inside q ... Q so the next CJK run resumes with no Tf (the text state is part of the
  graphics state, PDF 32000-1 8.4.1), every text run in tagged marked content
  (/Span <</MCID n>> BDC ... EMC), rulings as /Artifact;
- reportlab: CID text in STSong-Light by UniGB-UCS2-H (unembedded), or an embedded TrueType
  CJK font (Droid Sans Fallback: reportlab embeds TrueType outlines only, and Noto CJK on
  Debian is CFF), ASCII in Helvetica.
Both support a landscape table shown through /Rotate 90 on a portrait media box."""
import zlib

from reportlab.pdfbase.pdfmetrics import stringWidth

CJK_TTF = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
MARGIN = 36


def is_ascii(ch):
    return ord(ch) < 128


def text_width(s, fs):
    return sum(stringWidth(ch, "Helvetica", fs) if is_ascii(ch) else fs for ch in s)


def wrap(s, width, fs):
    if s == "":
        return []
    lines, cur = [], ""
    for ch in s:
        if cur and text_width(cur + ch, fs) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    lines.append(cur)
    return lines


def latin(ch, cjk_has=None):
    """Drawn in the Latin (WinAnsi) font: ASCII, and what the CJK font lacks (“ ” in Droid)."""
    if is_ascii(ch):
        return True
    if cjk_has is not None and not cjk_has(ch):
        try:
            ch.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False
    return False


def runs(s, cjk_has=None):
    """A string as runs of Latin-font and CJK-font characters."""
    out = []
    for ch in s:
        a = latin(ch, cjk_has)
        if out and out[-1][0] == a:
            out[-1][1] += ch
        else:
            out.append([a, ch])
    return out


class Page:
    def __init__(self, w, h, rotate):
        self.w, self.h, self.rotate = w, h, rotate
        self.items = []  # ("text", xl, xr, y_baseline, fs, s, align) | ("h", x1, x2, y) | ("v", x, y1, y2)


def paginate(variant):
    o = variant.opts
    land = o["orientation"] != "portrait"
    W, H = (842, 595) if land else (595, 842)
    rotate = o["orientation"] == "rotate"
    pages = []

    def new_page():
        p = Page(W, H, rotate)
        pages.append(p)
        return p

    p = new_page()
    p.items.append(("text", MARGIN, W - MARGIN, H / 3, 20, variant.title, "center"))
    for t in variant.tables:
        fs = float(o["font_size"])
        widths = [w * fs + 4 for w in t.widths]
        avail = W - 2 * MARGIN
        if sum(widths) > avail:
            k = avail / sum(widths)
            fs *= k
            widths = [w * k for w in widths]
        lead = fs * 1.25
        x0 = MARGIN + (avail - sum(widths)) / 2
        colx = [x0]
        for w in widths:
            colx.append(colx[-1] + w)

        def heights(rows):
            hs = []
            for r in rows:
                h = lead + 4
                j = 0
                for c in r:
                    if c is not None and c["rs"] == 1:
                        n = len(wrap(c["text"], colx[j + c["cs"]] - colx[j] - 4, fs))
                        h = max(h, n * lead + 4)
                    j += 1
                hs.append(h)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    if c is not None and c["rs"] > 1:
                        n = len(wrap(c["text"], colx[j + c["cs"]] - colx[j] - 4, fs))
                        need = n * lead + 4 - sum(hs[i:i + c["rs"]])
                        if need > 0:
                            hs[i + c["rs"] - 1] += need
            return hs

        def draw_rows(p, rows, hs, y):
            segs = set()
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    if c is None:
                        continue
                    xa, xb = colx[j], colx[j + c["cs"]]
                    ya, yb = y + sum(hs[:i]), y + sum(hs[:i + c["rs"]])
                    segs |= {("h", round(xa, 2), round(xb, 2), round(ya, 2)), ("h", round(xa, 2), round(xb, 2), round(yb, 2)),
                             ("v", round(xa, 2), round(ya, 2), round(yb, 2)), ("v", round(xb, 2), round(ya, 2), round(yb, 2))}
                    lines = wrap(c["text"], xb - xa - 4, fs)
                    top = ya + ((yb - ya) - len(lines) * lead) / 2
                    align = {"amount": "right", "head": "center"}.get(c["kind"], "left")
                    for k, line in enumerate(lines):
                        p.items.append(("text", xa + 2, xb - 2, top + k * lead + fs * 0.95, fs, line, align))
            p.items.extend(sorted(segs))
            return y + sum(hs)

        p = new_page()
        y = MARGIN
        caps = "　　".join(t.captions)
        if t.number:
            p.items.append(("text", MARGIN, W - MARGIN, y + fs, fs, t.number, "right"))
            y += fs * 1.6
        tfs = fs + 5
        if o["caption"] == "above":
            p.items.append(("text", x0, W - MARGIN, y + fs, fs, caps, "left"))
            y += fs * 1.8
        if o["caption"] == "beside":
            p.items.append(("text", x0, colx[-1], y + tfs, tfs, t.title, "left"))
            p.items.append(("text", x0, colx[-1], y + tfs, fs, caps, "right"))
        else:
            p.items.append(("text", MARGIN, W - MARGIN, y + tfs, tfs, t.title, "center"))
        y += tfs * 1.8
        if o["caption"] == "below":
            p.items.append(("text", x0, W - MARGIN, y + fs, fs, caps, "left"))
            y += fs * 1.8
        hh = heights(t.header)
        y = draw_rows(p, t.header, hh, y)
        bh = heights(t.body)
        for i, r in enumerate(t.body):
            if (i - 1) in t.breaks or y + bh[i] > H - MARGIN:
                p = new_page()
                y = MARGIN
                if o["repeat_header"] == "yes":
                    y = draw_rows(p, t.header, hh, y)
            y = draw_rows(p, [r], [bh[i]], y)
        for note in t.notes:
            y += fs * 1.5
            p.items.append(("text", x0, W - MARGIN, y, fs, note, "left"))
    return pages


# ---------------------------------------------------------------- raw PDF (Word-like)

class PdfFile:
    def __init__(self):
        self.objs = []

    def add(self, body):
        self.objs.append(body)
        return len(self.objs)

    def stream(self, data, extra=""):
        z = zlib.compress(data)
        return self.add(f"<< /Length {len(z)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + z + b"\nendstream")

    def bytes(self, root):
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offs = []
        for i, body in enumerate(self.objs, 1):
            offs.append(len(out))
            out += f"{i} 0 obj\n".encode() + (body.encode() if isinstance(body, str) else body) + b"\nendobj\n"
        x = len(out)
        out += f"xref\n0 {len(self.objs) + 1}\n0000000000 65535 f \n".encode()
        for o in offs:
            out += f"{o:010d} 00000 n \n".encode()
        out += f"trailer\n<< /Size {len(self.objs) + 1} /Root {root} 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
        return bytes(out)


_TTF = None


def _ttf():
    global _TTF
    if _TTF is None:
        from reportlab.pdfbase.ttfonts import TTFontFile
        _TTF = TTFontFile(CJK_TTF)
    return _TTF


def write_wordlike(variant, path):
    o = variant.opts
    pages = paginate(variant)
    ttf = _ttf()
    has = lambda ch: ord(ch) in ttf.charToGlyph
    chars = sorted({ch for p in pages for it in p.items if it[0] == "text" for ch in it[5] if not latin(ch, has)})
    # the new glyph ids reportlab's subsetter gives, in subset order (0 is .notdef)
    subset = [ord(c) for c in chars]
    glyph_set, gid = {0: 0}, {}
    for code in subset:
        orig = ttf.charToGlyph.get(code, 0)
        if orig not in glyph_set:
            glyph_set[orig] = len(glyph_set)
        gid[code] = glyph_set[orig]
    font_bytes = ttf.makeSubset(subset)
    pdf = PdfFile()
    ff = pdf.stream(font_bytes, f"/Length1 {len(font_bytes)} ")
    desc = pdf.add(f"<< /Type /FontDescriptor /FontName /AAAAAA+DroidSansFallback /Flags 4 /FontBBox [-200 -200 1100 1000] "
                   f"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 {ff} 0 R >>")
    w = " ".join(f"{gid[c]} [{int(ttf.charWidths.get(c, 1000))}]" for c in subset)
    cid = pdf.add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+DroidSansFallback "
                  f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {desc} 0 R "
                  f"/DW 1000 /W [{w}] /CIDToGIDMap /Identity >>")
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = sorted((gid[c], c) for c in subset)
    for k in range(0, len(items), 100):
        chunk = items[k:k + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap += [f"<{g:04X}> <{c:04X}>" for g, c in chunk]
        cmap.append("endbfchar")
    cmap += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    tu = pdf.stream("\n".join(cmap).encode())
    f1 = pdf.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+DroidSansFallback /Encoding /Identity-H "
                 f"/DescendantFonts [{cid} 0 R] /ToUnicode {tu} 0 R >>")
    def w1252(c):
        try:
            return int(stringWidth(bytes([c]).decode("cp1252"), "Helvetica", 1000))
        except UnicodeDecodeError:
            return 0
    widths = " ".join(str(w1252(c)) for c in range(32, 256))
    d2 = pdf.add("<< /Type /FontDescriptor /FontName /ArialMT /Flags 32 /FontBBox [-665 -325 2000 1040] /ItalicAngle 0 "
                 "/Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >>")
    f2 = pdf.add(f"<< /Type /Font /Subtype /TrueType /BaseFont /ArialMT /FirstChar 32 /LastChar 255 /Widths [{widths}] "
                 f"/Encoding /WinAnsiEncoding /FontDescriptor {d2} 0 R >>")
    page_ids = []
    parent = len(pdf.objs) + 2 * len(pages) + 1
    mcid = 0
    for p in pages:
        c = []
        if p.rotate:
            c.append(f"0 1 -1 0 {p.h} 0 cm")  # display (landscape) space onto the portrait media box
        c.append("/Artifact BMC q 0 G 0 g 0.5 w")
        for it in p.items:
            if it[0] == "h":
                _, x1, x2, y = it
                c.append(f"{x1 - 0.25:.2f} {p.h - y - 0.25:.2f} {x2 - x1 + 0.5:.2f} 0.5 re f" if o["rules"] == "rects"
                         else f"{x1:.2f} {p.h - y:.2f} m {x2:.2f} {p.h - y:.2f} l S")
            elif it[0] == "v":
                _, x, y1, y2 = it
                c.append(f"{x - 0.25:.2f} {p.h - y2:.2f} 0.5 {y2 - y1:.2f} re f" if o["rules"] == "rects"
                         else f"{x:.2f} {p.h - y1:.2f} m {x:.2f} {p.h - y2:.2f} l S")
        c.append("Q EMC")
        state = [None]  # the font selected in the current graphics state: (name, size)
        for it in p.items:
            if it[0] != "text":
                continue
            _, xl, xr, y, fs, s, align = it
            tw = sum(stringWidth(ch, "Helvetica", fs) if latin(ch, has) else fs * ttf.charWidths.get(ord(ch), 1000) / 1000 for ch in s)
            x = {"left": xl, "right": xr - tw, "center": (xl + xr - tw) / 2}[align]
            c.append(f"/Span << /MCID {mcid} >> BDC BT 1 0 0 1 {x:.2f} {p.h - y:.2f} Tm")
            mcid += 1
            for asc, run in runs(s, has):
                font = ("F2" if asc else "F1", round(fs, 2))
                if state[0] != font:
                    c.append(f"/{font[0]} {font[1]} Tf")
                    state[0] = font
                if asc:
                    c.append("<" + run.encode("cp1252").hex().upper() + "> Tj")
                else:
                    c.append("<" + "".join(f"{gid[ord(ch)]:04X}" for ch in run) + "> Tj")
            c.append("ET EMC")
            if s and not latin(s[-1], has):
                # Word draws the space after a CJK run in its WinAnsi font, inside q ... Q
                c.append(f"q BT /F2 {round(fs, 2)} Tf 1 0 0 1 {x + tw:.2f} {p.h - y:.2f} Tm ( ) Tj ET Q")
        content = pdf.stream("\n".join(c).encode())
        media = f"0 0 {p.h} {p.w}" if p.rotate else f"0 0 {p.w} {p.h}"
        rot = " /Rotate 90" if p.rotate else ""
        page_ids.append(pdf.add(f"<< /Type /Page /Parent {parent} 0 R /MediaBox [{media}]{rot} "
                                f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> /Contents {content} 0 R "
                                f"/StructParents {len(page_ids)} >>"))
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    assert pdf.add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>") == parent
    root = pdf.add(f"<< /Type /Catalog /Pages {parent} 0 R /MarkInfo << /Marked true >> /Lang (zh-CN) >>")
    with open(path, "wb") as f:
        f.write(pdf.bytes(root))
    return path


# ---------------------------------------------------------------- reportlab

def _reportlab(variant, path, cjk):
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    o = variant.opts
    if cjk == "cid":
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        font = "STSong-Light"
    else:
        from reportlab.pdfbase.ttfonts import TTFont
        if "DroidSansFallback" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DroidSansFallback", CJK_TTF))
        font = "DroidSansFallback"
    has = None
    if cjk != "cid":
        ttf = _ttf()
        has = lambda ch: ord(ch) in ttf.charToGlyph
    pages = paginate(variant)
    cv = canvas.Canvas(path, pagesize=(pages[0].w, pages[0].h), invariant=1)
    for p in pages:
        if p.rotate:
            cv.setPageSize((p.w, p.h))  # reportlab swaps the media box of a page rotated by 90
            cv.setPageRotation(90)
            cv.transform(0, 1, -1, 0, p.h, 0)
        else:
            cv.setPageSize((p.w, p.h))
        cv.setLineWidth(0.5)
        for it in p.items:
            if it[0] == "h":
                _, x1, x2, y = it
                if o["rules"] == "rects":
                    cv.rect(x1 - 0.25, p.h - y - 0.25, x2 - x1 + 0.5, 0.5, stroke=0, fill=1)
                else:
                    cv.line(x1, p.h - y, x2, p.h - y)
            elif it[0] == "v":
                _, x, y1, y2 = it
                if o["rules"] == "rects":
                    cv.rect(x - 0.25, p.h - y2, 0.5, y2 - y1, stroke=0, fill=1)
                else:
                    cv.line(x, p.h - y1, x, p.h - y2)
            else:
                _, xl, xr, y, fs, s, align = it
                parts = [("Helvetica" if a else font, r) for a, r in runs(s, has)]
                tw = sum(stringWidth(r, f, fs) for f, r in parts)
                x = {"left": xl, "right": xr - tw, "center": (xl + xr - tw) / 2}[align]
                for f, r in parts:
                    cv.setFont(f, fs)
                    cv.drawString(x, p.h - y, r)
                    x += stringWidth(r, f, fs)
        cv.showPage()
    cv.save()
    return path


def write_reportlab_cid(variant, path):
    return _reportlab(variant, path, "cid")


def write_reportlab_ttf(variant, path):
    return _reportlab(variant, path, "ttf")
