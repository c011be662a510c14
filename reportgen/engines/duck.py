"""The DuckDB engine: the file loaded once into an on-disk database, every check and count by SQL, a sample for the fits.

``read_table`` loads the columns read (every value as text, pandas' missing
spellings such as ``#N/A`` and empty fields as NULL) into a DuckDB database in
a temporary folder, under a memory limit, so that a file larger than memory is
sorted and grouped on disk. Every check of ``reportgen.data.values`` then runs
as a query (``reportgen.engines.sql``) and refuses bad values with the words,
column and rows of the pandas path. ``DuckTable.for_columns`` counts a study's
drops, missing values, repeats and labels over all rows, and hands the study a
pandas frame of its usable rows: all of them up to ``[data] sample_rows``, else
a seeded sample of that size, stratified on its target, recorded in its
summary (``DataSummary.sample``).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.data import files, parse, summary, values
from reportgen.data.table import Dataset, _in_schema_order
from reportgen.engines import SampledRows, sql
from reportgen.errors import InputError
from reportgen.results import Sample

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from reportgen.config import Config
    from reportgen.engines.allrows import AllRows

#: DuckDB's share of this machine's memory: the studies' pandas frames and the render worker need the rest.
MEMORY_SHARE = 0.4
_RAW, _TYPED, _SHARED = "raw", "typed", "shared"
#: Numbers the temporary tables each study's rows keep (their names must not collide within a connection).
_SOURCES = itertools.count()
#: The longest line DuckDB's reader takes (its default is 2 MB); pandas reads a 10 MB transcription, so must we.
_MAX_LINE = 256 << 20
#: Rows in one of DuckDB's vectors (its STANDARD_VECTOR_SIZE): ``fetch_df_chunk`` counts its chunks in vectors.
_VECTOR = 2048


def read_table(path: Path | str, columns: Iterable[str], sha256: str | None, config: Config) -> DuckTable:
    """Check the file and load ``columns`` (and ``video_id``) of every row into DuckDB, typed: the one reading of a build.

    Raises
    ------
    InputError
        As ``reportgen.data.read_table``, with the same words, column and rows.
    """
    path = Path(path)
    wanted = _in_schema_order((*columns, schema.VIDEO_ID), "asked to read")
    with files.reading(path):
        files.check_file(path, None)
        before = getattr(sha256, "state", None) or files.file_state(path)
        header = _header(path)
        parse.check_columns(path, header, wanted)
        con = _connect()
        _load(con, path, header, wanted)
        digest = str(sha256 or files.sha256_of(path))
        if files.file_state(path) != before:
            raise InputError("the file changed while it was being read", file=path, hint="run again when it is complete")
    rows, missing = _missing(con, wanted, path)
    _refuse_bad_values(con, path, wanted)
    notes, fixes = _categories(con, path, wanted)
    _type_rows(con, wanted, fixes)
    return DuckTable(
        con=con,
        path=path,
        sha256=digest,
        modified=dt.date.fromtimestamp(before.mtime_ns // 1_000_000_000).isoformat(),
        header=tuple(header),
        read=wanted,
        rows=rows,
        missing_by_column=missing,
        notes=notes,
        sample_rows=config.data.sample_rows,
        seed=config.model.seed,
    )


@dataclass(frozen=True, eq=False)
class DuckTable(SampledRows):
    """Every row of the file in a DuckDB table, typed: what the studies of a build share (``engines.TableLike``)."""

    con: Any  # duckdb.DuckDBPyConnection
    path: Path
    sha256: str
    modified: str
    header: tuple[str, ...]
    read: tuple[str, ...]  # the columns read, in schema order
    rows: int
    missing_by_column: dict[str, int]
    notes: dict[str, str]
    sample_rows: int
    seed: int
    strata: str | None = None  # the column a sample keeps in proportion when the study names no target

    @property
    def rows_read(self) -> int:
        """Data rows in the file."""
        return self.rows

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns read, in schema order."""
        return self.read

    def dataset_for(self, columns: Iterable[str], target: str | None, needed_by: str, remedy: str) -> Dataset:
        """``for_columns`` with the words of the refusal when no row is left."""
        wanted = _in_schema_order(columns, "a study reads")
        not_read = [c for c in (*wanted, *([target] if target else [])) if c not in self.read]
        if not_read or (target and target not in wanted):
            raise ValueError(f"column(s) {not_read or [target]} not among the columns read {list(self.read)}")
        key = wanted if schema.VIDEO_ID in wanted else _in_schema_order((*wanted, schema.VIDEO_ID), "")
        needed = [c for c in wanted if c not in summary.OPTIONAL]
        missing_rows = self.con.execute(f"SELECT COUNT(*) FROM {_TYPED} WHERE {self._misses(needed)}").fetchone()[0]
        # Repeats (of a row or an id) are among the rows whose id is shared, which ``_type_rows`` set apart:
        # drop_flags' windows run over those few rows only, a row elsewhere is dropped only for a missing value.
        flags = sql.drop_flags(_SHARED, key, needed)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE flags AS {flags}")
        by_reason = dict(self.con.execute(sql.drop_summary("flags")).fetchall())
        by_reason[summary.MISSING] = missing_rows
        dropped = {r: int(by_reason[r]) for r in (summary.MISSING, summary.DUPLICATE_ROW, summary.DUPLICATE_ID) if by_reason.get(r)}
        used = self.rows_read - sum(dropped.values())
        missing = {c: self.missing_by_column[c] for c in wanted}
        if not used:
            raise summary.nothing_usable(self.path, missing, self.rows_read, needed_by, remedy)
        repeats, repeat_ids = self.con.execute("SELECT COUNT(*) FILTER (WHERE repeat), COUNT(*) FILTER (WHERE repeat_id) FROM flags").fetchone()
        repeated = dropped.get(summary.DUPLICATE_ROW, 0) + dropped.get(summary.DUPLICATE_ID, 0)
        dropped_rows = f"dropped_{next(_SOURCES)}"  # the study's own: ``flags`` is replaced by the next study's
        self.con.execute(f"CREATE TEMP TABLE {dropped_rows} AS SELECT _row FROM flags WHERE reason IS NOT NULL")
        kept = f"NOT ({self._misses(needed)})" + (f" AND _row NOT IN (SELECT _row FROM {dropped_rows})" if repeated else "")
        strata = target or (self.strata if self.strata in wanted else None)
        sample = self._sample(used, strata, kept)
        frame = self._frame(wanted, sample is not None, kept)
        data = self.study_summary(
            wanted,
            dropped,
            rows_used=used,
            target_counts=self._label_counts(target, kept) if target else {},
            duplicate_rows=repeats,
            duplicate_ids=repeat_ids,
            sample=sample,
        )
        return Dataset(frame=frame, summary=data, path=self.path, all_rows=self._all_rows(wanted, kept, used) if sample else None)

    def _all_rows(self, wanted: tuple[str, ...], kept: str, used: int) -> AllRows:
        """The study's usable rows as a SQL source (the sample is only what reaches pandas)."""
        from reportgen.engines.allrows import AllRows

        names = ", ".join(sql.quote(c) for c in wanted)
        keys = self.con.execute("SELECT _row FROM pick ORDER BY _row").fetchnumpy()["_row"]  # as ``_frame`` orders the sample
        return AllRows(
            lambda q: self.con.execute(q).fetchall(),
            f"(SELECT _row, {names} FROM {_TYPED} WHERE {kept}) AS usable",
            sql.DUCKDB,
            used,
            stream=functools.partial(_stream, self.con),
            sample_keys=keys,
        )

    def _misses(self, needed: Iterable[str]) -> str:
        """The condition of a row missing a value in one of ``needed``: one test of the bit mask ``_type_rows`` made."""
        mask = sum(1 << self.read.index(c) for c in needed)
        return f"(_nulls & {mask}) <> 0" if mask else "FALSE"

    def _repeats(self) -> tuple[int, int]:
        """Rows repeating an earlier row in every column read, and rows repeating an earlier id (both only among shared ids)."""
        flags = sql.drop_flags(_SHARED, self.read, ())
        return tuple(int(n) for n in self.con.execute(f"SELECT COUNT(*) FILTER (WHERE repeat), COUNT(*) FILTER (WHERE repeat_id) FROM ({flags})").fetchone())

    def _label_counts(self, target: str, kept: str) -> dict[str, int]:
        """Label -> usable rows, in category order, zeros included (``summary.counts``), over every usable row."""
        found = dict(self.con.execute(sql.label_counts(f"(SELECT {sql.quote(target)} FROM {_TYPED} WHERE {kept}) AS k", target)).fetchall())
        return {label: int(found.get(label, 0)) for label in schema.CATEGORIES[target]}

    def _sample(self, used: int, strata: str | None, kept: str) -> Sample | None:
        """Draw ``sample_rows`` of the ``kept`` rows into ``pick`` (seeded; stratified on ``strata``), or None when all fit.

        Only row numbers reach Python (8 bytes a usable row), never the rows themselves.
        """
        import numpy as np
        import pandas as pd

        if used <= self.sample_rows:
            return None
        rng = np.random.default_rng(self.seed)
        usable = f"(SELECT _row{', ' + sql.quote(strata) if strata else ''} FROM {_TYPED} WHERE {kept}) AS k"
        groups = self.con.execute(sql.label_counts(usable, strata)).fetchall() if strata else [(None, used)]
        groups.sort(key=lambda g: (g[0] is None, str(g[0])))  # a fixed order, whatever order the engine grouped in
        quotas = _quotas([n for _, n in groups], self.sample_rows)
        picked = []
        for (label, _), quota in zip(groups, quotas):
            where = "" if strata is None else f"WHERE {sql.quote(strata)} IS NOT DISTINCT FROM ?"
            rows = self.con.execute(f"SELECT _row FROM {usable} {where} ORDER BY _row", [] if strata is None else [label]).fetchnumpy()["_row"]
            picked.append(rng.choice(np.asarray(rows), size=quota, replace=False))
        pick = pd.DataFrame({"_row": np.sort(np.concatenate(picked))})
        self.con.register("pick_frame", pick)
        self.con.execute("CREATE OR REPLACE TEMP TABLE pick AS SELECT _row FROM pick_frame")
        self.con.unregister("pick_frame")
        return Sample(rows=self.sample_rows, rows_usable=int(used), seed=self.seed, stratified_by=strata)

    def _frame(self, wanted: tuple[str, ...], sampled: bool, kept: str) -> pd.DataFrame:
        """The ``kept`` (or sampled) rows as a pandas frame typed as the pandas path types them."""
        chosen = "_row IN (SELECT _row FROM pick)" if sampled else kept
        names = ", ".join(sql.quote(c) for c in wanted)
        frame = self.con.execute(f"SELECT {names} FROM {_TYPED} WHERE {chosen} ORDER BY _row").df()
        return _as_pandas_types(frame)


def _stream(con: Any, query: str, size: int) -> Iterator[pd.DataFrame]:
    """``query``'s rows as frames of at most about ``size`` rows: DuckDB streams the result, a chunk of vectors at a time."""
    result = con.execute(query)
    vectors = max(1, size // _VECTOR)  # a chunk of vectors holds up to 2048 rows each (fewer after a filter)
    while True:
        frame = result.fetch_df_chunk(vectors)
        if frame.empty:
            return
        yield frame


def _quotas(sizes: list[int], n: int) -> list[int]:
    """``n`` split over groups of ``sizes`` in proportion, largest remainders first, at least one from each group."""
    total = sum(sizes)
    exact = [s * n / total for s in sizes]
    quotas = [min(s, max(1, int(e))) for s, e in zip(sizes, exact)]
    order = sorted(range(len(sizes)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(quotas) < n:
        g = order[i % len(order)]
        if quotas[g] < sizes[g]:
            quotas[g] += 1
        i += 1
    while sum(quotas) > n:
        g = max(range(len(sizes)), key=lambda j: quotas[j] - exact[j])
        quotas[g] -= 1
    return quotas


def _as_pandas_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts float64, the id Int64 (text beyond int64), categories categorical, text ``string``: as ``values.typed``."""
    import pandas as pd

    for column in frame.columns:
        if column in schema.COUNTS:
            frame[column] = frame[column].astype("float64")
        elif column == schema.VIDEO_ID:
            frame[column] = _ids(frame[column])
        elif column in schema.CATEGORIES:
            frame[column] = pd.Categorical(frame[column].astype(object).where(frame[column].notna(), None), categories=list(schema.CATEGORIES[column]))
        else:
            frame[column] = frame[column].astype("string")
    return frame


def _ids(keys: pd.Series) -> pd.Series:
    """Id keys (digit text) as nullable int64 where every one fits, else as their text."""
    import pandas as pd

    text = keys.astype("string")
    if text.str.len().fillna(0).max() <= 18:
        return pd.to_numeric(text).astype("Int64")
    present = text.notna()
    ids = [int(v) for v in text[present]]
    if max(ids, default=0) <= values._INT64_MAX:
        out = pd.Series(pd.NA, index=keys.index, dtype="Int64")
        out[present] = ids
        return out
    return text


def _connect() -> duckdb.DuckDBPyConnection:
    """A database in a temporary folder (removed with the connection), with a memory limit, spilling to that folder."""
    import duckdb

    folder = Path(tempfile.mkdtemp(prefix="reportgen-duckdb-"))
    memory = _memory_limit()
    con = duckdb.connect(
        str(folder / "build.duckdb"),
        config={
            "memory_limit": f"{memory // (1 << 20)}MB",
            "temp_directory": str(folder / "spill"),
            "preserve_insertion_order": True,  # rowid is the file's row order
            "threads": max(1, min(os.cpu_count() or 1, 4)),
        },
    )
    weakref.finalize(con, shutil.rmtree, folder, True)
    return con


def _memory_limit() -> int:
    """Bytes DuckDB may hold: ``MEMORY_SHARE`` of physical memory, between 256 MB and 1.5 GB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 4 << 30
    return int(min(max(total * MEMORY_SHARE, 256 << 20), 1536 << 20))


def _is_parquet(path: Path) -> bool:
    """A Parquet file, told by its first bytes (``PAR1``) whatever its name."""
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def _header(path: Path) -> list[str]:
    """The column names: the CSV's first line, or the Parquet file's schema."""
    if not _is_parquet(path):
        return parse.read_header(path)
    import duckdb

    try:
        return [row[0] for row in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet({sql.literal(str(path))})").fetchall()]
    except duckdb.Error as exc:
        raise InputError(f"the file is not a readable Parquet file: {str(exc).splitlines()[0]}", file=path) from None


def _load(con: duckdb.DuckDBPyConnection, path: Path, header: list[str], wanted: tuple[str, ...]) -> None:
    """Copy the columns read, as text, into ``raw`` with their 1-based row numbers: the one scan of the file."""
    import duckdb

    source = sql.literal(str(path))
    if _is_parquet(path):
        nulls = ", ".join(sql.literal(t) for t in sql.NA_TEXT)
        cols = ", ".join(
            f"CASE WHEN CAST({sql.quote(c)} AS VARCHAR) IN ({nulls}) THEN NULL ELSE CAST({sql.quote(c)} AS VARCHAR) END AS {sql.quote(c)}"
            for c in wanted
        )
        select = f"SELECT {cols} FROM read_parquet({source})"
    else:
        types = "{" + ", ".join(f"{sql.literal(c)}: 'VARCHAR'" for c in header) + "}"
        nulls = "[" + ", ".join(sql.literal(t) for t in sql.NA_TEXT) + "]"
        options = (
            f"header = true, delim = ',', quote = '\"', escape = '\"', columns = {types}, "
            f"nullstr = {nulls}, null_padding = true, strict_mode = true, encoding = 'utf-8'"
        )
        select = f"SELECT {', '.join(sql.quote(c) for c in wanted)} FROM read_csv({source}, {options})"
    try:
        try:
            con.execute(f"CREATE TABLE {_RAW}_load AS {select}")
        except duckdb.InvalidInputException as exc:
            if "max_line_size" not in str(exc) or _is_parquet(path):
                raise
            # A line longer than DuckDB's default 2 MB (pandas reads a 10 MB transcription): read again with room
            # for it; not by default, as every reading thread's buffer grows with the setting.
            con.execute(f"CREATE TABLE {_RAW}_load AS {select[:-1]}, max_line_size = {_MAX_LINE})")
    except duckdb.InvalidInputException as exc:
        raise _csv_error(path, header, str(exc)) from None
    # rowid follows insertion order, which preserve_insertion_order keeps as the file's order; a view, not a
    # second copy of every row
    con.execute(f"CREATE VIEW {_RAW} AS SELECT rowid + 1 AS _row, * FROM {_RAW}_load")


def _type_rows(con: duckdb.DuckDBPyConnection, wanted: tuple[str, ...], fixes: dict[str, dict[str, str]]) -> None:
    """Type every row into ``typed`` once, with what every study's drops need, and set the rows of shared ids apart.

    ``typed`` gets ``_nulls``, a bit mask of the columns read (in ``wanted`` order) that the row misses, so a
    study's missing-value drops are one integer test. A row can only repeat an earlier row, or an earlier id,
    when its id (missing or not) is shared by another row, and every key a study compares rows on holds the id:
    ``shared`` holds just those rows (one grouping of the ids, none of the other columns), and the windows of
    ``sql.drop_flags`` run over them alone, not over every row for every study.
    """
    nulls = " + ".join(f"CASE WHEN {sql.quote(c)} IS NULL THEN {1 << i} ELSE 0 END" for i, c in enumerate(wanted))
    con.execute(f"CREATE TABLE {_TYPED} AS SELECT *, CAST({nulls} AS INTEGER) AS _nulls FROM ({sql.typed_select(_RAW, wanted, sql.DUCKDB, fixes)}) AS t")
    con.execute(f"DROP VIEW {_RAW}")
    con.execute(f"DROP TABLE {_RAW}_load")
    vid = sql.quote(schema.VIDEO_ID)
    con.execute(
        f"CREATE TABLE {_SHARED} AS SELECT t.* FROM {_TYPED} t SEMI JOIN "
        f"(SELECT {vid} FROM {_TYPED} GROUP BY {vid} HAVING COUNT(*) > 1) AS s ON t.{vid} IS NOT DISTINCT FROM s.{vid}"
    )


def _csv_error(path: Path, header: list[str], message: str) -> InputError:
    """What DuckDB refused, said as the pandas path says it: a row of surplus fields or bytes not UTF-8, by row."""
    import csv
    import sys

    limit = csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for number, record in enumerate(reader, start=1):
                if len(record) > len(header):
                    return parse._parser_error(path, f"Expected {len(header)} fields in line {number + 1}, saw {len(record)}")
                if any("\udc80" <= ch <= "\udcff" for v in record for ch in v):
                    return parse._utf8_error(path)
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)
    return InputError(f"the file is not a well-formed CSV: {message.splitlines()[0]}", file=path)


def _missing(con: duckdb.DuckDBPyConnection, wanted: tuple[str, ...], path: Path) -> tuple[int, dict[str, int]]:
    """The rows, and each column's missing values; a file with no data row or an empty column is refused."""
    counts = con.execute(sql.missing_counts(_RAW, wanted)).fetchone()
    rows, missing = int(counts[0]), {c: int(n) for c, n in zip(wanted, counts[1:])}
    if rows == 0:
        raise InputError("the file has a header but no data rows", file=path)
    for column in wanted:  # ``values.refuse_empty_columns``
        if column != schema.TRANSCRIPTION and missing[column] == rows:
            hint = (
                "fix the export"
                if column in (schema.VIDEO_ID, *schema.CATEGORIES)
                else "fix the export, or leave the column out of model.predictors and model.extra_candidates in a --config file"
            )
            raise InputError(f"every one of the {rows:,} rows is missing a value here", file=path, column=column, hint=hint)
    return rows, missing


def _refuse_bad_values(con: duckdb.DuckDBPyConnection, path: Path, wanted: tuple[str, ...]) -> None:
    """Every count and id check of ``values.typed`` in one scan; the rows of the first that fails are named."""
    checks = []  # (column, what, condition, hint)
    for column in [c for c in wanted if c in schema.COUNTS]:
        checks += [(column, *p) for p in sql.count_problems(column, schema.COUNT_LIMITS.get(column))]
    id_checks = [(schema.VIDEO_ID, *p) for p in sql.count_problems(schema.VIDEO_ID, None)]
    not_digits = (schema.VIDEO_ID, "an id not written in digits", sql.id_not_digits(sql.DUCKDB), "")
    # The scan converts each value to its number once (the conditions of the ``checks`` read ``_n<i>``), not
    # once a condition; a failed check then names its rows with the conditions over the text alone.
    counted = [c for c in wanted if c in schema.COUNTS]
    alias = {c: f"_n{i}" for i, c in enumerate((*counted, schema.VIDEO_ID))}
    fast = [(c, cond) for c in counted for _, cond, _ in sql.count_problems(c, schema.COUNT_LIMITS.get(c), alias[c])]
    fast.append((schema.VIDEO_ID, not_digits[2]))
    fast += [(schema.VIDEO_ID, cond) for _, cond, _ in sql.count_problems(schema.VIDEO_ID, None, alias[schema.VIDEO_ID])]
    converted = ", ".join(f"{sql.as_number(c)} AS {a}" for c, a in alias.items())
    found = con.execute(sql.problem_counts(f"(SELECT *, {converted} FROM {_RAW}) AS r", fast)).fetchone()
    failed = {i for i, n in enumerate(found) if n}
    for i, (column, what, condition, hint) in enumerate(checks):
        if i in failed:
            _refuse(con, path, column, what, condition, hint)
    if len(checks) in failed:  # an id not in digits: named as a count first (text, negative, fractional), as pandas does
        for j, (column, what, condition, hint) in enumerate(id_checks, start=len(checks) + 1):
            if j in failed:
                _refuse(con, path, column, what, condition, hint)
        _refuse(
            con, path, schema.VIDEO_ID, *not_digits[1:3],
            "a spreadsheet that shows ids as 1.23E+18 has rounded them; format the column as text and export again",
        )  # fmt: skip


def _refuse(con: duckdb.DuckDBPyConnection, path: Path, column: str, what: str, condition: str, hint: str) -> None:
    """Raise the ``InputError`` of one failed check, naming its first value and every row."""
    found = con.execute(sql.rows_where(_RAW, column, condition, f"{sql.quote(column)}, {sql.as_number(column)}")).fetchall()
    text, number = found[0][1], found[0][2]
    example = repr(text)[:40] if what in ("text where a number belongs", "an id not written in digits") else f"{number:.15g}"
    raise InputError(f"{what} (e.g. {example})", file=path, column=column, rows=[r[0] for r in found], hint=hint)


def _categories(con: duckdb.DuckDBPyConnection, path: Path, wanted: tuple[str, ...]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Each category column's spellings: unknown ones refused by rows, case and spacing fixed with a note."""
    notes, fixes = {}, {}
    for column, allowed in schema.CATEGORIES.items():
        if column not in wanted:
            continue
        spelling = {values._canonical(a): a for a in allowed}
        found = [v for v, _ in con.execute(sql.distinct_values(_RAW, column)).fetchall()]
        fixed = {v: spelling.get(values._canonical(v)) for v in found if v not in allowed}
        unknown = [v for v, to in fixed.items() if to is None]
        if unknown:
            listed = ", ".join(sql.literal(v) for v in unknown)
            rows = [r[0] for r in con.execute(sql.rows_where(_RAW, column, f"{sql.quote(column)} IN ({listed})")).fetchall()]
            raise InputError(
                f"unknown value(s) {', '.join(repr(v)[:40] for v in unknown[:3])}",
                file=path,
                column=column,
                rows=rows,
                hint="allowed values: " + ", ".join(repr(a) for a in allowed),
            )
        if fixed:
            listed = ", ".join(sql.literal(v) for v in fixed)
            changed = con.execute(f"SELECT COUNT(*) FROM {_RAW} WHERE {sql.quote(column)} IN ({listed})").fetchone()[0]
            shown = ", ".join(f"{v!r} as {to!r}" for v, to in list(fixed.items())[:3])
            notes[column] = (
                f"{changed:,} value(s) in {column} differed from the allowed spelling only in case or spaces "
                f"and were read as allowed ({shown})."
            )
            fixes[column] = fixed
    return notes, fixes
