"""Descriptive statistics over every usable row of a sampled study, by SQL (DuckDB or Spark).

When an out-of-core engine hands a study a sample, ``Dataset.all_rows`` still
holds every usable row. The functions here compute, over all of them, what the
pandas code computes over its frame: counts, means, standard deviations
(ddof=1), minima, quartiles (linear interpolation, as pandas' default),
maxima, Tukey's IQR outliers, label counts, crosstabs and correlation matrices
(Pearson by ``corr``; Spearman as Pearson of average ranks), and the rank sums of
the Mann-Whitney test. Each query is written once for both dialects; the one
function they spell differently, the quantile, is chosen by ``_QUANTILE``.
An exact quantile holds every value of its column in memory, so ``describe``
asks for one column a query, its three quartiles in one list: at ten million
rows, all columns' quartiles at once outgrew DuckDB's memory limit.
Missing values are left out, as pandas leaves NaN out of each statistic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.engines import sql

if TYPE_CHECKING:
    import numpy as np

    from reportgen.analysis.design import DesignSpec
    from reportgen.engines.allrows import AllRows
    from reportgen.results import ColumnStats, OutlierCount

#: How each dialect spells the quantile ``q`` of ``x``; both interpolate linearly between the nearest values.
_QUANTILE = {sql.DUCKDB: "quantile_cont({x}, {q})", sql.SPARK: "percentile({x}, {q})"}
#: The same, for a list of quantiles ``qs`` read from one sorted copy of the values (a list or array of values).
_QUANTILES = {sql.DUCKDB: "quantile_cont({x}, [{qs}])", sql.SPARK: "percentile({x}, array({qs}))"}
#: The quartiles, in the order ``Stats`` holds them.
QUARTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Stats:
    """One column's statistics over its present values (None where undefined, as for an empty group)."""

    n: int
    mean: float | None
    sd: float | None  # ddof=1: None below two values
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None


def quantile(all_rows: AllRows, expression: str, q: float) -> str:
    """The SQL of the ``q`` quantile of ``expression`` in the dialect of ``all_rows``."""
    return _QUANTILE[all_rows.dialect].format(x=expression, q=repr(float(q)))


def derived(all_rows: AllRows, columns: dict[str, str]) -> AllRows:
    """``all_rows`` seen through computed columns: name -> SQL expression over the source's columns.

    The engineered variables of the exploration (rates, lengths) are then queried as plain columns.
    """
    parts = ", ".join(f"{expression} AS {sql.quote(name)}" for name, expression in columns.items())
    return dataclasses.replace(all_rows, source=f"(SELECT {parts} FROM {all_rows.source}) AS derived")


def _float(x: object) -> float | None:
    """A SQL value as a float, None for NULL or NaN."""
    if x is None:
        return None
    value = float(x)  # type: ignore[arg-type]
    return None if value != value else value


def describe(all_rows: AllRows, columns: Sequence[str], by: str | None = None) -> dict[tuple[str | None, str], Stats]:
    """Each column's ``Stats`` overall (key ``(None, column)``), or within each present label of ``by``.

    Parameters
    ----------
    all_rows : AllRows
    columns : sequence of str
        Numeric columns of the source.
    by : str, optional
        A category column: one row of statistics per label (rows with no label are left out).

    Returns
    -------
    dict
        ``(label or None, column) -> Stats``; a label absent from the rows has no entry.
    """
    if not columns:
        return {}
    key = f"CAST({sql.quote(by)} AS STRING)" if by else "NULL"
    where = f" WHERE {sql.quote(by)} IS NOT NULL GROUP BY {sql.quote(by)}" if by else ""
    quartiles = ", ".join(repr(float(q)) for q in QUARTILES)
    out = {}
    for c in columns:
        x = sql.quote(c)
        parts = [f"COUNT({x})", f"AVG({x})", f"STDDEV_SAMP({x})", f"MIN({x})", _QUANTILES[all_rows.dialect].format(x=x, qs=quartiles), f"MAX({x})"]
        for label, n, mean, sd, low, spread, high in all_rows.query(f"SELECT {key}, {', '.join(parts)} FROM {{rows}}{where}"):
            count = int(n or 0)
            q1, median, q3 = (_float(v) for v in (spread or (None,) * len(QUARTILES)))
            out[(label, c)] = Stats(count, _float(mean), _float(sd) if count > 1 else None, _float(low), q1, median, q3, _float(high))
    return out


def column_stats(
    all_rows: AllRows, columns: Sequence[str], target: str, labels: Sequence[str], overall: dict | None = None
) -> tuple[ColumnStats, ...]:
    """``eda._describe`` over every usable row: each column overall, then within each of ``labels`` of ``target``.

    ``overall`` is ``describe(all_rows, columns)`` when already computed. An undefined statistic
    (an empty group, the SD of one value) is 0.0, as ``eda._num`` makes it.
    """
    from reportgen.results import ColumnStats

    stats = {**(overall or describe(all_rows, columns)), **describe(all_rows, columns, target)}
    empty = Stats(0, None, None, None, None, None, None, None)
    out = []
    for label in ("all", *labels):
        for c in columns:
            s = stats.get((None if label == "all" else label, c), empty)
            zero = [0.0 if v is None else v for v in (s.mean, s.sd, s.min, s.q1, s.median, s.q3, s.max)]
            out.append(ColumnStats(c, label, s.n, *zero))
    return tuple(out)


def iqr_outliers(
    all_rows: AllRows, columns: Sequence[str], overall: dict[tuple[str | None, str], Stats] | None = None
) -> tuple[OutlierCount, ...]:
    """``eda.iqr_outliers`` of each column over every usable row: values beyond 1.5 IQR of the column's own quartiles.

    ``overall`` is ``describe(all_rows, columns)`` when already computed (its quartiles set the fences).
    The share divides by every usable row, as pandas divides by the column's length.
    """
    from reportgen.results import OutlierCount

    overall = overall or describe(all_rows, columns)
    fences = {}
    for c in columns:
        s = overall[(None, c)]
        spread = s.q3 - s.q1  # type: ignore[operator]
        fences[c] = (s.q1 - 1.5 * spread, s.q3 + 1.5 * spread)  # type: ignore[operator]
    if not columns:
        return ()
    beyond = "SUM(CASE WHEN {x} < {low!r} OR {x} > {high!r} THEN 1 ELSE 0 END)"
    parts = ", ".join(beyond.format(x=sql.quote(c), low=low, high=high) for c, (low, high) in fences.items())
    counts = [int(k or 0) for k in all_rows.query(f"SELECT {parts} FROM {{rows}}")[0]]
    rows = max(all_rows.rows, 1)
    return tuple(OutlierCount(c, float(fences[c][0]), float(fences[c][1]), k, k / rows) for c, k in zip(columns, counts))


def label_counts(all_rows: AllRows, column: str) -> dict[str, int]:
    """Rows of each present label of ``column`` (missing labels left out, as ``value_counts`` does)."""
    c = sql.quote(column)
    rows = all_rows.query(f"SELECT CAST({c} AS STRING), COUNT(*) FROM {{rows}} WHERE {c} IS NOT NULL GROUP BY 1")
    return {str(label): int(k) for label, k in rows}


def missing(all_rows: AllRows, column: str) -> int:
    """Rows with no value in ``column``."""
    return int(all_rows.query(f"SELECT COUNT(*) - COUNT({sql.quote(column)}) FROM {{rows}}")[0][0])


def crosstab_counts(all_rows: AllRows, rows: str, columns: str) -> dict[tuple[str, str], int]:
    """Rows of each present (label of ``rows``, label of ``columns``) pair; rows missing either are left out."""
    r, c = sql.quote(rows), sql.quote(columns)
    found = all_rows.query(
        f"SELECT CAST({r} AS STRING), CAST({c} AS STRING), COUNT(*) FROM {{rows}} "
        f"WHERE {r} IS NOT NULL AND {c} IS NOT NULL GROUP BY 1, 2"
    )
    return {(str(a), str(b)): int(k) for a, b, k in found}


def extent(all_rows: AllRows, columns: Sequence[str]) -> dict[str, tuple[int, float | None, float | None]]:
    """Each column's distinct present values, minimum and maximum (min and max None for text)."""
    if not columns:
        return {}
    parts = ", ".join(f"COUNT(DISTINCT {sql.quote(c)}), MIN({sql.quote(c)}), MAX({sql.quote(c)})" for c in columns)
    row = all_rows.query(f"SELECT {parts} FROM {{rows}}")[0]
    out = {}
    for i, c in enumerate(columns):
        low, high = row[3 * i + 1], row[3 * i + 2]
        numeric = isinstance(low, (int, float)) or low is None
        out[c] = (int(row[3 * i]), _float(low) if numeric else None, _float(high) if numeric else None)
    return out


def _runs(source: str, x: str, extra: str = "") -> str:
    """One row a distinct value ``v`` of ``x`` in ``source``: its rows ``t`` and its average rank ``r`` (``extra`` adds sums).

    Ties share the mean of their ranks, as pandas' ``rank()`` gives them: the last of a run of
    ``t`` equal values is ranked ``cum`` (the rows up to it), so the run's mean is ``cum - (t - 1) / 2``.
    Ranking the distinct values, not the rows, sorts far fewer rows than a window over every row.
    """
    t = "CAST(COUNT(*) AS DOUBLE)"
    return (
        f"SELECT {x} AS v, {t} AS t, CAST(SUM(COUNT(*)) OVER (ORDER BY {x}) AS DOUBLE) - ({t} - 1) / 2 AS r{extra} "
        f"FROM {source} GROUP BY {x}"
    )


def correlation(all_rows: AllRows, columns: Sequence[str], method: str = "pearson") -> list[list[float | None]]:
    """The correlation matrix of ``columns`` over pairwise complete rows (``DataFrame.corr(method)``).

    Pearson's r is the ``corr`` aggregate, which leaves out a pair where either
    value is missing. Spearman's rho is Pearson's r of the average ranks, ranked
    within the rows where both values of the pair are present, as pandas ranks
    them: the pairs that share their missing-value columns share one query.
    None where undefined (a constant column). The diagonal is 1.
    """
    k = len(columns)
    matrix: list[list[float | None]] = [[1.0 if i == j else None for j in range(k)] for i in range(k)]
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    if method == "pearson":
        found = _correlations(all_rows, columns, pairs, ())
    else:
        gaps = {c for c in columns if missing(all_rows, c)}
        by_filter: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for i, j in pairs:
            by_filter.setdefault(tuple(c for c in (columns[i], columns[j]) if c in gaps), []).append((i, j))
        found = {}
        for needed, group in by_filter.items():
            found.update(_correlations(all_rows, columns, group, needed, ranked=True))
    for (i, j), r in found.items():
        matrix[i][j] = matrix[j][i] = r
    for i, c in enumerate(columns):  # pandas gives NaN on the diagonal of a constant column
        if all(matrix[i][j] is None for j in range(k) if j != i) and k > 1:
            matrix[i][i] = None if _constant(all_rows, c) else 1.0
    return matrix


def design_correlation(all_rows: AllRows, spec: DesignSpec, log1p_columns: Sequence[str] = ()) -> np.ndarray:
    """The Pearson correlation matrix of a regression design's columns (intercept left out) over every usable row.

    The columns are ``spec.column_names()[1:]``: each continuous predictor (log(1 + x) for those in
    ``log1p_columns``; its scaling does not change a correlation) and a 0/1 column per dummy. A
    constant column's correlations are NaN, as ``numpy.corrcoef`` gives them.
    """
    import numpy as np

    expressions = {c: f"ln(1.0 + {sql.quote(c)})" if c in log1p_columns else sql.quote(c) for c in spec.continuous}
    for c in spec.categorical:
        for level in spec.levels[c]:
            expressions[f"{c}[{level}]"] = f"CASE WHEN {sql.quote(c)} = {sql.literal(level)} THEN 1.0 ELSE 0.0 END"
    names = spec.column_names()[1:]
    matrix = correlation(derived(all_rows, {n: expressions[n] for n in names}), names)
    return np.array([[np.nan if r is None else r for r in row] for row in matrix], dtype=float)


def _constant(all_rows: AllRows, column: str) -> bool:
    """The column holds fewer than two distinct present values."""
    return int(all_rows.query(f"SELECT COUNT(DISTINCT {sql.quote(column)}) FROM {{rows}}")[0][0]) < 2


def _correlations(
    all_rows: AllRows, columns: Sequence[str], pairs: Sequence[tuple[int, int]], needed: Sequence[str], ranked: bool = False
) -> dict[tuple[int, int], float | None]:
    """The ``corr`` of each pair, over the rows where every column of ``needed`` is present (of ranks when ``ranked``)."""
    if not pairs:
        return {}
    used = sorted({i for p in pairs for i in p})
    where = " AND ".join(f"{sql.quote(c)} IS NOT NULL" for c in needed) or "TRUE"
    if ranked:
        # Each column's average ranks among these rows, joined back to the rows by value.
        base = ", ".join(f"{sql.quote(columns[i])} AS c{i}" for i in used)
        runs = ", ".join(f"runs{i} AS ({_runs('base', f'c{i}')})" for i in used)
        joins = " ".join(f"JOIN runs{i} ON base.c{i} = runs{i}.v" for i in used)
        prefix, source, name = f"WITH base AS (SELECT {base} FROM {{rows}} WHERE {where}), {runs} ", f"base {joins}", "runs{}.r"
    else:
        prefix, source, name = "", f"{{rows}} WHERE {where}", None

    def column(i: int) -> str:
        return name.format(i) if name else sql.quote(columns[i])

    parts = ", ".join(f"corr({column(i)}, {column(j)})" for i, j in pairs)
    row = all_rows.query(f"{prefix}SELECT {parts} FROM {source}")[0]
    return {p: _float(r) for p, r in zip(pairs, row)}


@dataclass(frozen=True)
class RankSums:
    """What the Mann-Whitney U test needs of two groups: their sizes, the first's rank sum, the ties' correction."""

    n1: int
    n2: int
    rank_sum_1: float  # average ranks over both groups' present values
    tie_term: float  # the sum of t**3 - t over the runs of tied values

    def u_and_p(self) -> tuple[float, float]:
        """U1 and the two-sided p of ``scipy.stats.mannwhitneyu`` (normal approximation, continuity-corrected, tie-corrected).

        scipy takes the exact distribution only for groups of at most 8 values without ties; a sampled
        study's groups are far larger, so the approximation is the one scipy uses on them.
        """
        import math

        from scipy.stats import norm

        n1, n2 = self.n1, self.n2
        u1 = self.rank_sum_1 - n1 * (n1 + 1) / 2
        u = max(u1, n1 * n2 - u1)
        n = n1 + n2
        s = math.sqrt(n1 * n2 / 12 * ((n + 1) - self.tie_term / (n * (n - 1))))
        z = (u - n1 * n2 / 2 - 0.5) / s if s else math.inf
        return u1, float(min(max(2 * norm.sf(z), 0.0), 1.0))


def rank_sums(all_rows: AllRows, column: str, by: str, first: str, second: str) -> RankSums:
    """``RankSums`` of ``column`` between the rows labelled ``first`` and ``second`` in ``by``."""
    x, g = sql.quote(column), sql.quote(by)
    base = (
        f"SELECT {x} AS x, CASE WHEN CAST({g} AS STRING) = {sql.literal(first)} THEN 1 ELSE 0 END AS k FROM {{rows}} "
        f"WHERE {x} IS NOT NULL AND CAST({g} AS STRING) IN ({sql.literal(first)}, {sql.literal(second)})"
    )
    # One row a distinct value: its rows, how many are the first group's, their average rank. DOUBLE throughout:
    # a run of a million ties cubed overflows a 64-bit integer.
    runs = _runs("base", "x", ", CAST(SUM(k) AS DOUBLE) AS k1")
    n1, n, r1, ties = all_rows.query(
        f"WITH base AS ({base}), runs AS ({runs}) SELECT SUM(k1), SUM(t), SUM(k1 * r), SUM(t * t * t - t) FROM runs"
    )[0]
    n1, n = int(n1 or 0), int(n or 0)
    return RankSums(n1, n - n1, float(r1 or 0.0), float(ties or 0.0))
