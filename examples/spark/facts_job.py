"""Facts of a folder of disclosures with Spark: read the PDFs (and .txt files) with the
binaryFile source, convert each with the gongkai Python package inside mapInArrow, write
Parquet partitioned by year and kind.

    spark-submit examples/spark/facts_job.py INPUT_DIR OUTPUT_DIR

Every executor needs Python >= 3.9 with the gongkai wheel and pyarrow installed (see the
README: spark-submit for a cluster). Each task converts its files one after the other on
its one core (jobs=1); Spark runs as many tasks as there are cores.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator

import pyarrow as pa
from pyspark.sql import SparkSession


def spark_schema():
    """The facts table's schema as Spark types (amount: decimal(38,6))."""
    import gongkai
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(gongkai.schema())


def convert_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """binaryFile rows (path, modificationTime, length, content) in, facts out."""
    import gongkai

    for batch in batches:
        paths = batch.column("path").to_pylist()
        contents = batch.column("content").to_pylist()
        # The file name as the CLI records it: no directory, no URL scheme.
        items = [(os.path.basename(p), c) for p, c in zip(paths, contents)]
        table, errors = gongkai.facts_from_bytes(items, jobs=1, on_error="skip")
        for file, kind, message in errors:
            print(f"gongkai: {file}: {message} [{kind}]", file=sys.stderr)
        yield from table.to_batches()


def run(spark: SparkSession, input_dir: str, output_dir: str, glob: str = "*.{pdf,txt}") -> None:
    # The Python workers unpickle convert_batches by its module: ship this file to them
    # (spark-submit ships the main script; an import from a notebook or a test does not).
    if __name__ != "__main__":
        spark.sparkContext.addPyFile(os.path.abspath(__file__))
    files = (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", glob)
        .option("recursiveFileLookup", "true")
        .load(input_dir)
    )
    facts = files.mapInArrow(convert_batches, spark_schema())
    facts.write.mode("overwrite").partitionBy("year", "kind").parquet(output_dir)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", help="a folder (local, hdfs://, s3a://…) of .pdf/.txt disclosures")
    p.add_argument("output", help="where the partitioned Parquet goes (overwritten)")
    p.add_argument("--glob", default="*.{pdf,txt}", help="which files to read (default: *.{pdf,txt})")
    a = p.parse_args(argv)
    spark = SparkSession.builder.appName("gongkai-facts").getOrCreate()
    try:
        run(spark, a.input, a.output, a.glob)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
