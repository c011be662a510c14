"""Parsing: the header line and the rows of the CSV, every value as text.

The header is read from the first line alone, so that a bad byte further down
is named later, by row. The rows are read by Arrow's fast reader when the file
is clean, else by pandas' reader, which names the row that breaks the format.
Typing the text (counts, ids, categories) is ``reportgen.data.values``' job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.data.files import size_text
from reportgen.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

_HEADER_LIMIT = 1 << 20  # a header line longer than this is not the claims CSV


def read_header(path: Path) -> list[str]:
    """The header row's names, from the first line only (a bad byte further down is named later, by row)."""
    import csv
    import sys

    with path.open("rb") as fh:
        head = fh.read(_HEADER_LIMIT + 1)
    lines = re.split(rb"\r\n|\r|\n", head, maxsplit=1)  # any line ending: Windows, Unix or old Mac
    if len(lines) == 1 and len(head) > _HEADER_LIMIT:
        raise InputError(
            f"the first line is longer than {size_text(_HEADER_LIMIT)}: this is not the claims CSV's header",
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


def read_rows(path: Path, header: list[str], columns: tuple[str, ...]) -> pd.DataFrame:
    """Every row of ``columns``, each value as text (``values.typed`` decides what is a number).

    Raises
    ------
    InputError
        A column is absent or named twice, the file is not UTF-8 or not a
        well-formed CSV (naming the rows), or it holds no data row.
    """
    import pandas as pd

    check_columns(path, header, columns)
    # Every analysed column as text: a reader left to guess types reads "True"/"False" as 1/0 in a
    # count and a 19-digit id as a float; ``values.typed`` parses counts and ids itself, naming bad rows.
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


def is_parquet(path: Path) -> bool:
    """A Parquet file: by its name or its first bytes (``PAR1``)."""
    if path.suffix.lower() == ".parquet":
        return True
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def read_parquet(path: Path, columns: tuple[str, ...]) -> tuple[list[str], pd.DataFrame]:
    """The column names and every row of ``columns`` of a Parquet file, each value as text, as ``read_rows`` gives a CSV's.

    A value becomes the text a CSV export would hold (a null or NaN as missing, and
    so is text that pandas' CSV reader takes for missing, such as ``#N/A``), so
    that ``values.typed`` checks it in the same words as the CSV's.

    Raises
    ------
    InputError
        pyarrow is not installed, the file is not readable as Parquet, a column
        is absent or named twice, or it holds no row.
    """
    import pandas as pd

    from reportgen.engines.sql import NA_TEXT

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow, which is not installed", file=path, hint="pip install 'reportgen[parquet]', or export the data as CSV"
        ) from None
    try:
        source = pq.ParquetFile(path)
        header = list(source.schema_arrow.names)
        check_columns(path, header, columns)
        table = source.read(columns=list(columns))
    except (pa.ArrowException, ValueError) as exc:
        raise InputError(f"the file is not a readable Parquet file: {str(exc).splitlines()[0]}", file=path) from None
    frame = pd.DataFrame({c: _as_text(table.column(c).to_pandas(), NA_TEXT) for c in columns})
    if frame.empty:
        raise InputError("the file has a header but no data rows", file=path)
    return header, frame


def _as_text(values: pd.Series, missing: tuple[str, ...]) -> pd.Series:
    """A column as text (pandas' string dtype), missing markers as missing."""
    text = values.astype("string")
    return text.mask(text.isin(missing))


def check_columns(path: Path, header: list[str], columns: tuple[str, ...]) -> None:
    """Refuse a header that lacks a column read or names one twice (every engine's first check)."""
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
