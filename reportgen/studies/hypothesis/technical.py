"""The hypothesis study's technical report, written by code from the results as a ``Document``.

Sections: glance, what changed (when the folder held an earlier build), data,
hypotheses, groups, choice of test, tests and effect sizes, confounding check,
interpretation, reproducibility. Every number comes from ``HypothesisResults``
through the shared formatters and ``wording``; every judgement from the numbers.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.document import BulletList, Document, Fact, Facts, FigureBlock, Paragraph, Section, Table, build_record
from reportgen.formatters import fmt_delta, fmt_int, fmt_num, fmt_p, fmt_pct, fmt_value, plain_name
from reportgen.stats.groups import GroupSummary, TwoGroupComparison
from reportgen.studies.hypothesis import narrative
from reportgen.studies.hypothesis.results import HypothesisResults
from reportgen.studies.hypothesis.wording import coverage_sentence, fmt_measure, fmt_range, fmt_stat, of_rows, p_text, size_word

__all__ = ["technical_report"]

_FINDING_TITLES = {
    "none": "no difference",
    "hidden": "hidden by the mix",
    "vanishes": "vanishes within strata",
    "shrinks": "shrinks within strata",
    "reverses": "reverses within strata",
    "holds": "holds within strata",
}


def technical_report(r: HypothesisResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
    """Write the technical report's content from the results (figures not drawn are left out)."""
    figures = {f.file: f for f in r.figures}
    changes = _changes(r)
    sections = (
        _glance(r),
        *((changes,) if changes else ()),
        _data(r),
        _hypotheses(r),
        _groups(r, figures),
        _test_choice(r),
        _tests(r),
        _confounding(r, figures),
        _interpretation(r),
        _reproducibility(r, generated_at, versions),
    )
    d = r.data
    facts = (Fact("Data file", d.source), Fact("Date of the data", d.modified), Fact("SHA-256 (short)", d.sha256[:12]), Fact("Generated", generated_at))
    return Document(
        title=f"{config.report.project}: hypothesis test",
        subtitle=f"Do {r.focal} and {r.reference} differ in {plain_name(r.measure)}, and does it survive within {plain_name(r.stratify)}?",
        sections=sections,
        facts=facts,
    )


def _glance(r: HypothesisResults) -> Section:
    o, w = r.overall, r.within
    items = (
        Fact(
            "Difference in means",
            fmt_measure(o.welch.difference),
            f"{r.focal} minus {r.reference}, all rows (95% CI {fmt_range(o.welch.ci_low, o.welch.ci_high, fmt_measure)}); Welch {p_text(o.welch.p_value)}.",
        ),
        Fact("Hedges' g, all rows", fmt_stat(o.hedges_g.estimate), f"A {size_word(o.hedges_g.estimate)} standardised difference (95% CI {fmt_range(o.hedges_g.ci_low, o.hedges_g.ci_high)})."),
        Fact(
            "Hedges' g within strata",
            fmt_stat(w.estimate),
            f"Pooled over the levels of {plain_name(r.stratify)} (95% CI {fmt_range(w.ci_low, w.ci_high)}, {p_text(w.p_value)}).",
        ),
        Fact(
            "Finding",
            _FINDING_TITLES[r.finding],
            f"What the confounding check by {plain_name(r.stratify)} says of the overall difference.",
        ),
    )
    return Section("glance", "Results at a glance", (Facts(items, css="glance", layout="glance"), Paragraph(narrative.verdict(r))))


def _changes(r: HypothesisResults) -> Section | None:
    p = r.previous
    if p is None:
        return None
    intro = f"The output folder held a build of {p.previous_source} (data of {p.previous_modified}, sha256 {p.previous_sha256[:12]})."
    rows = tuple((c.label, fmt_value(c.before, c.kind), fmt_value(c.after, c.kind), fmt_delta(c.delta, c.kind)) for c in p.changes)
    table = Table("Headline figures, previous build and this one", ("Figure", "Previous", "Now", "Change"), rows, numeric=(1, 2, 3))
    return Section("changes", "What changed since the last build", (Paragraph(intro), table))


def _data(r: HypothesisResults) -> Section:
    d, a = r.data, r.rows
    loader = "; ".join(f"{k}: {fmt_int(v)}" for k, v in d.dropped_reasons.items()) or "none"
    rows = [
        ("Rows in the file", fmt_int(d.rows_read)),
        ("Rows dropped by the loader", f"{fmt_int(d.rows_dropped)} ({loader})"),
        *((("Rows usable (all rows)", fmt_int(d.rows_used)),) if d.sample else ()),
        (f"Rows this study received{of_rows(r, ' (a sample)')}", fmt_int(a.received)),
    ]
    rows += [(f"Dropped here: {reason}", fmt_int(n)) for reason, n in a.dropped_reasons.items()]
    rows.append(("Rows used", fmt_int(a.used)))
    if r.all_rows is not None:
        rows.append(("Rows sampled (median intervals only)", fmt_int(r.all_rows.sample)))
    text = (
        f"Rows are dropped here only when {plain_name(r.measure)}, {plain_name(r.by)} or {plain_name(r.stratify)} is missing; "
        f"each dropped row is counted once, under the first of these it misses."
    )
    if r.all_rows is not None:
        text += " " + coverage_sentence(r)
    return Section("data", "Data", (Paragraph(text), Table("Rows read, dropped and used", ("Rows", "Count"), tuple(rows), numeric=(1,))))


def _hypotheses(r: HypothesisResults) -> Section:
    name = plain_name(r.measure)
    items = (
        f"H₀: μ({r.focal}) = μ({r.reference}): the mean {name} is the same in both groups.",
        f"H₁: μ({r.focal}) ≠ μ({r.reference}): the means differ (two-sided).",
        f"Significance level α = {fmt_num(r.alpha)}; the same hypotheses are tested within each level of {plain_name(r.stratify)}.",
    )

    return Section("hypotheses", "Hypotheses", (BulletList(items),))


def _group_row(label: str, g: GroupSummary) -> tuple[str, ...]:
    return (label, fmt_int(g.n), fmt_measure(g.mean), fmt_measure(g.sd), fmt_measure(g.median), fmt_range(g.q1, g.q3, fmt_measure), fmt_measure(g.iqr))


def _groups(r: HypothesisResults, figures: dict) -> Section:
    o = r.overall
    header = ("Group", "n", "Mean", "SD", "Median", "Q1 to Q3", "IQR")
    table = Table(f"{plain_name(r.measure).capitalize()} by group, all usable rows{of_rows(r)}", header, (_group_row(o.focal.label, o.focal), _group_row(o.reference.label, o.reference)), numeric=(1, 2, 3, 4, 6))
    blocks = [table]
    if "distributions.png" in figures:
        blocks.append(FigureBlock(figures["distributions.png"]))
    return Section("groups", "The two groups", tuple(blocks))


def _test_choice(r: HypothesisResults) -> Section:
    v = r.overall.variance
    unequal = v.p_value < r.alpha
    why = (
        f"The {v.test} test rejects equal variances (W = {fmt_stat(v.statistic)}, {p_text(v.p_value)}); the larger SD is "
        f"{fmt_stat(v.sd_ratio)} times the smaller and the larger group {fmt_stat(v.n_ratio)} times the smaller. "
        if unequal
        else f"The {v.test} test does not reject equal variances (W = {fmt_stat(v.statistic)}, {p_text(v.p_value)}); the SD ratio is "
        f"{fmt_stat(v.sd_ratio)} and the size ratio {fmt_stat(v.n_ratio)}. "
    )
    text = why + (
        "Student's t-test assumes equal variances and is badly calibrated when they differ and the groups differ in size; "
        "Welch's test does not assume them, and loses almost nothing when they are equal, so it is used throughout. "
        "The measure is a heavily skewed count: the means are compared because the groups are large, and the Mann–Whitney U test "
        "and the test on log(1 + x) check that the answer does not hang on a few very large values."
    )
    rows = (
        (f"{v.test} W", fmt_stat(v.statistic)),
        (f"{v.test} p", fmt_p(v.p_value)),
        ("SD ratio (larger / smaller)", fmt_stat(v.sd_ratio)),
        ("Group size ratio", fmt_stat(v.n_ratio)),
    )
    return Section("test-choice", "Why Welch's test, not Student's", (Paragraph(text), Table(f"Variance check, all usable rows{of_rows(r)}", ("Check", "Value"), rows, numeric=(1,))))


def _test_rows(c: TwoGroupComparison) -> tuple[tuple[str, ...], ...]:
    w, m, g, md, lw, lr = c.welch, c.mann_whitney, c.hedges_g, c.median_difference, c.log_welch, c.log_ratio
    return (
        ("Welch's t-test", f"t({fmt_num(w.df, 1)}) = {fmt_stat(w.t)}", fmt_p(w.p_value), f"difference in means {fmt_measure(w.difference)}", fmt_range(w.ci_low, w.ci_high, fmt_measure)),
        ("Mann–Whitney U", f"U = {fmt_measure(m.u)}", fmt_p(m.p_value), f"rank-biserial r {fmt_stat(m.rank_biserial)}", fmt_range(m.rb_ci_low, m.rb_ci_high)),
        ("", "", "", f"probability of superiority {fmt_pct(m.prob_superiority)}", fmt_range(m.ps_ci_low, m.ps_ci_high, fmt_pct)),
        ("Hedges' g", "", "", f"standardised difference {fmt_stat(g.estimate)}", fmt_range(g.ci_low, g.ci_high)),
        ("Bootstrap", "", "", f"difference in medians {fmt_measure(md.estimate)}", fmt_range(md.ci_low, md.ci_high, fmt_measure)),
        ("Welch on log(1 + x)", f"t({fmt_num(lw.df, 1)}) = {fmt_stat(lw.t)}", fmt_p(lw.p_value), f"ratio of geometric means {fmt_stat(lr.estimate)}", fmt_range(lr.ci_low, lr.ci_high)),
    )


_TEST_HEADER = ("Test", "Statistic", "p", "Effect", "95% CI")


def _tests(r: HypothesisResults) -> Section:
    o = r.overall
    m, lw = o.mann_whitney, o.log_welch
    agree = all((p < r.alpha) == (o.welch.p_value < r.alpha) for p in (m.p_value, lw.p_value))
    robust = (
        "The rank test and the log-scale test agree with Welch's test."
        if agree
        else "The rank test or the log-scale test disagrees with Welch's test: the answer depends on how the skewed values are weighed."
    )
    ps = (
        f"A randomly chosen {r.focal} video has more {plain_name(r.measure)} than a randomly chosen {r.reference} one "
        f"{fmt_pct(m.prob_superiority)} of the time (ties count half; 50.0% would be no difference)."
    )
    # Each resample's median is drawn from its exact distribution (stats.groups._drawn_medians), not from drawn rows.
    drawn = "each resample's median drawn from its exact distribution (the order statistics of uniforms) rather than by drawing every row"
    boot = f"The interval of the difference in medians is a percentile bootstrap of {fmt_int(r.resamples)} resamples, each group resampled on its own, {drawn} (seed {r.seed})."
    if r.all_rows is not None:
        boot = (
            f"The interval of the difference in medians is a percentile bootstrap of {fmt_int(r.resamples)} resamples of the random sample of "
            f"{fmt_int(r.all_rows.sample)} rows, each group resampled on its own, {drawn} (seed {r.seed}); every other number in the table, "
            f"and that difference itself, covers all {fmt_int(r.all_rows.rows)} usable rows."
        )
    table = Table(f"Tests and effect sizes, {r.focal} minus {r.reference}, all usable rows{of_rows(r)}", _TEST_HEADER, _test_rows(o), numeric=(2,))
    return Section("tests", "Tests and effect sizes", (Paragraph(narrative.welch_sentence(r, o)), table, Paragraph(ps), Paragraph(robust + " " + boot)))


def _confounding(r: HypothesisResults, figures: dict) -> Section:
    strat = plain_name(r.stratify)
    mix_rows = tuple(
        (s.level, fmt_int(s.rows), fmt_pct(s.share_of_rows), fmt_pct(s.focal_share), fmt_pct(s.reference_share), fmt_measure(s.median)) for s in r.strata
    )
    mix = Table(
        f"How each group spreads over {strat}",
        (strat.capitalize(), "Rows", "Share of rows", f"Share of {r.focal}", f"Share of {r.reference}", f"Median {plain_name(r.measure)}"),
        mix_rows,
        numeric=(1, 2, 3, 4, 5),
    )
    rows = []
    for s in r.strata:
        c = s.comparison
        if c is None:
            rows.append((s.level, fmt_int(s.focal_n), fmt_int(s.reference_n), "–", "–", "–", "–", "–"))
            continue
        w = c.welch
        rows.append(
            (
                s.level,
                fmt_int(c.focal.n),
                fmt_int(c.reference.n),
                f"{fmt_measure(w.difference)} ({fmt_range(w.ci_low, w.ci_high, fmt_measure)})",
                fmt_p(w.p_value),
                f"{fmt_stat(c.hedges_g.estimate)} ({fmt_range(c.hedges_g.ci_low, c.hedges_g.ci_high)})",
                fmt_p(c.mann_whitney.p_value),
                f"{fmt_measure(c.median_difference.estimate)} ({fmt_range(c.median_difference.ci_low, c.median_difference.ci_high, fmt_measure)})",
            )
        )
    within = Table(
        f"{r.focal} minus {r.reference} within each level of {strat} (95% CIs in brackets)",
        (strat.capitalize(), f"n {r.focal}", f"n {r.reference}", "Difference in means", "Welch p", "Hedges' g", "Mann–Whitney p", "Difference in medians"),
        tuple(rows),
        numeric=(1, 2, 4, 6),
    )
    blocks = [Paragraph(narrative.mix_sentence(r)), mix, within]
    skipped = [s.level for s in r.strata if s.comparison is None]
    if skipped:
        blocks.append(Paragraph(f"Not compared (fewer than two videos in a group): {', '.join(skipped)}."))
    blocks += [Paragraph(narrative.within_sentence(r)), Paragraph(narrative.finding_technical(r), css="lead")]
    if "within_strata.png" in figures:
        blocks.append(FigureBlock(figures["within_strata.png"]))
    return Section("confounding", f"Confounding check: within {strat}", tuple(blocks))


def _interpretation(r: HypothesisResults) -> Section:
    sentences = [narrative.welch_sentence(r, r.overall, "on all rows")]
    sentences += [narrative.welch_sentence(r, s.comparison, f"among {s.level} videos") for s in r.tested_strata()]
    caveat = (
        "These are observational data: a difference between the groups, even one that holds within strata, is an association. "
        f"Other differences between the groups than {plain_name(r.stratify)} may lie behind it; no test here can rule them out."
    )
    return Section("interpretation", "Interpretation", (*(Paragraph(s) for s in sentences), Paragraph(narrative.finding_technical(r)), Paragraph(caveat)))


def _reproducibility(r: HypothesisResults, generated_at: str, versions: dict[str, str]) -> Section:
    settings = (
        ("Measure", r.measure),
        ("Groups", f"{r.by}: {r.focal} (focal) vs {r.reference}"),
        ("Stratifier", r.stratify),
        ("α", fmt_num(r.alpha)),
        ("Bootstrap resamples", fmt_int(r.resamples)),
        ("Seed", str(r.seed)),
    )
    data = r.data
    if r.all_rows is not None:  # not build_record's "the analyses ran on a sample": here they covered every row
        import dataclasses

        settings = (("Rows analysed", coverage_sentence(r)), *settings)
        data = dataclasses.replace(data, sample=None)
    return Section(
        "reproducibility",
        "Reproducibility",
        build_record(settings, data, generated_at, versions),
    )
