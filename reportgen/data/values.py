"""Typing: every value read as text becomes a count, an id or a category, or is refused naming its rows.

Deliberate choices, recorded as a note (a ``DataSummary`` warning) when they apply:

- Category values that differ from an allowed one only in case or
  whitespace ("Verified", "banned ") are normalised, with a note: the
  mapping is unambiguous and lossless, and exports from spreadsheets add such
  noise. Any other unknown value is refused with the allowed values.
- A column read that is empty in every row is refused: a study would
  silently lose a variable (or every row).
- ``video_id`` is read as whole numbers written in digits: int64 where every id
  fits, text otherwise. Never floats: above 2**53 a float cannot tell ids
  apart, and distinct videos would be dropped as repeats.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# An id as an export writes it: digits, or digits with a zero fraction ("123.0") from a tool that held ids as floats.
_ID_TEXT = r"\+?[0-9]+(?:\.0*)?"
_INT64_MAX = (1 << 63) - 1


def refuse_empty_columns(raw: pd.DataFrame, path: Path) -> None:
    """A column read with no value in any row is a broken export, not rows to drop."""
    for column in raw.columns:
        if column != schema.TRANSCRIPTION and raw[column].isna().all():
            hint = (
                "fix the export"
                if column in (schema.VIDEO_ID, *schema.CATEGORIES)
                else "fix the export, or leave the column out of model.predictors and model.extra_candidates in a --config file"
            )
            raise InputError(f"every one of the {len(raw):,} rows is missing a value here", file=path, column=column, hint=hint)


def typed(raw: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Counts as whole floats, ids as integers or text, categories as categoricals (spelling normalised).

    Returns
    -------
    frame : DataFrame
        The same rows and columns, typed; missing values stay missing.
    notes : dict
        Category column -> what was normalised in it (only columns where something was).

    Raises
    ------
    InputError
        A value breaks the schema (named by column and rows).
    """
    import pandas as pd

    frame, notes = raw.copy(), {}
    for column in [c for c in raw.columns if c in schema.COUNTS]:
        frame[column] = _counts_column(raw[column], path, column)
    frame[schema.VIDEO_ID] = _id_column(raw[schema.VIDEO_ID], path)
    for column, allowed in schema.CATEGORIES.items():
        if column in raw.columns:
            values, note = _category_values(raw[column], path, column, allowed)
            frame[column] = pd.Categorical(values, categories=list(allowed))
            if note:
                notes[column] = note
    return frame, notes


def row_numbers(mask: pd.Series) -> list[int]:
    """1-based data row numbers where ``mask`` holds (first row under the header is 1)."""
    import numpy as np

    return (np.flatnonzero(mask.to_numpy()) + 1).tolist()


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
            rows=row_numbers(bad),
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


def _arrow_numbers(values: pd.Series) -> pd.Series | None:
    """Text stored by Arrow cast to float64 by Arrow: a tenth of ``pd.to_numeric``'s time at a million rows.

    Only when every value converts; on any text Arrow refuses (and on text
    not stored by Arrow) None, and ``pd.to_numeric`` reads the column and
    the checks below name the rows, exactly as without this path.
    """
    import pandas as pd

    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cast = pc.cast(pa.array(values.array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    # + 0.0 turns Arrow's -0.0 for "-0" into the 0.0 pd.to_numeric gives.
    return pd.Series(cast.to_numpy(zero_copy_only=False) + 0.0, index=values.index, dtype="float64")


def _counts_column(values: pd.Series, path: Path, column: str) -> pd.Series:
    """A whole, non-negative count column, within its plausible bound, as float64 (NaN where missing)."""
    import numpy as np
    import pandas as pd

    numbers = _arrow_numbers(values)
    if numbers is None:
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    not_numbers = values.notna() & numbers.isna()
    if not_numbers.any():
        example = repr(values[not_numbers].iloc[0])[:40]
        raise InputError(
            f"text where a number belongs (e.g. {example})", file=path, column=column, rows=row_numbers(not_numbers)
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
                f"{what} (e.g. {numbers[mask].iloc[0]:.15g})", file=path, column=column, rows=row_numbers(mask), hint=hint
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
            rows=row_numbers(~written_as_id),
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
