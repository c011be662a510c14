"""The summary: which rows a study can use, why the others were dropped, and what the report says of it.

A row is dropped for a study, with a counted reason, when it misses a value in
a column that study reads (the transcription excepted: a video without text
still has its counts), when it repeats an earlier row in those columns and the
id, or when it repeats an earlier ``video_id`` with other values. Each study's
drops are counted apart: a study that does not read a column never loses a
row over it. Columns outside the schema
are ignored, with a warning naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

MISSING = "missing values"
DUPLICATE_ROW = "duplicate row"
DUPLICATE_ID = "duplicate video_id"

#: Columns whose missing value never drops a row.
OPTIONAL: tuple[str, ...] = (schema.TRANSCRIPTION,)


def drop_unusable(frame: pd.DataFrame, needed: Sequence[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Drop rows missing a value in ``needed``, exact duplicates, then repeated ids.

    ``frame`` holds the columns that make a row (a study's columns and the id);
    a row without an id is never called a repeat (it is dropped as missing
    when the study reads the id).

    Returns
    -------
    frame : DataFrame
        The rows kept, in file order, index reset.
    dropped : dict
        Reason -> rows dropped for it (only reasons that dropped some), in the order applied.
    """
    has_id = frame[schema.VIDEO_ID].notna()
    steps = (
        (MISSING, frame[list(needed)].isna().any(axis=1)),
        (DUPLICATE_ROW, frame.duplicated() & has_id),
        (DUPLICATE_ID, frame[schema.VIDEO_ID].duplicated() & has_id),
    )
    keep = ~frame.index.isna()
    dropped: dict[str, int] = {}
    for reason, mask in steps:
        newly = mask & keep
        if newly.any():
            dropped[reason] = int(newly.sum())
            keep &= ~mask
    return frame[keep].reset_index(drop=True), dropped


def counts(values: pd.Series) -> dict[str, int]:
    """Label -> count, in category order, zeros included."""
    return {str(k): int(v) for k, v in values.value_counts(sort=False).items()}


def ignored_columns(header: Sequence[str]) -> tuple[str, ...]:
    """A warning naming columns outside the schema: read past, never used."""
    extra = [repr(c[:40]) for c in header if c not in schema.COLUMNS]
    if not extra:
        return ()
    more = f" and {len(extra) - 5} more" if len(extra) > 5 else ""
    return (f"column(s) not in the claims schema were ignored: {', '.join(extra[:5])}{more}.",)


def drop_warnings(dropped: dict[str, int]) -> tuple[str, ...]:
    """Warnings the report shows about dropped duplicates."""
    notes = []
    if dropped.get(DUPLICATE_ROW):
        notes.append(f"{dropped[DUPLICATE_ROW]} exact duplicate row(s) were dropped, keeping the first.")
    if dropped.get(DUPLICATE_ID):
        notes.append(f"{dropped[DUPLICATE_ID]} row(s) repeat an earlier video_id with other values and were dropped.")
    return tuple(notes)


def nothing_usable(path: Path, missing_by_column: dict[str, int], rows: int, needed_by: str, remedy: str) -> InputError:
    """Every row misses some needed value (no column is empty throughout): name the column that misses most."""
    needed = {c: n for c, n in missing_by_column.items() if c not in OPTIONAL}
    worst = max(needed, key=lambda c: needed[c])
    return InputError(
        f"none of the {rows:,} rows is usable: each misses a value in a column {needed_by} needs",
        file=path,
        column=worst,
        hint=f"this column alone misses {needed[worst]:,}; fill the gaps{remedy}",
    )


def refuse_more_than_two_labels(frame: pd.DataFrame, target: str, path: Path) -> None:
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
