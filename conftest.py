"""Fixtures shared by the Python tests (crates/python/tests, schema/tests, examples/):
the repository root, the CLI binary (built by `cargo build` when missing) and the corpus."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def gongkai_bin() -> pathlib.Path:
    """The CLI the Python results are compared with: $GONGKAI_BIN, else target/debug/gongkai."""
    explicit = os.environ.get("GONGKAI_BIN")
    if explicit:
        return pathlib.Path(explicit)
    b = ROOT / "target" / "debug" / "gongkai"
    if not b.exists():
        subprocess.run(["cargo", "build", "--quiet", "-p", "gongkai"], cwd=ROOT, check=True)
    return b


@pytest.fixture(scope="session")
def corpus() -> pathlib.Path:
    c = ROOT.parent / "shared" / "corpus"
    if not c.is_dir():
        pytest.skip(f"the corpus is absent ({c}); its PDFs are never committed")
    return c
