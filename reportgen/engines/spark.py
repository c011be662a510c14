"""The Spark engine: the claims data read, checked and summarised by Spark SQL, and the regression fit by Spark's GLM.

For data that lives on a cluster or in Parquet. Every value is read as text
(the pandas default missing markers, ``#N/A`` and empty fields among them, as
missing), then typed and checked by queries that name the same rows, in the
same words, as ``reportgen.data.values``; deduplication, missing values and
label counts run over all rows. A study's frame is a seeded, stratified sample
of the usable rows brought to pandas (all of them when they are few enough),
typed by ``values.typed`` itself so that it is the frame the pandas engine
gives. Rows are numbered in file order from Spark's per-partition ids (see
``_numbered``), never through Python.

PySpark (``pip install 'reportgen[spark]'``) and Java are optional: nothing
here imports PySpark until a session is asked for.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.data import files, parse, summary, values
from reportgen.data.table import Dataset, _in_schema_order
from reportgen.engines import SampledRows, sql
from reportgen.errors import InputError
from reportgen.results import FitRows, Sample

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

    from reportgen.config import Config
    from reportgen.engines.allrows import AllRows

ROW = "_row"  # 1-based data row number in file order, as ``values.row_numbers`` counts
_CORRUPT = "_corrupt_record"
_NOT_UTF8 = "_not_utf8"  # a field held a byte that is not UTF-8
_MID_BITS = 33  # monotonically_increasing_id puts the partition index above the low 33 bits

PIP_HINT = "pip install 'reportgen[spark]'"

_session: SparkSession | None = None
_jvm: Any = None  # py4j's JavaGateway, launched by ``_gateway``

#: What the JVM says on stderr with nothing for the user to do: Spark 4 runs with the incubating vector API; Spark
#: tells a shell (PySpark counts as one) its log level (``session`` sets it to ERROR after); and the GLM's first fit
#: finds no system BLAS/LAPACK, when Spark uses its own Java implementation (the same estimates).
_NOISE = (
    b"WARNING: Using incubator modules",
    b'Setting default log level to "',
    b"To adjust logging level use sc.setLogLevel(",
    b"netlib-blas: JNI_OnLoad: dlopen(",
    b"netlib-lapack: JNI_OnLoad: dlopen(",
)

# Spark's own log4j configuration prints INFO and WARN lines to the terminal; a build prints only its own lines.
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark: %p %c{1}: %m%n
"""


def available() -> str:
    """Why the Spark engine cannot run here ('' when it can): PySpark or Java is missing."""
    import importlib.util
    import os
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return f"PySpark is not installed ({PIP_HINT})"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "Java is not installed (Spark runs on a Java 17 runtime, e.g. Debian's default-jre-headless)"
    return ""


def session() -> SparkSession:
    """The process's Spark session: local mode on two cores, created once and stopped at exit.

    ``REPORTGEN_SPARK_MASTER`` names another master (a cluster's) instead of ``local[2]``.

    Raises
    ------
    InputError
        PySpark or Java is missing.
    """
    global _session
    if _session is not None:
        return _session
    missing = available()
    if missing:
        raise InputError(f"the spark engine cannot run: {missing}", hint="install it, or choose another engine")
    import importlib.util
    import os
    import tempfile
    import warnings

    log4j = Path(tempfile.gettempdir()) / "reportgen-spark-log4j2.properties"
    if not log4j.exists() or log4j.read_text() != _LOG4J:
        log4j.write_text(_LOG4J)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark 4.x warns about pandas 3, which it reads fine for us
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession

        conf = (
            SparkConf()
            .setMaster(os.environ.get("REPORTGEN_SPARK_MASTER", "local[2]"))
            .setAppName("reportgen")
            .set("spark.driver.memory", "1g")
            .set("spark.ui.enabled", "false")
            .set("spark.sql.session.timeZone", "UTC")
            .set("spark.sql.shuffle.partitions", "4")  # the default 200 is for clusters; small data pays per task
            .set("spark.ui.showConsoleProgress", "false")
            # Arrow speeds pandas <-> Spark only when pyarrow is installed; without it Spark warns on every transfer.
            .set("spark.sql.execution.arrow.pyspark.enabled", str(importlib.util.find_spec("pyarrow") is not None).lower())
            # The shared SQL (engines/sql.py) is plain SQL: "name" is an identifier, a backslash in a literal is
            # a backslash, and TRY_CAST (not CAST) is how a query asks for NULL where text spells no number.
            .set("spark.sql.ansi.enabled", "true")
            .set("spark.sql.ansi.doubleQuotedIdentifiers", "true")
            .set("spark.sql.parser.escapedStringLiterals", "true")
            .set("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
        )
        _session = SparkSession(SparkContext(conf=conf, gateway=_gateway(conf)))
    _session.sparkContext.setLogLevel("ERROR")
    atexit.register(stop)
    return _session


def _gateway(conf: Any) -> Any:
    """The JVM, started once a process (with ``conf``'s driver options) and its stderr passed on less the start-up
    notices (``_NOISE``): PySpark's own start leaves the JVM's stderr on the terminal."""
    import subprocess
    import threading

    global _jvm
    if _jvm is None:
        from pyspark.java_gateway import launch_gateway

        _jvm = launch_gateway(conf, popen_kwargs={"stderr": subprocess.PIPE})
        threading.Thread(target=_pass_on, args=(_jvm.proc.stderr,), name="spark-stderr", daemon=True).start()
    return _jvm


def _pass_on(stream: Any) -> None:
    """Copy the JVM's stderr to ours, line by line, less its start-up notices."""
    import sys

    for line in iter(stream.readline, b""):
        if not line.startswith(_NOISE):
            sys.stderr.buffer.write(line)
            sys.stderr.flush()


def stop() -> None:
    """Stop the session (at exit; a test may call it)."""
    global _session
    if _session is not None:
        _session.stop()
        _session = None


# --- reading -------------------------------------------------------------------------------------------------


def read_text(spark: SparkSession, path: Path, columns: tuple[str, ...]) -> tuple[DataFrame, list[str]]:
    """Every row of ``columns`` as text (missing markers as null) with its row number ``_row``, and the header.

    CSV is read with the header ``parse.read_header`` gives (the same names, a
    byte-order mark dropped) and line breaks inside quotes allowed; Parquet by
    its own schema, every column cast to text.

    Raises
    ------
    InputError
        The file is absent or empty, a column is absent or named twice, a row
        has more fields than the header, or the file has no data row.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    _check_file(path)
    if _is_parquet(path):
        frame = spark.read.parquet(str(path))
        header = list(frame.columns)
        parse.check_columns(path, header, columns)
        raw = frame.select(*[F.col(f"`{c}`").cast("string").alias(c) for c in columns])
    else:
        header = parse.read_header(path)
        parse.check_columns(path, header, columns)
        # Positional names: the header may repeat a column we do not read, and Spark refuses repeated names.
        fields = [StructField(f"_c{i}", StringType()) for i in range(len(header))]
        frame = spark.read.csv(
            str(path),
            schema=StructType([*fields, StructField(_CORRUPT, StringType())]),
            header=True,
            multiLine=True,  # a transcription may hold a quoted line break; the price is one reader per file
            escape='"',
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=_CORRUPT,
            nullValue=None,
            emptyValue="",
        )
        # Spark decodes a byte that is not UTF-8 as U+FFFD; pandas refuses the file. Flag it in any field, read or not.
        replaced = functools.reduce(lambda a, b: a | b, [F.coalesce(F.col(c).contains("\ufffd"), F.lit(False)) for c in frame.columns])
        raw = frame.select(*[F.col(f"_c{header.index(c)}").alias(c) for c in columns], F.col(_CORRUPT), replaced.alias(_NOT_UTF8))
    raw = raw.select(
        *[F.when(F.col(c).isin(list(sql.NA_TEXT)), None).otherwise(F.col(c)).alias(c) for c in columns],
        *[c for c in raw.columns if c not in columns],
    )
    numbered = _numbered(spark, raw).persist()
    if _NOT_UTF8 in numbered.columns:
        _refuse_not_utf8(numbered, path)
        _refuse_ragged(numbered, path, len(header))
        numbered = numbered.drop(_CORRUPT, _NOT_UTF8)
    return numbered, header


def _numbered(spark: SparkSession, frame: DataFrame) -> DataFrame:
    """``frame`` with ``_row``: 1, 2, ... in file order.

    ``monotonically_increasing_id`` is increasing but not consecutive (the
    partition index sits in its upper bits); one count per partition gives each
    partition's offset, so row numbers stay in the JVM (``zipWithIndex`` would
    send every row through Python).
    """
    from pyspark.sql import functions as F

    mid = frame.withColumn("_mid", F.monotonically_increasing_id()).persist()
    part = F.shiftright(F.col("_mid"), _MID_BITS)
    sizes = sorted((int(r[0]), int(r[1])) for r in mid.groupBy(part.alias("p")).count().collect())
    offsets, running = [], 0
    for p, n in sizes:
        offsets.append((p, running))
        running += n
    table = spark.createDataFrame(offsets or [(0, 0)], "p long, offset long")
    low = F.col("_mid").bitwiseAND((1 << _MID_BITS) - 1)
    return (
        mid.join(F.broadcast(table), part == F.col("p"))
        .withColumn(ROW, low + F.col("offset") + 1)
        .drop("_mid", "p", "offset")
    )


def _check_file(path: Path) -> None:
    """``files.check_file`` without its size limit (Spark does not hold the rows in memory); a folder of Parquet files passes."""
    if not (path.is_dir() and any(path.rglob("*.parquet"))):
        files.check_file(path, None)


def _refuse_not_utf8(frame: DataFrame, path: Path) -> None:
    """A file with bytes that are not UTF-8, refused with the pandas engine's words, column and rows.

    Spark reads such a byte as U+FFFD; only then is the file scanned (by
    ``parse._utf8_error``) for the rows, and a U+FFFD that the file really
    holds, as valid UTF-8, is no error.
    """
    from reportgen.data import parse

    from pyspark.sql import functions as F

    if frame.where(F.col(_NOT_UTF8)).limit(1).count():
        error = parse._utf8_error(path)
        if error.rows:
            raise error


def _is_parquet(path: Path) -> bool:
    """A Parquet file (or a folder of them, as Spark writes): by its name or its magic bytes."""
    if path.is_dir() or path.suffix.lower() == ".parquet":
        return True
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def _refuse_ragged(frame: DataFrame, path: Path, fields: int) -> None:
    """The first row with more fields than the header, named as the pandas engine names it (Spark would cut it).

    A row with fewer fields is read with the rest missing, as pandas reads it.
    """
    import csv
    import sys

    from pyspark.sql import functions as F

    from reportgen.data import parse

    bad = frame.where(F.col(_CORRUPT).isNotNull()).select(ROW, _CORRUPT).orderBy(ROW)
    limit = csv.field_size_limit(sys.maxsize)
    try:
        for row, record in bad.toLocalIterator():
            saw = len(next(csv.reader([record]), []))  # one record: quoted line breaks stay inside it
            if saw > fields:
                raise parse._parser_error(path, f"Expected {fields} fields in line {row + 1}, saw {saw}")
    finally:
        csv.field_size_limit(limit)


def _rows(frame: DataFrame) -> list[int]:
    """The row numbers of ``frame``, in file order."""
    return [int(r[0]) for r in frame.select(ROW).orderBy(ROW).collect()]


# --- typing and validation (values.py as queries) -----------------------------------------------------------


def _first(frame: DataFrame, column: str) -> Any:
    """The first value of ``column`` in file order."""
    return frame.orderBy(ROW).select(column).first()[0]


def refuse_empty_columns(frame: DataFrame, path: Path, missing: dict[str, int], rows: int) -> None:
    """``values.refuse_empty_columns`` from the missing counts."""
    for column, n in missing.items():
        if column != schema.TRANSCRIPTION and n == rows:
            hint = (
                "fix the export"
                if column in (schema.VIDEO_ID, *schema.CATEGORIES)
                else "fix the export, or leave the column out of model.predictors and model.extra_candidates in a --config file"
            )
            raise InputError(f"every one of the {rows:,} rows is missing a value here", file=path, column=column, hint=hint)


def _check_counts(frame: DataFrame, path: Path, column: str) -> None:
    """``values._counts_column``'s refusals, in its order, naming the same rows."""
    from pyspark.sql import functions as F

    text, number = F.col(column), F.expr(sql.as_number(column))
    bad = frame.where(text.isNotNull() & number.isNull())
    rows = _rows(bad)
    if rows:
        example = repr(_first(bad, column))[:40]
        raise InputError(f"text where a number belongs (e.g. {example})", file=path, column=column, rows=rows)
    limit = schema.COUNT_LIMITS.get(column, float("inf"))
    finite = ~F.isnan(number) & (F.abs(number) != float("inf"))
    problems = (
        (number < 0, "negative count", ""),
        (finite & (number != F.round(number)), "count that is not a whole number", ""),
        (F.abs(number) == float("inf"), "infinite value", ""),
        (
            number > limit,
            "implausibly large value",
            f"this column holds at most {limit:,.0f}; a larger value is a corrupt field or a unit error",
        ),
    )
    for mask, what, hint in problems:
        bad = frame.select(ROW, number.alias("_n")).where(mask)
        rows = _rows(bad)
        if rows:
            raise InputError(f"{what} (e.g. {_first(bad, '_n'):.15g})", file=path, column=column, rows=rows, hint=hint)


def _check_ids(frame: DataFrame, path: Path) -> None:
    """``values._id_column``'s refusals: an id not written in digits, named as a count first when it is one."""
    from pyspark.sql import functions as F

    text = F.trim(F.col(schema.VIDEO_ID))
    bad = frame.where(F.col(schema.VIDEO_ID).isNotNull() & ~text.rlike(r"^\+?[0-9]+(\.0*)?$"))
    rows = _rows(bad)
    if rows:
        _check_counts(frame, path, schema.VIDEO_ID)
        example = repr(_first(bad, schema.VIDEO_ID))[:40]
        raise InputError(
            f"an id not written in digits (e.g. {example})",
            file=path,
            column=schema.VIDEO_ID,
            rows=rows,
            hint="a spreadsheet that shows ids as 1.23E+18 has rounded them; format the column as text and export again",
        )


def _canonical_id() -> Any:
    """The id as the integer it spells, in digits ('+007.0' is '7'): what makes two ids one, as in the pandas engine."""
    from pyspark.sql import functions as F

    digits = F.regexp_replace(F.regexp_extract(F.trim(F.col(schema.VIDEO_ID)), r"^\+?([0-9]+)", 1), "^0+", "")
    return F.when(F.col(schema.VIDEO_ID).isNull(), None).when(digits == "", "0").otherwise(digits)


def _category(frame: DataFrame, path: Path, column: str, allowed: tuple[str, ...]) -> tuple[Any, str]:
    """The column mapped onto the allowed spelling, and ``values._category_values``' note; an unknown value is refused."""
    from pyspark.sql import functions as F

    canonical = F.lower(F.regexp_replace(F.trim(F.col(column)), r"\s+", " "))
    spelling = {" ".join(a.split()).casefold(): a for a in allowed}
    others = (
        frame.where(F.col(column).isNotNull() & ~F.col(column).isin(list(allowed)))
        .groupBy(column)
        .agg(F.min(ROW).alias("first"), F.count("*").alias("n"))
        .orderBy("first")
        .collect()
    )
    fixes = {r[column]: spelling.get(" ".join(r[column].split()).casefold()) for r in others}
    unknown = [v for v, fixed in fixes.items() if fixed is None]
    if unknown:
        rows = _rows(frame.where(F.col(column).isin(unknown)))
        raise InputError(
            f"unknown value(s) {', '.join(repr(v)[:40] for v in unknown[:3])}",
            file=path,
            column=column,
            rows=rows,
            hint="allowed values: " + ", ".join(repr(a) for a in allowed),
        )
    mapped = F.col(column)
    for canon, allowed_value in spelling.items():
        mapped = F.when(canonical == canon, F.lit(allowed_value)).otherwise(mapped)
    if not fixes:
        return F.col(column), ""
    changed = sum(int(r["n"]) for r in others)
    shown = ", ".join(f"{v!r} as {fixed!r}" for v, fixed in list(fixes.items())[:3])
    note = (
        f"{changed:,} value(s) in {column} differed from the allowed spelling only in case or spaces "
        f"and were read as allowed ({shown})."
    )
    return mapped, note


def typed(frame: DataFrame, path: Path) -> tuple[DataFrame, dict[str, str]]:
    """Counts as doubles, ids as their digits, categories in the allowed spelling; the raw text kept for the sample.

    Returns
    -------
    frame : DataFrame
        ``_row``, each column typed under its own name, and ``_raw_<column>`` the text as read.
    notes : dict
        Category column -> what was normalised in it.

    Raises
    ------
    InputError
        A value breaks the schema, named as ``values.typed`` names it.
    """
    from pyspark.sql import functions as F

    columns = [c for c in frame.columns if c != ROW]
    notes: dict[str, str] = {}
    by_name = {c: F.col(c) for c in columns}  # the transcription stays text
    for column in columns:  # in values.typed's order, so the first refusal is the one the pandas engine gives
        if column in schema.COUNTS:
            _check_counts(frame, path, column)
            by_name[column] = F.expr(sql.as_number(column))
    _check_ids(frame, path)
    by_name[schema.VIDEO_ID] = _canonical_id()
    for column, allowed in schema.CATEGORIES.items():
        if column in columns:
            by_name[column], note = _category(frame, path, column, allowed)
            if note:
                notes[column] = note
    raw = [F.col(c).alias(f"_raw_{c}") for c in columns]
    return frame.select(ROW, *[by_name[c].alias(c) for c in columns], *raw), notes


# --- the table a build shares --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SparkTable(SampledRows):
    """Every row of the file, typed, in a Spark DataFrame: what the studies of a build share (``engines.TableLike``)."""

    frame: DataFrame  # _row, the columns read (typed), _raw_<column> (the text as read)
    path: Path
    sha256: str
    modified: str
    header: tuple[str, ...]
    rows_read: int
    columns: tuple[str, ...]
    missing_by_column: dict[str, int]
    notes: dict[str, str]
    sample_rows: int
    seed: int
    strata: str | None = None  # the column a sample keeps in proportion when the study names no target

    def dataset_for(self, columns: Iterable[str], target: str | None, needed_by: str, remedy: str) -> Dataset:
        """``for_columns`` with the words of the refusal when no row is left."""
        from pyspark.sql import functions as F

        spark = session()
        wanted = _in_schema_order(columns, "a study reads")
        not_read = [c for c in (*wanted, *([target] if target else [])) if c not in self.columns]
        if not_read or (target and target not in wanted):
            raise ValueError(f"column(s) {not_read or [target]} not among the columns read {list(self.columns)}")
        key = wanted if schema.VIDEO_ID in wanted else _in_schema_order((*wanted, schema.VIDEO_ID), "")
        typed_view = self._view()
        # The shared query of summary.drop_unusable (engines/sql.py), as DuckDB runs it.
        flags = spark.sql(sql.drop_flags(typed_view, key, [c for c in wanted if c not in summary.OPTIONAL])).persist()
        flags.createOrReplaceTempView("flags")
        by_reason = {r[0]: int(r[1]) for r in spark.sql(sql.drop_summary("flags")).collect()}
        used = by_reason.pop(None, 0)
        order = (summary.MISSING, summary.DUPLICATE_ROW, summary.DUPLICATE_ID)
        dropped = {r: by_reason[r] for r in order if by_reason.get(r)}
        missing = {c: self.missing_by_column[c] for c in wanted}
        if not used:
            flags.unpersist()
            raise summary.nothing_usable(self.path, missing, self.rows_read, needed_by, remedy)
        repeats, repeat_ids = flags.agg(F.count_if("repeat"), F.count_if("repeat_id")).first()
        kept = self.frame.join(flags.where(F.col("reason").isNull()).select(ROW), ROW).persist()
        kept.createOrReplaceTempView("kept")
        target_counts = {}
        if target:
            found = {r[0]: int(r[1]) for r in spark.sql(sql.label_counts("kept", target)).collect()}
            target_counts = {label: found.get(label, 0) for label in schema.CATEGORIES[target]}
        strata = target or (self.strata if self.strata in wanted else None)
        chosen, sample = self._sample(kept, used, strata)
        frame, row_numbers = self._to_pandas(chosen, wanted)
        typed_kept = kept.drop(*[c for c in kept.columns if c.startswith("_raw_")])
        fit_all = functools.partial(fit_training_rows, typed_kept, chosen.select(ROW), row_numbers)
        all_rows = _all_rows(typed_kept.select(ROW, *wanted), used, row_numbers) if sample else None
        kept.unpersist()
        flags.unpersist()
        data = self.study_summary(
            wanted,
            dropped,
            rows_used=used,
            target_counts=target_counts,
            duplicate_rows=repeats,
            duplicate_ids=repeat_ids,
            sample=sample,
        )
        return Dataset(frame=frame, summary=data, path=self.path, fit_all=fit_all, all_rows=all_rows)

    def _view(self) -> str:
        """The typed rows as a temporary view for the shared SQL (its name is this table's)."""
        name = f"typed_{id(self.frame)}"
        self.frame.createOrReplaceTempView(name)
        return name

    def _repeats(self) -> tuple[int, int]:
        """Rows repeating an earlier row in every column read, and rows repeating an earlier id."""
        from pyspark.sql import functions as F

        flags = session().sql(sql.drop_flags(self._view(), self.columns, ()))
        first = flags.agg(F.count_if("repeat"), F.count_if("repeat_id")).first()
        return int(first[0]), int(first[1])

    def _sample(self, kept: DataFrame, usable: int, strata: str | None) -> tuple[DataFrame, Sample | None]:
        """All usable rows, or ``sample_rows`` of them: in each stratum the rows with the smallest seeded hash.

        The hash of (seed, row number) does not depend on how Spark partitions
        the data, so the same seed draws the same rows on any cluster.
        """
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        if usable <= self.sample_rows:
            return kept, None
        draw = F.xxhash64(F.lit(self.seed), F.col(ROW))
        if strata:
            sizes = {r[0]: int(r[1]) for r in kept.groupBy(strata).count().collect()}
            quota = F.lit(0)
            for label, n in _quotas(sizes, self.sample_rows).items():
                quota = F.when(F.col(strata).eqNullSafe(F.lit(label)), F.lit(n)).otherwise(quota)
            rank = F.row_number().over(Window.partitionBy(strata).orderBy(draw, ROW))
            chosen = kept.withColumn("_rank", rank).where(F.col("_rank") <= quota).drop("_rank")
        else:
            chosen = kept.orderBy(draw, ROW).limit(self.sample_rows)
        return chosen, Sample(rows=self.sample_rows, rows_usable=usable, seed=self.seed, stratified_by=strata)

    def _to_pandas(self, chosen: DataFrame, wanted: tuple[str, ...]) -> tuple[pd.DataFrame, list[int]]:
        """The chosen rows in file order, typed by ``values.typed`` from the text as read: the pandas engine's frame.

        With it, the row number of each of its rows (its index is 0, 1, ... as the pandas engine's): what tells
        ``fit_training_rows`` which rows of the file a split of the frame put in test.
        """
        import pandas as pd

        read = _in_schema_order((*wanted, schema.VIDEO_ID), "")
        rows = chosen.orderBy(ROW).select(ROW, *[f"_raw_{c}" for c in read]).collect()
        raw = pd.DataFrame([tuple(r)[1:] for r in rows], columns=list(read), dtype="string")
        frame, _ = values.typed(raw, self.path)  # the notes come from every row, in read_table
        return frame[list(wanted)], [int(r[0]) for r in rows]


def _quotas(sizes: dict[Any, int], total: int) -> dict[Any, int]:
    """Proportional allocation of ``total`` over strata (largest remainders), each at most its size."""
    whole = sum(sizes.values())
    exact = {k: total * n / whole for k, n in sizes.items()}
    quotas = {k: min(int(v), sizes[k]) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - int(exact[k])), str(k)))[: total - sum(quotas.values())]:
        quotas[k] = min(quotas[k] + 1, sizes[k])
    return quotas


def read_table(path: Path | str, columns: Iterable[str], sha256: str | None, config: Config) -> SparkTable:
    """Read and check ``columns`` (and ``video_id``) of every row through Spark: the one reading of a build.

    Parameters
    ----------
    path : Path or str
        The claims CSV or Parquet file (or a folder of Parquet files, as Spark writes them).
    columns : iterable of str
        Schema columns to read.
    sha256 : str, optional
        The file's sha256 when known; else it is computed (a folder is hashed file by file).
    config : Config
        ``[data] sample_rows`` and the seed of the sample (``model.seed``).

    Raises
    ------
    InputError
        As ``data.table.read_table``: the file cannot be read as the claims
        data, a value breaks the schema (named by column and rows), or a column
        read is empty throughout; and when PySpark or Java is missing.
    """
    from pyspark.sql import functions as F

    path = Path(path)
    wanted = _in_schema_order((*columns, schema.VIDEO_ID), "asked to read")
    spark = session()
    with files.reading(path):
        before = getattr(sha256, "state", None) or (files.file_state(path) if path.is_file() else None)
        text, header = read_text(spark, path, wanted)  # the rows are read (and kept) by the time it returns
        digest = str(sha256 or _sha256(path))
        if before is not None and files.file_state(path) != before:
            raise InputError("the file changed while it was being read", file=path, hint="run again when it is complete")
    counts = text.agg(F.count("*").alias("_rows"), *[F.count(c).alias(c) for c in wanted]).first()
    rows = int(counts["_rows"])
    if not rows:
        raise InputError("the file has a header but no data rows", file=path)
    missing = {c: rows - int(counts[c]) for c in wanted}
    refuse_empty_columns(text, path, missing, rows)
    frame, notes = typed(text, path)
    frame = frame.persist()
    return SparkTable(
        frame=frame,
        path=path,
        sha256=digest,
        modified=dt.date.fromtimestamp(path.stat().st_mtime).isoformat(),
        header=tuple(header),
        rows_read=rows,
        columns=wanted,
        missing_by_column=missing,
        notes=notes,
        sample_rows=config.data.sample_rows,
        seed=config.model.seed,
    )


def _sha256(path: Path) -> str:
    """The file's sha256; for a folder, of its files' names and hashes in name order."""
    import hashlib

    from reportgen.data import files

    if not path.is_dir():
        return files.sha256_of(path)
    digest = hashlib.sha256()
    for part in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))):
        digest.update(f"{part.relative_to(path)}\0{files.sha256_of(part)}\n".encode())
    return digest.hexdigest()


# --- the regression fit --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlmResult:
    """What ``fit_binomial_glm`` gives, in statsmodels' ``LogitResults`` names (intercept first), so the code
    that reads a statsmodels fit (``analysis.model.fit_inference``) reads this one unchanged."""

    names: tuple[str, ...]
    params: Any  # ndarray
    bse: Any
    pvalues: Any
    cov: Any  # ndarray, the inverse Fisher information at the estimate
    llf: float
    llnull: float
    nobs: int
    iterations: int
    mle_retvals: dict[str, Any]

    def cov_params(self) -> Any:
        """The covariance of the estimates."""
        return self.cov

    @property
    def tvalues(self) -> Any:
        """Wald z statistics."""
        return self.params / self.bse

    @property
    def df_model(self) -> int:
        """Slopes fitted."""
        return len(self.names) - 1

    @property
    def prsquared(self) -> float:
        """McFadden's pseudo R-squared."""
        return 1 - self.llf / self.llnull

    @property
    def llr_pvalue(self) -> float:
        """The likelihood-ratio test against the intercept-only model."""
        from scipy.stats import chi2

        return float(chi2.sf(2 * (self.llf - self.llnull), self.df_model))


def fit_binomial_glm(frame: DataFrame | pd.DataFrame, target: str, predictors: Iterable[str], max_iter: int = 100):
    """The logistic regression through Spark's binomial GLM (IRLS) over every row of ``frame``.

    Parameters
    ----------
    frame : pyspark DataFrame or pandas DataFrame
        ``target`` (0/1) and numeric ``predictors`` (a design matrix's columns
        without the intercept); rows with a missing value are the caller's to drop.
    target : str
    predictors : iterable of str
    max_iter : int
        IRLS iterations; the tolerance is 1e-12 and there is no penalty, so the
        estimate is the maximum-likelihood one that statsmodels' Logit gives.

    Returns
    -------
    reportgen.analysis.logit.LogitFit
        ``result`` is a ``GlmResult``: ``params``, ``bse``, ``pvalues``,
        ``cov_params()``, ``llf``, ``llnull``, ``prsquared``, ``llr_pvalue``,
        intercept first (named ``Intercept``) as in the statsmodels fit.
        Spark reports standard errors and p-values but not the covariance the
        per-unit back-transformation needs: it is the inverse of X'WX, summed
        over the rows by one aggregation, and its diagonal is checked against
        Spark's standard errors.
    """
    import numpy as np
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.regression import GeneralizedLinearRegression
    from pyspark.sql import functions as F

    from reportgen.analysis.design import INTERCEPT
    from reportgen.analysis.logit import LogitFit

    names = list(predictors)
    if not hasattr(frame, "sparkSession"):
        frame = session().createDataFrame(frame[[target, *names]].astype(float))
    safe = [f"_x{i}" for i in range(len(names))]  # a design name such as "claim_status[opinion]" is no Spark identifier
    rows = frame.select(F.col(f"`{target}`").cast("double").alias("_y"), *[F.col(f"`{n}`").cast("double").alias(s) for n, s in zip(names, safe)])
    data = VectorAssembler(inputCols=safe, outputCol="_features").transform(rows).persist()
    glm = GeneralizedLinearRegression(
        family="binomial", link="logit", featuresCol="_features", labelCol="_y", maxIter=max_iter, tol=1e-12, regParam=0.0
    )
    try:
        model = glm.fit(data)
    except Exception as exc:  # noqa: BLE001 - Spark raises JVM errors for a singular or separated design
        data.unpersist()
        return LogitFit(None, False, (f"the fit failed: {str(exc).splitlines()[0]}",))
    fit = model.summary
    params = np.array([model.intercept, *model.coefficients.toArray()])
    # Spark lists the intercept last; statsmodels (and our design) first.
    spark_se = np.roll(np.array(fit.coefficientStandardErrors), 1)
    pvalues = np.roll(np.array(fit.pValues), 1)
    cov = _inverse_information(rows, safe, params)
    data.unpersist()
    converged = fit.numIterations < max_iter
    notes: list[str] = []
    if not np.allclose(np.sqrt(np.diag(cov)), spark_se, rtol=1e-6, atol=1e-12):
        notes.append("Spark's standard errors and the covariance of the estimates disagree: the design is near-singular")
    if not converged:
        notes.append(f"the maximum-likelihood fit did not converge in {max_iter} iterations: its estimates are not reliable")
    result = GlmResult(
        names=(INTERCEPT, *names),
        params=params,
        bse=spark_se,
        pvalues=pvalues,
        cov=cov,
        llf=-fit.deviance / 2,  # a 0/1 outcome's saturated log-likelihood is 0
        llnull=-fit.nullDeviance / 2,
        nobs=int(fit.numInstances),
        iterations=int(fit.numIterations),
        mle_retvals={"converged": converged, "iterations": int(fit.numIterations)},
    )
    return LogitFit(result, converged, tuple(notes))


def _inverse_information(rows: DataFrame, columns: list[str], params: Any) -> Any:
    """(X'WX)^-1 at ``params``, X with the intercept first and W = p(1 - p): one pass of sums over the rows."""
    import numpy as np
    from pyspark.sql import functions as F

    x = [F.lit(1.0), *[F.col(c) for c in columns]]
    eta = F.lit(float(params[0]))
    for b, c in zip(params[1:], columns):
        eta = eta + F.lit(float(b)) * F.col(c)
    p = 1 / (1 + F.exp(-eta))
    w = p * (1 - p)
    k = len(x)
    pairs = [(i, j) for i in range(k) for j in range(i, k)]
    sums = rows.agg(*[F.sum(w * x[i] * x[j]) for i, j in pairs]).first()
    info = np.zeros((k, k))
    for (i, j), v in zip(pairs, sums):
        info[i, j] = info[j, i] = float(v)
    return np.linalg.inv(info)


def fit_training_rows(
    usable: DataFrame, sampled: DataFrame, row_numbers: list[int], split: Any, spec: Any, config: Config
) -> tuple[Any, FitRows]:
    """The inference fit (``analysis.model.fit_inference``'s) by Spark's GLM over every usable training row.

    The training rows are the split's training rows of the study's sample and,
    of the usable rows outside the sample, those a seeded hash of the row
    number assigns to training: a row goes to test when the hash, as a
    fraction, falls below ``model.test_size``, so each row outside the sample
    is a training row with probability 1 - test_size, independently of how
    Spark partitions the data. The sample's test rows are never fitted: the
    rows the study evaluates the model on stay unseen. When every usable row is
    in the sample, the fit uses exactly the split's training rows.

    Parameters
    ----------
    usable : DataFrame
        Every usable row of the study (``_row`` and the typed columns).
    sampled : DataFrame
        ``_row`` of the rows in the study's frame (all of ``usable`` when nothing was sampled).
    row_numbers : list of int
        The row number of each row of the frame, in its order.
    split : analysis.split.Split
        The split of the frame (its index is the frame's: 0, 1, ...).
    spec : analysis.design.DesignSpec
        The design of the analysed training rows: the same columns, scaling and reference levels.
    config : Config
        ``[model]``: target, positive class, ``log1p_counts``, seed and test share.

    Returns
    -------
    fit : analysis.logit.LogitFit
        As ``fit_binomial_glm`` gives it.
    rows : FitRows
        How many rows the fit used, and how they were chosen.
    """
    from pyspark.sql import functions as F

    from reportgen.analysis.design import LOG1P_COLUMNS

    m = config.model
    spark = session()
    held_out = spark.createDataFrame([(row_numbers[int(i)],) for i in split.test.index], f"{ROW} long")
    in_sample = sampled.withColumn("_in_sample", F.lit(True))
    draw = (F.xxhash64(F.lit(m.seed), F.lit("split"), F.col(ROW)) % 1_000_000 + 1_000_000) % 1_000_000 / 1_000_000
    rows = (
        usable.join(F.broadcast(held_out), ROW, "left_anti")
        .join(in_sample, ROW, "left")
        .where(F.col("_in_sample").isNotNull() | (draw >= F.lit(float(m.test_size))))
    )
    design = [(F.col(m.target) == F.lit(m.positive_class)).cast("double").alias("_y")]
    for c in spec.continuous:
        value = F.log1p(F.col(c).cast("double")) if m.log1p_counts and c in LOG1P_COLUMNS else F.col(c).cast("double")
        design.append(((value - F.lit(spec.means[c])) / F.lit(spec.sds[c])).alias(c))
    for c in spec.categorical:
        design += [(F.col(c) == F.lit(level)).cast("double").alias(f"{c}[{level}]") for level in spec.levels[c]]
    names = spec.column_names()[1:]
    frame = rows.select(*design, F.col("_in_sample")).persist()
    try:
        counts = frame.agg(F.count("*"), F.sum("_y"), F.count_if(F.col("_in_sample").isNotNull())).first()
        fit = fit_binomial_glm(frame.drop("_in_sample"), "_y", names)
    finally:
        frame.unpersist()
    used = FitRows(
        engine="spark",
        rows=int(counts[0]),
        positives=int(counts[1] or 0),
        sampled=int(counts[2]),
        seed=m.seed,
        test_size=float(m.test_size),
    )
    return fit, used


_SOURCES = itertools.count()


def _all_rows(usable: Any, rows: int, sample_keys: list[int]) -> AllRows:
    """A study's usable rows (a Spark DataFrame) as a SQL source: a temporary view of its own.

    ``sample_keys``: the row number of each row of the study's frame, in its order (``_to_pandas``).
    """
    import numpy as np

    from reportgen.engines.allrows import AllRows

    name = f"usable_{next(_SOURCES)}"
    usable.createOrReplaceTempView(name)
    keys = np.asarray(sample_keys, dtype=np.int64)
    return AllRows(lambda q: [tuple(r) for r in session().sql(q).collect()], name, sql.SPARK, rows, stream=_stream, sample_keys=keys)


def _stream(query: str, size: int) -> Iterator[pd.DataFrame]:
    """``query``'s rows as frames of at most ``size`` rows: the driver holds one partition and one frame at a time."""
    import pandas as pd

    result = session().sql(query)
    columns, batch = result.columns, []
    for row in result.toLocalIterator(prefetchPartitions=False):
        batch.append(tuple(row))
        if len(batch) == size:
            yield pd.DataFrame.from_records(batch, columns=columns)
            batch = []
    if batch:
        yield pd.DataFrame.from_records(batch, columns=columns)
