"""Load and validate the claims CSV into a clean ``Dataset``.

Refuses what cannot be trusted (``InputError`` naming file, column and rows)
and drops, with a counted reason, rows that are valid but unusable.

Deliberate choices, each recorded in ``DataSummary.warnings`` when it applies:

- Category values that differ from an allowed one only in case or
  whitespace ("Verified", "banned ") are normalised, with a warning: the
  mapping is unambiguous and lossless, and exports from spreadsheets add such
  noise. Any other unknown value is refused with the allowed values.
- Columns outside the schema are ignored, with a warning naming them.
- A column the analyses need that is empty in every row is refused: the model
  would silently lose a predictor (or every row).
- Files larger than ``REPORTGEN_MAX_INPUT_BYTES`` (default 1 GiB; accepts a
  whole number of bytes, optionally with K, M, G or T: ``500M``, ``2G``...)
  are refused before reading. A build holds about five bytes of memory per byte of CSV beside some 150 MB of
  libraries (measured: a 45 MB, 300,000-row file peaks at 350 MB resident), so
  the default keeps a build of the largest accepted file within about 6 GB.
- ``video_id`` is read as whole numbers written in digits: int64 where every id
  fits, text otherwise. Never floats: above 2**53 a float cannot tell ids
  apart, and distinct videos would be dropped as repeats.
- The bytes analysed are the bytes hashed: the file's state (size, times,
  inode) is recorded before it is hashed and compared once it has been read;
  a file that changed in between is refused rather than recorded under a
  digest that does not describe the rows analysed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportgen import schema
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.results import DataSummary

if TYPE_CHECKING:
    import pandas as pd

MISSING = "missing values"
DUPLICATE_ROW = "duplicate row"
DUPLICATE_ID = "duplicate video_id"

MAX_INPUT_ENV = "REPORTGEN_MAX_INPUT_BYTES"
MAX_INPUT_DEFAULT = 1 << 30

_EXPORT_CSV = "export the sheet as CSV UTF-8"
_MAGIC = {
    b"PK\x03\x04": ("a ZIP archive (or an .xlsx workbook)", _EXPORT_CSV),
    b"\xd0\xcf\x11\xe0": ("an Excel .xls workbook", _EXPORT_CSV),
    b"\x1f\x8b": ("a gzip-compressed file", "decompress it first"),
    b"\xff\xfe": ("UTF-16 text", "save it as CSV UTF-8"),
    b"\xfe\xff": ("UTF-16 text", "save it as CSV UTF-8"),
}
_HEADER_LIMIT = 1 << 20  # a header line longer than this is not the claims CSV
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
# A whole number of bytes with an optional binary unit: 2G, 2GB, 2GiB, 500M, 1048576.
_SIZE_TEXT = re.compile(r"([0-9]+)\s*(?:([KMGT])I?)?B?")
# An id as an export writes it: digits, or digits with a zero fraction ("123.0") from a tool that held ids as floats.
_ID_TEXT = r"\+?[0-9]+(?:\.0*)?"
_INT64_MAX = (1 << 63) - 1


@dataclass(frozen=True)
class Dataset:
    """The usable rows, typed, and the summary of how they were obtained."""

    frame: pd.DataFrame
    summary: DataSummary
    path: Path | None = None  # the file as the user named it, for error messages


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so size never matters."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Fingerprint(str):
    """A file's hex sha256 that also remembers the file's state when it was hashed.

    A ``str``, so it travels as the digest through the build keys and the
    pipeline unchanged; ``load_dataset`` compares ``state`` with the file once
    it has read it, so a file that changed after hashing is never analysed
    under that digest, and a large file is still hashed only once.
    """

    state: FileState


def fingerprint(path: Path) -> Fingerprint:
    """The sha256 of the input file, with its state taken just before hashing.

    Raises
    ------
    InputError
        The file cannot be read.
    """
    with _reading(path):
        before = _state(path)
        digest = Fingerprint(sha256_of(path))
    digest.state = before
    return digest


class FileState(NamedTuple):
    """What changes when a file is written, replaced or appended to.

    Size catches an append even within one tick of the file-system clock;
    ctime catches a rewrite whose mtime was set back (``cp -p``, ``touch -r``).
    """

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int


def _state(path: Path) -> FileState:
    """The file's ``FileState`` now."""
    st = path.stat()
    return FileState(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """An OS error while reading the input (permission, I/O) as an InputError naming the file."""
    import errno

    try:
        yield
    except OSError as exc:
        denied = exc.errno in (errno.EACCES, errno.EPERM)
        reason = exc.strerror or type(exc).__name__
        hint = "check that your user may read it" if denied else ""
        raise InputError(f"the file cannot be read: {reason}", file=path, hint=hint) from None


def analysed_columns(config: Config) -> tuple[str, ...]:
    """The columns the analyses need, in schema order."""
    m = config.model
    wanted = {schema.VIDEO_ID, schema.TRANSCRIPTION, m.target, *m.predictors, *m.extra_candidates}
    unknown = wanted - set(schema.REQUIRED)
    if unknown:
        raise InputError(f"the config names column(s) not in the schema: {sorted(unknown)}")
    return tuple(c for c in schema.REQUIRED if c in wanted)


def load_dataset(path: Path | str, config: Config, sha256: str | None = None) -> Dataset:
    """Read, check and clean the CSV.

    Parameters
    ----------
    path : Path or str
        The claims CSV.
    config : Config
        Names the target, predictors and candidates to read.
    sha256 : str, optional
        The file's sha256 when the caller has it already (a build hashes first).
        From ``fingerprint``, the file must be as it was when hashed.

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
    path = Path(path)
    with _reading(path):
        check_file(path)
        before = getattr(sha256, "state", None) or _state(path)
        columns = analysed_columns(config)
        header = _header(path)
        raw = _read(path, header, columns)
        digest = str(sha256 or sha256_of(path))
        if _state(path) != before:
            raise InputError("the file changed while it was being read", file=path, hint="run again when it is complete")
    missing_by_column = {c: int(n) for c, n in raw.isna().sum().items()}
    _refuse_empty_columns(raw, path)
    typed, notes = _typed(raw, path)
    frame, dropped = _drop_unusable(typed, config)
    if frame.empty:
        raise _nothing_usable(path, missing_by_column, len(raw))
    _refuse_more_than_two_labels(frame, config.model.target, path)
    summary = DataSummary(
        source=path.name,
        sha256=digest,
        rows_read=len(raw),
        rows_used=len(frame),
        rows_dropped=sum(dropped.values()),
        dropped_reasons=dropped,
        target_counts=_counts(frame[config.model.target]),
        missing_by_column=missing_by_column,
        # Of the typed values, not the text: "007" and "7" are one id, as in the rows dropped.
        duplicate_rows=int(typed.duplicated().sum()),
        duplicate_ids=int(typed[schema.VIDEO_ID].duplicated().sum()),
        modified=dt.date.fromtimestamp(before.mtime_ns // 1_000_000_000).isoformat(),
        warnings=(*_ignored_columns(header), *notes, *_warnings(dropped)),
    )
    return Dataset(frame=frame, summary=summary, path=path)


def max_input_bytes() -> int:
    """The size limit of an input file: ``REPORTGEN_MAX_INPUT_BYTES`` or 1 GiB.

    Raises
    ------
    InputError
        The variable is set to something that is not a size.
    """
    text = os.environ.get(MAX_INPUT_ENV, "").strip().upper()
    if not text:
        return MAX_INPUT_DEFAULT
    # Whole numbers only: "inf", "nan", "-5", "1e9" and "1.5G" are refused rather than guessed at.
    size = _SIZE_TEXT.fullmatch(text)
    limit = int(size[1]) * _UNITS[size[2] or ""] if size else 0
    if limit <= 0:
        given = os.environ[MAX_INPUT_ENV]
        raise InputError(f"{MAX_INPUT_ENV} must be a size such as 2G, 500M or a number of bytes, not {given!r}")
    return limit


def _size(n: int) -> str:
    """Bytes in the largest binary unit that keeps a whole part: '3.0 GiB'."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def check_file(path: Path) -> None:
    """Refuse what is not a readable, non-empty text file of a size this machine can take."""
    with _reading(path):
        _check_file(path)


def _check_file(path: Path) -> None:
    """``check_file`` without the translation of OS errors."""
    if not path.exists():
        raise InputError("file not found", file=path, hint="check the path passed to --data")
    if not path.is_file():
        raise InputError("not a file", file=path, hint="pass the CSV file itself, not a folder")
    size, limit = path.stat().st_size, max_input_bytes()
    if size > limit:
        raise InputError(
            f"the file is {_size(size)}, above the {_size(limit)} limit for one build",
            file=path,
            hint=f"filter or split the export; or, on a machine with about six times that much free memory, raise the limit, "
            f"e.g. {MAX_INPUT_ENV}={-(-size // (1 << 30))}G",
        )
    with path.open("rb") as fh:
        head = fh.read(4)
    if not head:
        raise InputError("the file is empty", file=path)
    for magic, (what, hint) in _MAGIC.items():
        if head.startswith(magic):
            what = "an Excel .xlsx workbook" if magic == b"PK\x03\x04" and _is_xlsx(path) else what
            raise InputError(f"this is {what}, not a CSV", file=path, hint=hint)


def _is_xlsx(path: Path) -> bool:
    """A ZIP archive that holds an Excel workbook part."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _read(path: Path, header: list[str], columns: tuple[str, ...]) -> pd.DataFrame:
    """Read only the needed columns, each as text: ``_typed`` decides what is a number."""
    import pandas as pd

    absent = [c for c in columns if c not in header]
    if absent:
        hint = _delimiter_hint(header)
        raise InputError(
            f"required column(s) missing: {', '.join(absent)}",
            file=path,
            column=absent[0],
            hint=hint or f"the file's columns are: {', '.join(header)[:200]}",
        )
    twice = [c for c in columns if header.count(c) > 1]
    if twice:
        raise InputError("the header names this column more than once", file=path, column=twice[0], hint="keep one of them")
    # Every analysed column as text: a reader left to guess types reads "True"/"False" as 1/0 in a
    # count and a 19-digit id as a float; ``_typed`` parses counts and ids itself, naming bad rows.
    dtypes = {c: "string" for c in columns}
    try:
        # Every column, not usecols: with usecols pandas silently ignores a row's surplus fields.
        frame = _read_fast(path, dtypes)
        if frame is None:
            frame = pd.read_csv(path, dtype=dtypes, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _utf8_error(path) from None
    except pd.errors.ParserError as exc:
        raise _parser_error(path, str(exc)) from None
    if frame.empty:
        raise InputError("the file has a header but no data rows", file=path)
    return frame[list(columns)]


def _read_fast(path: Path, dtypes: dict[str, str]) -> pd.DataFrame | None:
    """Arrow's multi-threaded reader: about 4x faster and leaner than pandas' own on a clean file.

    It is strict (a ragged row, a bad byte, a quoted line break all stop it), so
    on any complaint we return None and pandas' reader reads the file again and
    names the exact row; a clean file never pays for that second reading.
    """
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=dtypes, encoding="utf-8-sig", engine="pyarrow")
    except (ValueError, TypeError, UnicodeDecodeError, pd.errors.ParserError, OSError, ImportError):
        return None  # pyarrow's ArrowInvalid is a ValueError


def _parser_error(path: Path, text: str) -> InputError:
    """pandas' tokenizer message as ours; its 'line' counts records, so the header is line 1."""
    import re

    surplus = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if not surplus:
        return InputError(f"the file is not a well-formed CSV: {text.strip()}", file=path)
    expected, line, saw = (int(g) for g in surplus.groups())
    return InputError(
        f"this row has {saw} fields where the header has {expected}",
        file=path,
        rows=[line - 1],
        hint="a value that holds a comma must be in double quotes; re-export the file",
    )


def _header(path: Path) -> list[str]:
    """The header row's names, from the first line only (a bad byte further down is named later, by row)."""
    import csv
    import sys

    with path.open("rb") as fh:
        head = fh.read(_HEADER_LIMIT + 1)
    lines = re.split(rb"\r\n|\r|\n", head, maxsplit=1)  # any line ending: Windows, Unix or old Mac
    if len(lines) == 1 and len(head) > _HEADER_LIMIT:
        raise InputError(
            f"the first line is longer than {_size(_HEADER_LIMIT)}: this is not the claims CSV's header",
            file=path,
            hint=f"its header names {len(schema.COLUMNS)} columns in a few hundred bytes; check that this is the right file",
        )
    try:
        text = lines[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the header is not valid UTF-8", file=path, hint="re-export the file as CSV UTF-8") from None
    limit = csv.field_size_limit(sys.maxsize)  # the line is under the limit above, but one name may exceed csv's 128 KiB
    try:
        return next(csv.reader([text]), [])
    finally:
        csv.field_size_limit(limit)


def _delimiter_hint(header: list[str]) -> str:
    """Say so when the header looks split by another delimiter."""
    joined = ",".join(header)
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
        if joined.count(sep) >= 3:
            return f"the header looks separated by {name}; save the file with commas"
    return ""


def _utf8_error(path: Path) -> InputError:
    """Name the column and rows that hold bytes that are not UTF-8 (scanned only once pandas has failed)."""
    import csv
    import re
    import sys

    bad_char = re.compile("[\udc80-\udcff]")
    column, example, rows = None, "", []
    limit = csv.field_size_limit(sys.maxsize)  # a 10 MB transcription is still one valid field
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            for number, record in enumerate(reader, start=1):
                hits = [(i, m) for i, v in enumerate(record) if (m := bad_char.search(v))]
                if not hits:
                    continue
                rows.append(number)
                if column is None:
                    i, match = hits[0]
                    column = header[i] if i < len(header) else f"field {i + 1}"
                    around = record[i][max(match.start() - 12, 0) : match.start() + 12]
                    example = f" (e.g. {around.encode('utf-8', 'surrogateescape')!r})"
    except csv.Error:
        pass  # the parse itself failed; the file-level message below still holds
    finally:
        csv.field_size_limit(limit)
    return InputError(
        f"bytes that are not valid UTF-8{example}",
        file=path,
        column=column,
        rows=rows,
        hint="re-export it as CSV UTF-8; it looks saved in another encoding, such as Windows-1252",
    )


def _refuse_empty_columns(raw: pd.DataFrame, path: Path) -> None:
    """A needed column with no value in any row is a broken export, not rows to drop."""
    for column in raw.columns:
        if column != schema.TRANSCRIPTION and raw[column].isna().all():
            hint = (
                "fix the export"
                if column in (schema.VIDEO_ID, *schema.CATEGORIES)
                else "fix the export, or leave the column out of model.predictors and model.extra_candidates in a --config file"
            )
            raise InputError(f"every one of the {len(raw):,} rows is missing a value here", file=path, column=column, hint=hint)


def _nothing_usable(path: Path, missing_by_column: dict[str, int], rows: int) -> InputError:
    """Every row misses some analysed value (no column is empty throughout): name the column that misses most."""
    needed = {c: n for c, n in missing_by_column.items() if c != schema.TRANSCRIPTION}
    worst = max(needed, key=lambda c: needed[c])
    return InputError(
        f"none of the {rows:,} rows is usable: each misses a value in a column the model needs",
        file=path,
        column=worst,
        hint=f"this column alone misses {needed[worst]:,}; fill the gaps, or leave such columns out of model.predictors",
    )


def _typed(raw: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Counts as whole floats, ids as integers or text, categories as categoricals (spelling normalised), or an InputError."""
    import pandas as pd

    frame, notes = raw.copy(), []
    for column in [c for c in raw.columns if c in schema.COUNTS]:
        frame[column] = _counts_column(raw[column], path, column)
    frame[schema.VIDEO_ID] = _id_column(raw[schema.VIDEO_ID], path)
    for column, allowed in schema.CATEGORIES.items():
        if column in raw.columns:
            values, note = _category_values(raw[column], path, column, allowed)
            frame[column] = pd.Categorical(values, categories=list(allowed))
            notes += [note] if note else []
    return frame, notes


def _canonical(value: str) -> str:
    """A category value without case or spacing differences."""
    return " ".join(str(value).split()).casefold()


def _category_values(values: pd.Series, path: Path, column: str, allowed: tuple[str, ...]) -> tuple[pd.Series, str]:
    """Values mapped onto the allowed spelling, and a note of what was changed; an unknown value is refused."""
    spelling = {_canonical(a): a for a in allowed}
    fixes = {v: spelling.get(_canonical(v)) for v in values.dropna().unique() if v not in allowed}
    unknown = [v for v, fixed in fixes.items() if fixed is None]
    if unknown:
        bad = values.isin(unknown)
        raise InputError(
            f"unknown value(s) {', '.join(repr(v)[:40] for v in unknown[:3])}",
            file=path,
            column=column,
            rows=_row_numbers(bad),
            hint="allowed values: " + ", ".join(repr(a) for a in allowed),
        )
    if not fixes:
        return values, ""
    changed = int(values.isin(list(fixes)).sum())
    shown = ", ".join(f"{v!r} as {fixed!r}" for v, fixed in list(fixes.items())[:3])
    note = (
        f"{changed:,} value(s) in {column} differed from the allowed spelling only in case or spaces "
        f"and were read as allowed ({shown})."
    )
    return values.replace(fixes), note


def _counts_column(values: pd.Series, path: Path, column: str) -> pd.Series:
    """A whole, non-negative count column, within its plausible bound, as float64 (NaN where missing)."""
    import numpy as np
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    not_numbers = values.notna() & numbers.isna()
    if not_numbers.any():
        example = repr(values[not_numbers].iloc[0])[:40]
        raise InputError(
            f"text where a number belongs (e.g. {example})", file=path, column=column, rows=_row_numbers(not_numbers)
        )
    limit = schema.COUNT_LIMITS.get(column, np.inf)
    problems = (
        (numbers < 0, "negative count", ""),
        (np.isfinite(numbers) & (numbers != np.round(numbers)), "count that is not a whole number", ""),
        (np.isinf(numbers), "infinite value", ""),
        (
            numbers > limit,
            "implausibly large value",
            f"this column holds at most {limit:,.0f}; a larger value is a corrupt field or a unit error",
        ),
    )
    for mask, what, hint in problems:
        if mask.any():
            raise InputError(
                f"{what} (e.g. {numbers[mask].iloc[0]:.15g})", file=path, column=column, rows=_row_numbers(mask), hint=hint
            )
    return numbers


def _id_column(values: pd.Series, path: Path) -> pd.Series:
    """Video ids as nullable int64 where every id fits, else as text of their digits; never floats.

    A float holds 15 to 17 significant digits, so 19-digit ids that differ in
    the last digit became one number and distinct videos were dropped as
    repeats. Ids are compared as the integers they spell ("007" is 7).
    """
    import pandas as pd

    text = values.astype("string").str.strip()
    written_as_id = text.str.fullmatch(_ID_TEXT).fillna(True).astype(bool)
    if not written_as_id.all():
        _counts_column(values, path, schema.VIDEO_ID)  # text, negative or fractional ids: named as in any count
        example = repr(values[~written_as_id].iloc[0])[:40]
        raise InputError(
            f"an id not written in digits (e.g. {example})",
            file=path,
            column=schema.VIDEO_ID,
            rows=_row_numbers(~written_as_id),
            hint="a spreadsheet that shows ids as 1.23E+18 has rounded them; format the column as text and export again",
        )
    if text.str.len().fillna(0).max() <= 15:  # the common case, vectorised: even through a float, 15 digits are exact
        return pd.to_numeric(text).astype("Int64")
    present = text.notna().to_numpy()
    ids = [int(v.split(".")[0]) for v in text[present]]
    if max(ids, default=0) <= _INT64_MAX:
        out = pd.Series(pd.NA, index=values.index, dtype="Int64")
    else:  # beyond int64: kept as the text of the number, still one spelling per id
        out = pd.Series(pd.NA, index=values.index, dtype="string")
        ids = [str(i) for i in ids]
    out[present] = ids
    return out


def _refuse_more_than_two_labels(frame: pd.DataFrame, target: str, path: Path) -> None:
    """The model is a binary logistic regression: a target with three labels has no one answer to predict."""
    values = frame[target]
    labels = list(values.cat.remove_unused_categories().cat.categories) if values.dtype == "category" else sorted(values.unique())
    if len(labels) <= 2:
        return  # fewer than two is named, with the counts, by the split
    two_label = [c for c, allowed in schema.CATEGORIES.items() if len(allowed) == 2]
    shown = ", ".join(repr(str(v)) for v in labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
    raise InputError(
        f"the target has {len(labels)} labels ({shown}); the logistic regression needs exactly two",
        file=path,
        column=target,
        hint=f"set model.target to a column with two labels, such as {' or '.join(two_label)}",
    )


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


def _ignored_columns(header: list[str]) -> tuple[str, ...]:
    """A warning naming columns outside the schema: read past, never used."""
    extra = [repr(c[:40]) for c in header if c not in schema.COLUMNS]
    if not extra:
        return ()
    more = f" and {len(extra) - 5} more" if len(extra) > 5 else ""
    return (f"column(s) not in the claims schema were ignored: {', '.join(extra[:5])}{more}.",)


def _warnings(dropped: dict[str, int]) -> tuple[str, ...]:
    """Warnings the report shows about dropped duplicates."""
    notes = []
    if dropped.get(DUPLICATE_ROW):
        notes.append(f"{dropped[DUPLICATE_ROW]} exact duplicate row(s) were dropped, keeping the first.")
    if dropped.get(DUPLICATE_ID):
        notes.append(f"{dropped[DUPLICATE_ID]} row(s) repeat an earlier video_id with other values and were dropped.")
    return tuple(notes)
