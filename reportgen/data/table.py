"""One reading of the CSV for a whole build, and each study's rows from it.

``read_table`` checks the file, reads the columns every chosen study needs
(and the id, which tells repeats) once, and types every value once: a value
that breaks the schema in any column read is refused, whichever study reads
it. ``Table.for_columns`` then gives a study its own ``Dataset``: its columns
only, rows dropped only for a value missing in one of them or for repeats, and
its own ``DataSummary``. A study's rows and summary are exactly those a reading
of its columns alone would give, so a study never loses a row over a column it
does not read, and adding a study to a build changes no other study's numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.config import Config
from reportgen.data import files, parse, summary, values
from reportgen.errors import InputError
from reportgen.results import DataSummary, Sample

if TYPE_CHECKING:
    import pandas as pd

    from reportgen.core.study import Study


@dataclass(frozen=True)
class Dataset:
    """The usable rows of one study, typed, and the summary of how they were obtained."""

    frame: pd.DataFrame
    summary: DataSummary
    path: Path | None = None  # the file as the user named it, for error messages
    #: An engine's fit of the inference model over every usable training row, not only the frame's
    #: (the Spark engine sets it): ``fit_all(split, spec, config) -> (LogitFit, FitRows)``.
    fit_all: Callable[..., Any] | None = field(default=None, compare=False, repr=False)
    #: Every usable row, left in the engine, when ``frame`` is a sample of them (DuckDB, Spark): a
    #: ``reportgen.engines.allrows.AllRows`` for statistics over all of them. None when ``frame`` holds every usable row.
    all_rows: Any = field(default=None, compare=False, repr=False)


class StudyRows:
    """What every engine's table does the same way (``Table``, and the DuckDB and Spark tables).

    A subclass has ``path``, ``sha256``, ``modified``, ``header``, ``notes``
    and ``rows_read``, and implements ``dataset_for``.
    """

    @property
    def warnings(self) -> tuple[str, ...]:
        """What was read past or normalised in the file, whatever a study reads."""
        return (*summary.ignored_columns(self.header), *self.notes.values())

    def for_columns(self, columns: Iterable[str], target: str | None = None) -> Dataset:
        """The rows a study reading ``columns`` can use, with its summary.

        Parameters
        ----------
        columns : iterable of str
            The study's columns (``study.columns(config)``); all must have been read.
        target : str, optional
            A column among ``columns`` whose label counts go in ``summary.target_counts``.

        Returns
        -------
        Dataset
            ``frame`` holds ``columns`` in schema order; rows missing a value in
            one of them (the transcription excepted), exact repeats and repeated
            ids are dropped and counted by reason. An out-of-core engine's frame
            may be a seeded sample of them (``summary.sample``); the summary
            always counts every row.

        Raises
        ------
        InputError
            A column is not in the schema, or no row is left.
        ValueError
            A column or the target was not read into this table.
        """
        return self.dataset_for(columns, target, "the study", "")

    def study_summary(
        self,
        wanted: Sequence[str],
        dropped: dict[str, int],
        *,
        rows_used: int,
        target_counts: dict[str, int],
        duplicate_rows: int,
        duplicate_ids: int,
        sample: Sample | None = None,
    ) -> DataSummary:
        """The ``DataSummary`` of a study reading ``wanted``: counts from the engine, words shared by all of them."""
        return DataSummary(
            source=self.path.name,
            sha256=self.sha256,
            rows_read=self.rows_read,
            rows_used=int(rows_used),
            rows_dropped=sum(dropped.values()),
            dropped_reasons=dropped,
            target_counts=target_counts,
            missing_by_column={c: self.missing_by_column[c] for c in wanted},
            duplicate_rows=int(duplicate_rows),
            duplicate_ids=int(duplicate_ids),
            modified=self.modified,
            warnings=(
                *summary.ignored_columns(self.header),
                *(note for column, note in self.notes.items() if column in wanted),
                *summary.drop_warnings(dropped),
            ),
            sample=sample,
        )


@dataclass(frozen=True, eq=False)
class Table(StudyRows):
    """Every row of the file, typed, in the columns read: what the studies of a build share."""

    frame: pd.DataFrame  # all rows, in file order; the columns read, in schema order
    path: Path  # the file as the user named it
    sha256: str
    modified: str  # ISO date of the file
    header: tuple[str, ...]
    missing_by_column: dict[str, int]  # column read -> rows where it is empty
    notes: dict[str, str]  # category column -> how its spelling was normalised

    @property
    def rows_read(self) -> int:
        """Data rows in the file."""
        return len(self.frame)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns read, in schema order."""
        return tuple(self.frame.columns)

    @property
    def duplicate_rows(self) -> int:
        """Rows that repeat an earlier row in every column read."""
        return int(self.frame.duplicated().sum())

    @property
    def duplicate_ids(self) -> int:
        """Rows whose ``video_id`` appeared in an earlier row."""
        return int(self.frame[schema.VIDEO_ID].duplicated().sum())

    def dataset_for(self, columns: Iterable[str], target: str | None, needed_by: str, remedy: str) -> Dataset:
        """``for_columns`` with the words of the refusal when no row is left (``needed_by``: who needs the columns)."""
        wanted = _in_schema_order(columns, "a study reads")
        not_read = [c for c in (*wanted, *([target] if target else [])) if c not in self.frame.columns]
        if not_read or (target and target not in wanted):
            raise ValueError(f"column(s) {not_read or [target]} not among the columns read {list(self.columns)}")
        key = wanted if schema.VIDEO_ID in wanted else _in_schema_order((*wanted, schema.VIDEO_ID), "")
        rows = self.frame if key == self.columns else self.frame[list(key)]  # no copy when it reads every column read
        kept, dropped = summary.drop_unusable(rows, [c for c in wanted if c not in summary.OPTIONAL])
        missing = {c: self.missing_by_column[c] for c in wanted}
        if kept.empty:
            raise summary.nothing_usable(self.path, missing, self.rows_read, needed_by, remedy)
        frame = kept if key == wanted else kept[list(wanted)]
        data = self.study_summary(
            wanted,
            dropped,
            rows_used=len(frame),
            target_counts=summary.counts(frame[target]) if target else {},
            # Of the typed values, not the text: "007" and "7" are one id, as in the rows dropped.
            duplicate_rows=int(rows.duplicated().sum()),
            duplicate_ids=self.duplicate_ids,
        )
        return Dataset(frame=frame, summary=data, path=self.path)


def read_table(path: Path | str, columns: Iterable[str], sha256: str | None = None) -> Table:
    """Check the file and read ``columns`` (and ``video_id``) of every row, typed: the one reading of a build.

    Parameters
    ----------
    path : Path or str
        The claims CSV.
    columns : iterable of str
        Schema columns to read (``columns_for(studies, config)`` in a build).
    sha256 : str, optional
        The file's sha256 when the caller has it already (a build hashes first).
        From ``fingerprint``, the file must be as it was when hashed.

    Raises
    ------
    InputError
        The file cannot be read as the claims CSV, a value breaks the schema, a
        column read is empty throughout, or the file changed while it was being read.
    """
    path = Path(path)
    wanted = _in_schema_order((*columns, schema.VIDEO_ID), "asked to read")
    with files.reading(path):
        files.check_file(path)
        before = getattr(sha256, "state", None) or files.file_state(path)
        if parse.is_parquet(path):
            header, raw = parse.read_parquet(path, wanted)
        else:
            header = parse.read_header(path)
            raw = parse.read_rows(path, header, wanted)  # looked up on the module: tests count the readings
        digest = str(sha256 or files.sha256_of(path))
        if files.file_state(path) != before:
            raise InputError("the file changed while it was being read", file=path, hint="run again when it is complete")
    missing_by_column = {c: int(n) for c, n in raw.isna().sum().items()}
    values.refuse_empty_columns(raw, path)
    frame, notes = values.typed(raw, path)
    return Table(
        frame=frame,
        path=path,
        sha256=digest,
        modified=dt.date.fromtimestamp(before.mtime_ns // 1_000_000_000).isoformat(),
        header=tuple(header),
        missing_by_column=missing_by_column,
        notes=notes,
    )


def analysed_columns(config: Config) -> tuple[str, ...]:
    """The columns the regression reads, in schema order: id, text, target, predictors and candidates."""
    m = config.model
    wanted = {schema.VIDEO_ID, schema.TRANSCRIPTION, m.target, *m.predictors, *m.extra_candidates}
    unknown = wanted - set(schema.REQUIRED)
    if unknown:
        raise InputError(f"the config names column(s) not in the schema: {sorted(unknown)}")
    return tuple(c for c in schema.REQUIRED if c in wanted)


def regression_dataset(table: Table, config: Config) -> Dataset:
    """The regression's rows: its columns, the counts of ``model.target``, and a target of two labels.

    Raises
    ------
    InputError
        No row is usable, or the target holds more than two labels.
    """
    target = config.model.target
    dataset = table.dataset_for(analysed_columns(config), target, "the model", ", or leave such columns out of model.predictors")
    summary.refuse_more_than_two_labels(dataset.frame, target, table.path)
    return dataset


def load_dataset(path: Path | str, config: Config, sha256: str | None = None) -> Dataset:
    """Read, check and clean the CSV for the regression alone (``read_table`` then ``regression_dataset``).

    Parameters
    ----------
    path : Path or str
        The claims CSV.
    config : Config
        Names the target, predictors and candidates to read.
    sha256 : str, optional
        As in ``read_table``.

    Returns
    -------
    Dataset
        Usable rows with categorical dtypes, and a ``DataSummary``.

    Raises
    ------
    InputError
        The file cannot be read as the claims CSV, a value breaks the schema,
        the target does not hold two labels, or the file changed while it was
        being read.
    """
    return regression_dataset(read_table(path, analysed_columns(config), sha256), config)


def columns_for(studies: Sequence[Study], config: Config) -> tuple[str, ...]:
    """Every column the ``studies`` read, and the id, in schema order: what a build reads once.

    Raises
    ------
    InputError
        A study names a column that is not in the schema.
    """
    wanted: list[str] = [schema.VIDEO_ID]
    for study in studies:
        columns = tuple(study.columns(config))
        unknown = sorted(set(columns) - set(schema.REQUIRED))
        if unknown:
            raise InputError(f"study '{study.id}' reads column(s) not in the schema: {unknown}")
        wanted += columns
    return _in_schema_order(wanted, "")


def study_dataset(study: Study, table: Table, config: Config) -> Dataset:
    """A study's rows from the build's table.

    Its ``dataset(table, config)`` hook when it has one, else ``table.for_columns(study.columns(config))``.
    """
    hook = getattr(study, "dataset", None)
    return hook(table, config) if callable(hook) else table.for_columns(study.columns(config))


def load_studies(
    path: Path | str, studies: Sequence[Study], config: Config, sha256: str | None = None
) -> dict[str, Dataset]:
    """Read the file once for ``studies`` and give each its ``Dataset`` (id -> dataset, in the order given)."""
    table = read_table(path, columns_for(studies, config), sha256)
    return {study.id: study_dataset(study, table, config) for study in studies}


def _in_schema_order(columns: Iterable[str], what: str) -> tuple[str, ...]:
    """``columns`` once each, in file order; a name outside the schema is refused."""
    wanted = set(columns)
    unknown = sorted(wanted - set(schema.REQUIRED))
    if unknown:
        raise InputError(f"{what} column(s) not in the schema: {unknown}".strip())
    return tuple(c for c in schema.REQUIRED if c in wanted)
