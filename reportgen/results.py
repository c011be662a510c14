"""Frozen, typed results: what the analyses hand to figures, narrative and renderers.

Analyses return these; nothing downstream recomputes a number. ``to_json``
lays them out in the ``results.json`` shape fixed by SPEC.md (schema 1).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class Sample:
    """The rows a study analysed when an out-of-core engine gave it a sample of its usable rows."""

    rows: int  # rows sampled, which the study analysed
    rows_usable: int  # of the usable rows, which the data summary counts
    seed: int
    stratified_by: str | None = None  # the column whose labels keep their shares, if any


@dataclass(frozen=True)
class FitRows:
    """The rows of the inference fit when an engine fitted it over every usable training row, not over the sample."""

    engine: str  # what fitted it ("spark": Spark's binomial GLM)
    rows: int  # training rows the fit used
    positives: int  # of them, rows of the positive class
    sampled: int  # of them, the training rows of the study's sample (the split's training part)
    seed: int  # of the hash that assigns the rows outside the sample to training or test
    test_size: float  # the share of the rows outside the sample that the hash keeps out of the fit


@dataclass(frozen=True)
class DataSummary:
    """What was read, what was kept, and why rows were dropped."""

    source: str
    sha256: str
    rows_read: int
    rows_used: int
    rows_dropped: int
    dropped_reasons: dict[str, int]
    target_counts: dict[str, int]
    missing_by_column: dict[str, int]
    duplicate_rows: int
    duplicate_ids: int
    modified: str  # ISO date of the data file, the "date of the data"
    warnings: tuple[str, ...] = ()
    #: Set when the study analysed a sample of ``rows_used`` (an out-of-core engine); results.json omits it otherwise.
    sample: Sample | None = None


def data_json(data: DataSummary) -> dict:
    """``data`` as results.json holds it: without ``sample`` when none was drawn, so a full-data build's file is as before."""
    doc = dataclasses.asdict(data)
    if doc.get("sample") is None:
        doc.pop("sample", None)
    return doc


@dataclass(frozen=True)
class ColumnStats:
    """Descriptive statistics of one numeric column (one group or overall)."""

    column: str
    group: str  # "all" or a target label
    count: int
    mean: float
    std: float
    min: float
    q1: float
    median: float
    q3: float
    max: float


@dataclass(frozen=True)
class OutlierCount:
    """IQR rule outliers of one numeric column."""

    column: str
    lower_fence: float
    upper_fence: float
    count: int
    share: float


@dataclass(frozen=True)
class Exploration:
    """EDA: descriptive statistics, balance, the crosstab, outliers, correlations."""

    numeric: tuple[ColumnStats, ...]
    class_balance: dict[str, int]
    class_shares: dict[str, float]
    crosstab: dict[str, dict[str, int]]  # claim_status -> verified_status -> count
    crosstab_row_shares: dict[str, dict[str, float]]
    outliers: tuple[OutlierCount, ...]
    correlation_columns: tuple[str, ...]
    correlation: tuple[tuple[float, ...], ...]
    examples: dict[str, tuple[str, ...]]  # claim status -> first transcriptions (raw text: escape it)
    #: The usable rows the statistics cover when the study analysed a sample and they still cover every one of
    #: them (an out-of-core engine's ``all_rows``); results.json omits it otherwise. The examples come from the sample.
    rows: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """One assumption check: a verdict, the number behind it and one line of detail."""

    name: str
    status: Status
    value: float | int | str
    detail: str


@dataclass(frozen=True)
class Collinearity:
    """VIF screening of the candidate predictors and what the rule left out."""

    vif: dict[str, float]  # all numeric candidates
    vif_after: dict[str, float]  # the numeric predictors kept
    high_pairs: tuple[tuple[str, str, float], ...]  # |r| >= limit among candidates
    dropped: tuple[str, ...]
    gvif: dict[str, float] = field(default_factory=dict)  # generalised VIF of every candidate (Fox & Monette)
    gvif_df: dict[str, int] = field(default_factory=dict)  # its design columns
    gvif_adjusted: dict[str, float] = field(default_factory=dict)  # GVIF^(1/(2·df)), comparable across df
    #: The GVIF of every candidate over every usable row, when the study analysed a sample (an engine's SQL);
    #: the screen itself reads the sample's training rows, the rows the model is fitted on. Absent from results.json otherwise.
    gvif_all_rows: dict[str, float] | None = None


@dataclass(frozen=True)
class Assumptions:
    """Every assumption check, plus the collinearity screening the model obeys."""

    checks: tuple[CheckResult, ...]
    collinearity: Collinearity
    box_tidwell_p: dict[str, float]


@dataclass(frozen=True)
class Term:
    """One model term on the scales a reader can compare."""

    term: str
    kind: Literal["intercept", "continuous", "category"]
    coef: float
    std_err: float
    p_value: float
    ci_low: float
    ci_high: float
    odds_ratio: float
    or_ci_low: float
    or_ci_high: float
    sd: float | None = None  # training SD of a continuous predictor
    or_per_sd: float | None = None
    or_per_sd_ci_low: float | None = None
    or_per_sd_ci_high: float | None = None
    p_holm: float | None = None  # Holm-adjusted over the model's non-intercept terms

    @property
    def comparable_or(self) -> float | None:
        """Odds ratio per SD for a continuous term, per category otherwise."""
        if self.kind == "intercept":
            return None
        return self.or_per_sd if self.kind == "continuous" else self.odds_ratio

    @property
    def comparable_ci(self) -> tuple[float, float]:
        """The 95 % interval that goes with ``comparable_or`` (per SD for a continuous term)."""
        if self.kind == "continuous" and self.or_per_sd_ci_low is not None and self.or_per_sd_ci_high is not None:
            return self.or_per_sd_ci_low, self.or_per_sd_ci_high
        return self.or_ci_low, self.or_ci_high


@dataclass(frozen=True)
class ModelFit:
    """The fitted logistic regression: inference from statsmodels, sizes of the split."""

    target: str
    positive_class: str
    features: tuple[str, ...]
    reference_levels: dict[str, str]
    n_train: int
    n_test: int
    train_positive_share: float
    test_positive_share: float
    balancing: str
    terms: tuple[Term, ...]
    converged: bool
    pseudo_r2: float
    llr_p_value: float
    warnings: tuple[str, ...] = ()
    log1p_columns: tuple[str, ...] = ()  # predictors modelled as log(1 + count) ([model] log1p_counts)
    #: Set when the terms come from a fit over every usable training row (the Spark engine); results.json omits it otherwise.
    fitted_on: FitRows | None = None

    def ranked_effects(self) -> tuple[Term, ...]:
        """Non-intercept terms, strongest comparable effect first (|log OR|)."""
        import math

        # An odds ratio of 0.0 is a value (the strongest possible negative effect), not a missing one.
        effects = [t for t in self.terms if t.comparable_or is not None]
        return tuple(sorted(effects, key=lambda t: -abs(math.log(t.comparable_or)) if t.comparable_or > 0 else -math.inf))


@dataclass(frozen=True)
class ConfusionMatrix:
    """Counts on the test set; verified is positive."""

    tn: int
    fp: int
    fn: int
    tp: int


@dataclass(frozen=True)
class Evaluation:
    """Held-out performance at the configured threshold, with the baseline."""

    threshold: float
    confusion_matrix: ConfusionMatrix
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float
    average_precision: float
    baseline_accuracy: float
    specificity: float
    roc_curve: tuple[tuple[float, float], ...]  # (fpr, tpr)
    pr_curve: tuple[tuple[float, float], ...]  # (recall, precision)
    curve_points_full: int  # points before thinning


@dataclass(frozen=True)
class FigureInfo:
    """A figure written to ``figures/``, with the words a screen reader needs."""

    file: str
    title: str
    alt: str
    caption: str


@dataclass(frozen=True)
class Overview:
    """What the regression knows before it splits the rows: how they were read and their exploration.

    Its first figures (class balance, distributions, correlations) read only this, so a build draws
    them while the model is still being fitted; ``AnalysisResults`` offers the same attributes.
    """

    data: DataSummary
    exploration: Exploration
    target: str


@dataclass(frozen=True)
class AnalysisResults:
    """Everything the analyses found, in pipeline order."""

    data: DataSummary
    exploration: Exploration
    assumptions: Assumptions
    model: ModelFit
    evaluation: Evaluation
    figures: tuple[FigureInfo, ...] = field(default=())
    previous: BuildComparison | None = None  # set when the output folder held an earlier build
    method_comparison: MethodComparison | None = None
    model_value: ModelValue | None = None  # intervals, cross-validation, the one-column baseline (issue 16)
    influence: Influence | None = None  # Cook's distance and the refit without the most influential rows
    #: The model scored over every usable row outside the sample's training rows (an out-of-core engine's sample only).
    held_out_all_rows: HeldOutAllRows | None = None

    @property
    def target(self) -> str:
        """The modelled column (as ``Overview.target``)."""
        return self.model.target

    def to_json(self) -> dict[str, Any]:
        """The ``results.json`` document (SPEC.md, schema_version 1)."""
        model = dataclasses.asdict(self.model)
        if model.get("fitted_on") is None:
            model.pop("fitted_on", None)  # a fit on the analysed rows: results.json as before
        evaluation = dataclasses.asdict(self.evaluation)
        exploration = dataclasses.asdict(self.exploration)
        if exploration.get("rows") is None:
            exploration.pop("rows", None)  # statistics of the rows analysed: results.json as before
        doc = {
            "schema_version": 1,
            "data": data_json(self.data),
            "assumptions": [dataclasses.asdict(c) for c in self.assumptions.checks],
            "model": model,
            "evaluation": evaluation,
            "figures": [dataclasses.asdict(f) for f in self.figures],
            "exploration": exploration,
            "collinearity": _without_none(dataclasses.asdict(self.assumptions.collinearity), "gvif_all_rows"),
            "box_tidwell_p": dict(self.assumptions.box_tidwell_p),
            "previous": dataclasses.asdict(self.previous) if self.previous else None,
            "method_comparison": dataclasses.asdict(self.method_comparison) if self.method_comparison else None,
            "model_value": dataclasses.asdict(self.model_value) if self.model_value else None,
            "influence": dataclasses.asdict(self.influence) if self.influence else None,
        }
        if self.held_out_all_rows is not None:  # omitted otherwise: a build without a sample writes the file as before
            doc["held_out_all_rows"] = dataclasses.asdict(self.held_out_all_rows)
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> AnalysisResults:
        """The inverse of ``to_json``: typed results from a ``results.json``."""
        from reportgen.typed_json import from_plain

        assumptions = Assumptions(
            checks=from_plain(tuple[CheckResult, ...], doc["assumptions"]),
            collinearity=from_plain(Collinearity, doc["collinearity"]),
            box_tidwell_p=from_plain(dict[str, float], doc["box_tidwell_p"]),
        )
        return cls(
            data=from_plain(DataSummary, doc["data"]),
            exploration=from_plain(Exploration, doc["exploration"]),
            assumptions=assumptions,
            model=from_plain(ModelFit, doc["model"]),
            evaluation=from_plain(Evaluation, doc["evaluation"]),
            figures=from_plain(tuple[FigureInfo, ...], doc["figures"]),
            previous=from_plain(BuildComparison | None, doc.get("previous")),
            method_comparison=from_plain(MethodComparison | None, doc.get("method_comparison")),
            model_value=from_plain(ModelValue | None, doc.get("model_value")),
            influence=from_plain(Influence | None, doc.get("influence")),
            held_out_all_rows=from_plain(HeldOutAllRows | None, doc.get("held_out_all_rows")),
        )


@dataclass(frozen=True)
class Change:
    """One figure then and now: ``kind`` says how to format it (count, share or score)."""

    label: str
    kind: Literal["count", "share", "score"]
    before: float
    after: float
    delta: float


@dataclass(frozen=True)
class BuildComparison:
    """What changed since the build that was in the output folder before this one."""

    previous_source: str
    previous_sha256: str
    previous_modified: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ScenarioMetrics:
    """Test-set metrics of one way of evaluating (the method note compares them)."""

    n_test: int
    positive_share: float  # share of the positive class the metrics assume
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float
    average_precision: float
    baseline_accuracy: float


@dataclass(frozen=True)
class SeedRepeats:
    """Test ROC AUC split first (honest) and upsampled first, seed by seed, with the test rows that are leaked copies.

    ``gap_*``: upsampled-first minus split-first ROC AUC; ``upsampled_higher``:
    in how many seeds that gap is positive.
    """

    seeds: tuple[int, ...]
    honest_roc_auc: tuple[float, ...]
    upsampled_roc_auc: tuple[float, ...]
    test_copies: tuple[int, ...]
    honest_mean: float
    honest_min: float
    honest_max: float
    upsampled_mean: float
    upsampled_min: float
    upsampled_max: float
    gap_mean: float
    gap_min: float
    gap_max: float
    upsampled_higher: int
    copies_min: int
    copies_max: int
    rows_total: int = 0  # rows of the study
    rows_per_seed: int = 0  # rows each seed's comparison used: all of them, or a stratified sample on large data


@dataclass(frozen=True)
class MethodComparison:
    """What the metrics would read under the shortcuts the report refuses.

    ``rebalanced``: our classifier, test rows weighted to a 50/50 class mix.
    ``upsampled_first``: the minority class upsampled before the split (as the
    course notebook does), the same kind of pipeline refitted and scored on
    that contaminated test set, ``test_copies`` of whose rows are copies of
    training rows.
    """

    honest: ScenarioMetrics
    rebalanced: ScenarioMetrics
    upsampled_first: ScenarioMetrics
    rows_before_upsampling: int
    rows_after_upsampling: int
    test_copies: int  # test rows whose source row is also in the training rows
    test_positive_copies: int
    seed: int
    repeats: SeedRepeats | None = None  # the upsampled-first comparison repeated over several seeds


@dataclass(frozen=True)
class MetricInterval:
    """A test-set metric with its stratified percentile-bootstrap 95 % interval (``stats.intervals``)."""

    metric: str
    estimate: float
    low: float
    high: float
    level: float
    resamples: int

    @classmethod
    def of(cls, interval: Any) -> MetricInterval:
        """The record of a ``stats.intervals.Interval`` (the stats layer's own type, which results do not import)."""
        return cls(interval.metric, interval.estimate, interval.low, interval.high, interval.level, interval.resamples)


@dataclass(frozen=True)
class ThresholdRow:
    """What one cut-off on the classifier's score does on the test set."""

    threshold: float
    share_flagged: float
    precision: float
    recall: float


@dataclass(frozen=True)
class ModelValue:
    """What the model is worth: uncertainty of its test metrics, and what it adds over one column.

    ``baseline_features``: the predictor(s) of the baseline model (claim status
    alone). ``lr_*``: likelihood-ratio test of the full inference model against
    that baseline, both fitted on the training rows (the joint test of the
    predictors the baseline lacks). ``cv_roc_auc``: ROC AUC of the same
    prediction pipeline, out of fold, on the training rows only.
    ``mean_score``: the classifier's average test score, beside the real
    positive share; with class weights the score is not a probability.
    """

    intervals: tuple[MetricInterval, ...]
    cv_folds: int
    cv_roc_auc: tuple[float, ...]
    cv_roc_auc_mean: float | None
    cv_roc_auc_sd: float | None
    baseline_features: tuple[str, ...]
    baseline_roc_auc: float | None
    baseline_roc_auc_low: float | None
    baseline_roc_auc_high: float | None
    added_features: tuple[str, ...]
    lr_statistic: float | None
    lr_df: int
    lr_p_value: float | None
    mean_score: float
    train_positive_share: float
    thresholds: tuple[ThresholdRow, ...]
    seed: int
    threshold_source: str = "fixed"  # "fixed": [model] threshold; "cv": chosen on the training rows by cross-validation
    cv_threshold_f1: float | None = None  # out-of-fold F1 at the cross-validated operating point
    cv_rows: int = 0  # training rows the cross-validation used: all of them, or a stratified sample on large data

    def interval(self, metric: str) -> MetricInterval | None:
        """The interval of ``metric`` ("roc_auc", "f1", ...), if computed."""
        return next((i for i in self.intervals if i.metric == metric), None)


@dataclass(frozen=True)
class InfluenceTerm:
    """One slope of the inference fit, with and without the most influential rows.

    Odds ratios are per SD for a continuous term (``per_sd``), per level
    against the reference for a category. ``direction_changes`` counts only
    when the term is significant on at least one side.
    """

    term: str
    per_sd: bool
    or_before: float
    or_after: float
    p_before: float
    p_after: float
    significance_changes: bool
    direction_changes: bool

    @property
    def depends_on_few_rows(self) -> bool:
        """Significance or direction changes when the most influential rows are left out."""
        return self.significance_changes or self.direction_changes


@dataclass(frozen=True)
class Influence:
    """Cook's distance of the unweighted inference Logit on the training rows, and the refit without the top rows."""

    n: int
    parameters: int
    cutoff: float  # 4 / n
    above_cutoff: int
    max_cooks: float
    dropped_rows: int
    dropped_positives: int
    alpha: float
    terms: tuple[InfluenceTerm, ...]

    def flagged(self) -> tuple[InfluenceTerm, ...]:
        """The terms that depend on a few rows."""
        return tuple(t for t in self.terms if t.depends_on_few_rows)


@dataclass(frozen=True)
class HeldOutAllRows:
    """The prediction model scored over every usable row not used for training, when the study analysed a sample.

    Every usable row outside the sample's training rows: the sample's test rows
    and every row outside the sample (none was fitted; the real class mix).
    Scores are counted over ``bins`` equal bins of [0, 1] per class
    (``reportgen.stats.histogram``): the confusion matrix is exact at the
    threshold; ``roc_auc`` and ``average_precision`` treat the scores within a
    bin as tied, and ``roc_auc`` is within ``roc_auc_error_bound`` (half the
    share of positive-negative pairs in one bin) of its value on the exact
    scores. Intervals: multinomial bootstrap of each class's bin counts.
    """

    engine: str  # which engine scored the rows ("duckdb", "spark")
    rows: int  # rows scored
    positives: int  # of them, rows of the positive class
    training_rows_excluded: int  # the sample's training rows, left out
    bins: int
    threshold: float
    confusion_matrix: ConfusionMatrix
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float
    average_precision: float
    specificity: float
    baseline_accuracy: float
    roc_auc_error_bound: float
    intervals: tuple[MetricInterval, ...]
    seed: int  # of the bootstrap
    roc_curve: tuple[tuple[float, float], ...]  # (fpr, tpr), thinned
    pr_curve: tuple[tuple[float, float], ...]  # (recall, precision), thinned
    curve_points_full: int

    def interval(self, metric: str) -> MetricInterval | None:
        """The interval of ``metric`` ("roc_auc", "f1", ...)."""
        return next((i for i in self.intervals if i.metric == metric), None)


def _without_none(doc: dict[str, Any], key: str) -> dict[str, Any]:
    """``doc`` without ``key`` when its value is None: a key only some builds have is absent, not null, in the others."""
    return {k: v for k, v in doc.items() if not (k == key and v is None)}
