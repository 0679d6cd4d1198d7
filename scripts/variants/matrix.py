"""make-variants: generate, produce and (with --check) verify the layout and producer matrix."""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from . import layout, producers
from .document import Golden, expected_facts, compare, is_zero
from .writers import WRITERS

ROOT = layout.ROOT
EXT = {"html": ".html", "fods": ".fods"}


class Variant:
    def __init__(self, index, seed, golden, chain, opts, tables):
        self.index, self.seed, self.golden, self.chain = index, seed, golden, chain
        self.opts, self.tables = opts, tables
        self.title = golden.meta.get("title") or golden.name
        self.name = f"v{index:05d}-{golden.name}-{'+'.join(chain)}"
        self.expected = expected_facts(golden, opts["amounts"] == "whole元")
        self.pdf = None
        self.error = None

    @property
    def producer(self):
        return "+".join(self.chain)

    def describe(self):
        return {"name": self.name, "seed": self.seed, "index": self.index, "golden": os.path.relpath(self.golden.path, ROOT),
                "producer": self.producer, "options": self.opts,
                "breaks": {t.id: sorted(t.breaks) for t in self.tables if t.breaks}}


def make_variant(i, seed, goldens, bases, posts, forced=None, chain_forced=None):
    rng = random.Random(f"{seed}/{i}")
    golden = goldens[i % len(goldens)]
    base = rng.choices(bases, weights=[producers.WEIGHTS.get(b, 2) for b in bases])[0]
    chain = [base]
    usable = [p for p in posts if (base, p) not in producers.UNUSABLE]
    if usable and rng.random() < producers.POST_SHARE:
        chain.append(rng.choice(usable))
    opts = layout.choose(rng, golden)
    if base in producers.TEXT_POST:
        # a text format is a PDF producer's print, extracted
        pdf_bases = [b for b in bases if b in producers.BASE] or producers.available(producers.TEXT_BASES)[0]
        chain = [rng.choice(pdf_bases), base]
        base = chain[0]
    if chain_forced:
        chain = chain_forced
        base = chain[0]
    for k, val in (forced or {}).items():
        opts[k] = type(layout.OPTIONS[k][0])(val)
    if base in producers.FORMATS:
        chain = [base]  # a spreadsheet or a web page is read as it is
    if base in producers.FORMATS or not producers.BASE[base][2]:
        # office suites and browsers draw their own rulings and never write /Rotate
        opts["rules"] = "n/a"
        if opts["orientation"] == "rotate":
            opts["orientation"] = "landscape"
    if base in ("writer", "docx"):
        # Writer's HTML import ignores CSS page breaks and @page sizes, and lays each table
        # chunk out with its own column widths: it prints one portrait flow
        opts["page_breaks"] = opts["total_alone"] = "n/a"
        opts["orientation"] = "portrait"
    if "pdftocairo" in chain and opts["orientation"] == "rotate":
        # pdftocairo -pdf writes a /Rotate page unrotated, clipping the landscape content
        # to the portrait media box: what it prints is not the document any more
        opts["orientation"] = "landscape"
    tables = layout.lay_out(golden, opts, rng)
    return Variant(i, seed, golden, chain, opts, tables)


def produce(variants, out, log):
    by_writer = collections.defaultdict(list)
    for v in variants:
        writer = (producers.BASE.get(v.chain[0]) or producers.FORMATS[v.chain[0]])[0]
        path = os.path.join(out, v.name + EXT.get(writer, ".base.pdf"))
        WRITERS[writer](v, path)
        v.source = path
        by_writer[v.chain[0]].append(v)
        with open(os.path.join(out, v.name + ".expected.jsonl"), "w", encoding="utf-8") as f:
            for t, r, c, val, u in v.expected:
                f.write(json.dumps({"table": t, "row": r, "col": c, "value": val, "unit": u}, ensure_ascii=False) + "\n")
        with open(os.path.join(out, v.name + ".options.json"), "w", encoding="utf-8") as f:
            json.dump(v.describe(), f, ensure_ascii=False, indent=1)
    t0 = time.time()
    for base, filt in (("calc", "pdf:calc_pdf_Export"), ("writer", "pdf:writer_web_pdf_Export")):
        vs = by_writer.get(base, [])
        if vs:
            res = producers.soffice_batch([v.source for v in vs], out, filt)
            for v in vs:
                v.pdf = res.get(v.source)
            log(f"  soffice {base}: {len(vs)} files in {time.time() - t0:.1f} s")
            t0 = time.time()
    def print_html(v):
        v.pdf = producers.chromium(v.source, os.path.join(out, v.name + ".base.pdf"))
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(print_html, by_writer.get("chromium", [])))
    if by_writer.get("chromium"):
        log(f"  chromium: {len(by_writer['chromium'])} files in {time.time() - t0:.1f} s")
    for base, (writer, need, filt) in producers.FORMATS.items():
        vs = by_writer.get(base, [])
        if filt and vs:
            ext = "." + filt.split(":")[0]
            res = producers.soffice_batch([v.source for v in vs], out, filt, ext=ext)
            for v in vs:
                v.pdf = res.get(v.source)
            log(f"  soffice {base}: {len(vs)} files in {time.time() - t0:.1f} s")
            t0 = time.time()
        elif vs:
            for v in vs:
                v.pdf = v.source
    for base in ("wordlike", "reportlab-cid", "reportlab-ttf"):
        for v in by_writer.get(base, []):
            v.pdf = v.source
    t0 = time.time()

    def finish(v):
        if v.pdf is None:
            v.error = f"{v.chain[0]} wrote no PDF"
            return
        final = os.path.join(out, v.name + ".pdf")
        if v.chain[0] in producers.FORMATS:
            return  # the output is the file itself (.html, .xlsx, .ods, .docx)
        if len(v.chain) > 1:
            if v.pdf == final:  # LibreOffice names its output after the source
                os.replace(final, os.path.join(out, v.name + ".base.pdf"))
                v.pdf = os.path.join(out, v.name + ".base.pdf")
            got = producers.post(v.chain[1], v.pdf, final)
            if got is None:
                v.error = f"{v.chain[1]} failed on {v.pdf}"
            v.pdf = got
        elif v.pdf != final:
            os.replace(v.pdf, final)
            v.pdf = final

    with ThreadPoolExecutor(2) as ex:
        list(ex.map(finish, variants))
    log(f"  post-processing and renaming: {time.time() - t0:.1f} s")


def facts_of(binary, pdf, *args):
    r = subprocess.run([binary, "facts", pdf, *args], capture_output=True, timeout=300)
    facts = []
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            v = json.loads(line)
            facts.append((v["table"], v["row"], v["col"], v["value"], v.get("unit") or ""))
    return r.returncode, facts, r.stderr.decode("utf-8", "replace").strip()


def equivalent_ideographs():
    """The UCD's Equivalent_Unified_Ideograph (radicals and strokes -> ideographs) from the
    extractor's data file, as a str.translate table."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "extract", "data",
                        "equivalent_unified_ideograph.txt")
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = line.split("#", 1)[0]
            if ";" in entry:
                a, b = entry.split(";")
                table[int(a, 16)] = int(b, 16)
    return table


def text_survives(v):
    """The referee for a producer: does poppler's pdftotext still read the table titles?

    Some rewrites destroy the text layer (Ghostscript re-encodes reportlab's TrueType subsets
    as WinAnsi without ToUnicode): no reader can recover those words, and the right answer
    is the error `unmapped_fonts`, not facts."""
    import shutil
    if not shutil.which("pdftotext") or not v.pdf.endswith(".pdf"):
        return True
    r = subprocess.run(["pdftotext", v.pdf, "-"], capture_output=True, timeout=120)
    # pdftotext keeps a font's radicals (Chromium's Noto maps 门 to ⻔): fold them to the
    # ideographs they are, as gongkai does, before looking for the titles.
    text = "".join(r.stdout.decode("utf-8", "replace").split()).translate(equivalent_ideographs())
    # A budget title's year (2025年…) may be set apart from the rest in pdftotext's order.
    import re
    titles = [re.sub(r"^\d{4}年", "", "".join(t.title.split())) for t in v.tables]
    return any(t in text for t in titles)


def check(variants, binary, out):
    def one(v):
        if v.error:
            v.result = {"error": v.error, "missing": [], "extra": [], "wrong": []}
            v.ok = False
            return
        if not text_survives(v):
            # The text layer's verdict: no table can be read from it, and the error says why
            # (OCR may read such pages, but that is the scans' matter, not this matrix's).
            code, facts, err = facts_of(binary, v.pdf, "--ocr", "never")
            v.expect_error = "unmapped_fonts"
            ok = code != 0 and "[unmapped_fonts]" in err
            v.result = {"exit": code, "stderr": err[-400:], "missing": [], "extra": [], "wrong": [],
                        "expected_error": "unmapped_fonts"}
            if not ok:
                v.result["error"] = f"the producer destroyed the text (pdftotext reads no title): expected the error unmapped_fonts, got exit {code}: {err[-200:]}"
            return
        code, facts, err = facts_of(binary, v.pdf)
        missing, extra, wrong = compare(v.expected, facts)
        v.result = {"exit": code, "stderr": err[-400:], "missing": missing, "extra": extra, "wrong": wrong}
        if code != 0 and not facts:
            v.result["error"] = f"gongkai facts exit {code}: {err[-300:]}"
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(one, variants))
    for v in variants:
        r = v.result
        v.ok = not (r.get("error") or r["missing"] or r["extra"] or r["wrong"])
        if v.chain[-1] in producers.READING_ORDER and not (r.get("error") or r["extra"] or r["wrong"]):
            # reading-order text: at least 95% of the (non-zero) facts, nothing wrong or extra
            cells = sum(1 for f in v.expected if not is_zero(f[3]))
            r["found_share"] = round(1 - len(r["missing"]) / cells, 4) if cells else 1.0
            v.ok = r["found_share"] >= producers.READING_ORDER_SHARE


def load_known(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f)["known_failures"]


def covers(entry, v):
    """A known-failure entry covers a variant when its producer (a glob over the chain:
    `wordlike`, `wordlike+*`, `*`) and its option (`amounts=whole元`, or none) both match."""
    import fnmatch
    if not fnmatch.fnmatchcase(v.producer, entry.get("producer", "*")):
        return False
    opt = entry.get("option")
    if opt:
        k, _, val = opt.partition("=")
        if str(v.opts.get(k)) != val:
            return False
    if entry.get("expected_error") and v.result.get("expected_error") != entry["expected_error"]:
        return False
    g = entry.get("golden")
    if g and g not in v.golden.name:
        return False
    r = v.result
    if entry.get("missing_only") and (r.get("error") or r["wrong"] or r["extra"]):
        return False  # explains facts left out, never a wrong or extra one
    if entry.get("no_wrong") and r["wrong"]:
        return False  # explains facts left out (an error too) or under keys the PDF lacks, never a wrong value
    return True


def failing_tables(v):
    r = v.result
    ts = {f[0] for f in r["missing"]} | {f[0] for f in r["extra"]} | {f[0][0] for f in r["wrong"]}
    return ts, bool(r.get("error"))


def covering(known, v):
    """The known entries that explain a failing variant, or [] when any of its failures is
    unexplained: each failing table must be named by a matching entry (an entry without
    `tables` explains every table and errors)."""
    ts, err = failing_tables(v)
    hits = [i for i, e in enumerate(known) if covers(e, v)
            and (not e.get("tables") or ts & set(e["tables"]))]
    for t in ts:
        if not any(not known[i].get("tables") or t in known[i]["tables"] for i in hits):
            return []
    if err and not any(not known[i].get("tables") for i in hits):
        return []
    return hits


def rate(group):
    n = len(group)
    ok = sum(1 for v in group if v.ok)
    return f"{ok}/{n} ({100.0 * ok / n:.0f}%)" if n else "-"


def report(variants, known, log):
    broken = [v for v in variants if v.error]
    if broken:
        log(f"\n{len(broken)} variants not produced (the producer's failure, not gongkai's; left out of the rates):")
        for v in broken:
            log(f"  {v.name}: {v.error}")
    variants = [v for v in variants if not v.error]
    log("\npass rate per producer:")
    by = collections.defaultdict(list)
    for v in variants:
        by[v.chain[0]].append(v)
        if len(v.chain) > 1:
            by["+" + v.chain[1]].append(v)
    for k in sorted(by):
        log(f"  {k:16} {rate(by[k])}")
    log("pass rate per layout option:")
    for opt, values in layout.OPTIONS.items():
        parts = []
        for val in list(values) + ["n/a"]:
            g = [v for v in variants if str(v.opts.get(opt)) == str(val)]
            if g:
                parts.append(f"{val}: {rate(g)}")
        log(f"  {opt:14} " + "; ".join(parts))
    log("pass rate per golden:")
    byg = collections.defaultdict(list)
    for v in variants:
        byg[v.golden.name].append(v)
    for k in sorted(byg):
        log(f"  {k:45} {rate(byg[k])}")
    failing = [v for v in variants if not v.ok]
    unknown, used = [], collections.Counter()
    for v in failing:
        hits = covering(known, v)
        for i in hits:
            used[i] += 1
        if not hits:
            unknown.append(v)
    if known:
        log("known failures (scripts/variants/known-failures.json):")
        for i, e in enumerate(known):
            log(f"  [{used[i]:4} variants] {e.get('producer', '*')} / {e.get('option') or '*'}: {e['diagnosis'][:150]}")
            if not used[i]:
                log("      (no variant failed this way in this run: the entry may be removed)")
    log(f"\n{sum(v.ok for v in variants)}/{len(variants)} variants give exactly their facts; "
        f"{len(failing)} fail, {len(unknown)} of them not in the known list")
    for v in unknown[:40]:
        r = v.result
        log(f"  UNEXPECTED {v.name}: {r.get('error') or ''} missing {len(r['missing'])}, extra {len(r['extra'])}, wrong {len(r['wrong'])}")
        for f in (r["missing"][:3]):
            log(f"      missing {f}")
        for f in (r["extra"][:3]):
            log(f"      extra   {f}")
        for f in (r["wrong"][:3]):
            log(f"      wrong   expected {f[0]} got {f[1][3:]}")
    return unknown


def explain(v, goldens, binary, out, log):
    """Which single option change makes a failing variant pass: rebuild it with each other
    value of each option (same seed, index, producer chain) and check them all."""
    trials = []
    for k, values in layout.OPTIONS.items():
        for val in values:
            if str(val) != str(v.opts.get(k)) and v.opts.get(k) != "n/a":
                forced = {kk: str(vv) for kk, vv in v.opts.items() if vv != "n/a"}
                forced[k] = str(val)
                t = make_variant(v.index, v.seed, [v.golden], [v.chain[0]], [], forced, v.chain)
                t.name = f"{v.name}-{k}={val}"
                trials.append((k, val, t))
    if not trials:
        return []
    d = os.path.join(out, "explain-" + v.name)
    os.makedirs(d, exist_ok=True)
    produce([t for _, _, t in trials], d, lambda s: None)
    check([t for _, _, t in trials], binary, d)
    fixes = [f"{k}={val}" for k, val, t in trials if t.ok]
    log(f"  {v.name}: passes with " + (", ".join(fixes) if fixes else "no single option changed"))
    return fixes


def main(argv=None):
    ap = argparse.ArgumentParser(prog="make-variants", description=__doc__)
    ap.add_argument("--golden", action="append", help="golden/<name>/<name>.json (repeatable; default: every golden)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--start", type=int, default=0, help="first variant index (rerun one variant: --start I --count 1)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--producers", default=",".join(producers.DEFAULT),
                    help="comma-separated producers and post-processors to draw from; default: "
                    + ",".join(producers.DEFAULT) + "; also: " + ",".join(list(producers.FORMATS) + list(producers.TEXT_POST))
                    + " (the same variants as HTML, XLSX, ODS, DOCX, and pdftotext's layout and reading-order text)")
    ap.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                    help="force a layout option in every variant (to reproduce or bisect a failure)")
    ap.add_argument("--chain", help="force the producer chain, e.g. wordlike+qpdf")
    ap.add_argument("--check", action="store_true", help="run gongkai facts on each variant and compare")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/gongkai"))
    ap.add_argument("--known", action="append",
                    help="known-failures file (repeatable; default: scripts/variants/known-failures.json)")
    ap.add_argument("--explain", type=int, default=0, metavar="N",
                    help="for the first N unexpected failures, find which single option change makes each pass")
    ap.add_argument("--report", help="write a JSON report of every variant here")
    a = ap.parse_args(argv)
    log = lambda s: print(s, flush=True)
    import glob
    paths = a.golden or sorted(glob.glob(os.path.join(ROOT, "golden", "*", "*.json")))
    goldens = [Golden(p) for p in paths]
    wanted = [p for p in a.producers.split(",") if p]
    for p in wanted:
        known = list(producers.BASE) + list(producers.POST) + list(producers.FORMATS) + list(producers.TEXT_POST)
        if p not in known:
            ap.error(f"unknown producer {p}; known: {', '.join(known)}")
    ok, skipped = producers.available(wanted)
    for p, why in skipped.items():
        log(f"skipping producer {p}: {why}")
    bases = [p for p in ok if p in producers.BASE or p in producers.FORMATS or p in producers.TEXT_POST]
    posts = [p for p in ok if p in producers.POST]
    if not bases:
        log("no producer available: nothing to do")
        return 0
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    forced = {}
    for kv in a.set:
        k, _, val = kv.partition("=")
        if k not in layout.OPTIONS or val not in [str(x) for x in layout.OPTIONS[k]]:
            ap.error(f"--set {kv}: options are " + "; ".join(f"{k}={'|'.join(map(str, v))}" for k, v in layout.OPTIONS.items()))
        forced[k] = val
    chain = a.chain.split("+") if a.chain else None
    variants = [make_variant(i, a.seed, goldens, bases, posts, forced, chain) for i in range(a.start, a.start + a.count)]
    log(f"{len(variants)} variants of {len(goldens)} goldens, seed {a.seed}, producers {', '.join(bases + posts)}")
    produce(variants, a.out, log)
    log(f"produced in {time.time() - t0:.1f} s")
    if not a.check:
        return 0
    if not os.path.exists(a.binary):
        log(f"no gongkai binary at {a.binary} (cargo build --release)")
        return 2
    t0 = time.time()
    check(variants, a.binary, a.out)
    log(f"checked in {time.time() - t0:.1f} s")
    known = [e for k in (a.known or [os.path.join(ROOT, "scripts/variants/known-failures.json")]) for e in load_known(k)]
    unknown = report(variants, known, log)
    if a.explain and unknown:
        log("\nexplaining failures (each option flipped alone):")
        for v in unknown[: a.explain]:
            v.fixes = explain(v, goldens, a.binary, a.out, log)
    if a.report:
        with open(a.report, "w", encoding="utf-8") as f:
            json.dump([dict(v.describe(), pdf=v.pdf, ok=v.ok, result=v.result, fixes=getattr(v, "fixes", None)) for v in variants], f, ensure_ascii=False, indent=1)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
