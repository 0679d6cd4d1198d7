"""Writers render a variant's printed tables (layout.Table) into one source format each.

Each writer is a function write(variant, path) -> path; WRITERS names them. A producer
(producers.py) turns a writer's output into a PDF (or keeps it, for formats read as-is)."""
from . import html, fods, drawing

WRITERS = {
    "html": html.write,
    "fods": fods.write,
    "wordlike-pdf": drawing.write_wordlike,
    "reportlab-cid-pdf": drawing.write_reportlab_cid,
    "reportlab-ttf-pdf": drawing.write_reportlab_ttf,
}
