"""Engines: what reads, checks and cleans the data of a build (``[data] engine``, ``--engine``).

- ``pandas``: ``reportgen.data.table``, every row in memory; the default for
  files up to ``AUTO_LIMIT_BYTES``, and the only engine whose outputs the golden
  master pins.
- ``duckdb`` (``pip install 'reportgen[duckdb]'``): ``reportgen.engines.duck``
  loads the file once into an on-disk DuckDB database with a memory limit and
  answers every check and count of the data layer by SQL over all rows; the
  studies then analyse a seeded sample of ``[data] sample_rows`` rows.
- ``spark`` (``pip install 'reportgen[spark]'``): the same SQL through Spark
  SQL (``reportgen.engines.spark``, when installed).

The contract every engine's table keeps (``TableLike``) is the one of
``reportgen.data.Table`` that the builder, ``validate`` and the studies' own
``dataset`` hooks use; ``reportgen.engines.sql`` holds the SQL the SQL engines
share. Nothing heavy is imported here: an engine's module is imported when it
is chosen, so a default build never imports DuckDB or Spark.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reportgen.data.table import StudyRows
from reportgen.errors import InputError

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.core.study import Study
    from reportgen.data import Dataset

PANDAS, DUCKDB, SPARK, AUTO = "pandas", "duckdb", "spark", "auto"

#: "auto" reads a file larger than this with DuckDB when it is installed.
#: Measured (bench/run.py, README "Performance"): the pandas path holds about
#: 850 bytes of memory a row, and the demo CSV writes about 150 bytes a row, so
#: 150 MB is about a million rows, where a pandas build of the regression alone
#: already takes 28.5 s and 1.0 GB; from there its time and memory grow with every
#: row, while DuckDB's stay near those of its sample (10M rows, every study: 55 s, 1.0 GB).
AUTO_LIMIT_BYTES = 150_000_000

#: The module an engine needs, and the pip command that installs it.
_NEEDS = {DUCKDB: ("duckdb", "pip install 'reportgen[duckdb]'"), SPARK: ("pyspark", "pip install 'reportgen[spark]'")}


@runtime_checkable
class TableLike(Protocol):
    """One reading of the file for every study of a build, whatever engine read it.

    ``reportgen.data.Table`` (pandas) and each engine's table provide these;
    a study's ``dataset`` hook and ``validate`` use nothing else.
    """

    path: Path  # the file as the user named it
    sha256: str
    header: tuple[str, ...]
    missing_by_column: dict[str, int]  # column read -> rows where it is empty (all rows)

    @property
    def rows_read(self) -> int:
        """Data rows in the file."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns read, in schema order."""

    @property
    def duplicate_rows(self) -> int:
        """Rows that repeat an earlier row in every column read."""

    @property
    def duplicate_ids(self) -> int:
        """Rows whose ``video_id`` appeared in an earlier row."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """What was read past or normalised in the file."""

    def for_columns(self, columns: Iterable[str], target: str | None = None) -> Dataset:
        """A study's usable rows (``frame``, maybe a sample) and its ``DataSummary`` (always of all rows)."""

    def dataset_for(self, columns: Iterable[str], target: str | None, needed_by: str, remedy: str) -> Dataset:
        """``for_columns`` with the words of the refusal when no row is left."""


class SampledRows(StudyRows):
    """What the out-of-core engines' tables share: repeats counted by one query, samples stratified on request.

    A subclass has the fields ``columns`` (or that property) and ``strata``, and
    implements ``_repeats()``: (rows repeating an earlier row in every column
    read, rows repeating an earlier id), over every row.
    """

    @functools.cached_property
    def _repeat_counts(self) -> tuple[int, int]:
        """``_repeats()`` once: it scans every row, and a build asks for both counts."""
        return self._repeats()

    @property
    def duplicate_rows(self) -> int:
        """Rows that repeat an earlier row in every column read."""
        return self._repeat_counts[0]

    @property
    def duplicate_ids(self) -> int:
        """Rows whose ``video_id`` appeared in an earlier row (a missing id after a missing id too, as pandas counts)."""
        return self._repeat_counts[1]

    def sampling_on(self, column: str) -> SampledRows:
        """This table, its samples stratified on ``column`` when a study gives no target."""
        return dataclasses.replace(self, strata=column if column in self.columns else None)


def installed(engine: str) -> bool:
    """Whether ``engine``'s library can be imported (without importing it)."""
    module = _NEEDS.get(engine, (None,))[0]
    return module is None or importlib.util.find_spec(module) is not None


def choose(setting: str, path: Path | str) -> str:
    """The engine a build of ``path`` uses: ``setting`` itself, or for "auto" the one its size calls for.

    Parameters
    ----------
    setting : str
        ``[data] engine`` after ``--engine``: "auto", "pandas", "duckdb" or "spark".
    path : Path or str
        The input file; "auto" reads its size (a missing file is left to the file checks).

    Returns
    -------
    str
        "pandas", "duckdb" or "spark". "auto" never picks Spark (a cluster is chosen, not guessed).

    Raises
    ------
    InputError
        An engine asked for by name is not installed (exit 2), naming the pip command.
    """
    if setting == AUTO:
        try:
            size = Path(path).stat().st_size
        except OSError:
            return PANDAS  # the file checks name what is wrong with it
        big = size > AUTO_LIMIT_BYTES or Path(path).suffix.lower() == ".parquet" and size > AUTO_LIMIT_BYTES // 4
        return DUCKDB if big and installed(DUCKDB) else PANDAS
    if not installed(setting):
        module, command = _NEEDS[setting]
        raise InputError(
            f"the {setting} engine needs {module}, which is not installed",
            hint=f"{command}, or choose another engine with --engine or [data] engine",
        )
    return setting


def size_limit(engine: str) -> int | None:
    """The largest input file ``engine`` accepts: pandas' ``REPORTGEN_MAX_INPUT_BYTES``; none out of core."""
    from reportgen.data.files import max_input_bytes

    return max_input_bytes() if engine == PANDAS else None


def read_table(engine: str, path: Path | str, columns: Iterable[str], sha256: str | None, config: Config) -> TableLike:
    """Check the file and read ``columns`` (and ``video_id``) of every row with ``engine``: the one reading of a build.

    Parameters
    ----------
    engine : str
        "pandas", "duckdb" or "spark" (``choose`` has resolved "auto").
    path : Path or str
        The claims CSV or Parquet file.
    columns : iterable of str
        Schema columns to read.
    sha256 : str, optional
        As in ``reportgen.data.read_table``.
    config : Config
        ``[data]`` (sample size) and the seed of the sample.

    Raises
    ------
    InputError
        As ``reportgen.data.read_table``: the same problems, with the same words, whatever the engine.
    """
    if engine == PANDAS:
        from reportgen.data.table import read_table as read_in_memory

        return read_in_memory(path, columns, sha256)
    if engine == DUCKDB:
        from reportgen.engines.duck import read_table as read_with_duckdb

        return read_with_duckdb(path, columns, sha256, config)
    if engine == SPARK:
        from reportgen.engines.spark import read_table as read_with_spark  # built beside this module (issue 18)

        return read_with_spark(path, columns, sha256, config)
    raise ValueError(f"unknown engine {engine!r}")


def load_studies(engine: str, path: Path | str, studies: Sequence[Study], config: Config, sha256: str | None = None) -> dict[str, Dataset]:
    """Read the file once with ``engine`` for ``studies`` and give each its ``Dataset`` (id -> dataset, in the order given)."""
    from reportgen.data.table import columns_for

    table = read_table(engine, path, columns_for(studies, config), sha256, config)
    return {study.id: study_dataset(study, table, config) for study in studies}


def study_dataset(study: Study, table: TableLike, config: Config) -> Dataset:
    """A study's rows: its ``dataset`` hook, else ``for_columns``; sampled on ``sample_by(config)`` when it names a column.

    ``sample_by`` is an optional study hook: the column a sample of the study's
    rows keeps in proportion (the classifier's target, the hypothesis' groups)
    when it has no ``target`` of its own in the summary.
    """
    from reportgen.data.table import study_dataset as in_memory

    by = getattr(study, "sample_by", None)
    strata = by(config) if callable(by) else None
    if strata and hasattr(table, "sampling_on"):
        table = table.sampling_on(strata)
    return in_memory(study, table, config)
