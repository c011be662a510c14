"""The hypothesis study's analyses: pure functions of the rows and the settings, no figure and no prose.

``analyse`` keeps the rows that have the measure, the grouping and the
stratifier (counting the others by reason), compares the focal group with the
reference group on all rows, then again within each level of the stratifier,
pools the within-stratum effects, and decides the ``finding`` from the numbers.

When an out-of-core engine handed the study a sample and left every usable row
behind (``all_rows``), ``analyse`` takes the comparisons over all of them from
``reportgen.engines.groups`` instead, and draws only the bootstrap intervals of
the difference in medians from the sample (they need the rows in memory).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.errors import InputError
from reportgen.stats.groups import Estimate, TwoGroupComparison, compare_groups, median_difference, pool_effects
from reportgen.studies.hypothesis.results import AllRowsCoverage, Finding, HypothesisResults, RowAccounting, Stratum

if TYPE_CHECKING:
    import pandas as pd

    from reportgen.results import DataSummary
    from reportgen.stats.groups import PooledEffect
    from reportgen.studies.hypothesis.settings import HypothesisSettings

#: Within strata the standardised difference counts as "shrunk" below this fraction of the overall one.
SHRINK_BELOW = 0.5


def levels(by: str) -> tuple[str, str]:
    """(focal, reference) groups of a two-level column: its last level in schema order, then its first."""
    values = schema.CATEGORIES[by]
    return values[-1], values[0]


def usable_rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> tuple[pd.DataFrame, RowAccounting]:
    """The rows with every one of ``columns``; each dropped row counted once, under the first column it misses."""
    missing = {c: frame[c].isna() for c in columns}
    keep = ~frame.index.isna()
    reasons: dict[str, int] = {}
    for column, mask in missing.items():
        newly = mask & keep
        if newly.any():
            reasons[f"missing {column}"] = int(newly.sum())
            keep &= ~mask
    kept = frame[keep]
    return kept, RowAccounting(len(frame), len(kept), len(frame) - len(kept), reasons)


def analyse(frame: pd.DataFrame, summary: DataSummary, settings: HypothesisSettings, all_rows: Any = None) -> HypothesisResults:
    """Compare the two groups overall and within each stratum.

    Parameters
    ----------
    frame : DataFrame
        The rows the loader kept, with at least the measure, ``by`` and ``stratify`` columns.
    summary : DataSummary
        What the loader read and dropped (kept as it is in the results).
    settings : HypothesisSettings
    all_rows : AllRows, optional
        Every usable row, left in the engine that sampled ``frame`` from them: the comparisons then cover
        them all (``_analyse_all_rows``), and ``frame`` serves only the median intervals' bootstrap.

    Returns
    -------
    HypothesisResults

    Raises
    ------
    InputError
        A column is absent, or a group has fewer than two usable rows.
    """
    import numpy as np

    s = settings
    columns = (s.measure, s.by, s.stratify)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise InputError(f"the hypothesis study needs column(s) the data do not hold: {', '.join(absent)}")
    if all_rows is not None:
        return _analyse_all_rows(frame, summary, s, all_rows)
    rows, accounting = usable_rows(frame, columns)
    focal, reference = levels(s.by)
    group = rows[s.by].astype(str).to_numpy()
    strata_of = rows[s.stratify].astype(str).to_numpy()
    values = rows[s.measure].to_numpy(dtype=float)
    in_focal, in_reference = group == focal, group == reference
    _two_each(s.by, focal, reference, int(in_focal.sum()), int(in_reference.sum()))
    labels = (focal, reference)
    overall = compare_groups(values[in_focal], values[in_reference], labels=labels, resamples=s.resamples, seed=s.seed)
    strata = []
    present = set(strata_of)
    for i, level in enumerate(lv for lv in schema.CATEGORIES[s.stratify] if lv in present):
        here = strata_of == level
        a, b = values[here & in_focal], values[here & in_reference]
        comparison = compare_groups(a, b, labels=labels, resamples=s.resamples, seed=s.seed + 1 + i) if len(a) >= 2 and len(b) >= 2 else None
        strata.append(
            Stratum(
                level=level,
                rows=int(here.sum()),
                share_of_rows=float(here.mean()),
                focal_n=len(a),
                reference_n=len(b),
                focal_share=len(a) / int(in_focal.sum()),
                reference_share=len(b) / int(in_reference.sum()),
                median=float(np.median(values[here])),
                comparison=comparison,
            )
        )
    return _results(summary, accounting, s, overall, strata)


def _two_each(by: str, focal: str, reference: str, n_focal: int, n_reference: int) -> None:
    """Refuse a grouping with fewer than two rows in a group (no variance, no test)."""
    if n_focal < 2 or n_reference < 2:
        raise InputError(f"the hypothesis study needs two or more rows in each group of {by}, not {n_focal} {focal} and {n_reference} {reference}")


def _results(
    summary: DataSummary, accounting: RowAccounting, s: HypothesisSettings, overall: TwoGroupComparison, strata: list[Stratum], **extra: Any
) -> HypothesisResults:
    """The results of both paths: the strata's effects pooled and the finding decided from the comparisons."""
    focal, reference = levels(s.by)
    tested = [st.comparison for st in strata if st.comparison is not None]
    within = pool_effects([c.hedges_g for c in tested])
    return HypothesisResults(
        data=summary,
        rows=accounting,
        measure=s.measure,
        by=s.by,
        stratify=s.stratify,
        focal=focal,
        reference=reference,
        alpha=s.alpha,
        resamples=s.resamples,
        seed=s.seed,
        overall=overall,
        strata=tuple(strata),
        within=within,
        finding=decide(overall, tested, within, s.alpha),
        **extra,
    )


def _analyse_all_rows(frame: pd.DataFrame, summary: DataSummary, s: HypothesisSettings, all_rows: Any) -> HypothesisResults:
    """``analyse`` over every usable row in ``all_rows``: the same comparisons, from the engine's aggregates.

    The rows accounted for, the groups, the strata and every test and effect size cover all rows; the
    bootstrap intervals of the difference in medians are drawn from the sample ``frame`` with the seeds the
    pandas path uses (its point estimate is the difference of the medians over all rows).
    """
    from reportgen.engines.groups import OVERALL, aggregate, comparison

    focal, reference = levels(s.by)
    found = aggregate(all_rows, s.measure, s.by, s.stratify, focal, reference)
    accounting = RowAccounting(found.received, found.used, found.received - found.used, found.dropped_reasons)
    n_focal, n_reference = found.n(OVERALL, focal), found.n(OVERALL, reference)
    _two_each(s.by, focal, reference, n_focal, n_reference)
    sample, _ = usable_rows(frame, (s.measure, s.by, s.stratify))
    labels = (focal, reference)
    overall = comparison(found, OVERALL, labels, _sampled_interval(sample, s, None, s.seed))
    strata = []
    for i, level in enumerate(lv for lv in schema.CATEGORIES[s.stratify] if lv in found.strata):
        rows, median = found.strata[level]
        a, b = found.n(level, focal), found.n(level, reference)
        tested = a >= 2 and b >= 2
        strata.append(
            Stratum(
                level=level,
                rows=rows,
                share_of_rows=rows / found.used,
                focal_n=a,
                reference_n=b,
                focal_share=a / n_focal,
                reference_share=b / n_reference,
                median=median,
                comparison=comparison(found, level, labels, _sampled_interval(sample, s, level, s.seed + 1 + i)) if tested else None,
            )
        )
    return _results(summary, accounting, s, overall, strata, all_rows=AllRowsCoverage(found.used, len(sample)))


def _sampled_interval(sample: pd.DataFrame, s: HypothesisSettings, level: str | None, seed: int) -> Estimate:
    """The bootstrap interval of the difference in medians from the sampled rows (of stratum ``level``, or all).

    NaN when the sample holds fewer than two rows of a group there (the aggregates may still hold more).
    """
    import numpy as np

    focal, reference = levels(s.by)
    here = sample if level is None else sample[sample[s.stratify].astype(str) == level]
    group = here[s.by].astype(str).to_numpy()
    values = here[s.measure].to_numpy(dtype=float)
    a, b = values[group == focal], values[group == reference]
    if len(a) < 2 or len(b) < 2:
        return Estimate(math.nan, math.nan, math.nan)
    return median_difference(a, b, s.resamples, seed)


def decide(overall: TwoGroupComparison, strata: list[TwoGroupComparison], within: PooledEffect, alpha: float) -> Finding:
    """What the strata say of the overall difference, from Welch's p in each and the pooled Hedges' g.

    Examples
    --------
    A difference overall, none in any stratum, and a pooled interval across 0: it vanishes.

    >>> from reportgen.stats.groups import PooledEffect
    >>> from types import SimpleNamespace as NS
    >>> c = lambda p, d: NS(welch=NS(p_value=p, difference=d), hedges_g=NS(estimate=d))
    >>> decide(c(1e-9, -0.5), [c(0.8, 0.01), c(0.6, -0.02)], PooledEffect(0.0, -0.05, 0.05, 0.9, 2), 0.05)
    'vanishes'
    """
    significant = [c for c in strata if c.welch.p_value < alpha]
    if overall.welch.p_value >= alpha:
        return "hidden" if significant else "none"
    sign = math.copysign(1, overall.welch.difference)
    if any(math.copysign(1, c.welch.difference) != sign for c in significant):
        return "reverses"
    pooled_null = within.strata == 0 or not math.isfinite(within.estimate) or within.ci_low <= 0 <= within.ci_high
    if not significant and pooled_null:
        return "vanishes"
    if abs(within.estimate) < SHRINK_BELOW * abs(overall.hedges_g.estimate):
        return "shrinks"
    return "holds"
