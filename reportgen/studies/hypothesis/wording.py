"""How the hypothesis study says its numbers and groups, the same in the report, the summary and the verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.core.summary import of_sample
from reportgen.formatters import fmt_int, fmt_num, fmt_p, plain_name

if TYPE_CHECKING:
    from reportgen.studies.hypothesis.results import HypothesisResults

#: Cohen's conventional bands of a standardised difference |g|, with a word a leader understands.
_SIZES = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"))

#: A group as a reader says it: (column, level) -> words.
_GROUPS = {
    ("verified_status", "verified"): "verified accounts",
    ("verified_status", "not verified"): "unverified accounts",
    ("claim_status", "claim"): "claim videos",
    ("claim_status", "opinion"): "opinion videos",
}
#: A stratum as a reader says it, after "among".
_STRATA = {
    ("claim_status", "claim"): "claim videos",
    ("claim_status", "opinion"): "opinion videos",
    ("verified_status", "verified"): "videos by verified accounts",
    ("verified_status", "not verified"): "videos by unverified accounts",
    ("author_ban_status", "active"): "videos by active authors",
    ("author_ban_status", "under review"): "videos by authors under review",
    ("author_ban_status", "banned"): "videos by banned authors",
}


def size_word(g: float) -> str:
    """Cohen's band of |g|: negligible, small, medium or large."""
    return next((word for limit, word in _SIZES if abs(g) < limit), "large")


def group_words(column: str, level: str) -> str:
    """'verified accounts' for (verified_status, verified)."""
    return _GROUPS.get((column, level), f"{plain_name(column)} {level}")


def stratum_words(column: str, level: str) -> str:
    """'opinion videos' for (claim_status, opinion): what follows "among"."""
    return _STRATA.get((column, level), f"videos with {plain_name(column)} {level}")


def fmt_measure(x: float) -> str:
    """A value of the measure (or a difference of it): whole numbers from 100 up, one decimal below."""
    return fmt_num(x, 0 if abs(x) >= 100 else 1)


def fmt_stat(x: float) -> str:
    """A test statistic or a standardised effect: two decimals."""
    return fmt_num(x, 2)


def fmt_range(low: float, high: float, fmt=fmt_stat) -> str:
    """An interval as 'low to high' (a dash would read as a minus sign next to negative values)."""
    return f"{fmt(low)} to {fmt(high)}"


def p_text(p: float) -> str:
    """'p < 0.001' or 'p = 0.811'."""
    shown = fmt_p(p)
    return f"p {shown[0]} {shown[1:]}" if shown.startswith("<") else f"p = {shown}"


def more_or_fewer(measure: str, up: bool) -> str:
    """'more views' / 'fewer views' (for video length: 'longer videos' / 'shorter videos')."""
    if measure == "video_duration_sec":
        return "longer videos" if up else "shorter videos"
    return f"{'more' if up else 'fewer'} {plain_name(measure)}"


def of_rows(r: HypothesisResults, words: str = " of the sample") -> str:
    """``words`` when the comparisons come from a sample; nothing when they cover every usable row (``r.all_rows``)."""
    return "" if r.all_rows is not None else of_sample(r.data, words)


def coverage_sentence(r: HypothesisResults) -> str:
    """Which numbers cover every usable row and which come from the sample, for the data team (``r.all_rows`` set)."""
    c = r.all_rows
    return (
        f"Every group summary, test, effect size and stratum here covers all {fmt_int(c.rows)} usable rows, computed by the engine "
        f"that holds them; only the 95% intervals of the differences in medians are bootstrapped from a random sample of "
        f"{fmt_int(c.sample)} of them (seed {r.data.sample.seed}), as resampling needs the rows in memory; their point estimates cover every row."
    )


def coverage_note(r: HypothesisResults) -> str:
    """``coverage_sentence`` short enough for the one-page summary."""
    c = r.all_rows
    return f"every number covers all {fmt_int(c.rows)} usable rows; only the bootstrap CIs of the median differences use a random sample of {fmt_int(c.sample)} (seed {r.data.sample.seed})."


def plain_coverage(r: HypothesisResults) -> str:
    """The same for a leadership reader: every number on the page covers every usable video (none of the sampled intervals is shown)."""
    return f"Every number on this page covers all {fmt_int(r.all_rows.rows)} usable videos, not a sample."
