"""The Python package gives what the CLI gives: the same canonical JSON, the same facts
(typed: exact decimals), the same findings."""

import decimal
import json
import subprocess

import pyarrow as pa
import pytest

import gongkai

SAMPLE = "samples/jiaozuo-2024/jiaozuo-2024-final-accounts.txt"
GOLDEN = "golden/jiaozuo-2024/jiaozuo-2024-final-accounts"


def test_convert_is_the_cli_json(root):
    text = gongkai.convert_json(root / SAMPLE)
    assert text == (root / f"{GOLDEN}.json").read_text(encoding="utf-8")
    doc = gongkai.convert(root / SAMPLE)
    assert doc == json.loads(text)
    assert doc["schema"] == gongkai.SCHEMA
    # Bytes convert alike, under the name given.
    same = gongkai.convert((root / SAMPLE).read_bytes(), name="jiaozuo-2024-final-accounts.txt")
    assert same == doc


def test_a_bad_file_raises_with_its_kind(tmp_path):
    bad = tmp_path / "page.pdf"
    bad.write_bytes(b"<html>404</html>")
    with pytest.raises(gongkai.ConvertError) as e:
        gongkai.convert(bad)
    assert e.value.args[1] == "not_a_pdf" and "page.pdf" in e.value.args[0]
    with pytest.raises(gongkai.ConvertError):
        gongkai.convert(b"", name="empty.txt")


def test_facts_are_the_cli_facts_typed_exactly(root, gongkai_bin):
    samples = root / "samples" / "jiaozuo-2024"
    t = gongkai.facts([samples])
    assert isinstance(t, pa.Table)
    assert t.schema.field("amount").type == pa.decimal128(38, gongkai.AMOUNT_SCALE)
    assert t.schema == gongkai.schema()
    cli = subprocess.run([gongkai_bin, "facts", samples], check=True, capture_output=True).stdout.decode()
    want = [json.loads(line) for line in cli.splitlines()]
    got = t.to_pylist()
    assert len(got) == len(want) == 3 * 910
    for g, w in zip(got, want):
        for k, v in w.items():
            if k in ("bbox", "ocr"):
                # Boxes and OCR readings are in the JSON facts only, not the typed table.
                continue
            if k == "amount":
                # The JSON number has the printed digits; the decimal is the same number.
                assert g[k] == decimal.Decimal(w["value"]), (g, w)
            else:
                assert g[k] == v, (k, g, w)
        assert all(g[k] is None for k in g if k not in w and k != "scale")
        # value is the amount printed at its scale: nothing is lost.
        assert f"{g['amount']:.{g['scale']}f}" == g["value"]


def test_to_pandas_keeps_exact_decimals(root):
    df = gongkai.facts(root / SAMPLE).to_pandas()
    assert all(isinstance(a, decimal.Decimal) for a in df["amount"])
    # Exact sums: the 三公 决算数 parts add up to the printed 合计 to the cent.
    tp = df[(df.table == "three_public") & df.col.str.startswith("决算数/")].set_index("col")["amount"]
    parts = tp["决算数/因公出国(境)费"] + tp["决算数/公务用车购置及运行维护费/小计"] + tp["决算数/公务接待费"]
    assert parts == tp["决算数/合计"] == decimal.Decimal("13.33")


def test_facts_skip_or_raise_on_a_bad_input(root, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"garbage")
    with pytest.raises(gongkai.ConvertError):
        gongkai.facts([root / SAMPLE, bad])
    t = gongkai.facts([root / SAMPLE, bad], on_error="skip")
    assert t.num_rows == 910
    t, errors = gongkai.facts_from_bytes([("bad.pdf", b"garbage"), ("j.txt", (root / SAMPLE).read_bytes())], on_error="skip")
    assert t.num_rows == 910 and errors[0][:2] == ("bad.pdf", "not_a_pdf")
    assert set(t.column("file").to_pylist()) == {"j.txt"}


def test_check_is_the_cli_check(root, gongkai_bin):
    cli = subprocess.run([gongkai_bin, "check", "--format", "json", root / SAMPLE], capture_output=True).stdout
    assert gongkai.check(root / SAMPLE) == json.loads(cli)
    # A canonical document is checked as it stands: an edited cell is found.
    doc = gongkai.convert(root / SAMPLE)
    assert gongkai.check(doc) == json.loads(cli)
    t = next(t for t in doc["tables"] if t["id"] == "three_public")
    for c in t["rows"][0]["cells"]:
        if c["col"] == "决算数/公务接待费":
            c["value"] = "9.97"
    found = gongkai.check(doc)
    assert any(f["table"] == "three_public" and f["severity"] == "error" for f in found), found


def test_facts_see_the_inputs_convert_sees(root, gongkai_bin, tmp_path):
    """One walker (gongkai::inputs::collect): a folder with subfolders, a FIFO, a link
    loop, an unreadable subfolder, links to a file and to a folder, a file of no known
    extension gives the Python package the inputs and failures `gongkai convert` lists
    (crates/cli/tests/inputs.rs compares `convert` with `facts`)."""
    import os

    from gongkai import _native

    text = (root / SAMPLE).read_text(encoding="utf-8")
    d = tmp_path / "in"
    for rel, body in [("a.txt", text), ("sub/b.txt", text + "\n"), ("sub/deeper/c.TXT", text + "\n\n"), ("sub/note.md", "# nothing\n"), ("sub/data.csv", "x\n"), ("elsewhere/d.txt", text + "\n\n\n"), ("locked/x.txt", text)]:
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(body, encoding="utf-8")
    (tmp_path / "outside.txt").write_text(text + "\n\n\n\n", encoding="utf-8")
    os.symlink("../../outside.txt", d / "sub" / "link-to-outside.txt")
    os.symlink("../elsewhere", d / "sub" / "link-to-folder")
    os.symlink("loop.txt", d / "loop.txt")
    os.mkfifo(d / "sub" / "pipe.pdf")
    os.chmod(d / "locked", 0)
    try:
        out = tmp_path / "out"
        subprocess.run([gongkai_bin, "convert", "-q", "--ocr", "never", d, "--out", out], check=False)
        ipc, errors = _native.facts_paths([os.fspath(d)], 1)
    finally:
        os.chmod(d / "locked", 0o755)
    manifest = [json.loads(l) for l in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = sorted((e["file"], e["kind"]) for e in manifest if e["status"] == "failed")
    assert sorted((f, k) for f, k, _ in errors) == failed
    assert ("%s" % (d / "sub" / "pipe.pdf"), "not_a_file") in failed and ("%s" % (d / "loop.txt"), "not_a_file") in failed
    names = {os.path.basename(e["file"]) for e in manifest if e["status"] == "ok"}
    assert set(pa.ipc.open_stream(ipc).read_all().column("file").to_pylist()) == names
    assert "link-to-outside.txt" in names and "c.TXT" in names and "data.csv" not in names


def test_a_path_and_its_bytes_read_alike_ocr_included(root, tmp_path):
    """convert(path) and convert(bytes) are one reading (the CLI's, OCR included): on a scan,
    which only OCR reads, both give the same document, or the same error."""
    import shutil

    made = subprocess.run(
        [str(root / "scripts/make-scans"), "--dpi", "150", "--pages", "2", "--out", str(tmp_path), str(root / "samples/jiaozuo-2024/jiaozuo-2024-final-accounts.pdf")],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0 or shutil.which("pdftoppm") is None:
        pytest.skip(f"scripts/make-scans failed (needs Pillow, pdftoppm, img2pdf): {made.stderr}")
    scan = tmp_path / "jiaozuo-2024-final-accounts-150dpi.pdf"

    def outcome(src, **kw):
        try:
            return gongkai.convert(src, name=scan.name, **kw)
        except gongkai.ConvertError as e:
            return ("error", e.args[1])

    never = outcome(scan, ocr="never")
    assert never == ("error", "no_text_layer")
    assert outcome(scan.read_bytes(), ocr="never") == never
    by_path = outcome(scan)
    assert by_path != never, "the default reads a scan by OCR, as the CLI's does"
    assert outcome(scan.read_bytes()) == by_path
    if isinstance(by_path, dict):
        assert any("read by OCR" in w for w in by_path["warnings"])
        assert gongkai.check(scan.read_bytes(), name=scan.name) == by_path["findings"]
    with pytest.raises(ValueError):
        gongkai.convert(scan, ocr="sometimes")
