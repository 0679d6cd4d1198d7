"""gongkai: Chinese government budget and final-accounts disclosures (部门决算 / 部门预算)
to exact canonical JSON, facts and checks.

    import gongkai
    doc = gongkai.convert("report.pdf")          # the canonical document, as `gongkai convert` writes it
    t = gongkai.facts(["downloads/"])            # every fact as a pyarrow.Table (amount: decimal128(38, 6))
    findings = gongkai.check("report.pdf")       # what the identities and the narrative checks found

Conversion runs in Rust with the GIL released; `facts` converts its inputs in parallel.
"""

from __future__ import annotations

import json
import os
from typing import Iterable, List, Tuple, Union

import pyarrow as pa
import pyarrow.ipc

from . import _native
from ._native import AMOUNT_SCALE, SCHEMA, ConvertError

__all__ = ["convert", "convert_json", "facts", "facts_from_bytes", "check", "schema", "ConvertError", "SCHEMA", "AMOUNT_SCALE"]

Source = Union[str, os.PathLike, bytes, bytearray, memoryview]


def convert_json(src: Source, *, name: str = "input", ocr: str = "auto", ocr_engine: str = "paddle") -> str:
    """The canonical document of a file (a path) or of its bytes, as the exact JSON text the
    CLI writes. `name` is the file name recorded for bytes (a `.pdf` name, or `%PDF-` bytes, read as PDF).
    `ocr` ('auto', 'always', 'never') and `ocr_engine` ('paddle', 'tesseract') are the CLI's
    --ocr and --ocr-engine, with its defaults: a path and its bytes read alike."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return _native.convert_bytes(bytes(src), name, ocr, ocr_engine)
    return _native.convert_path(os.fspath(src), ocr, ocr_engine)


def convert(src: Source, *, name: str = "input", ocr: str = "auto", ocr_engine: str = "paddle") -> dict:
    """The canonical document as a dict (identical to the CLI's JSON). Amounts are strings
    with their printed precision. Raises ConvertError(message, kind, file) for a file that
    cannot be converted. `ocr`, `ocr_engine`: as for `convert_json`."""
    return json.loads(convert_json(src, name=name, ocr=ocr, ocr_engine=ocr_engine))


def check(src: Union[Source, dict], *, name: str = "input", ocr: str = "auto", ocr_engine: str = "paddle") -> List[dict]:
    """The findings (identities and narrative) of a file, its bytes, or a canonical
    document (a dict or its JSON), as `gongkai check --format json` prints them."""
    if isinstance(src, dict):
        data = json.dumps(src, ensure_ascii=False).encode()
    elif isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
    else:
        path = os.fspath(src)
        with open(path, "rb") as f:
            data = f.read()
        name = os.path.basename(path)
    return json.loads(_native.check_bytes(data, name, ocr, ocr_engine))


def _table(ipc: bytes) -> pa.Table:
    return pa.ipc.open_stream(ipc).read_all()


def _raise_or_warn(errors: List[Tuple[str, str, str]], on_error: str) -> None:
    if not errors:
        return
    if on_error == "raise":
        file, kind, message = errors[0]
        raise ConvertError(f"{file}: {message} [{kind}]", kind, file)
    if on_error == "warn":
        import warnings

        for file, kind, message in errors:
            warnings.warn(f"gongkai: {file}: {message} [{kind}]", stacklevel=3)
    elif on_error != "skip":
        raise ValueError("on_error is 'raise', 'warn' or 'skip'")


def facts(paths: Union[Source, Iterable[Union[str, os.PathLike]]], *, jobs: int | None = None, on_error: str = "raise", ocr: str = "auto", ocr_engine: str = "paddle") -> pa.Table:
    """Every fact of the inputs (files; directories searched as `gongkai convert` and
    `gongkai facts` search them, a path that is unreadable, a FIFO or a link loop reported
    as a failed input of kind 'io' or 'not_a_file'; canonical .json documents given
    read as they stand) as one pyarrow.Table, in sorted input order,
    converted in parallel (`jobs` threads, default all cores). Columns as `gongkai facts
    --format parquet` writes them: `amount` is decimal128(38, 6) (exact; `.to_pandas()`
    gives decimal.Decimal), `scale` the printed decimals, `value` the printed string.
    on_error: 'raise' (default), 'warn' or 'skip' a file that cannot be converted.
    `ocr`, `ocr_engine`: as for `convert_json`."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ipc, errors = _native.facts_paths([os.fspath(p) for p in paths], jobs, ocr, ocr_engine)
    _raise_or_warn(errors, on_error)
    return _table(ipc)


def facts_from_bytes(items: Iterable[Tuple[str, bytes]], *, jobs: int | None = None, on_error: str = "raise", ocr: str = "auto", ocr_engine: str = "paddle") -> Tuple[pa.Table, List[Tuple[str, str, str]]]:
    """The facts of (file name, bytes) pairs in the order given, and the (file, kind,
    message) of those that failed (raised instead when on_error='raise')."""
    ipc, errors = _native.facts_bytes([(n, bytes(b)) for n, b in items], jobs, ocr, ocr_engine)
    _raise_or_warn(errors, on_error)
    return _table(ipc), errors


def schema() -> pa.Schema:
    """The schema of the facts table (the same in Parquet, Arrow and Spark)."""
    return _table(_native.facts_bytes([], 1)[0]).schema
