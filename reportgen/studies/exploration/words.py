"""Words chosen from the exploration's numbers, shared by its report, its summary and its dashboard.

Effect-size words follow published conventions, stated in the report:
Cliff's delta after Romano et al. (2006): below 0.147 negligible, 0.33
small, 0.474 medium, else large; Cramér's V and correlations after Cohen
(1988): below 0.1 negligible, 0.3 small/weak, 0.5 medium/moderate, else
large/strong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.formatters import fmt_int, fmt_num, fmt_p, fmt_pct, fmt_rate, plain_name
from reportgen.narrative.wording import capital

if TYPE_CHECKING:
    from reportgen.studies.exploration.results import Band, Crosstab, ExplorationResults, Finding


def of_sample(r: ExplorationResults, words: str) -> str:
    """``words`` when the figures come from a sample of the usable rows; nothing when they cover every one."""
    return "" if r.every_usable_row else words


def covers(r: ExplorationResults) -> str | None:
    """The technical clause of a sampled build whose figures still cover every usable row (None otherwise)."""
    if r.data.sample is None or not r.every_usable_row:
        return None
    return (
        f"every figure of this exploration nonetheless covers all {fmt_int(r.rows_analysed)} usable rows (queries over them: "
        "column statistics, shares, crosstabs, distributions, rates, differences, correlations and the dashboard's counts); "
        "only the columns' types are read from the sample."
    )


def coverage_plain(r: ExplorationResults) -> str | None:
    """The same for a leadership reader, standing in for the sample's sentence (None: say the sample as usual)."""
    if r.data.sample is None or not r.every_usable_row:
        return None
    return f"Every count, share and average here covers all {fmt_int(r.rows_analysed)} usable videos, not a sample of them."


def name(column: str) -> str:
    """A column or engineered variable as a reader says it."""
    return plain_name(column)


def delta_size(delta: float) -> str:
    """Cliff's delta in words (Romano et al. 2006)."""
    d = abs(delta)
    return "negligible" if d < 0.147 else "small" if d < 0.33 else "medium" if d < 0.474 else "large"


def association_size(v: float) -> str:
    """Cramér's V in words (Cohen 1988)."""
    return "negligible" if v < 0.1 else "small" if v < 0.3 else "medium" if v < 0.5 else "large"


def correlation_size(r: float) -> str:
    """A correlation in words (Cohen 1988)."""
    a = abs(r)
    return "negligible" if a < 0.1 else "weak" if a < 0.3 else "moderate" if a < 0.5 else "strong"


def fmt_value(column: str, x: float | None) -> str:
    """A value of a column as it reads: rates as percentages, lengths and counts as numbers."""
    if x is None:
        return "–"
    if column.endswith("_per_view"):
        return fmt_pct(x, 2)
    return fmt_num(x, 1)


def band_label(band: Band, column: str) -> str:
    """'under 1,000 views', '1,000 to 9,999 views', '100,000 views or more'."""
    unit = plain_name(column)
    if band.high is None:
        return f"{fmt_int(band.low)} {unit} or more"
    if band.low == 0:
        return f"under {fmt_int(band.high)} {unit}"
    return f"{fmt_int(band.low)} to {fmt_int(band.high - 1)} {unit}"


def crosstab_contrast(t: Crosstab, level: str) -> str:
    """'9.4% of claims against 1.5% of opinions' for one column level."""
    parts = [f"{fmt_pct(t.row_shares[r][level])} of {r}s" for r in t.row_shares]
    return " against ".join(parts)


def finding_text(r: ExplorationResults, f: Finding) -> str:
    """One ranked finding as a sentence, every number from the results."""
    p = f" (p {fmt_p(f.p_value)})" if f.p_value is not None else ""
    if f.kind == "difference":
        d = r.difference(f.subject)
        if d is None:
            return f"{capital(name(f.subject))}: Cliff's delta {fmt_rate(f.value)}{p}."
        more = "higher" if d.cliffs_delta > 0 else "lower"
        first, second = (d.first, d.second) if d.superiority >= 0.5 else (d.second, d.first)
        chance = max(d.superiority, 1 - d.superiority)
        return (
            f"{capital(name(d.column))} is {more} for {d.first}s than for {d.second}s, a {delta_size(d.cliffs_delta)} difference: "
            f"a random {first} video beats a random {second} video {fmt_pct(chance)} of the time (Cliff's delta {fmt_rate(d.cliffs_delta)}{p}; "
            f"medians {fmt_value(d.column, d.median_first)} against {fmt_value(d.column, d.median_second)})."
        )
    if f.kind == "association":
        t = r.ban_by_claim if f.subject.endswith("author_ban_status") else r.verified_by_claim
        level = _telling_level(t)
        return (
            f"{capital(name(t.columns))} goes with claim status, a {association_size(t.cramers_v)} association "
            f"(Cramér's V {fmt_rate(t.cramers_v)}{p}): {level} {crosstab_contrast(t, level)}."
        )
    a, b = f.subject.split(" ~ ")
    return f"{capital(name(a))} and {name(b)} move together, a {correlation_size(f.value)} correlation ({f.measure} {fmt_rate(f.value)})."


def _telling_level(t: Crosstab) -> str:
    """The column level whose share differs most between the rows (what to quote)."""
    rows = list(t.row_shares.values())
    levels = list(t.counts[next(iter(t.counts))]) if t.counts else []
    return max(levels, key=lambda c: max(row[c] for row in rows) - min(row[c] for row in rows), default="")


def verdict(r: ExplorationResults) -> str:
    """The study's answer in one plain sentence."""
    claim, opinion = r.balance("claim"), r.balance("opinion")
    if claim is None or opinion is None:
        return f"The data hold {fmt_int(r.data.rows_read)} rows, but not both claims and opinions."
    views = r.difference("video_view_count")
    reach = (
        f"; claim videos reach far more viewers (median views {fmt_int(views.median_first)} against {fmt_int(views.median_second)})"
        if views is not None and views.cliffs_delta >= 0.474
        else ""
    )
    balance = "nearly balanced" if abs(claim.share - 0.5) < 0.05 else "unbalanced"
    if r.data.sample is None:
        videos = f"Of {fmt_int(r.data.rows_read)} videos"
    elif r.every_usable_row:
        videos = f"Of all {fmt_int(r.rows_analysed)} usable videos"
    else:
        videos = f"In the sample of {fmt_int(r.data.sample.rows)} videos"
    return (
        f"{videos}, claims and opinions are {balance} ({fmt_int(claim.count)} claims, "
        f"{fmt_pct(claim.share)}, against {fmt_int(opinion.count)} opinions){reach}."
    )
