"""The exploration's one-page executive summary, in words, for either tone.

``leadership``: plain words and rounded numbers, what the data can and cannot
support, one recommendation. ``technical``: the counts with intervals, the
effect sizes and tests, the data-quality facts. Every number from the results.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section, sample_blocks
from reportgen.formatters import fmt_int, fmt_p, fmt_pct, fmt_rate
from reportgen.studies.exploration.results import ExplorationResults
from reportgen.studies.exploration import words
from reportgen.studies.exploration.words import association_size, delta_size, finding_text, name

__all__ = ["build_summary"]


def build_summary(r: ExplorationResults, config: Config, audience: str | None = None) -> ExecutiveSummary:
    """The summary of ``r`` in the configured tone (or ``audience``)."""
    audience = audience or config.report.audience
    writer = _TECHNICAL if audience == "technical" else _LEADERSHIP
    sections = tuple(
        Section(key, SECTION_TITLES[key], (*writer[key](r), *_rows_blocks(key, r, audience))) for key in SECTION_TITLES
    )
    return ExecutiveSummary(audience, config.report.title, "Exploration: what is in the claims data", sections)


def _rows_blocks(key: str, r: ExplorationResults, audience: str) -> tuple[Block, ...]:
    """The overview's word on a sample: the usual one, or, when every figure covers every usable row, that (``words.covers``)."""
    plain = words.coverage_plain(r)
    if plain is None or key != "overview":
        return sample_blocks(key, r.data, audience)
    if audience == "technical":
        return sample_blocks(key, r.data, audience, words.covers(r))
    return (Block(plain, lead="Rows:"),)


def _banned(r: ExplorationResults):
    return next((s for s in r.ban_overall if s.label == "banned"), None)


# --- leadership ------------------------------------------------------------------


def _lead_overview(r: ExplorationResults) -> list[Block]:
    return [
        Block("Before building a tool to sort reported videos, we checked what the data hold and how claims and opinions differ."),
        Block(f"The file has {fmt_int(r.data.rows_read)} videos. {fmt_int(r.claim_missing_in_file)} of them have no claim or opinion label.", optional=False),
    ]


def _lead_status(r: ExplorationResults) -> list[Block]:
    claim, opinion = r.balance("claim"), r.balance("opinion")
    blocks = [Block("The data check and the first look at the data are done. A dashboard shows claims and opinions for each level of views, likes, shares and downloads.")]
    if claim and opinion:
        blocks.append(Block(f"{fmt_int(claim.count)} claims ({fmt_pct(claim.share, 0)}) and {fmt_int(opinion.count)} opinions ({fmt_pct(opinion.share, 0)}){words.of_sample(r, ' in the sample')}.", bullet=True))
    banned = _banned(r)
    if banned:
        blocks.append(Block(f"{fmt_pct(banned.share, 0)} of videos come from banned authors.", bullet=True, optional=True))
    return blocks


def _lead_insights(r: ExplorationResults) -> list[Block]:
    blocks = []
    views = r.difference("video_view_count")
    if views is not None:
        more = "more" if views.cliffs_delta > 0 else "fewer"
        blocks.append(Block(
            f"Claim videos get far {more} views. A typical claim has {fmt_int(views.median_first)} views; a typical opinion has {fmt_int(views.median_second)}.",
            lead="Reach:", bullet=True))
    t = r.ban_by_claim
    if "banned" in next(iter(t.row_shares.values()), {}):
        parts = " and ".join(f"{fmt_pct(t.row_shares[k]['banned'], 0)} of {k}s" for k in t.row_shares)
        blocks.append(Block(f"Banned authors post {parts}.", lead="Bans:", bullet=True))
    v = r.verified_by_claim
    if "verified" in next(iter(v.row_shares.values()), {}):
        parts = " and ".join(f"{fmt_pct(v.row_shares[k]['verified'], 0)} of {k}s" for k in v.row_shares)
        blocks.append(Block(f"Verified authors post {parts}.", lead="Verified:", bullet=True, optional=True))
    likes = next((x for x in r.rates if x.rate == "likes_per_view" and x.by == "claim_status"), None)
    if likes and all(g.mean is not None for g in likes.groups):
        parts = " and ".join(f"{fmt_pct(g.mean, 0)} for {g.group}s" for g in likes.groups)
        blocks.append(Block(f"Likes per view: {parts}.", lead="Likes:", bullet=True, optional=True))
    return blocks


def _lead_next(r: ExplorationResults) -> list[Block]:
    views = r.difference("video_view_count")
    strong = views is not None and abs(views.cliffs_delta) >= 0.474
    recommend = (
        "Views, likes and shares tell claims from opinions well. Use them in the claim model next."
        if strong
        else "No single count tells claims from opinions well. Test a model that uses them all."
    )
    return [
        Block(recommend, lead="Recommendation:"),
        Block("These are patterns, not causes. A claim model must still be tested on videos it has not seen.", lead="Limitation:"),
        Block("The dashboard works with a keyboard and a screen reader.", optional=True),
    ]


# --- technical ---------------------------------------------------------------------


def _tech_overview(r: ExplorationResults) -> list[Block]:
    d = r.data
    missing = [c for c in r.columns if c.missing]
    return [
        Block(f"{fmt_int(d.rows_read)} rows read; {fmt_int(r.rows_analysed)} analysed; {len(r.columns)} columns inspected."),
        Block(
            f"{len(missing)} columns have missing values ({fmt_int(max((c.missing for c in missing), default=0))} at most); "
            f"{fmt_int(d.duplicate_ids)} repeated video ids.",
            optional=True,
        ),
    ]


def _tech_status(r: ExplorationResults) -> list[Block]:
    blocks = []
    for s in r.claim_balance:
        blocks.append(Block(f"{fmt_int(s.count)} ({fmt_pct(s.share)}, 95% CI {fmt_pct(s.ci_low)}–{fmt_pct(s.ci_high)}).", lead=f"{s.label.capitalize()}:", bullet=True))
    for t in (r.ban_by_claim, r.verified_by_claim):
        blocks.append(Block(f"Cramér's V {fmt_rate(t.cramers_v)} ({association_size(t.cramers_v)}), χ² p {fmt_p(t.p_value)}.", lead=f"{name(t.columns).capitalize()} × claim:", bullet=True, optional=True))
    return blocks


def _tech_insights(r: ExplorationResults) -> list[Block]:
    blocks = [Block("Ranked by effect size (|Cliff's delta|, Cramér's V, |rho|):")]
    for i, f in enumerate(r.findings[:3]):
        if f.kind == "difference":
            d = r.difference(f.subject)
            text = f"Cliff's delta {fmt_rate(f.value)} ({delta_size(f.value)}), p {fmt_p(f.p_value or 0)}; medians {fmt_int(d.median_first)} vs {fmt_int(d.median_second)}." if d else finding_text(r, f)
            blocks.append(Block(text, lead=f"{name(f.subject).capitalize()}:", bullet=True, optional=i >= 2))
        else:
            blocks.append(Block(finding_text(r, f), bullet=True, optional=i >= 2))
    return blocks


def _tech_next(r: ExplorationResults) -> list[Block]:
    return [
        Block("Hypothesis test: verified against unverified views, within claim status.", bullet=True),
        Block("Claim classifier: engagement counts and rates as features; watch for leakage from counts that grow after moderation.", bullet=True),
        Block("Rows without a claim status cannot train or test a classifier; report their count in each study.", bullet=True, optional=True),
    ]


_LEADERSHIP = {"overview": _lead_overview, "status": _lead_status, "insights": _lead_insights, "next": _lead_next}
_TECHNICAL = {"overview": _tech_overview, "status": _tech_status, "insights": _tech_insights, "next": _tech_next}
