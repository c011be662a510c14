"""The exploration's technical report, written from the results as a shared ``Document``.

Sections: at a glance, what changed (after an earlier build), inspection, data
quality, engineered variables, claims and author status, counts by claim
status, engagement rates, correlations, notable findings, method and
reproducibility. Every number comes from ``ExplorationResults`` through
``reportgen.formatters``; every judgement word from ``words``.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.document import Block, BulletList, Document, Fact, Facts, FigureBlock, Group, Paragraph, Section, Table, build_record
from reportgen.formatters import fmt_delta, fmt_int, fmt_num, fmt_p, fmt_pct, fmt_rate
from reportgen.formatters import fmt_value as fmt_headline
from reportgen.narrative.wording import capital, join_words, share
from reportgen.results import FigureInfo
from reportgen.studies.exploration.results import Crosstab, ExplorationResults, GroupValue
from reportgen.studies.exploration import words
from reportgen.studies.exploration.words import association_size, delta_size, finding_text, fmt_value, name, verdict

__all__ = ["technical_report", "WHY"]

#: Why each role is (or is not) used, as the inspection table says it.
WHY = {
    "row number": "a row number of the export: says nothing about the video",
    "identifier": "an id names a video; it cannot predict anything",
    "free text": "free text is not a predictor as it is; its length is (engineered)",
    "outcome": "the outcome the project classifies",
    "feature": "a candidate predictor",
}
_KIND = {"row number": "row number", "identifier": "identifier (whole number)", "text": "text", "category": "category", "count": "count (whole number)"}


def technical_report(r: ExplorationResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
    """Write the exploration's technical report from its results.

    Parameters
    ----------
    r : ExplorationResults
        With figures drawn (a missing figure is left out).
    config : Config
    generated_at : str
    versions : dict
        Package name -> version.

    Returns
    -------
    Document
    """
    figures = {f.file: f for f in r.figures}
    sections = [
        _glance(r),
        *filter(None, [_changes(r)]),
        _inspection(r),
        _quality(r),
        _engineered(r),
        _status(r, figures),
        _counts(r, figures),
        _rates(r, figures),
        _correlations(r, figures),
        _findings(r),
        _method(r, config, generated_at, versions),
    ]
    facts = (
        Fact("Data file", r.data.source),
        Fact("Date of the data", r.data.modified),
        Fact("SHA-256 (short)", r.data.sha256[:12]),
        Fact("Generated", generated_at),
    )
    title = f"{config.report.project}: exploration — technical report"
    return Document(title, "Inspection, data quality and exploratory analysis of the claims data", tuple(sections), facts)


def _figure(figures: dict[str, FigureInfo], file: str) -> tuple[Block, ...]:
    return (FigureBlock(figures[file]),) if file in figures else ()


def _glance(r: ExplorationResults) -> Section:
    claim, opinion = r.balance("claim"), r.balance("opinion")
    items = [Fact("Rows read", fmt_int(r.data.rows_read), f"Every row of {r.data.source}; {fmt_int(r.rows_analysed)} analysed.")]
    for s in (claim, opinion):
        if s is not None:
            items.append(Fact(f"{capital(s.label)}s", fmt_int(s.count), f"{fmt_pct(s.share)} of videos with a claim status{words.of_sample(r, ' in the sample')} (95% CI {fmt_pct(s.ci_low)}–{fmt_pct(s.ci_high)})."))
    items.append(Fact("No claim status", fmt_int(r.claim_missing_in_file), f"{share(r.claim_missing_in_file, r.data.rows_read)} of rows read; left out of every count by claim status."))
    banned = next((s for s in r.ban_overall if s.label == "banned"), None)
    if banned is not None:
        items.append(Fact("Banned authors", fmt_pct(banned.share), f"{fmt_int(banned.count)} videos are by banned authors."))
    return Section("glance", "Results at a glance", (Facts(tuple(items), css="glance", layout="glance"), Paragraph(verdict(r))))


def _changes(r: ExplorationResults) -> Section | None:
    p = r.previous
    if p is None:
        return None
    rows = tuple((c.label, fmt_headline(c.before, c.kind), fmt_headline(c.after, c.kind), fmt_delta(c.delta, c.kind)) for c in p.changes)
    intro = f"The output folder held a build of {p.previous_source} (data of {p.previous_modified}, sha256 {p.previous_sha256[:12]})."
    return Section("changes", "What changed since the last build", (Paragraph(intro), Table("Headline figures then and now", ("Figure", "Before", "Now", "Change"), rows, (1, 2, 3))))


def _inspection(r: ExplorationResults) -> Section:
    rows = tuple(
        (
            c.column,
            _KIND[c.kind],
            fmt_int(c.non_null),
            fmt_int(c.missing),
            fmt_int(c.distinct),
            fmt_num(c.minimum, 0) if c.minimum is not None else "–",
            fmt_num(c.maximum, 0) if c.maximum is not None else "–",
            "yes" if c.used else "no",
            WHY[c.role],
        )
        for c in r.columns
    )
    unused = [c.column for c in r.columns if not c.used]
    read = {c.column for c in r.columns}
    note = "" if "#" in read else " The file's first column, '#', is a row number of the export and is not read."
    intro = (
        f"{len(r.columns)} columns were read from {fmt_int(r.data.rows_read)} rows. Non-null and missing counts are the file's; "
        f"distinct values, minimum and maximum are over the {fmt_int(r.rows_analysed)} rows analysed.{note} "
        f"Not used as predictors: {join_words(unused) or 'none'}."
    )
    table = Table("Every column: type, completeness, range and use", ("Column", "Type", "Non-null", "Missing", "Distinct", "Min", "Max", "Used", "Why"),
                  rows, (2, 3, 4, 5, 6), css="compact")
    return Section("inspection", "Inspection", (Paragraph(intro, css="lead"), table))


def _quality(r: ExplorationResults) -> Section:
    d = r.data
    with_missing = [c.column for c in r.columns if c.missing]
    counts = {c.missing for c in r.columns if c.missing}
    together = " — the same count in each, so the values go missing together" if len(counts) == 1 and len(with_missing) > 1 else ""
    missing = f"{len(with_missing)} columns have missing values{together}: {join_words(with_missing)}." if with_missing else "No column has a missing value."
    dup = (
        "No duplicate rows and no repeated video ids."
        if d.duplicate_rows == 0 and d.duplicate_ids == 0
        else f"{fmt_int(d.duplicate_rows)} duplicate rows and {fmt_int(d.duplicate_ids)} repeated video ids."
    )
    rows = (("Rows read", fmt_int(d.rows_read)), ("Rows analysed", fmt_int(r.rows_analysed)),
            *((f"Left out: {k}", fmt_int(v)) for k, v in d.dropped_reasons.items()))
    blocks: list[Block] = [Paragraph(f"{missing} {dup}"), Table("Rows read and analysed", ("Rows", "Count"), rows, (1,))]
    if d.warnings:
        blocks.append(BulletList(tuple(d.warnings), css="warnings"))
    return Section("quality", "Data quality", tuple(blocks))


def _mean_ci(g: GroupValue, column: str) -> str:
    if g.mean is None:
        return "–"
    if g.ci_low is None:
        return fmt_value(column, g.mean)
    return f"{fmt_value(column, g.mean)} ({fmt_value(column, g.ci_low)}–{fmt_value(column, g.ci_high)})"


def _engineered(r: ExplorationResults) -> Section:
    groups = [g.group for g in (r.engineered[0].by_claim if r.engineered else ())]
    rows = tuple(
        (
            name(e.name),
            f"length in characters of {e.numerator}" if e.kind == "length" else f"{e.numerator} / {e.denominator}",
            fmt_int(e.n),
            fmt_value(e.name, e.mean),
            fmt_value(e.name, e.median),
            f"{fmt_value(e.name, e.minimum)}–{fmt_value(e.name, e.maximum)}",
            *(_mean_ci(g, e.name) for g in e.by_claim),
        )
        for e in r.engineered
    )
    header = ("Variable", "Made from", "Rows", "Mean", "Median", "Range", *(f"Mean, {g}s (95% CI)" for g in groups))
    text = (
        "Four variables are made from the given ones: the length of the transcription, and likes, shares and comments "
        "per view (undefined where a video has no views). Rates put videos of very different reach on one scale."
    )
    return Section("engineered", "Engineered variables", (Paragraph(text), Table("Engineered variables", header, rows, tuple(range(2, len(header))), css="compact wide")))


def _crosstab_table(t: Crosstab, caption: str) -> Table:
    levels = list(next(iter(t.counts.values()))) if t.counts else []
    rows = tuple(
        (r, *(f"{fmt_int(row[c])} ({fmt_pct(t.row_shares[r][c])})" for c in levels), fmt_int(sum(row.values())))
        for r, row in t.counts.items()
    )
    return Table(caption, ("Claim status", *levels, "Total"), rows, tuple(range(1, len(levels) + 2)))


def _test_text(t: Crosstab) -> str:
    return (
        f"Chi-square test of independence: χ² = {fmt_num(t.chi2, 1)}, df = {t.dof}, p {fmt_p(t.p_value)}; "
        f"Cramér's V {fmt_rate(t.cramers_v)}, a {association_size(t.cramers_v)} association (n = {fmt_int(t.n)})."
    )


def _status(r: ExplorationResults, figures: dict[str, FigureInfo]) -> Section:
    balance = Table("Claims and opinions", ("Claim status", "Videos", "Share", "95% CI"),
                    tuple((s.label, fmt_int(s.count), fmt_pct(s.share), f"{fmt_pct(s.ci_low)}–{fmt_pct(s.ci_high)}") for s in r.claim_balance), (1, 2, 3))
    ban = Table(f"Author ban status, all videos{words.of_sample(r, ' of the sample')}", ("Ban status", "Videos", "Share", "95% CI"),
                tuple((s.label, fmt_int(s.count), fmt_pct(s.share), f"{fmt_pct(s.ci_low)}–{fmt_pct(s.ci_high)}") for s in r.ban_overall), (1, 2, 3))
    blocks: list[Block] = [
        Paragraph(verdict(r), css="lead"),
        Group((balance, ban), css="pair"),
        *_figure(figures, "claim_balance.png"),
        _crosstab_table(r.ban_by_claim, "Author ban status by claim status: counts and row shares"),
        Paragraph(_test_text(r.ban_by_claim)),
        *_figure(figures, "ban_status.png"),
        _crosstab_table(r.verified_by_claim, "Verified status by claim status: counts and row shares"),
        Paragraph(_test_text(r.verified_by_claim)),
        *_figure(figures, "verified_status.png"),
    ]
    return Section("status", "Claims, opinions and author status", tuple(blocks))


def _counts(r: ExplorationResults, figures: dict[str, FigureInfo]) -> Section:
    rows = tuple(
        (name(d.column), d.group, fmt_int(d.n), fmt_num(d.minimum, 0), fmt_num(d.q1, 1), fmt_num(d.median, 1), fmt_num(d.q3, 1), fmt_num(d.maximum, 0), fmt_num(d.mean, 1))
        for d in r.distributions
    )
    quantiles = Table("Each count by claim status", ("Variable", "Claim status", "Rows", "Min", "Q1", "Median", "Q3", "Max", "Mean"), rows, (2, 3, 4, 5, 6, 7, 8), css="compact")
    diffs = Table(
        "Claims against opinions on one scale",
        ("Variable", "Median, claims", "Median, opinions", "P(claim higher)", "Cliff's delta", "Size", "Mann-Whitney p"),
        tuple(
            (name(d.column), fmt_value(d.column, d.median_first), fmt_value(d.column, d.median_second), fmt_pct(d.superiority), fmt_rate(d.cliffs_delta), delta_size(d.cliffs_delta), fmt_p(d.p_value))
            for d in r.differences
        ),
        (1, 2, 3, 4, 6),
        css="compact",
    )
    text = (
        "P(claim higher) is the chance that a random claim video has the larger value than a random opinion video (ties count half; "
        "50% is no difference); Cliff's delta rescales it to −1…1. Both need no assumption about the counts' heavy-tailed shape."
    )
    return Section("counts", "Counts by claim status", (quantiles, *_figure(figures, "count_distributions.png"), diffs, Paragraph(text)))


def _rates(r: ExplorationResults, figures: dict[str, FigureInfo]) -> Section:
    rows = tuple(
        (name(x.rate), name(x.by), g.group, fmt_int(g.n), _mean_ci(g, x.rate), fmt_value(x.rate, g.median))
        for x in r.rates
        for g in x.groups
    )
    table = Table("Engagement rates by claim status and by ban status", ("Rate", "By", "Group", "Rows", "Mean (95% CI)", "Median"), rows, (3, 4, 5), css="compact")
    return Section("rates", "Engagement rates", (table, *_figure(figures, "engagement_rates.png")))


def _correlations(r: ExplorationResults, figures: dict[str, FigureInfo]) -> Section:
    names = [name(c) for c in r.correlation_columns]
    rows = tuple((names[i], *(fmt_rate(v) if v is not None else "–" for v in row)) for i, row in enumerate(r.correlation))
    method = "Spearman" if r.correlation_method == "spearman" else "Pearson"
    table = Table(f"{method} correlation matrix", ("Variable", *names), rows, tuple(range(1, len(names) + 1)), css="compact")
    why = "Spearman's rank correlation is used because the counts are heavy-tailed." if method == "Spearman" else "Pearson's correlation, as configured."
    return Section("correlations", "Correlations", (Paragraph(why), *_figure(figures, "correlations.png"), table))


def _findings(r: ExplorationResults) -> Section:
    intro = (
        "The largest effects first, on comparable 0–1 scales: |Cliff's delta| for claims against opinions, Cramér's V for "
        "associations of categories, |correlation| for pairs of variables."
    )
    return Section("findings", "Notable findings, ranked", (Paragraph(intro), BulletList(tuple(finding_text(r, f) for f in r.findings), ordered=True)))


def _method(r: ExplorationResults, config: Config, generated_at: str, versions: dict[str, str]) -> Section:
    settings = config.study_settings("exploration")
    rows = (
        ("Correlation", settings.correlation),
        ("Dashboard bands", settings.bands),
        ("Findings ranked", str(settings.findings)),
    )
    text = (
        "Shares carry Wilson 95% intervals and means t-based 95% intervals. Effect-size words follow Romano et al. (2006) for "
        "Cliff's delta and Cohen (1988) for Cramér's V and correlations. With "
        f"{fmt_int(r.rows_analysed)} rows almost any difference is 'significant'; the effect sizes, not the p-values, say what matters."
    )
    record = build_record(rows, r.data, generated_at, versions, words.covers(r))
    return Section("method", "Method and reproducibility", (Paragraph(text), *record))
