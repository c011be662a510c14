"""The exploration over every usable row, when an out-of-core engine handed the study a sample of them.

Every figure of the exploration is a count, a sum, a mean, a quantile, a rank
or a correlation, so each is computed by SQL over ``Dataset.all_rows``
(``reportgen.engines.describe``) rather than over the sample. The engineered
variables (transcription length, rates per view) are computed in the query as
``analysis.engineer`` computes them in pandas. Only what no figure depends on
comes from the sample frame: the columns' pandas types. The results have the
same shape as those of ``analysis.explore``; ``rows_analysed`` is every usable row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.engines import describe, sql
from reportgen.studies.exploration import analysis as a
from reportgen.studies.exploration.results import (
    Band,
    BandChart,
    Dashboard,
    DashboardView,
    Difference,
    Distribution,
    Engineered,
    ExplorationResults,
)
from reportgen.studies.exploration.settings import ExplorationSettings

if TYPE_CHECKING:
    from reportgen.data import Dataset
    from reportgen.engines.allrows import AllRows


def explore_all_rows(dataset: Dataset, settings: ExplorationSettings) -> ExplorationResults:
    """``analysis.explore`` with every figure over ``dataset.all_rows``.

    Parameters
    ----------
    dataset : Dataset
        ``all_rows`` set (an out-of-core engine's sample); ``frame`` is read for its columns and types only.
    settings : ExplorationSettings

    Returns
    -------
    ExplorationResults
    """
    frame, rows = dataset.frame, dataset.all_rows
    present = [c for c in schema.COLUMNS if c in frame]
    levels = {c: _levels(rows, c) for c in (a.CLAIM, a.BAN, a.VERIFIED) if c in frame}
    claim_levels = levels.get(a.CLAIM, ())
    computed = _engineered_columns(frame)
    values = describe.derived(rows, computed)
    engineered_names = [n for n in (a.LENGTH, *a.RATES) if n in computed]
    numeric = [c for c in schema.COUNTS if c in frame]
    comparable = [*numeric, *engineered_names]
    overall = describe.describe(values, comparable)
    by_claim = describe.describe(values, comparable, a.CLAIM) if a.CLAIM in frame else {}
    extent = describe.extent(rows, present)
    columns = a.inspect_columns(frame, dataset.summary.missing_by_column, dataset.summary.rows_read, extent)
    engineered = tuple(_engineered(n, overall, by_claim, claim_levels) for n in engineered_names)
    distributions = tuple(_distribution(by_claim.get((g, c)), c, g) for c in numeric for g in claim_levels)
    differences = tuple(
        d for c in comparable if len(claim_levels) == 2 and (d := _difference(values, c, by_claim, claim_levels)) is not None
    )
    rates = tuple(
        _rates(values, rate, by, levels[by], by_claim)
        for rate in a.RATES
        if rate in engineered_names
        for by in (a.CLAIM, a.BAN)
        if by in levels
    )
    corr_columns = tuple(c for c in (*schema.COUNTS, a.LENGTH) if c in comparable and overall[(None, c)].n > 2)
    matrix = describe.correlation(values, corr_columns, settings.correlation)
    corr = tuple(tuple(matrix[i][j] for j in range(len(corr_columns))) for i in range(len(corr_columns)))
    ban_by_claim = _crosstab(rows, frame, a.CLAIM, a.BAN, levels)
    verified_by_claim = _crosstab(rows, frame, a.CLAIM, a.VERIFIED, levels)
    return ExplorationResults(
        data=dataset.summary,
        rows_analysed=rows.rows,
        claim_missing=describe.missing(rows, a.CLAIM) if a.CLAIM in frame else rows.rows,
        columns=columns,
        engineered=engineered,
        claim_balance=a.shares_of(describe.label_counts(rows, a.CLAIM), claim_levels) if a.CLAIM in frame else (),
        ban_overall=a.shares_of(describe.label_counts(rows, a.BAN), levels[a.BAN]) if a.BAN in frame else (),
        ban_by_claim=ban_by_claim,
        verified_by_claim=verified_by_claim,
        distributions=distributions,
        differences=differences,
        rates=rates,
        correlation_method=settings.correlation,
        correlation_columns=corr_columns,
        correlation=corr,
        findings=a.rank_findings(differences, (ban_by_claim, verified_by_claim), corr_columns, corr, settings),
        dashboard=dashboard(rows, frame, settings.bands, levels, overall),
    )


def _levels(rows: AllRows, column: str) -> tuple[str, ...]:
    """The labels of ``column`` present among every usable row, in display order (``analysis._levels``)."""
    return a.levels_of(set(describe.label_counts(rows, column)), column)


def _engineered_columns(frame: Any) -> dict[str, str]:
    """The SQL of ``analysis.engineer``'s columns (a rate is undefined where views are 0 or missing), and the labels."""
    out = {c: sql.quote(c) for c in schema.COUNTS if c in frame}
    if schema.TRANSCRIPTION in frame:
        # Characters, as pandas' str.len counts them; a missing text has no length.
        out[a.LENGTH] = f"CAST(length({sql.quote(schema.TRANSCRIPTION)}) AS DOUBLE)"
    for name, (numerator, denominator) in a.RATES.items():
        if numerator in out and denominator in out:
            n, d = sql.quote(numerator), sql.quote(denominator)
            out[name] = f"CASE WHEN {d} > 0 THEN {n} / {d} END"
    out.update({c: sql.quote(c) for c in (a.CLAIM, a.BAN, a.VERIFIED) if c in frame})
    return out


def _engineered(name: str, overall: dict, by_claim: dict, levels: tuple[str, ...]) -> Engineered:
    """``analysis._engineered`` from the statistics over every usable row."""
    s = overall[(None, name)]
    numerator, denominator = a.RATES.get(name, (schema.TRANSCRIPTION, ""))
    groups = tuple(_group_value(by_claim.get((g, name)), g) for g in levels)
    return Engineered(
        name=name,
        kind="length" if name == a.LENGTH else "rate",
        numerator=numerator,
        denominator=denominator,
        n=s.n,
        mean=_nan(s.mean),
        median=_nan(s.median),
        minimum=_nan(s.min),
        maximum=_nan(s.max),
        by_claim=groups,
    )


def _nan(x: float | None) -> float:
    """None (no values) as NaN, as pandas gives it."""
    return float("nan") if x is None else float(x)


def _group_value(s: describe.Stats | None, group: str) -> Any:
    """``analysis._group_value`` from a group's statistics (None: the group has no values)."""
    if s is None or s.n == 0:
        return a.group_value_of(group, 0, None, None, None)
    return a.group_value_of(group, s.n, s.mean, s.sd, s.median)


def _distribution(s: describe.Stats | None, column: str, group: str) -> Distribution:
    """``analysis._distribution`` from a group's statistics (the 0 and 1 quantiles are the minimum and maximum)."""
    if s is None:
        return Distribution(column, group, 0, *([float("nan")] * 6))
    return Distribution(column, group, s.n, _nan(s.min), _nan(s.q1), _nan(s.median), _nan(s.q3), _nan(s.max), _nan(s.mean))


def _difference(values: AllRows, column: str, by_claim: dict, levels: tuple[str, ...]) -> Difference | None:
    """``analysis._difference`` from the rank sums over every usable row."""
    ranks = describe.rank_sums(values, column, a.CLAIM, levels[0], levels[1])
    if ranks.n1 == 0 or ranks.n2 == 0:
        return None
    u, p = ranks.u_and_p()
    sup = float(u) / (ranks.n1 * ranks.n2)
    first, second = by_claim[(levels[0], column)], by_claim[(levels[1], column)]
    return Difference(column, levels[0], levels[1], float(first.median), float(second.median), sup, 2 * sup - 1, float(p))


def _rates(values: AllRows, rate: str, by: str, levels: tuple[str, ...], by_claim: dict) -> Any:
    """``RateByGroup`` of ``rate`` within each label of ``by``."""
    from reportgen.studies.exploration.results import RateByGroup

    stats = by_claim if by == a.CLAIM else describe.describe(values, [rate], by)
    return RateByGroup(rate, by, tuple(_group_value(stats.get((g, rate)), g) for g in levels))


def _crosstab(rows: AllRows, frame: Any, row: str, column: str, levels: dict[str, tuple[str, ...]]) -> Any:
    """``analysis.crosstab`` over every usable row."""
    found = describe.crosstab_counts(rows, row, column) if row in frame and column in frame else {}
    return a.crosstab_of(found, row, column, levels.get(row, ()), levels.get(column, ()))


def dashboard(
    rows: AllRows, frame: Any, banding: str, levels: dict[str, tuple[str, ...]], stats: dict | None = None
) -> Dashboard:
    """``analysis.dashboard`` over every usable row: band edges from all of them, each view's counts by one query a count.

    Each query counts the rows of every (verified, ban, claim, band) cell; a view adds up the cells its filters keep.
    ``stats`` holds the counts' ``describe`` when already computed (their range and quartiles set the edges).
    """
    banded = [c for c in a.BANDED if c in frame]
    stats = stats or describe.describe(rows, banded)
    edges = {}
    for c in banded:
        s = stats[(None, c)]
        edges[c] = () if s.n == 0 else a.edges_of(s.min, s.max, [s.q1, s.median, s.q3], banding)  # type: ignore[arg-type]
    verified, ban = levels.get(a.VERIFIED, ()), levels.get(a.BAN, ())
    keys = [f"CAST({sql.quote(c)} AS STRING)" if c in frame else "NULL" for c in (a.VERIFIED, a.BAN)]
    totals = _cells(rows, keys, None, ())
    cells = {c: _cells(rows, keys, c, edges[c]) for c in banded}
    views = []
    for v in ("all", *verified):
        for b in ("all", *ban):
            keep = lambda key: (v == "all" or key[0] == v) and (b == "all" or key[1] == b)  # noqa: E731
            claims = sum(k for key, k in totals.items() if keep(key) and key[2] == "claim")
            opinions = sum(k for key, k in totals.items() if keep(key) and key[2] == "opinion")
            charts = tuple(_chart(c, edges[c], {key: k for key, k in cells[c].items() if keep(key)}) for c in banded)
            views.append(DashboardView(v, b, claims, opinions, a._ratio(claims, claims + opinions), charts))
    return Dashboard(banding, verified, ban, tuple(views))


def _cells(rows: AllRows, keys: list[str], column: str | None, edges: tuple[float, ...]) -> dict[tuple[Any, ...], int]:
    """Rows of each (verified, ban, claim status, band of ``column``) with a claim status (and a value of ``column``).

    The band is the number of edges at or below the value, as ``numpy.searchsorted(side="right")`` numbers it.
    """
    claim = sql.quote(a.CLAIM)
    band = " + ".join(f"CASE WHEN {sql.quote(column)} >= {e!r} THEN 1 ELSE 0 END" for e in edges) if column else ""
    band = band or "0"
    where = f"{claim} IS NOT NULL" + (f" AND {sql.quote(column)} IS NOT NULL" if column else "")
    found = rows.query(
        f"SELECT {keys[0]}, {keys[1]}, CAST({claim} AS STRING), {band}, COUNT(*) FROM {{rows}} WHERE {where} GROUP BY 1, 2, 3, 4"
    )
    return {(v, b, c, int(i)): int(k) for v, b, c, i, k in found}


def _chart(column: str, edges: tuple[float, ...], cells: dict[tuple[Any, ...], int]) -> BandChart:
    """``analysis._band_chart`` from the counted cells of one view."""
    lows, highs = (0.0, *edges), (*edges, None)
    bands = []
    for i, (lo, hi) in enumerate(zip(lows, highs)):
        claims = sum(k for key, k in cells.items() if key[3] == i and key[2] == "claim")
        opinions = sum(k for key, k in cells.items() if key[3] == i and key[2] == "opinion")
        bands.append(Band(lo, hi, claims, opinions, a._ratio(claims, claims + opinions)))
    return BandChart(column, tuple(bands))
