"""Sentences the hypothesis study's documents share, each chosen from the numbers (``finding``, p, intervals).

The technical sentences follow the easystats ``report`` pattern (direction,
significance, size, then the numbers in brackets); the plain ones say the same
for a leader. None says that a group gets more or less *because* of its group:
the data are observational, and the confounding check decides how strongly the
words may point at the grouping at all.
"""

from __future__ import annotations

from reportgen.formatters import fmt_num, fmt_pct, plain_name
from reportgen.narrative.wording import join_words
from reportgen.stats.groups import TwoGroupComparison
from reportgen.studies.hypothesis.results import HypothesisResults, Stratum
from reportgen.studies.hypothesis.wording import (
    fmt_measure,
    fmt_range,
    fmt_stat,
    group_words,
    more_or_fewer,
    p_text,
    size_word,
    stratum_words,
)

__all__ = [
    "finding_technical",
    "mix_sentence",
    "plain_chance",
    "plain_finding",
    "plain_gap",
    "plain_mix",
    "plain_strata",
    "verdict",
    "welch_sentence",
    "within_sentence",
]


def welch_sentence(r: HypothesisResults, c: TwoGroupComparison, where: str = "") -> str:
    """The easystats-style sentence of one comparison: direction, significance and size, then the numbers."""
    w, g = c.welch, c.hedges_g
    direction = "positive" if w.difference > 0 else "negative"
    significant = "statistically significant" if w.p_value < r.alpha else "not statistically significant"
    scope = f" {where}" if where else ""
    return (
        f"Welch's two-sample t-test of {plain_name(r.measure)} between {r.focal} and {r.reference}{scope} suggests that the "
        f"difference is {direction}, {significant}, and {size_word(g.estimate)} (difference = {fmt_measure(w.difference)}, "
        f"95% CI {fmt_range(w.ci_low, w.ci_high, fmt_measure)}, t({fmt_num(w.df, 1)}) = {fmt_stat(w.t)}, {p_text(w.p_value)}; "
        f"Hedges' g = {fmt_stat(g.estimate)}, 95% CI {fmt_range(g.ci_low, g.ci_high)})."
    )


def mix_sentence(r: HypothesisResults) -> str:
    """How the two groups spread over the strata, and how the measure differs between strata."""
    focal = join_words([f"{fmt_pct(s.focal_share)} {s.level}" for s in r.strata])
    reference = join_words([f"{fmt_pct(s.reference_share)} {s.level}" for s in r.strata])
    medians = join_words([f"{fmt_measure(s.median)} for {s.level}" for s in r.strata])
    return f"The {r.focal} group is {focal}; the {r.reference} group is {reference}. Median {plain_name(r.measure)}: {medians}."


def within_sentence(r: HypothesisResults) -> str:
    """The pooled within-stratum effect against the overall one."""
    w, g = r.within, r.overall.hedges_g
    if w.strata == 0:
        return f"No level of {plain_name(r.stratify)} holds two or more videos of each group, so nothing could be compared within strata."
    return (
        f"Pooled over the {w.strata} strata (inverse-variance weights), Hedges' g = {fmt_stat(w.estimate)} "
        f"(95% CI {fmt_range(w.ci_low, w.ci_high)}, {p_text(w.p_value)}), against {fmt_stat(g.estimate)} on all rows."
    )


def _significant_strata(r: HypothesisResults) -> list[Stratum]:
    return [s for s in r.tested_strata() if s.comparison.welch.p_value < r.alpha]


def finding_technical(r: HypothesisResults) -> str:
    """What the confounding check concludes, for the data team."""
    strat = plain_name(r.stratify)
    sig = [s.level for s in _significant_strata(r)] or ["no level"]
    text = {
        "none": f"No significant difference at α = {fmt_num(r.alpha)}, neither overall nor within any level of {strat}.",
        "hidden": (
            f"No significant difference overall, but one within {join_words(sig)} at α = {fmt_num(r.alpha)}: "
            f"the mix of {strat} hides a difference that the overall test misses."
        ),
        "vanishes": (
            f"The difference vanishes within strata: no level of {strat} shows a significant difference at α = {fmt_num(r.alpha)}, "
            f"and the pooled within-stratum g is compatible with zero. The overall difference reflects the different mix of {strat} "
            f"in the two groups (confounding), not {plain_name(r.by)} itself, and must not be read as an effect of {plain_name(r.by)}."
        ),
        "shrinks": (
            f"The difference shrinks within strata to less than half its overall size: part of it reflects the mix of {strat} "
            f"in the two groups (confounding). What is left is an association, not an effect of {plain_name(r.by)}."
        ),
        "reverses": (
            f"Within {join_words(sig)} the difference is significant with the opposite sign (Simpson's paradox): "
            f"the overall difference is an artefact of the mix of {strat}."
        ),
        "holds": (
            f"The difference holds within each level of {strat}, at a similar size: the mix of {strat} does not explain it. "
            f"The data are observational, so it remains an association, not an effect of {plain_name(r.by)}."
        ),
    }
    return text[r.finding]


def plain_gap(r: HypothesisResults) -> str:
    """The overall difference, for a leader: typical values of both groups."""
    o = r.overall
    focal, reference = group_words(r.by, r.focal), group_words(r.by, r.reference)
    return (
        f"Across all videos, {focal} get {more_or_fewer(r.measure, o.welch.difference > 0)}. A typical one gets "
        f"{fmt_measure(o.focal.median)}. For {reference}, it is {fmt_measure(o.reference.median)}."
    )


def plain_chance(r: HypothesisResults) -> str:
    """Whether the overall gap could be chance, in words."""
    if r.significant:
        return "A gap this big is very unlikely to be chance." if r.overall.welch.p_value < 0.001 else "A gap this big is unlikely to be chance."
    return "A gap this small could well be chance."


def plain_strata(r: HypothesisResults) -> list[str]:
    """One short pair of sentences a stratum: whether the groups differ inside it, and their typical values."""
    out = []
    focal = group_words(r.by, r.focal)
    for s in r.tested_strata():
        c = s.comparison
        where = f"Among {stratum_words(r.stratify, s.level)}"
        if c.welch.p_value >= r.alpha:
            gap = f"the two groups get about the same {plain_name(r.measure)}"
        else:
            gap = f"{focal} get {more_or_fewer(r.measure, c.welch.difference > 0)}"
        out.append(f"{where}, {gap}. Typical videos get {fmt_measure(c.focal.median)} and {fmt_measure(c.reference.median)}.")
    return out


def plain_mix(r: HypothesisResults) -> str:
    """Why the mix matters: each group's share of the lowest stratum, and the typical value of the lowest and highest strata."""
    low = min(r.strata, key=lambda s: s.median)
    high = max(r.strata, key=lambda s: s.median)
    focal, reference = group_words(r.by, r.focal), group_words(r.by, r.reference)
    kind = stratum_words(r.stratify, low.level)
    far = "far " if high.median > 0 and low.median < high.median / 2 else ""
    return (
        f"{fmt_pct(low.focal_share, 0)} of videos by {focal} are {kind}. For {reference}, it is {fmt_pct(low.reference_share, 0)}. "
        f"{kind.capitalize()} get {far}{more_or_fewer(r.measure, False)}: {fmt_measure(low.median)} for a typical one, "
        f"against {fmt_measure(high.median)} for {stratum_words(r.stratify, high.level)}."
    )


def plain_finding(r: HypothesisResults) -> str:
    """What the check means, for a leader; never that the group itself causes the gap."""
    by = plain_name(r.by)
    return {
        "none": f"There is no clear gap, overall or within each kind of video. {by.capitalize()} makes no clear difference here.",
        "hidden": "The overall numbers hide a gap that shows up within one kind of video. Look at each kind on its own.",
        "vanishes": f"Once we compare like with like, the gap is gone. The mix of videos is behind it, not {by}.",
        "shrinks": f"Once we compare like with like, the gap gets much smaller. Much of it comes from the mix of videos, not {by}.",
        "reverses": "Once we compare like with like, the gap turns the other way. The overall gap comes from the mix of videos.",
        "holds": "The gap stays when we compare like with like. Still, this shows a link, not a cause.",
    }[r.finding]


def verdict(r: HypothesisResults) -> str:
    """The study's answer in one sentence (index page, terminal, e-mail)."""
    o = r.overall
    focal, reference = group_words(r.by, r.focal), group_words(r.by, r.reference)
    strat = plain_name(r.stratify)
    gap = (
        f"{focal.capitalize()} get {more_or_fewer(r.measure, o.welch.difference > 0)} overall "
        f"(median {fmt_measure(o.focal.median)} vs {fmt_measure(o.reference.median)}, Welch {p_text(o.welch.p_value)})"
    )
    tail = {
        "none": f"{focal.capitalize()} and {reference} do not differ clearly in {plain_name(r.measure)}, overall or within {strat}.",
        "hidden": f"No clear overall difference in {plain_name(r.measure)}, but one within a level of {strat}.",
        "vanishes": f"{gap}, but within each {strat} the difference vanishes: it comes from the mix of {strat}, not from {plain_name(r.by)}.",
        "shrinks": f"{gap}, but within each {strat} it shrinks to less than half: much of it comes from the mix of {strat}.",
        "reverses": f"{gap}, but within a level of {strat} it reverses: the overall gap comes from the mix of {strat}.",
        "holds": f"{gap}, and the difference holds within each {strat} (an association, not a cause).",
    }
    return tail[r.finding]

