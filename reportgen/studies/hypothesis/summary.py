"""The hypothesis study's one-page executive summary, in words, for either tone.

``build_summary`` turns the results into the shared ``ExecutiveSummary``
(the four sections of the course layout and the within-strata figure), which
the shared renderers lay out. Every number is taken from the results; every
judgement comes from ``finding`` and the p-values. The leadership tone never
says that a group gets more or fewer views *because* of its group: when the
difference vanishes or shrinks within strata, it says the mix of videos is
behind it.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section, sample_blocks, SummaryFigure
from reportgen.formatters import fmt_int, fmt_num, fmt_p, fmt_pct, plain_name
from reportgen.studies.hypothesis import narrative
from reportgen.studies.hypothesis.results import HypothesisResults
from reportgen.studies.hypothesis.wording import coverage_note, fmt_measure, fmt_range, fmt_stat, group_words, of_rows, p_text, plain_coverage, stratum_words

__all__ = ["build_summary"]

_FIGURE = "within_strata.png"


def build_summary(results: HypothesisResults, config: Config, audience: str | None = None) -> ExecutiveSummary:
    """The executive summary of ``results`` in ``audience`` (default: ``config.report.audience``)."""
    audience = audience or config.report.audience
    writer = _TECHNICAL if audience == "technical" else _LEADERSHIP
    r = results
    title = f"Executive Summary: Do {_title(group_words(r.by, r.focal))} and {_title(group_words(r.by, r.reference))} Differ in {_title(plain_name(r.measure))}?"
    subtitle = f"A test of {plain_name(r.measure)} by {plain_name(r.by)}, checked within {plain_name(r.stratify)}"
    sections = tuple(Section(key, SECTION_TITLES[key], (*writer[key](r), *_sample_blocks(key, r, audience))) for key in SECTION_TITLES)
    return ExecutiveSummary(audience, title, subtitle, sections, _figure(r, audience))


def _sample_blocks(section: str, r: HypothesisResults, audience: str) -> tuple[Block, ...]:
    """The shared sample statement, or, when the comparisons covered every usable row behind the sample, which numbers did."""
    if r.all_rows is None:
        return sample_blocks(section, r.data, audience)
    if section != "overview":
        return ()
    note = coverage_note(r)
    return (Block(note[0].upper() + note[1:] if audience == "technical" else plain_coverage(r), lead="Rows:"),)


def _title(words: str) -> str:
    return " ".join(w.capitalize() for w in words.split())


def _dropped(r: HypothesisResults) -> int:
    return r.data.rows_dropped + r.rows.dropped


# --- leadership ---------------------------------------------------------------


def _lead_overview(r: HypothesisResults) -> list[Block]:
    focal, reference = group_words(r.by, r.focal), group_words(r.by, r.reference)
    kinds = " and ".join(stratum_words(r.stratify, s.level) for s in r.strata)
    blocks = [
        Block(f"We were asked: do {focal} get more or fewer {plain_name(r.measure)} than {reference}?"),
        Block(f"We looked at {of_rows(r, 'a sample of ')}{fmt_int(r.rows.used)} videos. We also compared {kinds} on their own, to compare like with like."),
    ]
    if _dropped(r):
        blocks.append(Block(f"We left out {fmt_int(_dropped(r))} videos with missing details.", optional=True))
    return blocks


def _lead_status(r: HypothesisResults) -> list[Block]:
    return [
        Block("The test is done."),
        Block(narrative.plain_gap(r), bullet=True),
        Block(narrative.plain_chance(r), bullet=True),
        Block(narrative.plain_mix(r), bullet=True),
    ]


def _lead_insights(r: HypothesisResults) -> list[Block]:
    blocks = [Block(narrative.plain_finding(r), lead="Key finding:")]
    blocks += [Block(text, bullet=True) for text in narrative.plain_strata(r)]
    return blocks


def _lead_next(r: HypothesisResults) -> list[Block]:
    by, strat = plain_name(r.by), plain_name(r.stratify)
    name = plain_name(r.measure)
    recommend = {
        "none": f"Do not plan around {by} when it comes to {name}. It makes no clear difference.",
        "hidden": f"Report {name} for each kind of video on its own. The overall numbers hide a gap.",
        "vanishes": f"Do not treat {by} as a reason for {name}. Report {name} for each kind of video on its own.",
        "shrinks": f"Do not treat {by} as a reason for {name}. Report {name} for each kind of video on its own.",
        "reverses": f"Report {name} for each kind of video on its own. The overall numbers point the wrong way.",
        "holds": f"Treat {by} as a sign to watch, not a cause. Find out why before acting on it.",
    }[r.finding]
    return [
        Block(recommend, lead="Recommendation:"),
        Block(f"This shows patterns in past videos, not causes. Other ways the accounts differ, beyond {strat}, may matter too.", lead="Limitation:"),
        Block("The data team will review this page before it goes further.", optional=True),
    ]


# --- technical ------------------------------------------------------------------


def _tech_overview(r: HypothesisResults) -> list[Block]:
    reasons = {**r.data.dropped_reasons, **r.rows.dropped_reasons}
    dropped = "; ".join(f"{k}: {fmt_int(v)}" for k, v in reasons.items()) or "none"
    return [
        Block(
            f"Two-sided Welch's t-test of {r.measure} by {r.by} ({r.focal} minus {r.reference}), α = {fmt_num(r.alpha)}; "
            f"Mann–Whitney U and log(1 + x) as robustness checks; repeated within each level of {r.stratify}."
        ),
        Block(
            f"{fmt_int(r.rows.used)} of {fmt_int(r.data.rows_read)} rows used (dropped: {dropped})."
            if r.data.sample is None or r.all_rows is not None
            else f"{fmt_int(r.data.rows_used)} of {fmt_int(r.data.rows_read)} rows usable (dropped: {dropped}); {fmt_int(r.rows.used)} of them used, in the sample."
        ),
    ]


def _tech_status(r: HypothesisResults) -> list[Block]:
    o = r.overall
    w, g, m, md, lr, v = o.welch, o.hedges_g, o.mann_whitney, o.median_difference, o.log_ratio, o.variance
    return [
        Block(
            f"difference in means {fmt_measure(w.difference)} (95% CI {fmt_range(w.ci_low, w.ci_high, fmt_measure)}), "
            f"t({fmt_num(w.df, 1)}) = {fmt_stat(w.t)}, {p_text(w.p_value)}.",
            lead="Welch:",
            bullet=True,
        ),
        Block(f"{fmt_stat(g.estimate)} (95% CI {fmt_range(g.ci_low, g.ci_high)}).", lead="Hedges' g:", bullet=True),
        Block(
            f"{p_text(m.p_value)}; rank-biserial r {fmt_stat(m.rank_biserial)} (95% CI {fmt_range(m.rb_ci_low, m.rb_ci_high)}); "
            f"P({r.focal} > {r.reference}) {fmt_pct(m.prob_superiority)}.",
            lead="Mann–Whitney:",
            bullet=True,
        ),
        Block(
            f"medians {fmt_measure(md.estimate)} (bootstrap 95% CI {fmt_range(md.ci_low, md.ci_high, fmt_measure)}); "
            f"log(1 + x) ratio {fmt_stat(lr.estimate)} (95% CI {fmt_range(lr.ci_low, lr.ci_high)}).",
            lead="Differences:",
            bullet=True,
            optional=True,
        ),
        Block(f"{v.test} {p_text(v.p_value)}, SD ratio {fmt_stat(v.sd_ratio)}: Welch, not Student.", lead="Variances:", bullet=True, optional=True),
    ]


def _tech_insights(r: HypothesisResults) -> list[Block]:
    blocks = [Block(narrative.finding_technical(r).split(": ", 1)[0] + ".", lead="Finding:")]
    for s in r.tested_strata():
        c = s.comparison
        blocks.append(
            Block(
                f"difference {fmt_measure(c.welch.difference)} (95% CI {fmt_range(c.welch.ci_low, c.welch.ci_high, fmt_measure)}), "
                f"{p_text(c.welch.p_value)}, g {fmt_stat(c.hedges_g.estimate)}.",
                lead=f"{s.level.capitalize()}:",
                bullet=True,
            )
        )
    w = r.within
    blocks.append(Block(f"g {fmt_stat(w.estimate)} (95% CI {fmt_range(w.ci_low, w.ci_high)}), {p_text(w.p_value)}.", lead="Pooled within strata:", bullet=True))
    shares = "; ".join(f"{s.level} {fmt_pct(s.focal_share)} of {r.focal}, {fmt_pct(s.reference_share)} of {r.reference}" for s in r.strata)
    blocks.append(Block(f"{shares}.", lead="Mix:", optional=True))
    return blocks


def _tech_next(r: HypothesisResults) -> list[Block]:
    strat = r.stratify
    confounded = r.finding in ("vanishes", "shrinks", "reverses", "hidden")
    blocks = [
        Block(
            f"Report {r.measure} stratified by {strat}; do not cite the unstratified p-value as an effect of {r.by}."
            if confounded
            else f"Keep {strat} in any model of {r.measure}; the association with {r.by} is not causal evidence.",
            bullet=True,
        ),
        Block(f"In the claim classifier, expect {r.by} to carry information only through its link with {strat}." if confounded else f"Check other confounders of {r.by} (author ban status, video length).", bullet=True),
        Block(f"Seeded bootstrap ({fmt_int(r.resamples)} resamples, seed {r.seed}); rerun with new data.", bullet=True, optional=True),
    ]
    return blocks


_LEADERSHIP = {"overview": _lead_overview, "status": _lead_status, "insights": _lead_insights, "next": _lead_next}
_TECHNICAL = {"overview": _tech_overview, "status": _tech_status, "insights": _tech_insights, "next": _tech_next}


def _figure(r: HypothesisResults, audience: str) -> SummaryFigure | None:
    info = next((f for f in r.figures if f.file == _FIGURE), None)
    if info is None:
        return None
    rows = [("All videos", r.overall)] + [(stratum_words(r.stratify, s.level).capitalize(), s.comparison) for s in r.tested_strata()]
    if audience == "technical":
        caption = f"{plain_name(r.measure).capitalize()} by group within {r.stratify} (log scale)"
        cells = tuple(Block(f"median {fmt_measure(c.focal.median)} vs {fmt_measure(c.reference.median)}, Welch p {fmt_p(c.welch.p_value)}.", lead=f"{label}:") for label, c in rows)
    else:
        caption = f"{plain_name(r.measure).capitalize()} of a typical video, {group_words(r.by, r.focal)} against {group_words(r.by, r.reference)}"
        cells = tuple(Block(f"{fmt_measure(c.focal.median)} against {fmt_measure(c.reference.median)}.", lead=f"{label}:") for label, c in rows)
    return SummaryFigure(_FIGURE, info.alt, caption, cells)
