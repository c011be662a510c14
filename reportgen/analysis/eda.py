"""Exploration: descriptive statistics, class balance, crosstab, IQR outliers, correlations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.config import Config
from reportgen.results import ColumnStats, Exploration, OutlierCount

if TYPE_CHECKING:
    import pandas as pd

EXAMPLES_PER_CLASS = 2


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The count columns present in the frame, in schema order."""
    return [c for c in schema.COUNTS if c in frame.columns]


def explore(frame: pd.DataFrame, config: Config) -> Exploration:
    """Describe the usable rows.

    Parameters
    ----------
    frame : DataFrame
        Clean rows from ``io.load_dataset``.
    config : Config
        Names the target.

    Returns
    -------
    Exploration
    """
    target = config.model.target
    numeric = numeric_columns(frame)
    balance = frame[target].value_counts(sort=False)
    corr = frame[numeric].corr().round(6)
    return Exploration(
        numeric=_describe(frame, numeric, target),
        class_balance={str(k): int(v) for k, v in balance.items()},
        class_shares={str(k): float(v / balance.sum()) for k, v in balance.items()},
        crosstab=_crosstab(frame, target, normalize=False),
        crosstab_row_shares=_crosstab(frame, target, normalize=True),
        outliers=tuple(iqr_outliers(frame[c], c) for c in numeric),
        correlation_columns=tuple(numeric),
        correlation=tuple(tuple(float(x) for x in row) for row in corr.to_numpy()),
        examples=_examples(frame),
    )


def _describe(frame: pd.DataFrame, numeric: list[str], target: str) -> tuple[ColumnStats, ...]:
    """Stats of each numeric column overall, then within each target class."""
    groups = [("all", frame)] + [(str(k), g) for k, g in frame.groupby(target, observed=False)]
    stats = []
    for label, part in groups:
        q = part[numeric].quantile([0.25, 0.5, 0.75])
        for c in numeric:
            values = part[c]
            stats.append(
                ColumnStats(
                    column=c,
                    group=label,
                    count=int(values.count()),
                    mean=_num(values.mean()),
                    std=_num(values.std()),
                    min=_num(values.min()),
                    q1=_num(q.at[0.25, c]),
                    median=_num(q.at[0.5, c]),
                    q3=_num(q.at[0.75, c]),
                    max=_num(values.max()),
                )
            )
    return tuple(stats)


def _num(x: object) -> float:
    """A float, with NaN (an empty group) as 0.0 so results stay JSON-clean."""
    value = float(x)  # type: ignore[arg-type]
    return 0.0 if value != value else value


def iqr_outliers(values: pd.Series, column: str) -> OutlierCount:
    """Count values beyond 1.5 IQR from the quartiles (Tukey's fences)."""
    q1, q3 = values.quantile([0.25, 0.75])
    spread = q3 - q1
    low, high = q1 - 1.5 * spread, q3 + 1.5 * spread
    count = int(((values < low) | (values > high)).sum())
    return OutlierCount(column, float(low), float(high), count, count / max(len(values), 1))


def _crosstab(frame: pd.DataFrame, target: str, *, normalize: bool) -> dict[str, dict[str, float]]:
    """claim_status x target, as counts or as shares within each claim status."""
    import pandas as pd

    if "claim_status" not in frame.columns:
        return {}
    table = pd.crosstab(frame["claim_status"], frame[target], normalize="index" if normalize else False, dropna=False)
    cast = float if normalize else int
    return {str(r): {str(c): cast(table.at[r, c]) for c in table.columns} for r in table.index}


def _examples(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The first transcriptions of each claim status, as the data team sees them."""
    if schema.TRANSCRIPTION not in frame.columns or "claim_status" not in frame.columns:
        return {}
    out = {}
    for label, part in frame.groupby("claim_status", observed=True):
        texts = part[schema.TRANSCRIPTION].dropna().head(EXAMPLES_PER_CLASS)
        out[str(label)] = tuple(str(t)[:300] for t in texts)
    return out
