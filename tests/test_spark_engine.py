"""The Spark engine agrees with the pandas engine on the same small data (issue 18).

Spark runs in local mode; one session serves the module (each JVM start costs
seconds). Skipped, saying why, where PySpark or Java is missing: ``.ci/run``
installs both, so CI runs these.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from reportgen import schema
from reportgen.config import Config
from reportgen.data import read_table as read_in_memory
from reportgen.errors import InputError
from reportgen.synthetic import write_csv

spark_engine = pytest.importorskip("reportgen.engines.spark")
_missing = spark_engine.available()
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"the Spark engine cannot run here: {_missing}")

ALL = tuple(schema.REQUIRED)
STUDIES = (  # (columns, target): what the four studies read
    (ALL, "claim_status"),
    (("claim_status", "video_view_count", "video_like_count", "verified_status"), None),
    (("verified_status", "video_duration_sec", "author_ban_status"), "verified_status"),
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo CSV with missing values, an exact repeat, a repeated id and a mis-spelled label appended."""
    path = write_csv(tmp_path_factory.mktemp("spark") / "claims.csv", rows=600, seed=3)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    extra = lines[5].split(",")
    extra[header.index("claim_status")] = " Opinion "
    extra[header.index("video_view_count")] = "#N/A"
    repeat_id = lines[9].split(",")
    repeat_id[header.index("video_like_count")] = "12"
    path.write_text("\n".join([*lines, lines[7], ",".join(extra), ",".join(repeat_id)]) + "\n")
    return path


def _config(sample_rows: int = 500_000) -> Config:
    config = Config()
    return dataclasses.replace(config, data=dataclasses.replace(config.data, sample_rows=sample_rows))


def test_same_summary_and_frame_as_pandas(spark, demo):
    pandas_table = read_in_memory(demo, ALL)
    spark_table = spark_engine.read_table(demo, ALL, None, _config())
    assert spark_table.rows_read == pandas_table.rows_read == 603
    assert spark_table.missing_by_column == pandas_table.missing_by_column
    assert (spark_table.duplicate_rows, spark_table.duplicate_ids) == (pandas_table.duplicate_rows, pandas_table.duplicate_ids)
    assert spark_table.duplicate_ids >= 2  # the appended repeats were seen
    assert spark_table.warnings == pandas_table.warnings and "Opinion" in spark_table.warnings[0]
    for columns, target in STUDIES:
        ours, theirs = spark_table.for_columns(columns, target), pandas_table.for_columns(columns, target)
        assert ours.summary == theirs.summary
        assert ours.summary.sample is None
        pd.testing.assert_frame_equal(ours.frame, theirs.frame)


def test_sample_is_seeded_and_stratified(spark, demo):
    table = spark_engine.read_table(demo, ALL, None, _config(sample_rows=1_000))
    table = dataclasses.replace(table, sample_rows=200)  # below the config's floor, to sample this small file
    first, again = table.for_columns(ALL, "claim_status"), table.for_columns(ALL, "claim_status")
    assert len(first.frame) == 200 and first.summary.sample.rows == 200
    assert first.summary.sample.stratified_by == "claim_status"
    assert first.summary.sample.rows_usable == first.summary.rows_used > 200
    pd.testing.assert_frame_equal(first.frame, again.frame)
    full = first.summary.target_counts
    shares = first.frame["claim_status"].value_counts(normalize=True)
    for label, n in full.items():
        assert abs(shares[label] - n / first.summary.rows_used) < 0.01
    other = dataclasses.replace(table, seed=table.seed + 1).for_columns(ALL, "claim_status")
    assert not first.frame.equals(other.frame)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("video_view_count", "-3", "negative count (e.g. -3)"),
        ("video_like_count", "many", "text where a number belongs (e.g. 'many')"),
        ("author_ban_status", "gone", "unknown value(s) 'gone'"),
        ("video_id", "1.23E+18", "an id not written in digits (e.g. '1.23E+18')"),
    ],
)
def test_bad_values_refused_as_pandas_refuses_them(spark, tmp_path, column, value, words):
    path = write_csv(tmp_path / "bad.csv", rows=50, seed=1)
    lines = path.read_text().splitlines()
    at = lines[0].split(",").index(column)
    for row in (4, 17):
        fields = lines[row].split(",")
        fields[at] = value
        lines[row] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as pandas_error:
        read_in_memory(path, ALL)
    with pytest.raises(InputError) as spark_error:
        spark_engine.read_table(path, ALL, None, _config())
    assert words in spark_error.value.message()
    assert spark_error.value.message() == pandas_error.value.message()
    assert spark_error.value.rows == [4, 17]


def test_reads_parquet_as_the_csv(spark, demo, tmp_path):
    folder = tmp_path / "claims.parquet"
    spark.read.csv(str(demo), header=True, escape='"').write.parquet(str(folder))  # as text, as an export to Parquet may hold it
    from_csv = spark_engine.read_table(demo, ALL, None, _config()).for_columns(ALL, "claim_status")
    from_parquet = spark_engine.read_table(folder, ALL, None, _config()).for_columns(ALL, "claim_status")
    assert dataclasses.replace(from_parquet.summary, source="", sha256="", modified="") == dataclasses.replace(
        from_csv.summary, source="", sha256="", modified=""
    )
    pd.testing.assert_frame_equal(from_parquet.frame, from_csv.frame)


def test_pandas_path_and_the_engine_module_import_no_pyspark(demo):
    """PySpark loads only when a Spark session is asked for: never on the default path, nor by importing the engine."""
    import subprocess
    import sys

    probe = (
        "import sys, contextlib, io; from reportgen.cli import main; import reportgen.engines.spark\n"
        f"with contextlib.redirect_stdout(io.StringIO()): rc = main(['validate', '--data', {str(demo)!r}])\n"
        "print(rc, 'pyspark' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


def test_a_sampled_study_can_query_every_usable_row_left_in_spark(spark, demo):
    table = dataclasses.replace(spark_engine.read_table(demo, ALL, None, _config(sample_rows=1_000)), sample_rows=200)
    pandas_rows = read_in_memory(demo, ALL).for_columns(ALL, "claim_status")
    sampled = table.for_columns(ALL, "claim_status")
    assert dataclasses.replace(table, sample_rows=10_000).for_columns(ALL, "claim_status").all_rows is None
    rows = sampled.all_rows
    assert rows.rows == pandas_rows.summary.rows_used == rows.query("SELECT COUNT(*) FROM {rows}")[0][0] > 200
    total = rows.query("SELECT SUM(video_like_count) FROM {rows}")[0][0]
    assert total == pytest.approx(pandas_rows.frame["video_like_count"].sum(), rel=1e-12)
