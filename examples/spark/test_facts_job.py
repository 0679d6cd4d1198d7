"""The Spark job in local[2] on the corpus gives the CLI's facts, partitioned by year and kind."""

import decimal
import json
import os
import shutil
import subprocess
import sys

import pytest

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("gongkai")


@pytest.fixture(scope="module")
def spark():
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime: Spark cannot start")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (
        SparkSession.builder.master("local[2]")
        .appName("gongkai-facts-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    yield s
    s.stop()


def test_spark_job_matches_the_cli(spark, corpus, gongkai_bin, tmp_path):
    sys.path.insert(0, os.path.dirname(__file__))
    import facts_job

    out = tmp_path / "facts"
    facts_job.run(spark, str(corpus), str(out))
    # Partitioned by year and kind.
    parts = sorted(p.relative_to(out).as_posix() for p in out.glob("year=*/kind=*"))
    assert "year=2024/kind=final_accounts" in parts and "year=2025/kind=budget" in parts, parts
    df = spark.read.parquet(str(out))
    assert dict(df.dtypes)["amount"] == "decimal(38,6)"
    got = sorted(
        (r["doc"], r["table"], r["row"], r["col"], r["value"], r["amount"], r["file"], r["year"], r["kind"])
        for r in df.collect()
    )
    inputs = sorted(p for p in corpus.iterdir() if p.suffix in (".pdf", ".txt"))
    cli = subprocess.run([gongkai_bin, "facts", *inputs], capture_output=True, check=True).stdout.decode()
    want = sorted(
        (f["doc"], f["table"], f["row"], f["col"], f["value"], decimal.Decimal(f["value"]), f["file"], f.get("year"), f.get("kind"))
        for f in map(json.loads, cli.splitlines())
    )
    assert len(got) == len(want) > 500
    assert got == want
