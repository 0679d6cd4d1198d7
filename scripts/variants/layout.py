"""Seeded layout choices, and a golden's tables laid out under them as printed grids.

A variant is a document plus its layout choices. This module turns both into
writer-independent printed tables (title, number, captions, header rows with merged
bands, body rows, page breaks, widths); the writers (writers/*.py) render those."""
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ECON = os.path.join(ROOT, "crates/model/data/economic_codes.json")

# Every layout option and its values. The pass rate is reported per option=value.
OPTIONS = {
    "label_width": ["wide", "medium", "narrow"],   # row labels wrap over 1, 2 or 3 lines
    "font_size": [7, 8, 9, 10, 11],
    "page_breaks": ["none", "some"],                # a page break after random body rows
    "repeat_header": ["yes", "no"],                 # header rows again on continuation pages
    "codes": ["joined", "split"],                   # 2010601 | 201 06 01 over 类/款/项
    "total": ["first", "last"],                     # the 合计 row of coded tables
    "total_alone": ["no", "yes"],                   # a last 合计 row alone on the last page
    "zeros": ["0.00", "blank"],
    "thousands": ["yes", "no"],
    "orientation": ["portrait", "landscape", "rotate"],  # rotate: landscape shown by /Rotate 90
    "numbering": ["公开NN表", "none"],
    "caption": ["above", "below", "beside"],        # 部门/单位 captions relative to the title
    "caption_word": ["部门", "编制部门"],
    "amounts": ["printed", "whole元"],             # whole元: every amount in 元 as an integer (万元 ×10000, 元 without .00)
    "three_public": ["split-first", "category-first"],  # 预算数/决算数 bands above or below
    "detail": ["list", "side-by-side"],             # the 基本支出 detail
    "lanci": ["no", "yes"],                         # a 栏次 row and 行次 columns
    "total_merged": ["no", "yes"],                  # 合计 merged over 类/款/项/科目名称 (split codes)
    "rules": ["lines", "rects"],                    # rulings stroked or filled (drawing writers)
}


def choose(rng, golden=None):
    """One value per option, from a seeded random generator."""
    opts = {k: rng.choice(v) for k, v in OPTIONS.items()}
    if golden is not None and opts["amounts"] == "whole元":
        if not whole_yuan_printable(golden):
            opts["amounts"] = "printed"
    return opts


def whole_yuan_printable(golden):
    """Whether every amount of the golden is a whole number of 元 (so whole元 can print it)."""
    from decimal import Decimal
    scale = {"万元": 10000, "元": 1}
    return any(t.get("unit") in scale for t in golden.tables) and all(
        u in scale and (Decimal(v) * scale[u]) == (Decimal(v) * scale[u]).to_integral_value() for _, _, _, v, u in golden.facts
    )


def amount_text(value, opts):
    from .document import is_zero
    if opts["zeros"] == "blank" and is_zero(value):
        return ""
    neg = value.startswith("-")
    v = value.lstrip("-")
    whole, _, frac = v.partition(".")
    if opts["thousands"] == "yes":
        whole = f"{int(whole):,}"
    return ("-" if neg else "") + whole + ("." + frac if frac else "")


def C(text, cs=1, rs=1, kind="head"):
    return {"text": text, "cs": cs, "rs": rs, "kind": kind}


def header_rows(paths, kind="head"):
    """Column header paths (本年支出/合计) as rows with merged bands (a cell spans the
    columns under it; a leaf above the deepest level spans down)."""
    depth = max(len(p) for p in paths)
    rows = []
    for level in range(depth):
        row, i = [], 0
        while i < len(paths):
            parts = paths[i]
            if level >= len(parts):
                row.append(None)
                i += 1
                continue
            j = i
            if level < len(parts) - 1:
                while j + 1 < len(paths) and paths[j + 1][: level + 1] == parts[: level + 1] and level < len(paths[j + 1]) - 1:
                    j += 1
            down = depth - level if level == len(parts) - 1 else 1
            row.append(C(parts[level], j - i + 1, down, kind))
            row.extend([None] * (j - i))
            i = j + 1
        rows.append(row)
    return rows


class Table:
    """A printed table: what every writer renders."""

    def __init__(self, tid, title):
        self.id, self.title = tid, title
        self.number = None
        self.captions = []     # e.g. ["部门：…", "单位：万元"]
        self.header = []       # rows of cells (None: covered by a merged cell)
        self.body = []         # rows of cells
        self.breaks = set()    # page break after these body rows
        self.widths = []       # column widths in units of the font size (em)
        self.notes = []
        self.ncols = 0


def cells_of(row, keys, opts, unit, whole):
    from .document import scale_value
    by = {c["col"]: c["value"] for c in row["cells"]}
    out = []
    for k in keys:
        if k in by:
            v, _ = scale_value(by[k], unit, whole)
            out.append(C(amount_text(v, opts), kind="amount"))
        else:
            out.append(C("", kind="amount"))
    return out


def row_label(r):
    if r["key"] == "合计":
        return "合计"
    if r.get("label"):
        return r["label"]
    return r["key"].split("/")[-1]


def band_of(col):
    """The band a two-sided summary prints over a side's columns (收入, 本年收入, …)."""
    printed = col.get("printed") or ""
    parts = printed.split("/")
    if len(parts) >= 2 and parts[-1] == col["key"] and len(parts[0]) <= 8:
        return parts[0]
    return col.get("side") or ""


def lay_out(golden, opts, rng):
    """The golden's tables printed under the options: a list of Table."""
    whole = opts["amounts"] == "whole元"
    out = []
    econ = json.load(open(ECON, encoding="utf-8"))["classes"]
    group_of = {c["code"]: c["group"] for c in econ}
    dept = golden.meta.get("department") or ""
    for n, t in enumerate(golden.tables):
        unit = t.get("unit") or golden.meta.get("unit") or "万元"
        shown_unit = "元" if whole and unit == "万元" else unit
        pt = Table(t["id"], t["title"])
        if opts["numbering"] == "公开NN表":
            pt.number = t.get("printed_number") or f"公开{n + 1:02d}表"
        pt.captions = [f"{opts['caption_word']}：{t.get('department') or dept}", f"单位：{shown_unit}"]
        cols = t["columns"]
        has_side = any(c.get("side") for c in cols)
        if has_side:
            two_sided(pt, t, opts, unit, whole)
        elif t["id"].endswith("three_public"):
            single_row(pt, t, opts, unit, whole)
        elif t["id"] == "general_budget_basic_expenditure" and opts["detail"] == "side-by-side":
            side_by_side(pt, t, opts, unit, whole, group_of)
        else:
            coded_table(pt, t, opts, unit, whole)
        if t.get("empty_statement"):
            pt.notes.append(f"注：{t['empty_statement']}。")
        # a table at least as wide as its title and captions (LibreOffice clips a merged cell)
        fs = opts["font_size"]
        need = max(len(pt.title) * (fs + 5) / fs + 2, len("　　".join(pt.captions)) + 4)
        if opts["caption"] == "beside":
            need = len(pt.title) * (fs + 5) / fs + len("　　".join(pt.captions)) + 6
        if sum(pt.widths) < need:
            k = need / sum(pt.widths)
            pt.widths = [w * k for w in pt.widths]
        pt.ncols = len(pt.widths)
        place_breaks(pt, t, opts, rng)
        out.append(pt)
    return out


def label_em(labels, opts):
    """A label column as wide as makes its longest label wrap over 1, 2 or 3 lines."""
    longest = max([len(s) for s in labels] + [4])
    lines = {"wide": 1, "medium": 2, "narrow": 3}[opts["label_width"]]
    return max(4, -(-longest // lines) + 1)


def amount_em(texts):
    longest = max([len(s) for s in texts] + [6])
    return max(5, longest * 0.6 + 1.5)


def coded_table(pt, t, opts, unit, whole):
    keys = [c["key"] for c in t["columns"]]
    paths = [k.split("/") for k in keys]
    hdr = header_rows(paths)
    n = len(hdr)
    econ = any((r.get("code") or "").startswith("3") for r in t["rows"])
    split = opts["codes"] == "split" and not econ
    lanci = opts["lanci"] == "yes"
    lead_n = 4 if split else 2
    extra = 1 if split else 0  # a 类/款/项 row under 科目编码
    rows_h = []
    for i in range(max(n, 1 + extra)):
        h = hdr[i] if i < n else [None] * len(keys)
        if i == 0:
            if split:
                lead = [C("科目编码", 3, 1), None, None, C("科目名称", 1, max(n, 2))]
            else:
                lead = [C("科目编码", 1, n), C("科目名称", 1, n)]
        elif split and i == 1:
            lead = [C("类"), C("款"), C("项"), None]
        else:
            lead = [None] * lead_n
        if i >= n:
            h = [None] * len(keys)
        rows_h.append(lead + h)
    if split and n == 1:
        # the value headers span down over the 类/款/项 row
        for c in rows_h[0][lead_n:]:
            if c is not None:
                c["rs"] = 2
    if lanci:
        rows_h.append([C("栏次", lead_n, 1)] + [None] * (lead_n - 1) + [C(str(k + 1)) for k in range(len(keys))])
    pt.header = rows_h
    rows = list(t["rows"])
    total = [r for r in rows if r["key"] == "合计"]
    rest = [r for r in rows if r["key"] != "合计"]
    if total:
        rows = total + rest if opts["total"] == "first" else rest + total
    body = []
    for r in rows:
        code = r.get("code") or ""
        label = row_label(r)
        vals = cells_of(r, keys, opts, unit, whole)
        if split:
            parts = [code[:3], code[3:5], code[5:7]] if code else ["", "", ""]
            lead = [C(p, kind="code") for p in parts] + [C(label, kind="label")]
            if not code and opts["total_merged"] == "yes":
                lead = [C(label, 4, 1, "label"), None, None, None]
        else:
            lead = [C(code, kind="code"), C(label, kind="label")]
        row = lead + vals
        row_total = r["key"] == "合计"
        body.append((row, row_total))
    pt.body = [b for b, _ in body]
    pt.total_rows = [i for i, (_, tot) in enumerate(body) if tot]
    labels = [row_label(r) for r in rows]
    texts = [c["text"] for b in pt.body for c in b if c and c["kind"] == "amount"]
    a = amount_em(texts)
    pt.widths = ([2.2, 2.2, 2.2] if split else [5.5]) + [label_em(labels, opts)] + [a] * len(keys)


def two_sided(pt, t, opts, unit, whole):
    lanci = opts["lanci"] == "yes"
    sides = []
    for side in ("收入", "支出"):
        cols = [c for c in t["columns"] if c.get("side") == side]
        rows = [r for r in t["rows"] if r.get("side") == side]
        sides.append((side, cols, rows))
    lead = 2 if lanci else 1
    top, second = [], []
    for side, cols, _ in sides:
        band = band_of(cols[0]) if cols else side
        top.append(C(band, lead + len(cols), 1))
        top.extend([None] * (lead + len(cols) - 1))
        second += [C("项目")] + ([C("行次")] if lanci else []) + [C(c["key"]) for c in cols]
    pt.header = [top, second]
    body = []
    num = [0, 0]
    for i in range(max(len(s[2]) for s in sides)):
        line = []
        for k, (side, cols, rows) in enumerate(sides):
            keys = [c["key"] for c in cols]
            if i < len(rows):
                r = rows[i]
                num[k] += 1
                line += [C(row_label(r), kind="label")] + ([C(str(num[k]), kind="code")] if lanci else [])
                line += cells_of(r, keys, opts, unit, whole)
            else:
                line += [C("", kind="label")] + ([C("", kind="code")] if lanci else []) + [C("", kind="amount")] * len(cols)
        body.append(line)
    pt.body = body
    pt.total_rows = []
    widths = []
    for side, cols, rows in sides:
        labels = [row_label(r) for r in rows]
        texts = [c["text"] for b in body for c in b if c and c["kind"] == "amount"]
        widths += [label_em(labels, opts)] + ([2.5] if lanci else []) + [amount_em(texts)] * len(cols)
    pt.widths = widths


def single_row(pt, t, opts, unit, whole):
    keys = [c["key"] for c in t["columns"]]
    paths = [k.split("/") for k in keys]
    if opts["three_public"] == "category-first":
        # category bands above, 预算数/决算数 below (as Shanghai prints), same keys
        cats = []
        for i in range(len(keys)):
            if paths[i][1:] not in cats:
                cats.append(paths[i][1:])
        order = [i for c in cats for i in range(len(keys)) if paths[i][1:] == c]
        keys = [keys[i] for i in order]
        paths = [paths[i][1:] + [paths[i][0]] if len(paths[i]) > 1 else paths[i] for i in order]
    pt.header = header_rows(paths)
    if opts["lanci"] == "yes":
        pt.header.append([C(str(k + 1)) for k in range(len(keys))])
    if t["rows"]:
        pt.body = [cells_of(t["rows"][0], keys, opts, unit, whole)]
    else:
        pt.body = [[C("", kind="amount") for _ in keys]]
    pt.total_rows = []
    texts = [c["text"] for c in pt.body[0]]
    pt.widths = [max(amount_em(texts), 5.0)] * len(keys)


def side_by_side(pt, t, opts, unit, whole, group_of):
    """The 基本支出 detail in three groups of 编码 | 科目名称 | 决算数, closing rows last."""
    groups, closing = [[], [], []], []
    for r in t["rows"]:
        code = r.get("code")
        if code:
            groups[group_of.get(code[:3], 0)].append(r)
        else:
            closing.append(r)
    pt.header = [[c for _ in range(3) for c in (C("经济分类科目编码"), C("科目名称"), C("决算数"))]]
    body = []
    for i in range(max(len(g) for g in groups)):
        line = []
        for g in groups:
            if i < len(g):
                line += [C(g[i]["code"], kind="code"), C(g[i]["label"], kind="label")] + cells_of(g[i], ["决算数"], opts, unit, whole)
            else:
                line += [C("", kind="code"), C("", kind="label"), C("", kind="amount")]
        body.append(line)
    if closing:
        line = []
        for r in closing[:3]:
            line += [C(r["key"], 2, 1, "label"), None] + cells_of(r, ["决算数"], opts, unit, whole)
        while len(line) < 9:
            line.append(C("", kind="amount"))
        body.append(line)
    pt.body = body
    pt.total_rows = [len(body) - 1] if closing else []
    labels = [r.get("label") or r["key"] for r in t["rows"]]
    texts = [c["text"] for b in body for c in b if c and c["kind"] == "amount"]
    pt.widths = [4.0, label_em(labels, opts), amount_em(texts)] * 3


def place_breaks(pt, t, opts, rng):
    n = len(pt.body)
    if opts["page_breaks"] == "some" and n > 2:
        for _ in range(rng.randint(1, 2)):
            pt.breaks.add(rng.randrange(0, n - 1))
    if opts["total_alone"] == "yes" and pt.total_rows and pt.total_rows[-1] == n - 1 and n > 1:
        pt.breaks.add(n - 2)
