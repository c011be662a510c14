"""The classifier study's frozen results: what its analyses hand to figures, words and results.json.

``results.json`` is ``ClassifierResults.to_json()`` (schema_version 1); every
number either document shows is one of its values, rounded for display.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from reportgen.results import BuildComparison, DataSummary, FigureInfo, HeldOutAllRows, data_json
from reportgen.stats.intervals import Interval

SCHEMA_VERSION = 1

#: Feature groups, in the order the report lists them.
GROUPS = ("engagement counts", "video length", "account", "text")


@dataclass(frozen=True)
class Confusion:
    """Counts on a held-out set; the positive class is positive."""

    tn: int
    fp: int
    fn: int
    tp: int


@dataclass(frozen=True)
class Scored:
    """A model (or rule) scored on held-out rows: each metric with its bootstrap 95 % interval, and its counts."""

    n: int
    threshold: float
    confusion: Confusion
    intervals: tuple[Interval, ...]

    def value(self, metric: str) -> float:
        """The estimate of one metric (``accuracy``, ``recall``, ...)."""
        return self.interval(metric).estimate

    def interval(self, metric: str) -> Interval:
        """One metric with its interval."""
        return next(i for i in self.intervals if i.metric == metric)


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall and F1 of one class (that class taken as positive), with its support."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Features:
    """What the models see: the columns by group, and the n-grams learnt from the training rows."""

    target: str
    positive_class: str
    negative_class: str
    columns: tuple[str, ...]  # the CSV columns read (ids never)
    names: tuple[str, ...]  # model features, in matrix order
    groups: dict[str, tuple[str, ...]]  # group -> feature names
    text_features: str  # "counts" or "tfidf"
    ngram_min: int
    ngram_max: int
    vocabulary_size: int  # asked for
    vocabulary: tuple[str, ...]  # n-grams kept, from the training rows only
    n_features: int = 0
    n_groups: int = 0
    n_vocabulary: int = 0
    group_sizes: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class SplitSizes:
    """Rows and positive share of each part of the stratified split."""

    n_train: int
    n_validation: int
    n_test: int
    positive_train: int
    positive_validation: int
    positive_test: int
    train_share: float
    validation_share: float
    test_share: float


@dataclass(frozen=True)
class Candidate:
    """One model family tuned by cross-validation on the training rows, then scored on validation."""

    name: str
    estimator: str  # the scikit-learn class
    grid: dict[str, tuple[Any, ...]]  # parameter -> values searched
    n_candidates: int
    best_params: dict[str, Any]
    cv_score: float  # mean of the refit metric over the folds, best candidate
    cv_score_std: float
    validation: Scored
    search_seconds: float
    search_rows: int = 0  # training rows the cross-validation searched on (a stratified sample when there are more)
    size: dict[str, Any] = dataclasses.field(default_factory=dict)  # the fitted model's trees or iterations (n_estimators, max_iter)
    search_size: dict[str, Any] = dataclasses.field(default_factory=dict)  # the same, in the search's models (a forest ranks its grid with fewer trees)


@dataclass(frozen=True)
class Importance:
    """One feature's importance: ``mean`` (and ``std`` over repeats, 0 for impurity)."""

    feature: str
    group: str
    mean: float
    std: float


@dataclass(frozen=True)
class FeatureAUC:
    """One feature alone as a score: its ROC AUC, oriented on the training rows, on training and test rows."""

    feature: str
    group: str
    higher_means_positive: bool
    auc_train: float
    auc_test: float


@dataclass(frozen=True)
class Rule:
    """The best single-threshold rule on one feature (threshold from the training rows), scored on test."""

    feature: str
    group: str
    higher_means_positive: bool
    threshold: float  # call positive at value >= threshold (higher) or <= threshold (lower)
    train_accuracy: float
    test: Scored


@dataclass(frozen=True)
class Ablation:
    """The champion's family and parameters refitted on some features only, scored on test."""

    name: str
    groups: tuple[str, ...]  # the groups it uses
    n_features: int
    test: Scored


@dataclass(frozen=True)
class ShortcutAudit:
    """Is the task nearly solved by one feature or one rule? Computed, compared with the champion on test."""

    margin: float
    feature_aucs: tuple[FeatureAUC, ...]  # strongest first (by training AUC)
    strongest: str
    strongest_group: str
    rule: Rule
    without_strongest_group: Ablation
    text_only: Ablation
    champion_auc: float
    champion_accuracy: float
    feature_gap: float  # champion ROC AUC - strongest feature's test ROC AUC
    rule_gap: float  # champion accuracy - rule's test accuracy
    feature_is_shortcut: bool
    rule_is_shortcut: bool

    @property
    def found(self) -> bool:
        """Whether one feature or one rule comes within the margin of the champion."""
        return self.feature_is_shortcut or self.rule_is_shortcut


@dataclass(frozen=True)
class RelatedAnswer:
    """Another study's answer from the same build, quoted as it gave it."""

    study: str
    title: str
    verdict: str


@dataclass(frozen=True)
class ClassifierResults:
    """Everything the classifier study found."""

    data: DataSummary
    settings: dict[str, Any]
    features: Features
    split: SplitSizes
    candidates: tuple[Candidate, ...]
    champion: str
    refit_metric: str
    test: Scored
    per_class: tuple[ClassMetrics, ...]
    baseline_accuracy: float
    permutation_importance: tuple[Importance, ...]  # on the test rows, largest first
    permutation_scoring: str
    permutation_repeats: int
    impurity_importance: tuple[Importance, ...]  # from the fitted trees (training rows), largest first
    audit: ShortcutAudit
    #: When the test set holds no error of a kind, the bootstrap interval has no width; the rule of three gives the
    #: one-sided 95 % lower bound instead (1 - 3/n): metric -> (bound, n).
    rule_of_three: dict[str, tuple[float, int]] = dataclasses.field(default_factory=dict)
    top_shown: int = 10  # how many features the importance and single-feature tables and bars show
    related: tuple[RelatedAnswer, ...] = ()
    figures: tuple[FigureInfo, ...] = ()
    previous: BuildComparison | None = None
    #: The champion over every usable row outside the sample's training and validation rows, when the rows were a
    #: sample (an out-of-core engine's); results.json omits it otherwise.
    held_out_all_rows: HeldOutAllRows | None = None

    def candidate(self, name: str) -> Candidate:
        """A candidate by name."""
        return next(c for c in self.candidates if c.name == name)

    def to_json(self) -> dict[str, Any]:
        """The ``results.json`` document."""
        doc = dataclasses.asdict(self)
        doc["data"] = data_json(self.data)  # no "sample" key unless a sample was drawn
        if doc["held_out_all_rows"] is None:  # absent, not null: a build without a sample writes the file as before
            del doc["held_out_all_rows"]
        return {"schema_version": SCHEMA_VERSION, **doc}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> ClassifierResults:
        """The inverse of ``to_json``."""
        from reportgen.typed_json import from_plain

        return from_plain(cls, {k: v for k, v in doc.items() if k != "schema_version"})
