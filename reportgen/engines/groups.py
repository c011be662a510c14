"""Two groups compared on every usable row left in an out-of-core engine: the aggregates, then the tests.

When DuckDB or Spark handed the hypothesis study a sample, the tests that need
only per-group aggregates still cover every usable row: Welch's t and Hedges' g
need each group's n, mean and variance; Mann-Whitney U needs the focal group's
sum of average ranks and the ties' sum of t^3 - t, which one pass over the
distinct values gives (each value's count in each group, and a running count
of the values below it: a window function); Brown-Forsythe needs each group's
median and the mean and variance of its absolute deviations from it; the
summaries need percentiles. Three queries over ``AllRows`` (one for the moments
and percentiles, one for the ranks, one for the deviations) give them all, for
the groups overall and within each stratum; the formulas are those of
``reportgen.stats.groups``, which the pandas path uses on the rows themselves.

What needs the rows in memory stays on the sample: the bootstrap interval of
the difference in medians (its point estimate comes from every row here).

scipy's Mann-Whitney takes the exact distribution of U when a group has eight
or fewer values and none is tied; ``mann_whitney_from_ranks`` does the same
from U, so small strata give scipy's p too (the all-rows path runs only with a
sample, so its groups are large as a rule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.engines import sql
from reportgen.stats.groups import (
    PERCENTILES,
    Estimate,
    TwoGroupComparison,
    brown_forsythe_from_moments,
    hedges_g_from_moments,
    mann_whitney_from_ranks,
    summary_from_percentiles,
    welch_from_moments,
)

if TYPE_CHECKING:
    from reportgen.engines.allrows import AllRows

#: The key of the groups taken over every stratum together.
OVERALL = None


@dataclass(frozen=True)
class GroupAggregates:
    """One group's aggregates (overall or within one stratum), over every usable row of it.

    ``log_mean``/``log_var``: of log(1 + x). ``dev_mean``/``dev_var``: of |x - median| (Brown-Forsythe).
    Variances are n - 1 ones (NaN for a single row).
    """

    n: int
    mean: float
    var: float
    log_mean: float
    log_var: float
    percentiles: tuple[float, ...]
    dev_mean: float
    dev_var: float

    @property
    def median(self) -> float:
        """The 50th percentile (linear interpolation, as ``np.median``)."""
        return self.percentiles[50]


@dataclass(frozen=True)
class RankSums:
    """What Mann-Whitney U needs of both groups ranked together (average ranks for ties)."""

    focal: float  # the focal group's sum of ranks
    tie_term: float  # sum of t^3 - t over the tied values, t the rows holding each value
    ties: bool  # whether any value is held by two rows or more


@dataclass(frozen=True)
class AllRowsGroups:
    """The aggregates of every usable row: row accounting, each group's, each stratum's, and the rank sums.

    ``groups`` and ``ranks`` are keyed by stratum level, ``OVERALL`` (None) for all strata together;
    ``groups`` then by (stratum, group). ``strata``: level -> (rows, median of the measure), both groups together.
    """

    received: int
    used: int
    dropped_reasons: dict[str, int]
    groups: dict[tuple[str | None, str], GroupAggregates]
    ranks: dict[str | None, RankSums]
    strata: dict[str, tuple[int, float]]

    def n(self, stratum: str | None, group: str) -> int:
        """Rows of ``group`` in ``stratum`` (0 when there are none)."""
        found = self.groups.get((stratum, group))
        return found.n if found else 0


def _text(value: str) -> str:
    """A category level as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _double(value: float) -> str:
    """A float as an SQL DOUBLE, exactly (a decimal literal would be read as DECIMAL by DuckDB)."""
    return f"CAST('{value!r}' AS DOUBLE)"


def _percentiles(x: str, dialect: sql.Dialect) -> str:
    """The aggregate of ``x``'s ``PERCENTILES`` as one list, linear interpolation (``np.percentile``'s default) in both engines."""
    qs = ", ".join(repr(q / 100) for q in PERCENTILES)
    if dialect is sql.SPARK:
        return f"percentile({x}, array({qs}))"
    return f"quantile_cont({x}, [{qs}])"


def _number(value: object) -> float:
    """An aggregate as a float: NULL (a variance of one row) is NaN."""
    return math.nan if value is None else float(value)


def aggregate(all_rows: AllRows, measure: str, by: str, stratify: str, focal: str, reference: str) -> AllRowsGroups:
    """Every aggregate the comparisons need, over all of ``all_rows``, overall and within each level of ``stratify``.

    Parameters
    ----------
    all_rows : AllRows
        Every usable row of the study.
    measure, by, stratify : str
        The compared count column, the two-level grouping column and the stratifier.
    focal, reference : str
        The two levels of ``by`` (rows of any other level are not compared; a two-level column has none).

    Returns
    -------
    AllRowsGroups
    """
    m, g, s = sql.quote(measure), sql.quote(by), sql.quote(stratify)
    received, *missing = all_rows.query(
        f"SELECT COUNT(*), SUM(CASE WHEN {m} IS NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {m} IS NOT NULL AND {g} IS NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {m} IS NOT NULL AND {g} IS NOT NULL AND {s} IS NULL THEN 1 ELSE 0 END) FROM {{rows}}"
    )[0]
    reasons = {f"missing {c}": int(k) for c, k in zip((measure, by, stratify), missing) if k}
    usable = (
        f"(SELECT {m} AS x, {g} AS g, {s} AS s FROM {{rows}} "
        f"WHERE {m} IS NOT NULL AND {s} IS NOT NULL AND {g} IN ({_text(focal)}, {_text(reference)})) AS u"
    )
    groups, strata = _moments(all_rows, usable)
    _deviations(all_rows, usable, groups)
    final = {key: GroupAggregates(**fields) for key, fields in groups.items()}
    return AllRowsGroups(int(received), int(received) - sum(reasons.values()), reasons, final, _ranks(all_rows, usable, focal), strata)


def _moments(all_rows: AllRows, usable: str) -> tuple[dict, dict[str, tuple[int, float]]]:
    """Each group's n, mean, variance, log-scale moments and percentiles (overall and by stratum), and each stratum's rows and median."""
    rows = all_rows.query(
        "SELECT s, g, COUNT(*), AVG(x), VAR_SAMP(x), AVG(lx), VAR_SAMP(lx), "
        f"{_percentiles('x', all_rows.dialect)} "
        "FROM (SELECT x, ln(1 + x) AS lx, g, s FROM " + usable + ") AS v GROUP BY GROUPING SETS ((g), (s, g), (s))"
    )
    groups: dict[tuple[str | None, str], dict] = {}
    strata: dict[str, tuple[int, float]] = {}
    for stratum, group, n, mean, var, log_mean, log_var, pct in rows:
        pct = tuple(float(v) for v in pct)
        if group is None:  # the (s) set: both groups of one stratum
            strata[stratum] = (int(n), pct[50])
            continue
        groups[(stratum, group)] = {
            "n": int(n), "mean": float(mean), "var": _number(var), "log_mean": float(log_mean), "log_var": _number(log_var), "percentiles": pct,
        }  # fmt: skip
    return groups, strata


def _deviations(all_rows: AllRows, usable: str, groups: dict) -> None:
    """Add each group's mean and variance of |x - its median| (Brown-Forsythe) to ``groups``.

    Each row's deviation is taken twice: from its group's median over all strata (for the overall test) and
    from its group's median within its stratum; the grouping sets keep the one each test needs.
    """

    def median_of(keys: list[tuple[str | None, str]], by_stratum: bool) -> str:
        cases = " ".join(
            f"WHEN {'s = ' + _text(st) + ' AND ' if by_stratum else ''}g = {_text(gr)} THEN {_double(groups[(st, gr)]['percentiles'][50])}"
            for st, gr in keys
        )
        return f"CASE {cases} END"

    overall = [k for k in groups if k[0] is OVERALL]
    within = [k for k in groups if k[0] is not OVERALL]
    rows = all_rows.query(
        "SELECT s, g, AVG(da), VAR_SAMP(da), AVG(ds), VAR_SAMP(ds) FROM "
        f"(SELECT s, g, ABS(x - {median_of(overall, False)}) AS da, ABS(x - {median_of(within, True)}) AS ds FROM {usable}) AS d "
        "GROUP BY GROUPING SETS ((g), (s, g))"
    )
    for stratum, group, mean_all, var_all, mean_s, var_s in rows:
        key = groups[(stratum, group)]
        key["dev_mean"], key["dev_var"] = (float(mean_all), _number(var_all)) if stratum is None else (float(mean_s), _number(var_s))


def _ranks(all_rows: AllRows, usable: str, focal: str) -> dict[str | None, RankSums]:
    """The focal group's sum of average ranks and the tie term, over all strata and within each.

    Each distinct value counted once (rows holding it, and of them the focal group's); a running sum over the
    values in order gives the rows below it, so its average rank is below + (t + 1) / 2. Counts as DOUBLE:
    t^3 outgrows a 64-bit integer at two million tied rows, and scipy sums these as floats too.
    """
    rows = all_rows.query(
        "SELECT s, SUM(nf * (below + (t + 1) / 2)), SUM(t * t * t - t), MAX(t) FROM ("
        "SELECT s, CAST(nf AS DOUBLE) AS nf, CAST(t AS DOUBLE) AS t, "
        "CAST(COALESCE(SUM(t) OVER (PARTITION BY s ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS DOUBLE) AS below "
        f"FROM (SELECT s, x, SUM(CASE WHEN g = {_text(focal)} THEN 1 ELSE 0 END) AS nf, COUNT(*) AS t "
        f"FROM {usable} GROUP BY GROUPING SETS ((x), (s, x))) AS v) AS r GROUP BY s"
    )
    return {stratum: RankSums(float(r1), float(ties), float(most) > 1) for stratum, r1, ties, most in rows}


def comparison(found: AllRowsGroups, stratum: str | None, labels: tuple[str, str], median_interval: Estimate) -> TwoGroupComparison:
    """``compare_groups`` of the focal against the reference group in ``stratum`` (``OVERALL``: every stratum), from aggregates.

    ``median_interval`` is the bootstrap interval of the difference in medians, drawn from the sample (it needs
    the rows); the estimate put with it is the difference of the two medians over every row.
    """
    a, b = found.groups[(stratum, labels[0])], found.groups[(stratum, labels[1])]
    sd_a, sd_b = math.sqrt(a.var), math.sqrt(b.var)
    log_test = welch_from_moments(a.n, a.log_mean, a.log_var, b.n, b.log_mean, b.log_var)
    ranks = found.ranks[stratum]
    return TwoGroupComparison(
        focal=summary_from_percentiles(labels[0], a.n, a.mean, sd_a, a.percentiles),
        reference=summary_from_percentiles(labels[1], b.n, b.mean, sd_b, b.percentiles),
        variance=brown_forsythe_from_moments([(a.n, a.dev_mean, a.dev_var), (b.n, b.dev_mean, b.dev_var)], sd_a, sd_b),
        welch=welch_from_moments(a.n, a.mean, a.var, b.n, b.mean, b.var),
        mann_whitney=mann_whitney_from_ranks(ranks.focal, a.n, b.n, ranks.tie_term, ranks.ties),
        hedges_g=hedges_g_from_moments(a.n, a.mean, a.var, b.n, b.mean, b.var),
        median_difference=Estimate(a.median - b.median, median_interval.ci_low, median_interval.ci_high),
        log_welch=log_test,
        log_ratio=Estimate(math.exp(log_test.difference), math.exp(log_test.ci_low), math.exp(log_test.ci_high)),
    )
