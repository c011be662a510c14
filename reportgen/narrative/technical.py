"""The technical report's content, written by code from the results.

Every number here comes from ``AnalysisResults`` (or the config and package
metadata) through ``reportgen.formatters``; wording that depends on the data
(better or worse than the baseline, an effect up or down, a check that warned)
is chosen from the numbers, never assumed. Renderers only lay this out.

Raw data text (the example transcriptions) stays plain ``str``: the templates
autoescape it, so markup or template syntax in the data is shown, never run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.config import Config
from reportgen.formatters import (
    fmt_ci,
    fmt_delta,
    fmt_int,
    fmt_num,
    fmt_or,
    fmt_p,
    fmt_pct,
    fmt_rate,
    fmt_value,
    in_words,
    plain_name,
    term_label,
)
from reportgen.results import AnalysisResults, FigureInfo, ScenarioMetrics, Term

#: How a check's status reads: a symbol and a word, so colour is never the only cue.
STATUS_LABELS = {"pass": "✔ pass", "warn": "⚠ warn", "fail": "✖ fail"}


@dataclass(frozen=True)
class Table:
    """A captioned table of display strings; ``numeric`` columns are right-aligned."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A labelled value, with one line saying what it means."""

    label: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class CheckRow:
    """One assumption check as displayed."""

    name: str
    status: str  # pass / warn / fail, for the style hook
    label: str  # symbol and word
    value: str
    detail: str


@dataclass(frozen=True)
class Examples:
    """Example transcriptions of one claim status (raw data text)."""

    label: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class TitleBlock:
    """Section 1."""

    title: str
    subtitle: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Glance:
    """Section 2: the five numbers that matter."""

    items: tuple[Fact, ...]
    summary: str


@dataclass(frozen=True)
class DataQuality:
    """Section 3."""

    intro: str
    rows: Table
    missing: Table
    missing_note: str
    duplicates: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ExplorationSection:
    """Section 4."""

    balance_text: str
    balance: Table
    balance_figure: FigureInfo | None
    crosstab_text: str
    crosstab: Table
    stats_text: str
    stats: Table
    distributions_figure: FigureInfo | None
    outliers_text: str
    outliers: Table
    correlation_text: str
    pairs: Table | None
    correlations_figure: FigureInfo | None
    examples_text: str
    examples: tuple[Examples, ...]


@dataclass(frozen=True)
class AssumptionSection:
    """Section 5."""

    intro: str
    checks: tuple[CheckRow, ...]
    predictors: Table
    predictors_note: str


@dataclass(frozen=True)
class ModelSection:
    """Section 6."""

    intro: str
    references: str
    terms: Table
    terms_note: str
    fit: tuple[Fact, ...]
    warnings: tuple[str, ...]
    forest_figure: FigureInfo | None


@dataclass(frozen=True)
class EvaluationSection:
    """Section 7."""

    intro: str
    confusion: Table
    confusion_figure: FigureInfo | None
    metrics: Table
    metrics_text: str
    roc_figure: FigureInfo | None
    pr_figure: FigureInfo | None


@dataclass(frozen=True)
class Interpretation:
    """Section 8."""

    intro: str
    effects: tuple[str, ...]
    limits: tuple[str, ...]


@dataclass(frozen=True)
class MethodNote:
    """Section 9."""

    intro: str
    table: Table | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Reproducibility:
    """Section 10."""

    settings: Table
    versions: Table


@dataclass(frozen=True)
class Changes:
    """The headline figures of the previous build beside this one's."""

    intro: str
    table: Table


@dataclass(frozen=True)
class TechnicalReport:
    """The whole technical report, format-neutral: HTML and PDF both walk it."""

    title: TitleBlock
    glance: Glance
    data: DataQuality
    exploration: ExplorationSection
    assumptions: AssumptionSection
    model: ModelSection
    evaluation: EvaluationSection
    interpretation: Interpretation
    method_note: MethodNote
    reproducibility: Reproducibility
    changes: Changes | None = None  # only when the output folder held an earlier build
    lang: str = "en"


def technical_report(
    results: AnalysisResults, config: Config, *, generated_at: str, versions: dict[str, str]
) -> TechnicalReport:
    """Write the technical report's content from the results.

    Parameters
    ----------
    results : AnalysisResults
        With figures drawn (a missing figure is simply left out).
    config : Config
        Titles, split, balancing, seed and threshold.
    generated_at : str
        When the report was generated, as it should read.
    versions : dict
        Package name -> version (``reportgen.artifacts.package_versions()``).

    Returns
    -------
    TechnicalReport

    Examples
    --------
    >>> report = technical_report(results, Config(), generated_at="2025-01-01 12:00 UTC", versions={})  # doctest: +SKIP
    >>> report.glance.items[0].label  # doctest: +SKIP
    'ROC AUC'
    """
    figures = {f.file: f for f in results.figures}
    return TechnicalReport(
        title=_title(results, config, generated_at),
        glance=_glance(results),
        data=_data(results),
        exploration=_exploration(results, config, figures),
        assumptions=_assumptions(results),
        model=_model(results, figures),
        evaluation=_evaluation(results, figures),
        interpretation=_interpretation(results),
        method_note=_method_note(results, config),
        reproducibility=_reproducibility(results, config, generated_at, versions),
        changes=_changes(results),
    )


# -- words chosen from numbers ------------------------------------------------------------------


def discrimination_word(auc: float) -> str:
    """A conventional verbal scale of ROC AUC, from poor to excellent."""
    if auc < 0.6:
        return "poor"
    if auc < 0.7:
        return "weak"
    if auc < 0.8:
        return "acceptable"
    return "good" if auc < 0.9 else "excellent"


def _labels(results: AnalysisResults) -> tuple[str, str]:
    """(negative label, positive label) of the target."""
    pos = results.model.positive_class
    others = [k for k in results.data.target_counts if k != pos]
    return (others[0] if others else f"not {pos}"), pos


def _value(x: float | int | str) -> str:
    """A check's value: counts with separators, small numbers in scientific notation."""
    if isinstance(x, str):
        return "infinite" if x == "inf" else x
    if isinstance(x, int) or float(x).is_integer():
        return fmt_int(x)
    return f"{x:.2e}" if 0 < abs(x) < 0.01 else fmt_num(x, 2)


def _capital(text: str) -> str:
    """First letter upper case, the rest as it is (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _share(part: int, whole: int) -> str:
    """part / whole as a percentage; a dash for an empty whole."""
    return fmt_pct(part / whole) if whole else "–"


def _effect_direction(low: float, high: float) -> str:
    """Whether an odds-ratio interval lies above, below or across 1."""
    if low > 1:
        return "up"
    return "down" if high < 1 else "unclear"


# -- sections -----------------------------------------------------------------------------------


def _title(r: AnalysisResults, config: Config, generated_at: str) -> TitleBlock:
    """Project title, data file, date of the data, short sha256, generated-at."""
    d = r.data
    return TitleBlock(
        title=f"{config.report.project}: technical report",
        subtitle=config.report.subtitle,
        facts=(
            Fact("Data file", d.source),
            Fact("Date of the data", d.modified),
            Fact("SHA-256 (short)", d.sha256[:12]),
            Fact("Generated", generated_at),
        ),
    )


def _glance(r: AnalysisResults) -> Glance:
    """Five numbers with one line of meaning each, worded from their values."""
    e, m = r.evaluation, r.model
    neg, pos = _labels(r)
    prevalence = m.test_positive_share
    majority = neg if prevalence < 0.5 else pos
    accuracy_side = "below" if e.accuracy < e.baseline_accuracy else "above"
    items = [
        Fact(
            "ROC AUC",
            fmt_rate(e.roc_auc),
            f"{discrimination_word(e.roc_auc).capitalize()} discrimination: a random '{pos}' video is scored above a random "
            f"'{neg}' one {fmt_pct(e.roc_auc, 0)} of the time (half the time is chance).",
        ),
        Fact("Recall", fmt_pct(e.recall), f"The model finds {in_words(e.recall)} {pos} videos in the test set."),
        Fact(
            "Precision",
            fmt_pct(e.precision),
            f"Of the videos it calls {pos}, {in_words(e.precision)} are; {fmt_pct(prevalence)} of test videos are {pos}.",
        ),
        Fact(
            "Accuracy",
            fmt_pct(e.accuracy),
            f"{accuracy_side.capitalize()} the {fmt_pct(e.baseline_accuracy)} of always predicting '{majority}'.",
        ),
    ]
    ranked = m.ranked_effects()
    if ranked:
        top = ranked[0]
        scale = " per SD" if top.kind == "continuous" else ""
        items.append(
            Fact(
                "Strongest effect (odds ratio)",
                fmt_or(top.comparable_or),
                f"{_capital(term_label(top.term, m.reference_levels))}{scale}: the odds of a {pos} author are "
                f"{fmt_or(top.comparable_or)} times as high (95% CI {fmt_ci(*top.comparable_ci)}).",
            )
        )
    word = discrimination_word(e.roc_auc)
    summary = (
        f"The model's discrimination is {word}: it finds most {pos} videos only by flagging many {neg} ones, "
        f"so {in_words(1 - e.precision)} of its '{pos}' calls are wrong."
        if e.recall >= 0.5
        else f"The model's discrimination is {word} and it misses most {pos} videos at this threshold."
    )
    return Glance(tuple(items), summary)


def _changes(r: AnalysisResults) -> Changes | None:
    """Then and now for the figures a reader follows from build to build."""
    p = r.previous
    if p is None:
        return None
    same_data = p.previous_sha256 == r.data.sha256
    intro = (
        f"The output folder held a build of {p.previous_source} (data of {p.previous_modified}, sha256 {p.previous_sha256[:12]}); "
        + ("the data are the same, so only settings can have moved the figures." if same_data else "this build read different data.")
    )
    rows = tuple((c.label, fmt_value(c.before, c.kind), fmt_value(c.after, c.kind), fmt_delta(c.delta, c.kind)) for c in p.changes)
    return Changes(intro, Table("Headline figures, previous build and this one", ("Figure", "Previous", "Now", "Change"), rows, numeric=(1, 2, 3)))


def _data(r: AnalysisResults) -> DataQuality:
    """Rows read, used and dropped (with reasons), missing values, duplicates."""
    d = r.data
    rows = [("Rows read", fmt_int(d.rows_read), _share(d.rows_read, d.rows_read))]
    rows += [(f"Dropped: {reason}", fmt_int(n), _share(n, d.rows_read)) for reason, n in d.dropped_reasons.items()]
    rows.append(("Rows used", fmt_int(d.rows_used), _share(d.rows_used, d.rows_read)))
    missing = [(c, fmt_int(n), _share(n, d.rows_read)) for c, n in d.missing_by_column.items()]
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
        f"({_share(d.rows_dropped, d.rows_read)}) were dropped and {fmt_int(d.rows_used)} used."
    )
    return DataQuality(
        intro=intro,
        rows=Table("Rows read, dropped and used", ("Rows", "Count", "Share of rows read"), tuple(rows), (1, 2)),
        missing=Table("Missing values by column (before dropping)", ("Column", "Missing", "Share"), tuple(missing), (1, 2)),
        missing_note=missing_note,
        duplicates=dup,
        warnings=d.warnings,
    )


def _exploration(r: AnalysisResults, config: Config, figures: dict[str, FigureInfo]) -> ExplorationSection:
    """Class balance, the crosstab, statistics by class, outliers, correlations and examples."""
    x, target = r.exploration, r.model.target
    neg, pos = _labels(r)
    total = sum(x.class_balance.values())
    balance = Table(
        f"Class balance of {plain_name(target)}",
        ("Class", "Videos", "Share"),
        tuple((k, fmt_int(v), fmt_pct(x.class_shares[k])) for k, v in x.class_balance.items()),
        (1, 2),
    )
    minority = min(x.class_shares, key=x.class_shares.get)
    balance_text = (
        f"{fmt_int(total)} usable videos; '{minority}' is the minority class at {fmt_pct(x.class_shares[minority])} "
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
    crosstab_text = _crosstab_text(x.crosstab_row_shares, pos)
    stats = {(s.column, s.group): s for s in x.numeric}
    stat_rows = tuple(
        (plain_name(c), g, fmt_num(s.mean, 1), fmt_num(s.std, 1), fmt_num(s.median, 1), f"{fmt_num(s.q1, 1)}–{fmt_num(s.q3, 1)}", fmt_num(s.max, 1))
        for c in x.correlation_columns
        for g in levels
        if (s := stats.get((c, g)))
    )
    stats_table = Table(
        "Descriptive statistics by class", ("Column", "Class", "Mean", "SD", "Median", "Q1–Q3", "Max"), stat_rows, (2, 3, 4, 5, 6)
    )
    ratios = [
        (stats[(c, pos)].median / stats[(c, neg)].median, c)
        for c in x.correlation_columns
        if (c, pos) in stats and (c, neg) in stats and stats[(c, neg)].median > 0 and stats[(c, pos)].median > 0
    ]
    if ratios:
        _, low_col = max(ratios, key=lambda rc: abs(math.log(rc[0])))
        stats_text = (
            f"Medians differ most for {plain_name(low_col)}: {fmt_num(stats[(low_col, pos)].median, 1)} for {pos} against "
            f"{fmt_num(stats[(low_col, neg)].median, 1)} for {neg} videos. The counts are heavily right-skewed (means well above medians)."
            if any(s.mean > s.median for s in x.numeric)
            else f"Medians differ most for {plain_name(low_col)}."
        )
    else:
        stats_text = "Medians by class are in the table."
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
    pairs = (
        Table(
            f"Pairs of candidate predictors with |r| ≥ {fmt_num(limit, 2)}",
            ("Pair", "Pearson r"),
            tuple((f"{plain_name(a)} and {plain_name(b)}", fmt_num(v, 2)) for a, b, v in pairs_data),
            (1,),
        )
        if pairs_data
        else None
    )
    correlation_text = (
        f"{len(pairs_data)} pair(s) of candidate predictors correlate at |r| ≥ {fmt_num(limit, 2)}; section 5 says which predictor the screening left out."
        if pairs_data
        else f"No pair of candidate predictors correlates at |r| ≥ {fmt_num(limit, 2)}."
    )
    examples = tuple(Examples(label, texts) for label, texts in x.examples.items() if texts)
    examples_text = (
        "The first transcriptions of each claim status, quoted as they are in the data (cut at 300 characters)."
        if examples
        else "The data holds no transcription text to quote."
    )
    return ExplorationSection(
        balance_text=balance_text,
        balance=balance,
        balance_figure=figures.get("class_balance.png"),
        crosstab_text=crosstab_text,
        crosstab=crosstab,
        stats_text=stats_text,
        stats=stats_table,
        distributions_figure=figures.get("distributions.png"),
        outliers_text=outliers_text,
        outliers=outliers,
        correlation_text=correlation_text,
        pairs=pairs,
        correlations_figure=figures.get("correlations.png"),
        examples_text=examples_text,
        examples=examples,
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


def _assumptions(r: AnalysisResults) -> AssumptionSection:
    """The checks with symbol-and-word status, and the per-predictor screening numbers."""
    checks = tuple(
        CheckRow(c.name, c.status, STATUS_LABELS[c.status], _value(c.value), c.detail) for c in r.assumptions.checks
    )
    counts = {s: sum(c.status == s for c in r.assumptions.checks) for s in STATUS_LABELS}
    intro = f"{len(checks)} checks: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail."
    col, bt = r.assumptions.collinearity, r.assumptions.box_tidwell_p
    rows = tuple(
        (
            plain_name(name),
            _value(v),
            _value(col.vif_after[name]) if name in col.vif_after else "left out",
            fmt_p(bt[name]) if name in bt and not math.isnan(bt[name]) else "–",
        )
        for name, v in col.vif.items()
    )
    note = (
        f"Left out by the VIF rule: {', '.join(plain_name(c) for c in col.dropped)}. "
        if col.dropped
        else "No predictor was left out by the VIF rule. "
    ) + "Box-Tidwell p-values test each continuous predictor's x·ln(x) term; categories have none."
    return AssumptionSection(
        intro=intro,
        checks=checks,
        predictors=Table(
            "Collinearity and linearity by candidate predictor",
            ("Predictor", "VIF (all candidates)", "VIF (model)", "Box-Tidwell p"),
            rows,
            (1, 2, 3),
        ),
        predictors_note=note,
    )


def _model(r: AnalysisResults, figures: dict[str, FigureInfo]) -> ModelSection:
    """The term table, reference levels, fit statistics and the forest plot."""
    m = r.model
    neg, pos = _labels(r)
    balancing = {
        "class_weight": "the prediction pipeline weights the classes to balance them (training rows only)",
        "upsample": "the prediction pipeline upsamples the minority class (training rows only)",
        "none": "no balancing is applied",
    }.get(m.balancing, m.balancing)
    intro = (
        f"Logistic regression of {plain_name(m.target)} = {pos} on {len(m.features)} predictors, fitted by maximum likelihood "
        f"on {fmt_int(m.n_train)} training rows without weights, so standard errors and p-values are valid; {balancing}."
    )
    references = "; ".join(f"{plain_name(c)}: {lvl}" for c, lvl in m.reference_levels.items())
    rows = []
    for t in m.terms:
        per_sd = t.kind == "continuous" and t.or_per_sd is not None
        rows.append(
            (
                "Intercept (baseline odds)" if t.kind == "intercept" else term_label(t.term, m.reference_levels),
                fmt_or(t.odds_ratio),
                fmt_ci(t.or_ci_low, t.or_ci_high),
                fmt_p(t.p_value),
                fmt_num(t.sd, 1) if per_sd and t.sd is not None else "–",
                fmt_or(t.or_per_sd) if per_sd else "–",
                fmt_ci(t.or_per_sd_ci_low, t.or_per_sd_ci_high) if per_sd else "–",
            )
        )
    near_one = [t for t in m.terms if t.kind == "continuous" and fmt_or(t.odds_ratio) == fmt_or(1.0)]
    terms_note = (
        f"Per-unit odds ratios of {', '.join(plain_name(t.term) for t in near_one)} round to {fmt_or(1.0)} because one unit "
        "(one view, one share) is a tiny change; the per-SD columns put every continuous predictor on a comparable scale."
        if near_one
        else "The per-SD columns put every continuous predictor on a comparable scale."
    )
    fit = (
        Fact("Training rows", fmt_int(m.n_train)),
        Fact("Test rows", fmt_int(m.n_test)),
        Fact("Converged", "yes" if m.converged else "no"),
        Fact("McFadden pseudo R²", fmt_num(m.pseudo_r2, 3)),
        Fact("Likelihood-ratio test p", fmt_p(m.llr_p_value)),
    )
    return ModelSection(
        intro=intro,
        references=f"Reference levels: {references}." if references else "The model has no categorical predictor.",
        terms=Table(
            "Model terms: odds ratios per unit, 95% confidence intervals, p-values and odds ratios per standard deviation",
            ("Term", "Odds ratio", "95% CI", "p-value", "SD", "OR per SD", "95% CI per SD"),
            tuple(rows),
            (1, 2, 3, 4, 5, 6),
        ),
        terms_note=terms_note,
        fit=fit,
        warnings=m.warnings,
        forest_figure=figures.get("odds_ratios.png"),
    )


def _evaluation(r: AnalysisResults, figures: dict[str, FigureInfo]) -> EvaluationSection:
    """Confusion counts, metrics beside the majority-class baseline, the curves."""
    e, m = r.evaluation, r.model
    cm = e.confusion_matrix
    neg, pos = _labels(r)
    positives, negatives = cm.tp + cm.fn, cm.tn + cm.fp
    n = positives + negatives
    intro = (
        f"On the {fmt_int(n)} held-out test videos ({fmt_pct(m.test_positive_share)} {pos}, the real class mix), "
        f"a video is called {pos} when its predicted probability is at least {fmt_num(e.threshold, 2)}."
    )
    confusion = Table(
        "Confusion matrix on the test set (rows: actual class; columns: predicted class)",
        ("Actual \\ predicted", neg, pos, "Total"),
        (
            (neg, fmt_int(cm.tn), fmt_int(cm.fp), fmt_int(negatives)),
            (pos, fmt_int(cm.fn), fmt_int(cm.tp), fmt_int(positives)),
        ),
        (1, 2, 3),
    )
    says_negative = positives < negatives
    majority = neg if says_negative else pos
    baseline = {
        "precision": "– (never predicts " + pos + ")" if says_negative else fmt_pct(positives / n),
        "recall": f"0 of {fmt_int(positives)}" if says_negative else f"all {fmt_int(positives)}",
        "specificity": f"all {fmt_int(negatives)}" if says_negative else f"0 of {fmt_int(negatives)}",
    }
    metrics = Table(
        f"Test-set metrics beside the majority-class baseline (always '{majority}')",
        ("Metric", "Model", "Baseline", "What it measures"),
        (
            ("Accuracy", fmt_pct(e.accuracy), fmt_pct(e.baseline_accuracy), "share of all videos classified correctly"),
            ("Precision", fmt_pct(e.precision), baseline["precision"], f"share of '{pos}' calls that are right"),
            ("Recall", fmt_pct(e.recall), baseline["recall"], f"share of {pos} videos found"),
            ("Specificity", fmt_pct(e.specificity), baseline["specificity"], f"share of {neg} videos recognised"),
            ("F1", fmt_pct(e.f1), "–", "harmonic mean of precision and recall"),
            ("ROC AUC", fmt_rate(e.roc_auc), "chance level", "ranking quality over all thresholds"),
            ("Average precision", fmt_rate(e.average_precision), fmt_rate(m.test_positive_share), "area under the precision-recall curve; chance = prevalence"),
        ),
        (1, 2),
    )
    if e.accuracy < e.baseline_accuracy:
        metrics_text = (
            f"Accuracy ({fmt_pct(e.accuracy)}) is below the baseline ({fmt_pct(e.baseline_accuracy)}): the balanced model trades "
            f"{fmt_int(cm.fp)} false '{pos}' calls for finding {fmt_int(cm.tp)} of the {fmt_int(positives)} {pos} videos, "
            "which the baseline never finds. Judge it by recall, precision and ROC AUC, not accuracy."
        )
    else:
        metrics_text = (
            f"Accuracy ({fmt_pct(e.accuracy)}) is at or above the baseline ({fmt_pct(e.baseline_accuracy)}); "
            f"the model finds {fmt_int(cm.tp)} of the {fmt_int(positives)} {pos} videos with {fmt_int(cm.fp)} false '{pos}' calls."
        )
    return EvaluationSection(
        intro=intro,
        confusion=confusion,
        confusion_figure=figures.get("confusion_matrix.png"),
        metrics=metrics,
        metrics_text=metrics_text,
        roc_figure=figures.get("roc_curve.png"),
        pr_figure=figures.get("precision_recall.png"),
    )


def _effect_sentence(t: Term, r: AnalysisResults) -> str:
    """One ranked effect in words, its direction read from the interval."""
    m = r.model
    _, pos = _labels(r)
    low, high = t.comparable_ci
    value = t.comparable_or
    stats = f"(OR {fmt_or(value)}, 95% CI {fmt_ci(low, high)}, p {fmt_p(t.p_value)})"
    if t.kind == "continuous":
        subject = f"Each standard deviation more {plain_name(t.term)} (about {fmt_num(t.sd or 0.0, 0)})"
    else:
        column, level = t.term[:-1].split("[", 1)
        subject = f"{_capital(plain_name(column))} '{level}' rather than '{m.reference_levels.get(column, 'the reference')}'"
    direction = _effect_direction(low, high)
    if direction == "up":
        verb = f"multiplies the odds of a {pos} author by {fmt_or(value)}"
    elif direction == "down":
        verb = f"lowers the odds of a {pos} author to {fmt_or(value)} times"
    else:
        verb = "goes with no effect distinguishable from none at the 5% level"
    return f"{subject} {verb} {stats}."


def _interpretation(r: AnalysisResults) -> Interpretation:
    """Effects ranked on comparable scales, then the limits of what they say."""
    e, m = r.evaluation, r.model
    neg, pos = _labels(r)
    ranked = m.ranked_effects()
    clear = [t for t in ranked if _effect_direction(*t.comparable_ci) != "unclear"]
    intro = (
        f"Effects ranked by size on comparable scales (per standard deviation for counts, against the reference level for "
        f"categories). {len(clear)} of {len(ranked)} have a 95% interval that excludes 1."
    )
    limits = [
        f"Discrimination is {discrimination_word(e.roc_auc)} (ROC AUC {fmt_rate(e.roc_auc)}; McFadden pseudo R² "
        f"{fmt_num(m.pseudo_r2, 3)}): the predictors explain little of who is {pos}.",
        f"At the real prevalence of {fmt_pct(m.test_positive_share)}, precision is {fmt_pct(e.precision)}: "
        f"of the videos flagged as {pos}, {in_words(e.precision)} truly are. A flag is a prompt to look, not a finding.",
    ]
    limits += [f"{c.name} — {STATUS_LABELS[c.status]}: {c.detail}." for c in r.assumptions.checks if c.status != "pass"]
    limits += _linearity_caveat(r)
    limits.append(
        "These are associations in this sample of videos, not causes: verification is a property of the author's account, "
        "and nothing here says that changing a video would change it."
    )
    return Interpretation(intro, tuple(_effect_sentence(t, r) for t in ranked), tuple(limits))


def _linearity_caveat(r: AnalysisResults) -> list[str]:
    """When Box-Tidwell passed, say how close it came and what per-SD odds ratios still average over."""
    check = next((c for c in r.assumptions.checks if "Box-Tidwell" in c.name), None)
    p = {k: v for k, v in r.assumptions.box_tidwell_p.items() if not math.isnan(v)}
    if check is None or check.status != "pass" or not p:
        return []
    closest = min(p, key=p.get)
    return [
        f"Box-Tidwell finds no departure from a linear logit after correction (smallest p {fmt_p(p[closest])}, "
        f"{plain_name(closest)}); each odds ratio is still one average slope on the log-odds scale across a very skewed range of values."
    ]


def _method_note(r: AnalysisResults, config: Config) -> MethodNote:
    """Our numbers beside a re-balanced test set and upsampling before the split, and why we do neither."""
    mc = r.method_comparison
    neg, pos = _labels(r)
    if mc is None:
        return MethodNote("The comparison was not computed for this build.", None, ())
    h, b, u = mc.honest, mc.rebalanced, mc.upsampled_first
    test = config.model.test_size
    intro = (
        "Two common shortcuts, computed on this data: (a) the same classifier scored on the same test rows, each class weighted "
        f"to half the total weight (a 50/50 test set); (b) the course notebook's order: the {fmt_int(mc.rows_before_upsampling)} "
        f"usable rows upsampled to {fmt_int(mc.rows_after_upsampling)} by copying {pos} rows (seed {mc.seed}), then split "
        f"{fmt_pct(1 - test, 0)}/{fmt_pct(test, 0)} stratified, the same kind of pipeline refitted and scored on that test set."
    )
    table = Table(
        "The report's evaluation beside the two shortcuts",
        ("", "This report (real mix)", "(a) Test re-balanced to 50/50", "(b) Upsampled before the split"),
        (
            ("Test rows", fmt_int(h.n_test), fmt_int(b.n_test), fmt_int(u.n_test)),
            (f"{pos.capitalize()} share of the test set", fmt_pct(h.positive_share), fmt_pct(b.positive_share), fmt_pct(u.positive_share)),
            *_scenario_rows(h, b, u),
            ("Test rows that are copies of training rows", "none (split first)", "none (same rows)", fmt_int(mc.test_copies)),
        ),
        (1, 2, 3),
    )
    upsampled_positives = round(u.positive_share * u.n_test)
    leak = (
        f"In (b), {fmt_int(mc.test_copies)} of the {fmt_int(u.n_test)} test rows ({_share(mc.test_copies, u.n_test)}) are copies "
        f"of a video that is also in the training rows, {fmt_int(mc.test_positive_copies)} of them among the "
        f"{fmt_int(upsampled_positives)} {pos} test rows. The test set then partly grades the model on videos it was trained on, "
        f"so it no longer estimates performance on new videos: ROC AUC reads {fmt_rate(u.roc_auc)} there against "
        f"{fmt_rate(h.roc_auc)} on untouched test rows, and recall {fmt_pct(u.recall)} against {fmt_pct(h.recall)}."
    )
    prevalence = (
        f"A balanced test set states the metrics for a world in which half the videos are {pos}. Recall does not depend on the "
        f"class mix ({fmt_pct(h.recall)} in both), but precision does: at the real {fmt_pct(h.positive_share)} prevalence the "
        f"classifier's precision is {fmt_pct(h.precision)}, on a 50/50 mix it would read {fmt_pct(b.precision)}. Accuracy moves "
        f"from {fmt_pct(h.accuracy)} to {fmt_pct(b.accuracy)} and the majority-class baseline from {fmt_pct(h.baseline_accuracy)} "
        f"to {fmt_pct(b.baseline_accuracy)}"
        + (
            ", hiding that the model is less accurate than always predicting '" + neg + "'."
            if h.accuracy < h.baseline_accuracy and b.accuracy >= b.baseline_accuracy
            else "."
        )
    )
    why = (
        "So the report splits first, balances only the training rows ("
        + {"class_weight": "class weights", "upsample": "upsampling after the split", "none": "here: not at all"}.get(
            config.model.balancing, config.model.balancing
        )
        + "), and evaluates on untouched test rows with the real class mix: those are the numbers a moderator will see."
    )
    return MethodNote(intro, table, (leak, prevalence, why))


def _scenario_rows(*scenarios: ScenarioMetrics) -> tuple[tuple[str, ...], ...]:
    """Metric rows of the method-note table, one column a scenario."""
    return (
        ("Accuracy", *(fmt_pct(s.accuracy) for s in scenarios)),
        ("Majority-class baseline accuracy", *(fmt_pct(s.baseline_accuracy) for s in scenarios)),
        ("Precision", *(fmt_pct(s.precision) for s in scenarios)),
        ("Recall", *(fmt_pct(s.recall) for s in scenarios)),
        ("F1", *(fmt_pct(s.f1) for s in scenarios)),
        ("ROC AUC", *(fmt_rate(s.roc_auc) for s in scenarios)),
        ("Average precision", *(fmt_rate(s.average_precision) for s in scenarios)),
    )


def _reproducibility(r: AnalysisResults, config: Config, generated_at: str, versions: dict[str, str]) -> Reproducibility:
    """What it takes to get the same numbers again."""
    m, c = r.model, config.model
    balancing = {
        "class_weight": "class weights on the training rows (scikit-learn 'balanced'); inference unweighted",
        "upsample": "minority class upsampled in the training rows only; inference unweighted",
        "none": "none",
    }.get(m.balancing, m.balancing)
    settings = (
        ("Split", f"{fmt_pct(1 - c.test_size, 0)} train / {fmt_pct(c.test_size, 0)} test, stratified on {c.target}"),
        ("Training / test rows", f"{fmt_int(m.n_train)} / {fmt_int(m.n_test)}"),
        ("Balancing", balancing),
        ("Seed", str(c.seed)),
        ("Threshold", fmt_num(c.threshold, 2)),
        ("Predictors", ", ".join(m.features)),
        ("Input file", r.data.source),
        ("Input SHA-256", r.data.sha256),
        ("Date of the data", r.data.modified),
        ("Generated", generated_at),
    )
    return Reproducibility(
        settings=Table("Settings of this build", ("Setting", "Value"), settings),
        versions=Table("Package versions", ("Package", "Version"), tuple(versions.items())),
    )
