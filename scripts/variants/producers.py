"""Producers turn a writer's output into a PDF; post-processors rewrite another producer's
PDF. Each is skipped with a printed reason when its program is not installed.

LibreOffice is started once per batch (one start costs ~3 s): all .fods of a run go to
Calc in one call, all .html to Writer in another."""
import os
import shutil
import subprocess
import tempfile

# producer -> (writer, what it needs, drawing writer: rulings and /Rotate are its own)
BASE = {
    "calc": ("fods", "soffice", False),
    "writer": ("html", "soffice", False),
    "chromium": ("html", "chromium", False),
    "wordlike": ("wordlike-pdf", None, True),
    "reportlab-cid": ("reportlab-cid-pdf", None, True),
    "reportlab-ttf": ("reportlab-ttf-pdf", None, True),
}
POST = {
    "gs": "gs",
    "pdftocairo": "pdftocairo",
    "mutool": "mutool",
    "qpdf": "qpdf",
}
# Other formats of the same variant (issue 12), drawn when asked for with --producers (CI's
# scripts/test-variants runs a sample of its own). producer -> (writer, needs, LibreOffice filter)
FORMATS = {
    "html": ("html", None, None),
    "xlsx": ("fods", "soffice", "xlsx:Calc MS Excel 2007 XML"),
    "ods": ("fods", "soffice", "ods"),
    "docx": ("html", "soffice", "docx:MS Word 2007 XML"),
}
# text formats: a PDF producer's output as the text an extractor makes of it. Each is drawn
# like a format and prints its variant through a PDF producer first: one of the PDF
# producers asked for, else one of TEXT_BASES that is installed.
TEXT_POST = {
    "layout-text": ["pdftotext", "-layout"],
    "raw-text": ["pdftotext", "-raw"],
    "plain-text": ["pdftotext"],  # the default mode: one cell per line
}
TEXT_BASES = ["calc", "reportlab-cid", "reportlab-ttf", "wordlike"]
# reading-order text loses what cannot be placed with certainty: at least this share of
# the facts, none wrong and none extra (issue 12); layout text is exact
READING_ORDER = {"raw-text", "plain-text"}
READING_ORDER_SHARE = 0.95
DEFAULT = list(BASE) + list(POST)
# (producer, post-processor) pairs whose output is no longer the document: Ghostscript rewrites
# the widths of the Word-like writer's TrueType subset (reportlab-made) as 3906/1000 em while
# positioning each glyph explicitly, so every glyph box is 3.9 em wide (pdftotext garbles it too)
UNUSABLE = {("wordlike", "gs")}
# how often each producer is drawn: fast ones more often (CI's time budget)
WEIGHTS = {"calc": 3, "writer": 1, "chromium": 1, "wordlike": 3, "reportlab-cid": 3, "reportlab-ttf": 3}
POST_SHARE = 0.3


def _which(prog):
    if prog is None:
        return True
    if prog == "soffice":
        return shutil.which("soffice") or shutil.which("libreoffice")
    return shutil.which(prog)


def available(names):
    """(usable producers, {skipped: reason})."""
    ok, skipped = [], {}
    for n in names:
        if n in BASE:
            need = BASE[n][1]
        elif n in FORMATS:
            need = FORMATS[n][1]
        elif n in TEXT_POST:
            need = TEXT_POST[n][0]
        else:
            need = POST[n]
        if n == "reportlab-ttf" and not os.path.exists("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"):
            skipped[n] = "no TrueType CJK font (apt-get install fonts-droid-fallback)"
        elif not _which(need):
            skipped[n] = f"{need} is not installed"
        else:
            ok.append(n)
    return ok, skipped


def _soffice(sources, outdir, filt, timeout):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as prof:
        cmd = [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
               "--convert-to", filt, "--outdir", outdir] + sources
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=dict(os.environ, HOME=prof), start_new_session=True)
        try:
            p.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)  # the process group this call started
            p.wait()
            return False


def soffice_batch(sources, outdir, filt, chunk=12, ext=".pdf"):
    """Convert many files per LibreOffice start; returns {source: pdf or None}.

    A file LibreOffice hangs on (Writer's HTML import loops on some tables) costs its
    chunk a timeout, then the rest of the chunk is converted one by one."""
    def pdf_of(s):
        pdf = os.path.join(outdir, os.path.splitext(os.path.basename(s))[0] + ext)
        return pdf if os.path.exists(pdf) else None

    for k in range(0, len(sources), chunk):
        part = sources[k:k + chunk]
        if not _soffice(part, outdir, filt, 30 + 10 * len(part)):
            for s in part:
                if pdf_of(s) is None:
                    _soffice([s], outdir, filt, 45)
    return {s: pdf_of(s) for s in sources}


def chromium(src, pdf):
    with tempfile.TemporaryDirectory() as prof:
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={prof}",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + os.path.abspath(src)]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return pdf if os.path.exists(pdf) else None


def post(name, src, dst):
    if name in TEXT_POST:
        dst = dst[: -len(".pdf")] + ".txt"
        r = subprocess.run(TEXT_POST[name] + [src, dst], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        return dst if os.path.exists(dst) and r.returncode == 0 else None
    cmd = {
        "gs": ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-sOutputFile={dst}", src],
        "pdftocairo": ["pdftocairo", "-pdf", src, dst],
        "mutool": ["mutool", "clean", "-gggz", src, dst],
        "qpdf": ["qpdf", "--object-streams=generate", src, dst],
    }[name]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    # qpdf exits 3 on warnings with a written file
    return dst if os.path.exists(dst) and r.returncode in (0, 3) else None
