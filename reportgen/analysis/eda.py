"""Exploration: descriptive statistics, class balance, crosstab, IQR outliers, correlations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.config import Config
from reportgen.results import ColumnStats, Exploration, OutlierCount

if TYPE_CHECKING:
    import pandas as pd

EXAMPLES_PER_CLASS = 2


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The count columns present in the frame, in schema order."""
    return [c for c in schema.COUNTS if c in frame.columns]


def explore(frame: pd.DataFrame, config: Config, all_rows: Any = None) -> Exploration:
    """Describe the usable rows.

    Parameters
    ----------
    frame : DataFrame
        Clean rows from ``io.load_dataset``.
    config : Config
        Names the target.
    all_rows : AllRows, optional
        Every usable row, when ``frame`` is a sample of them (``Dataset.all_rows``): the
        statistics are then computed over all of them, and only the examples come from ``frame``.

    Returns
    -------
    Exploration
    """
    if all_rows is not None:
        return _explore_all_rows(frame, config, all_rows)
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


def _explore_all_rows(frame: pd.DataFrame, config: Config, all_rows: Any) -> Exploration:
    """``explore`` with every statistic from SQL over every usable row; the transcription examples from the sample."""
    from reportgen.engines import describe

    target = config.model.target
    numeric = numeric_columns(frame)
    labels = _labels(frame, target)
    counts = describe.label_counts(all_rows, target)
    balance = {label: counts.get(label, 0) for label in labels}
    total = sum(balance.values())
    overall = describe.describe(all_rows, numeric)
    corr = describe.correlation(all_rows, numeric)
    return Exploration(
        numeric=describe.column_stats(all_rows, numeric, target, labels, overall),
        class_balance=balance,
        class_shares={k: float(v / total) for k, v in balance.items()},
        crosstab=_crosstab_all_rows(frame, all_rows, target, normalize=False),
        crosstab_row_shares=_crosstab_all_rows(frame, all_rows, target, normalize=True),
        outliers=describe.iqr_outliers(all_rows, numeric, overall),
        correlation_columns=tuple(numeric),
        # NaN (a constant column) as pandas leaves it before rounding; round(6) as the pandas path does.
        correlation=tuple(tuple(float("nan") if x is None else round(x, 6) for x in row) for row in corr),
        examples=_examples(frame),
        rows=all_rows.rows,
    )


def _labels(frame: pd.DataFrame, column: str) -> list[str]:
    """The labels pandas groups ``column`` by: a category's categories in order, else the sorted values."""
    values = frame[column]
    if hasattr(values, "cat"):
        return [str(c) for c in values.cat.categories]
    return [str(v) for v in sorted(values.dropna().unique())]


def _crosstab_all_rows(frame: pd.DataFrame, all_rows: Any, target: str, *, normalize: bool) -> dict[str, dict[str, float]]:
    """``_crosstab`` over every usable row: counts, or shares within each claim status (0.0 for an empty one)."""
    from reportgen.engines import describe

    if "claim_status" not in frame.columns:
        return {}
    counts = describe.crosstab_counts(all_rows, "claim_status", target)
    rows, columns = _labels(frame, "claim_status"), _labels(frame, target)
    table = {r: {c: counts.get((r, c), 0) for c in columns} for r in rows}
    if not normalize:
        return table  # type: ignore[return-value]
    return {r: {c: (k / sum(row.values()) if sum(row.values()) else 0.0) for c, k in row.items()} for r, row in table.items()}


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
