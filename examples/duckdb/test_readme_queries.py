"""The README's DuckDB examples, run as printed against a facts Parquet of the goldens
(every corpus document's facts, read as they stand from golden/*/*.json)."""

import decimal
import pathlib
import subprocess

import duckdb
import pytest

HERE = pathlib.Path(__file__).resolve().parent
QUERIES = sorted(HERE.glob("*.sql"))


@pytest.fixture(scope="module")
def facts_dir(root, gongkai_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("duckdb")
    docs = sorted((root / "golden").glob("*/*.json"))
    assert len(docs) >= 5
    subprocess.run([gongkai_bin, "facts", *docs, "--out", d / "facts.parquet"], check=True)
    return d


def run(facts_dir, name):
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{facts_dir}'")
    return con.sql((HERE / name).read_text(encoding="utf-8")).fetchall()


def test_the_readme_shows_every_query_as_it_runs(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert QUERIES
    for q in QUERIES:
        assert q.read_text(encoding="utf-8").strip() in readme, f"{q.name} is not in the README as it runs"


def test_three_public_actuals_per_department_and_year(facts_dir):
    rows = run(facts_dir, "three_public_per_department_year.sql")
    got = {(d, y): (a, u) for d, y, a, u in rows}
    # The Jiaozuo golden prints 13.33 万元; the Putuo finance bureau prints its 决算数 blank.
    assert got[("焦作市工业和信息化局", 2024)] == (decimal.Decimal("13.33"), "万元")
    assert got[("上海市普陀区财政局", 2024)] == (decimal.Decimal("0"), "万元")
    assert all(isinstance(a, decimal.Decimal) for a, _ in got.values())


def test_row_201_across_years(facts_dir):
    rows = run(facts_dir, "row_201_across_years.sql")
    years = {(y, k) for y, k, *_ in rows}
    assert {(2024, "final_accounts"), (2025, "budget")} <= years
    by = {(y, d): (c, a, u) for y, k, d, c, a, u in rows}
    assert by[(2024, "焦作市工业和信息化局")] == ("决算数", decimal.Decimal("5.01"), "万元")
    assert by[(2025, "上海市普陀区商务委员会")] == ("预算数", decimal.Decimal("21601733.00"), "元")
