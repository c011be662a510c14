"""Load and validate the claims CSV into a clean ``Dataset``.

Refuses what cannot be trusted (``InputError`` naming file, column and rows)
and drops, with a counted reason, rows that are valid but unusable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.results import DataSummary

if TYPE_CHECKING:
    import pandas as pd

MISSING = "missing values"
DUPLICATE_ROW = "duplicate row"
DUPLICATE_ID = "duplicate video_id"

_MAGIC = {b"PK\x03\x04": "a ZIP archive (or an .xlsx workbook)", b"\xd0\xcf\x11\xe0": "an Excel .xls workbook"}


@dataclass(frozen=True)
class Dataset:
    """The usable rows, typed, and the summary of how they were obtained."""

    frame: pd.DataFrame
    summary: DataSummary


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so size never matters."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def analysed_columns(config: Config) -> tuple[str, ...]:
    """The columns the analyses need, in schema order."""
    m = config.model
    wanted = {schema.VIDEO_ID, schema.TRANSCRIPTION, m.target, *m.predictors, *m.extra_candidates}
    unknown = wanted - set(schema.REQUIRED)
    if unknown:
        raise InputError(f"the config names column(s) not in the schema: {sorted(unknown)}")
    return tuple(c for c in schema.REQUIRED if c in wanted)


def load_dataset(path: Path | str, config: Config) -> Dataset:
    """Read, check and clean the CSV.

    Parameters
    ----------
    path : Path or str
        The claims CSV.
    config : Config
        Names the target, predictors and candidates to read.

    Returns
    -------
    Dataset
        Usable rows with categorical dtypes, and a ``DataSummary``.

    Raises
    ------
    InputError
        The file cannot be read as the claims CSV, or a value breaks the schema.
    """
    path = Path(path)
    _check_file(path)
    columns = analysed_columns(config)
    raw = _read(path, columns)
    missing_by_column = {c: int(n) for c, n in raw.isna().sum().items()}
    frame = _typed(raw, path)
    frame, dropped = _drop_unusable(frame, config)
    summary = DataSummary(
        source=path.name,
        sha256=sha256_of(path),
        rows_read=len(raw),
        rows_used=len(frame),
        rows_dropped=sum(dropped.values()),
        dropped_reasons=dropped,
        target_counts=_counts(frame[config.model.target]),
        missing_by_column=missing_by_column,
        duplicate_rows=int(raw.duplicated().sum()),
        duplicate_ids=int(raw[schema.VIDEO_ID].duplicated().sum()),
        modified=dt.date.fromtimestamp(path.stat().st_mtime).isoformat(),
        warnings=_warnings(dropped),
    )
    return Dataset(frame=frame, summary=summary)


def _check_file(path: Path) -> None:
    """Refuse what is not a readable, non-empty text file."""
    if not path.exists():
        raise InputError("file not found", file=path, hint="check the path passed to --data")
    if not path.is_file():
        raise InputError("not a file", file=path, hint="pass the CSV file itself, not a folder")
    with path.open("rb") as fh:
        head = fh.read(4)
    if not head:
        raise InputError("the file is empty", file=path)
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"this is {what}, not a CSV", file=path, hint="export the sheet as CSV (UTF-8)")


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read only the needed columns; counts stay text if they hold any text."""
    import pandas as pd

    header = _header(path)
    absent = [c for c in columns if c not in header]
    if absent:
        hint = _delimiter_hint(header)
        raise InputError(
            f"required column(s) missing: {', '.join(absent)}",
            file=path,
            column=absent[0],
            hint=hint or f"the file's columns are: {', '.join(header)[:200]}",
        )
    dtypes = {c: "string" for c in columns if c in schema.CATEGORIES or c == schema.TRANSCRIPTION}
    try:
        frame = pd.read_csv(path, usecols=list(columns), dtype=dtypes, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_byte(path, exc.start)
        raise InputError(
            "the file is not valid UTF-8",
            file=path,
            rows=[line - 1] if line > 1 else [],
            hint="re-export the file as UTF-8",
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(f"the file is not a well-formed CSV: {exc}", file=path) from None
    if frame.empty:
        raise InputError("the file has a header but no data rows", file=path)
    return frame[list(columns)]


def _header(path: Path) -> list[str]:
    """The header row's names, read without pandas."""
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    except UnicodeDecodeError:
        raise InputError("the header is not valid UTF-8", file=path, hint="re-export the file as UTF-8") from None


def _delimiter_hint(header: list[str]) -> str:
    """Say so when the header looks split by another delimiter."""
    joined = ",".join(header)
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
        if joined.count(sep) >= 3:
            return f"the header looks separated by {name}; save the file with commas"
    return ""


def _line_of_byte(path: Path, offset: int) -> int:
    """1-based line number of a byte offset, counted without decoding."""
    with path.open("rb") as fh:
        return fh.read(offset).count(b"\n") + 1


def _typed(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Counts as integers-in-floats and categories as categoricals, or an InputError."""
    import pandas as pd

    frame = raw.copy()
    for column in [c for c in raw.columns if c in schema.COUNTS]:
        frame[column] = _counts_column(raw[column], path, column)
    frame[schema.VIDEO_ID] = _counts_column(raw[schema.VIDEO_ID], path, schema.VIDEO_ID)
    for column, allowed in schema.CATEGORIES.items():
        if column in raw.columns:
            values = raw[column]
            bad = values.notna() & ~values.isin(allowed)
            if bad.any():
                shown = ", ".join(repr(v) for v in values[bad].unique()[:3])
                raise InputError(
                    f"unknown value(s) {shown}",
                    file=path,
                    column=column,
                    rows=_row_numbers(bad),
                    hint="allowed values: " + ", ".join(repr(a) for a in allowed),
                )
            frame[column] = pd.Categorical(values, categories=list(allowed))
    return frame


def _counts_column(values: pd.Series, path: Path, column: str) -> pd.Series:
    """A whole, non-negative count column as float64 (NaN where missing)."""
    import numpy as np
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    not_numbers = values.notna() & numbers.isna()
    if not_numbers.any():
        example = repr(values[not_numbers].iloc[0])[:40]
        raise InputError(f"text where a number belongs (e.g. {example})", file=path, column=column, rows=_row_numbers(not_numbers))
    problems = (
        (numbers < 0, "negative count"),
        (np.isfinite(numbers) & (numbers != np.round(numbers)), "count that is not a whole number"),
        (np.isinf(numbers), "infinite value"),
    )
    for mask, what in problems:
        if mask.any():
            raise InputError(f"{what} (e.g. {values[mask].iloc[0]})", file=path, column=column, rows=_row_numbers(mask))
    return numbers


def _row_numbers(mask: pd.Series) -> list[int]:
    """1-based data row numbers where ``mask`` holds (first row under the header is 1)."""
    import numpy as np

    return (np.flatnonzero(mask.to_numpy()) + 1).tolist()


def _drop_unusable(frame: pd.DataFrame, config: Config) -> tuple[pd.DataFrame, dict[str, int]]:
    """Drop rows missing an analysed value, exact duplicates, then repeated ids."""
    needed = [c for c in frame.columns if c != schema.TRANSCRIPTION]
    steps = (
        (MISSING, frame[needed].isna().any(axis=1)),
        (DUPLICATE_ROW, frame.duplicated()),
        (DUPLICATE_ID, frame[schema.VIDEO_ID].duplicated()),
    )
    keep = ~frame.index.isna()
    dropped: dict[str, int] = {}
    for reason, mask in steps:
        newly = mask & keep
        if newly.any():
            dropped[reason] = int(newly.sum())
            keep &= ~mask
    return frame[keep].reset_index(drop=True), dropped


def _counts(values: pd.Series) -> dict[str, int]:
    """Label -> count, in category order, zeros included."""
    return {str(k): int(v) for k, v in values.value_counts(sort=False).items()}


def _warnings(dropped: dict[str, int]) -> tuple[str, ...]:
    """Warnings the report shows about dropped duplicates."""
    notes = []
    if dropped.get(DUPLICATE_ROW):
        notes.append(f"{dropped[DUPLICATE_ROW]} exact duplicate row(s) were dropped, keeping the first.")
    if dropped.get(DUPLICATE_ID):
        notes.append(f"{dropped[DUPLICATE_ID]} row(s) repeat an earlier video_id with other values and were dropped.")
    return tuple(notes)
