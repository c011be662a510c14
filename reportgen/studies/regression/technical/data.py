"""Data and quality, and the exploration: what was read, what it looks like by class."""

from __future__ import annotations

import math

from reportgen.config import Config
from reportgen.core.document import Block, BulletList, FigureBlock, Group, Heading, Paragraph, Quotes, Section, Table
from reportgen.core.summary import of_sample
from reportgen.formatters import fmt_int, fmt_num, fmt_pct, plain_name
from reportgen.narrative.wording import share
from reportgen.results import AnalysisResults, FigureInfo
from reportgen.studies.regression.technical._common import labels


def data_quality(r: AnalysisResults) -> Section:
    """Rows read, used and dropped (with reasons), missing values, duplicates."""
    d = r.data
    rows = [("Rows read", fmt_int(d.rows_read), share(d.rows_read, d.rows_read))]
    rows += [(f"Dropped: {reason}", fmt_int(n), share(n, d.rows_read)) for reason, n in d.dropped_reasons.items()]
    rows.append(("Rows used", fmt_int(d.rows_used), share(d.rows_used, d.rows_read)))
    missing = [(c, fmt_int(n), share(n, d.rows_read)) for c, n in d.missing_by_column.items()]
    with_missing = [c for c, n in d.missing_by_column.items() if n]
    if not with_missing:
        missing_note = "No column has a missing value."
    else:
        counts = {d.missing_by_column[c] for c in with_missing}
        together = " (the same count in each: the values go missing together)" if len(counts) == 1 and len(with_missing) > 1 else ""
        missing_note = f"{len(with_missing)} of {len(d.missing_by_column)} columns have missing values{together}."
    dup = (
        "No duplicate rows and no repeated video ids in the file."
        if d.duplicate_rows == 0 and d.duplicate_ids == 0
        else f"{fmt_int(d.duplicate_rows)} duplicate rows and {fmt_int(d.duplicate_ids)} repeated video ids in the file; "
        "repeats were dropped before modelling."
    )
    intro = (
        f"{fmt_int(d.rows_read)} rows were read from {d.source}; {fmt_int(d.rows_dropped)} "
        f"({share(d.rows_dropped, d.rows_read)}) were dropped and {fmt_int(d.rows_used)} used."
        if d.sample is None
        else f"({share(d.rows_dropped, d.rows_read)}) were dropped and {fmt_int(d.rows_used)} were usable, "
        f"of which a sample of {fmt_int(d.sample.rows)} was analysed"
        + (f"; the descriptive statistics below cover all {fmt_int(described)} usable rows." if (described := r.exploration.rows) else ".")
    )
    blocks: list[Block] = [
        Paragraph(intro, css="lead"),
        Group(
            (
                Table("Rows read, dropped and used", ("Rows", "Count", "Share of rows read"), tuple(rows), (1, 2)),
                Table("Missing values by column (before dropping)", ("Column", "Missing", "Share"), tuple(missing), (1, 2)),
            ),
            css="pair",
        ),
        Paragraph(f"{missing_note} {dup}"),
    ]
    if d.warnings:
        blocks.append(BulletList(d.warnings, css="warnings"))
    return Section("data", "Data and quality", tuple(blocks))


def exploration(r: AnalysisResults, config: Config, figures: dict[str, FigureInfo]) -> Section:
    """Class balance, the crosstab, statistics by class, outliers, correlations and examples."""
    x, target = r.exploration, r.model.target
    neg, pos = labels(r)
    total = sum(x.class_balance.values())
    balance = Table(
        f"Class balance of {plain_name(target)}",
        ("Class", "Videos", "Share"),
        tuple((k, fmt_int(v), fmt_pct(x.class_shares[k])) for k, v in x.class_balance.items()),
        (1, 2),
    )
    minority = min(x.class_shares, key=x.class_shares.get)
    balance_text = (
        f"{fmt_int(total)} usable videos{'' if x.rows else of_sample(r.data, ' in the sample')}; "
        f"'{minority}' is the minority class at {fmt_pct(x.class_shares[minority])} "
        f"({fmt_int(x.class_balance[minority])} videos)."
    )
    levels = list(x.class_balance)
    crosstab = Table(
        f"Claim status by {plain_name(target)}: counts and row shares",
        ("Claim status", *levels, "Total"),
        tuple(
            (status, *(f"{fmt_int(row[k])} ({fmt_pct(x.crosstab_row_shares[status][k])})" for k in levels), fmt_int(sum(row.values())))
            for status, row in x.crosstab.items()
        ),
        tuple(range(1, len(levels) + 2)),
    )
    stats = {(s.column, s.group): s for s in x.numeric}
    stat_rows = tuple(
        (plain_name(c), g, fmt_num(s.mean, 1), fmt_num(s.std, 1), fmt_num(s.median, 1), f"{fmt_num(s.q1, 1)}–{fmt_num(s.q3, 1)}", fmt_num(s.max, 1))
        for c in x.correlation_columns
        for g in levels
        if (s := stats.get((c, g)))
    )
    stats_table = Table(
        "Descriptive statistics by class",
        ("Column", "Class", "Mean", "SD", "Median", "Q1–Q3", "Max"),
        stat_rows,
        (2, 3, 4, 5, 6),
        css="compact",
    )
    outliers = Table(
        "Outliers by Tukey's rule (beyond 1.5 IQR from the quartiles)",
        ("Column", "Lower fence", "Upper fence", "Outliers", "Share"),
        tuple((plain_name(o.column), fmt_num(o.lower_fence, 1), fmt_num(o.upper_fence, 1), fmt_int(o.count), fmt_pct(o.share)) for o in x.outliers),
        (1, 2, 3, 4),
    )
    worst = max(x.outliers, key=lambda o: o.share, default=None)
    outliers_text = (
        f"Most outliers are in {plain_name(worst.column)} ({fmt_pct(worst.share)} of rows). They are real, heavy-tailed counts and are kept."
        if worst and worst.count
        else "No value lies beyond Tukey's fences."
    )
    pairs_data = r.assumptions.collinearity.high_pairs
    limit = config.checks.correlation_limit
    correlation_text = (
        f"{len(pairs_data)} pair(s) of candidate predictors correlate at |r| ≥ {fmt_num(limit, 2)}; section 5 says which predictor the screening left out."
        if pairs_data
        else f"No pair of candidate predictors correlates at |r| ≥ {fmt_num(limit, 2)}."
    )
    examples = tuple(Quotes(label, texts, quote_css="transcription") for label, texts in x.examples.items() if texts)
    examples_text = (
        f"The first transcriptions of each claim status{' in the sample' if x.rows else ''}, "
        "quoted as they are in the data (cut at 300 characters)."
        if examples
        else "The data holds no transcription text to quote."
    )
    blocks: list[Block] = [
        Heading("Class balance"),
        Paragraph(balance_text, css="lead"),
        balance,
        *_figure(figures, "class_balance.png", "small"),
        Heading("Claim status and verified status"),
        Paragraph(_crosstab_text(x.crosstab_row_shares, pos), css="lead"),
        crosstab,
        Heading("Distributions"),
        Paragraph(_stats_text(r, stats, neg, pos), css="lead"),
        stats_table,
        *_figure(figures, "distributions.png"),
        Heading("Outliers"),
        Paragraph(outliers_text, css="lead"),
        outliers,
        Heading("Correlations"),
        Paragraph(correlation_text, css="lead"),
    ]
    if pairs_data:
        blocks.append(
            Table(
                f"Pairs of candidate predictors with |r| ≥ {fmt_num(limit, 2)}",
                ("Pair", "Pearson r"),
                tuple((f"{plain_name(a)} and {plain_name(b)}", fmt_num(v, 2)) for a, b, v in pairs_data),
                (1,),
                tight=True,
            )
        )
    blocks += [
        *_figure(figures, "correlations.png"),
        Heading("Example transcriptions"),
        Paragraph(examples_text, css="lead"),
        *examples,
    ]
    return Section("exploration", "Exploration", tuple(blocks))


def _figure(figures: dict[str, FigureInfo], file: str, css: str = "") -> tuple[FigureBlock, ...]:
    """The figure drawn into ``file``, or nothing when it was not drawn."""
    return (FigureBlock(figures[file], css),) if file in figures else ()


def _stats_text(r: AnalysisResults, stats: dict, neg: str, pos: str) -> str:
    """Which column's medians differ most between the classes, and the skew."""
    x = r.exploration
    ratios = [
        (stats[(c, pos)].median / stats[(c, neg)].median, c)
        for c in x.correlation_columns
        if (c, pos) in stats and (c, neg) in stats and stats[(c, neg)].median > 0 and stats[(c, pos)].median > 0
    ]
    if not ratios:
        return "Medians by class are in the table."
    _, low_col = max(ratios, key=lambda rc: abs(math.log(rc[0])))
    return (
        f"Medians differ most for {plain_name(low_col)}: {fmt_num(stats[(low_col, pos)].median, 1)} for {pos} against "
        f"{fmt_num(stats[(low_col, neg)].median, 1)} for {neg} videos. The counts are heavily right-skewed (means well above medians)."
        if any(s.mean > s.median for s in x.numeric)
        else f"Medians differ most for {plain_name(low_col)}."
    )


def _crosstab_text(shares: dict[str, dict[str, float]], pos: str) -> str:
    """Which claim status has the higher share of the positive class."""
    rates = {status: row.get(pos, 0.0) for status, row in shares.items()}
    if len(rates) < 2:
        return "The table splits the classes by claim status."
    high = max(rates, key=rates.get)
    low = min(rates, key=rates.get)
    return (
        f"{fmt_pct(rates[high])} of {high} videos come from {pos} authors, against {fmt_pct(rates[low])} of {low} videos."
    )
