"""The classifier study's analyses: pure functions from the usable rows and the settings to frozen results.

The order is the one that keeps the test set honest: split first (stratified,
seeded, 60/20/20 by default); fit every feature transform on the training rows
only (the n-gram vocabulary included); tune each candidate by cross-validation
on the training rows; choose the champion on the validation rows; score it once
on the test rows. The shortcut audit then asks how close a single feature, a
single threshold, a model without the strongest group and a text-only model
come to the champion on the same test rows.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from reportgen import schema
from reportgen.errors import InputError
from reportgen.studies.classifier.results import (
    Ablation,
    Candidate,
    ClassifierResults,
    ClassMetrics,
    Confusion,
    FeatureAUC,
    Features,
    Importance,
    Rule,
    Scored,
    ShortcutAudit,
    SplitSizes,
)
from reportgen.studies.classifier.settings import ClassifierSettings
from reportgen.workers import in_background, openmp_threads

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from reportgen.progress import Progress
    from reportgen.results import DataSummary, HeldOutAllRows

    HeldOutScorer = Callable[["Encoder", Any, np.ndarray], HeldOutAllRows]

MIN_PER_CLASS = 10
#: The engagement counts: what viewers did, known only after a video has been watched for a while.
ENGAGEMENT = ("video_view_count", "video_like_count", "video_share_count", "video_download_count", "video_comment_count")
DURATION = "video_duration_sec"
ACCOUNT = ("verified_status", "author_ban_status")
TEXT_LENGTH = "transcription length"
#: The candidates' bounded grids (4 candidates each): small on purpose, the study runs in seconds on two cores.
FOREST_GRID: dict[str, tuple[Any, ...]] = {"max_depth": (None, 12), "min_samples_leaf": (1, 4)}
BOOSTING_GRID: dict[str, tuple[Any, ...]] = {"learning_rate": (0.1, 0.3), "max_leaf_nodes": (15, 31)}
FOREST_TREES = 60
BOOSTING_ITERATIONS = 60
#: What the search's models have instead of the final model's fixed parameters. A forest's grid (depth, leaf size)
#: is ranked by forests of half the trees: on the claims file the out-of-bag accuracy of a forest of all training
#: rows was 0.9994 with 30 trees and 0.9995 with 60, and the search's forest fits cost a quarter of a build's CPU.
#: Boosting keeps its iterations: they work together with the learning rate it searches.
SEARCH_PARAMS: dict[str, dict[str, Any]] = {"random forest": {"n_estimators": 30}}


def columns(settings: ClassifierSettings) -> tuple[str, ...]:
    """The CSV columns the study reads: target, counts, account columns and the transcription; never the ids."""
    wanted = {settings.target, *schema.COUNTS, *ACCOUNT, schema.TRANSCRIPTION}
    return tuple(c for c in schema.REQUIRED if c in wanted)


def analyse(
    frame: pd.DataFrame, summary: DataSummary, settings: ClassifierSettings, progress: Progress, held_out: HeldOutScorer | None = None
) -> ClassifierResults:
    """Split, encode, tune both candidates, choose on validation, score on test, audit the shortcuts.

    Parameters
    ----------
    frame : DataFrame
        The usable rows (at least the columns of :func:`columns`).
    summary : DataSummary
        How the rows were read; its counts are restated for this study's target.
    settings : ClassifierSettings
    progress : Progress
    held_out : callable, optional
        When the rows are a sample (``all_rows.held_out_all_rows`` with its rows and settings bound): called with the fitted encoder, the champion and
        a mask of the frame's training and validation rows; its result is ``held_out_all_rows``.

    Returns
    -------
    ClassifierResults

    Raises
    ------
    InputError
        A class has fewer than ``MIN_PER_CLASS`` usable rows.
    """
    frame, summary = _usable(frame, summary, settings)
    y = (frame[settings.target].astype(str) == settings.positive_class).to_numpy().astype(int)
    negative = next(v for v in schema.CATEGORIES[settings.target] if v != settings.positive_class)
    if min(int(y.sum()), int(y.size - y.sum())) < MIN_PER_CLASS:
        raise InputError(
            f"too few rows for the classifier: {int(y.sum())} '{settings.positive_class}' and {int(y.size - y.sum())} other rows; "
            f"each needs at least {MIN_PER_CLASS}",
            column=settings.target,
        )
    train, validation, test = split_rows(y, settings)
    with progress.stage("classifier: features", rows=len(frame)):
        encoder = Encoder.fit(frame.iloc[train], settings)
        x = encoder.transform(frame)
    x_train, x_val, x_test = x[train], x[validation], x[test]
    y_train, y_val, y_test = y[train], y[validation], y[test]
    with progress.stage("classifier: search"):
        fitted = [_tune(name, x_train, y_train, x_val, y_val, settings) for name in ("random forest", "gradient boosting")]
    candidates = tuple(c for c, _ in fitted)
    best = max(range(len(candidates)), key=lambda i: _choice_key(candidates[i], settings.refit_metric))
    champion, model = candidates[best], fitted[best][1]
    aucs = feature_aucs(x_train, y_train, x_test, y_test, encoder)
    # The audit's two refits read nothing the test stage computes: a second process fits them meanwhile (where a
    # fork is safe for the boosting's OpenMP runtime, see workers.openmp_threads), else they run when asked for.
    refits = partial(_ablations, aucs[0].group, encoder, x_train, y_train, x_test, y_test, champion, settings)
    with in_background("the shortcut audit's refits", refits, fork=not openmp_threads()) as ablations:
        with progress.stage("classifier: test"):
            scores = model.predict_proba(x_test)[:, 1]
            test_scored = score(y_test, scores, settings.threshold, settings.seed)
            per_class = _per_class(y_test, scores >= settings.threshold, settings.positive_class, negative)
            importance = _permutation(model, x_test, y_test, encoder, settings)
            forest = fitted[0][1]
            impurity = tuple(
                sorted(
                    (Importance(n, encoder.group_of(n), float(v), 0.0) for n, v in zip(encoder.names, forest.feature_importances_)),
                    key=lambda i: (-i.mean, i.feature),
                )
            )
        with progress.stage("classifier: shortcut audit"):
            audit = shortcut_audit(aucs, x_train, y_train, x_test, y_test, encoder, test_scored, settings, *ablations())
    every_row = None
    if held_out is not None:
        import numpy as np

        fitted_on = np.zeros(len(frame), dtype=bool)
        fitted_on[train] = fitted_on[validation] = True  # the test rows stay: held out, like every row outside the sample
        with progress.stage("classifier: score every held-out row"):
            every_row = held_out(encoder, model, fitted_on)
    return ClassifierResults(
        data=summary,
        settings=dataclasses.asdict(settings),
        features=Features(
            target=settings.target,
            positive_class=settings.positive_class,
            negative_class=negative,
            columns=columns(settings),
            names=encoder.names,
            groups=encoder.groups,
            text_features=settings.text_features,
            ngram_min=settings.ngram_min,
            ngram_max=settings.ngram_max,
            vocabulary_size=settings.vocabulary_size,
            vocabulary=encoder.vocabulary,
            n_features=len(encoder.names),
            n_groups=len(encoder.groups),
            n_vocabulary=len(encoder.vocabulary),
            group_sizes={g: len(n) for g, n in encoder.groups.items()},
        ),
        split=SplitSizes(
            n_train=int(train.size),
            n_validation=int(validation.size),
            n_test=int(test.size),
            positive_train=int(y_train.sum()),
            positive_validation=int(y_val.sum()),
            positive_test=int(y_test.sum()),
            train_share=round(1 - settings.validation_size - settings.test_size, 6),
            validation_share=settings.validation_size,
            test_share=settings.test_size,
        ),
        candidates=candidates,
        champion=champion.name,
        refit_metric=settings.refit_metric,
        test=test_scored,
        per_class=per_class,
        baseline_accuracy=float(max(y_test.mean(), 1 - y_test.mean())),
        permutation_importance=importance,
        permutation_scoring="accuracy",
        permutation_repeats=settings.permutation_repeats,
        impurity_importance=impurity,
        audit=audit,
        rule_of_three=_rule_of_three(test_scored),
        held_out_all_rows=every_row,
    )


def _rule_of_three(s: Scored) -> dict[str, tuple[float, int]]:
    """For a rate with no error on the test rows (recall, precision, accuracy): 1 - 3/n, its one-sided 95 % lower bound."""
    c = s.confusion
    sizes = {"recall": (c.fn, c.tp + c.fn), "precision": (c.fp, c.tp + c.fp), "accuracy": (c.fp + c.fn, s.n)}
    return {m: (1 - 3 / n, n) for m, (errors, n) in sizes.items() if errors == 0 and n > 3}


def _usable(frame: pd.DataFrame, summary: DataSummary, settings: ClassifierSettings) -> tuple[pd.DataFrame, DataSummary]:
    """The rows with every column the study reads (an empty transcription is text of length 0), and the summary restated."""
    needed = [c for c in columns(settings) if c != schema.TRANSCRIPTION]
    missing = frame[needed].isna().any(axis=1)
    kept = frame[~missing].reset_index(drop=True)
    dropped = dict(summary.dropped_reasons)
    if missing.any():
        dropped["missing values"] = dropped.get("missing values", 0) + int(missing.sum())
    counts = {str(k): int(v) for k, v in kept[settings.target].astype(str).value_counts().reindex(schema.CATEGORIES[settings.target], fill_value=0).items()}
    if summary.sample is not None:
        # The rows are a sample (an out-of-core engine's): the summary's counts are of every row, and stay so;
        # a row of the sample dropped here (the engine drops on the same columns, so none) leaves them as they are.
        return kept, summary
    restated = dataclasses.replace(
        summary,
        rows_used=len(kept),
        rows_dropped=summary.rows_read - len(kept),
        dropped_reasons=dropped,
        target_counts=counts,
    )
    return kept, restated


def split_rows(y: np.ndarray, settings: ClassifierSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices of the train, validation and test parts: stratified by ``y``, seeded, nothing else looked at.

    Examples
    --------
    >>> import numpy as np
    >>> train, val, test = split_rows(np.array([0, 1] * 50), ClassifierSettings())
    >>> len(train), len(val), len(test)
    (60, 20, 20)
    """
    import numpy as np
    from sklearn.model_selection import train_test_split

    rows = np.arange(y.size)
    rest, test = train_test_split(rows, test_size=settings.test_size, stratify=y, random_state=settings.seed)
    share = settings.validation_size / (1 - settings.test_size)
    train, validation = train_test_split(rest, test_size=share, stratify=y[rest], random_state=settings.seed)
    return np.sort(train), np.sort(validation), np.sort(test)


@dataclass(frozen=True)
class Encoder:
    """The feature transform, fitted on the training rows: counts as they are, categories one-hot, text length and n-grams."""

    numeric: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]  # category column -> levels given a column of their own
    vectorizer: Any  # a fitted CountVectorizer/TfidfVectorizer, or None
    vocabulary: tuple[str, ...]
    names: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]

    @classmethod
    def fit(cls, train: pd.DataFrame, settings: ClassifierSettings) -> Encoder:
        """Learn the n-gram vocabulary (and nothing else needs learning) from the training rows."""
        numeric = tuple(c for c in schema.COUNTS if c != settings.target)
        levels = {}
        for column in ACCOUNT:
            if column == settings.target:
                continue
            values = schema.CATEGORIES[column]
            levels[column] = values[1:] if len(values) == 2 else values  # one column for a yes/no, one a level otherwise
        vectorizer, vocabulary = None, ()
        if settings.vocabulary_size > 0:
            from reportgen.studies.classifier.ngrams import top_ngrams

            vectorizer = _vectorizer(settings)
            texts = _text(train)
            try:
                vocabulary = top_ngrams(texts, vectorizer.ngram_range, vectorizer.max_features, vectorizer.dtype)
            except ValueError:  # no word at all in the training rows
                vectorizer = None
            else:
                _fit_vectorizer(vectorizer, vocabulary, texts)
        grams = tuple(f"text: {g}" for g in vocabulary)
        account = tuple(f"{column}: {level}" for column, values in levels.items() for level in values)
        groups = {
            "engagement counts": tuple(c for c in numeric if c in ENGAGEMENT),
            "video length": tuple(c for c in numeric if c == DURATION),
            "account": account,
            "text": (TEXT_LENGTH, *grams),
        }
        names = (*numeric, *account, TEXT_LENGTH, *grams)
        return cls(numeric, levels, vectorizer, vocabulary, names, {k: v for k, v in groups.items() if v})

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The feature matrix of any rows (float, columns in ``names`` order)."""
        import numpy as np

        parts = [frame[list(self.numeric)].to_numpy(dtype=float)]
        for column, values in self.levels.items():
            text = frame[column].astype(str).to_numpy()
            parts.append(np.column_stack([text == v for v in values]).astype(float))
        texts = _text(frame)
        parts.append(np.array([len(t) for t in texts], dtype=float)[:, None])
        if self.vectorizer is not None:
            parts.append(_ngram_features(self.vectorizer, self.vocabulary, texts))
        return np.hstack(parts)

    def group_of(self, name: str) -> str:
        """The group a feature belongs to."""
        return next(g for g, names in self.groups.items() if name in names)


def _vectorizer(settings: ClassifierSettings) -> Any:
    """The study's (unfitted) n-gram vectorizer: counts or TF-IDF of the most frequent n-grams."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    kind = TfidfVectorizer if settings.text_features == "tfidf" else CountVectorizer
    return kind(ngram_range=(settings.ngram_min, settings.ngram_max), max_features=settings.vocabulary_size)


def _fit_vectorizer(vectorizer: Any, vocabulary: tuple[str, ...], texts: list[str]) -> None:
    """Fit the vectorizer as ``vectorizer.fit(texts)`` would, its vocabulary chosen already (``ngrams.top_ngrams``).

    Given the vocabulary, scikit-learn reads no text to fit counts; TF-IDF learns its
    ``idf_`` from the training rows' document frequencies, here from ``count_ngrams``
    (the vectorizer's own counts) through scikit-learn's ``TfidfTransformer``: the same
    floats, bit for bit. ``max_features`` stays among the parameters (unused once the
    vocabulary is given), as before.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reportgen.studies.classifier.ngrams import count_ngrams

    vectorizer.set_params(vocabulary=list(vocabulary))
    if not isinstance(vectorizer, TfidfVectorizer):
        vectorizer.fit([])  # validates the vocabulary (vocabulary_), reading nothing
        return
    counts = count_ngrams(texts, vocabulary, vectorizer.ngram_range, dtype=vectorizer.dtype)
    vectorizer.idf_ = _weigher(vectorizer).fit(counts).idf_  # the setter also validates the vocabulary (the study's TF-IDF always uses idf)


def _weigher(vectorizer: Any) -> Any:
    """A ``TfidfTransformer`` with the TF-IDF vectorizer's weighting settings (not fitted)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    v = vectorizer
    return TfidfTransformer(norm=v.norm, use_idf=v.use_idf, smooth_idf=v.smooth_idf, sublinear_tf=v.sublinear_tf)


def _ngram_features(vectorizer: Any, vocabulary: tuple[str, ...], texts: list[str]) -> np.ndarray:
    """The fitted vectorizer's n-gram columns (in ``vocabulary`` order): its own numbers, counted without its per-text Python.

    ``ngrams.count_ngrams`` gives exactly ``vectorizer.transform``'s counts (about 6 times faster); TF-IDF then
    weighs them with scikit-learn's own ``TfidfTransformer`` (the vectorizer's settings and ``idf_``), so the
    floats are the vectorizer's, bit for bit.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reportgen.studies.classifier.ngrams import count_ngrams

    counts = count_ngrams(texts, vocabulary, vectorizer.ngram_range, dtype=vectorizer.dtype)
    if isinstance(vectorizer, TfidfVectorizer):
        weigh = _weigher(vectorizer)
        if vectorizer.use_idf:
            weigh.idf_ = vectorizer.idf_
        else:  # nothing to learn, but scikit-learn wants it fitted
            weigh.fit(counts)
        counts = weigh.transform(counts, copy=False)
    return counts.toarray().astype(float)


def _text(frame: pd.DataFrame) -> list[str]:
    """The transcriptions as text ("" where missing)."""
    return frame[schema.TRANSCRIPTION].astype("string").fillna("").astype(str).tolist()


def _estimator(name: str, settings: ClassifierSettings, threads: int | None = None) -> Any:
    """A fresh candidate model with its fixed parameters (a forest grows its trees in ``threads``, else ``n_jobs``, threads)."""
    if name == "random forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(n_estimators=FOREST_TREES, random_state=settings.seed, n_jobs=threads or settings.n_jobs)
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=BOOSTING_ITERATIONS, early_stopping=False, random_state=settings.seed)


def _sizes(model: Any) -> dict[str, Any]:
    """A model's size, fixed outside the grid: a forest's trees, boosting's iterations."""
    params = model.get_params()
    return {k: _plain(params[k]) for k in ("n_estimators", "max_iter") if k in params}


def _tune(name: str, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, settings: ClassifierSettings) -> tuple[Candidate, Any]:
    """Grid search by stratified k-fold, refit on the configured metric, then scored on validation.

    The search is bounded twice: a grid of four candidates, and a stratified
    sample of at most ``search_rows`` training rows (seeded); the chosen
    parameters are then fitted on every training row. Its fits run one after
    another: the forest uses ``n_jobs`` threads itself, which costs less than
    starting worker processes for a dozen fits of a fraction of a second.
    """
    import numpy as np
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
    from threadpoolctl import threadpool_limits

    grid = FOREST_GRID if name == "random forest" else BOOSTING_GRID
    start = time.perf_counter()
    rows = np.arange(y.size)
    if y.size > settings.search_rows:
        rows, _ = train_test_split(rows, train_size=settings.search_rows, stratify=y, random_state=settings.seed)
    searched = _estimator(name, settings, threads=1).set_params(**SEARCH_PARAMS.get(name, {}))
    search = GridSearchCV(
        searched,
        {k: list(v) for k, v in grid.items()},
        scoring=settings.refit_metric,
        cv=StratifiedKFold(settings.cv_folds, shuffle=True, random_state=settings.seed),
        refit=False,
        n_jobs=1,
    )
    with threadpool_limits(_boosting_threads(settings)):  # OpenMP spinning on shared cores costs more than it gains
        search.fit(x[rows], y[rows])
        model = _estimator(name, settings).set_params(**search.best_params_).fit(x, y)
    _predict_alone(model)
    seconds = time.perf_counter() - start
    i = int(search.best_index_)
    validation = score(y_val, model.predict_proba(x_val)[:, 1], settings.threshold, settings.seed)
    candidate = Candidate(
        name=name,
        estimator=type(model).__name__,
        grid=grid,
        n_candidates=len(search.cv_results_["params"]),
        best_params={k: _plain(v) for k, v in search.best_params_.items()},
        cv_score=float(search.cv_results_["mean_test_score"][i]),
        cv_score_std=float(search.cv_results_["std_test_score"][i]),
        validation=validation,
        search_seconds=round(seconds, 3),
        search_rows=int(rows.size),
        size=_sizes(model),
        search_size=_sizes(searched),
    )
    return candidate, model


def _predict_alone(model: Any) -> None:
    """Predict in one thread: a forest's threads cost more than they give on a few thousand rows at a time."""
    if "n_jobs" in model.get_params():
        model.set_params(n_jobs=1)


def _boosting_threads(settings: ClassifierSettings) -> int:
    """OpenMP threads for the gradient boosting: one (its fits are small; spinning threads fight the other process)."""
    return 1


def _plain(value: Any) -> Any:
    """A parameter value as JSON holds it."""
    return value.item() if hasattr(value, "item") else value


def _choice_key(c: Candidate, metric: str) -> tuple[float, float, float]:
    """How the champion is chosen on validation: the refit metric, then ROC AUC, then average precision."""
    v = c.validation
    return (v.value(metric), v.value("roc_auc"), v.value("average_precision"))


def score(y: np.ndarray, scores: np.ndarray, threshold: float, seed: int) -> Scored:
    """Counts and every metric with its bootstrap 95 % interval, on held-out rows."""
    from reportgen.stats.intervals import metric_intervals

    called = scores >= threshold
    confusion = Confusion(
        tn=int(((~called) & (y == 0)).sum()),
        fp=int((called & (y == 0)).sum()),
        fn=int(((~called) & (y == 1)).sum()),
        tp=int((called & (y == 1)).sum()),
    )
    return Scored(int(y.size), float(threshold), confusion, metric_intervals(y, scores, threshold, seed))


def _per_class(y: np.ndarray, called: np.ndarray, positive: str, negative: str) -> tuple[ClassMetrics, ...]:
    """Precision, recall and F1 with each class taken as positive in turn."""
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(y, called.astype(int), labels=[1, 0], zero_division=0)
    return tuple(ClassMetrics(label, float(p[i]), float(r[i]), float(f[i]), int(s[i])) for i, label in enumerate((positive, negative)))


def _permutation(model: Any, x: np.ndarray, y: np.ndarray, encoder: Encoder, settings: ClassifierSettings) -> tuple[Importance, ...]:
    """Drop in test accuracy when one feature's test values are shuffled, mean and SD over repeats; largest first.

    The permutation importance of scikit-learn, computed in one prediction a
    repeat: every feature's shuffled copy of the test rows is stacked and
    predicted at once (the same numbers, without a call per feature). A row
    whose shuffled value equals its own is predicted as it was (most rows of
    a yes/no or an n-gram column): only the rows that changed are predicted.
    """
    import numpy as np

    rng = np.random.default_rng(settings.seed)
    base_called = model.predict_proba(x)[:, 1] >= settings.threshold
    base = float((base_called == y).mean())
    n, k = x.shape
    drops = np.empty((k, settings.permutation_repeats))
    for r in range(settings.permutation_repeats):
        called = np.tile(base_called, (k, 1))
        shuffled = [x[rng.permutation(n), j] for j in range(k)]
        changed = [np.flatnonzero(shuffled[j] != x[:, j]) for j in range(k)]
        stacked = np.vstack([x[rows] for rows in changed])
        start = 0
        for j, rows in enumerate(changed):
            stacked[start : start + rows.size, j] = shuffled[j][rows]
            start += rows.size
        new = model.predict_proba(stacked)[:, 1] >= settings.threshold if start else np.empty(0, dtype=bool)
        start = 0
        for j, rows in enumerate(changed):
            called[j, rows] = new[start : start + rows.size]
            start += rows.size
        drops[:, r] = base - (called == y).mean(axis=1)
    items = (Importance(name, encoder.group_of(name), float(drops[j].mean()), float(drops[j].std())) for j, name in enumerate(encoder.names))
    return tuple(sorted(items, key=lambda i: (-i.mean, i.feature)))


def feature_aucs(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray, encoder: Encoder) -> list[FeatureAUC]:
    """Each feature alone: its ROC AUC, direction from the training rows, on training and test rows; strongest first."""
    from reportgen.stats.single_feature import oriented_auc, roc_auc

    aucs = []
    for j, name in enumerate(encoder.names):
        auc_train, higher = oriented_auc(y_train, x_train[:, j])
        auc_test = roc_auc(y_test, x_test[:, j] * (1.0 if higher else -1.0))
        aucs.append(FeatureAUC(name, encoder.group_of(name), higher, auc_train, auc_test))
    return sorted(aucs, key=lambda a: (-a.auc_train, a.feature))


def shortcut_audit(
    aucs: list[FeatureAUC],
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    encoder: Encoder,
    champion_test: Scored,
    settings: ClassifierSettings,
    without: Ablation,
    text_only: Ablation,
) -> ShortcutAudit:
    """Each feature alone (``feature_aucs``), the best one-threshold rule on the strongest, and the two refits (``_ablations``).

    The rule's threshold comes from the training rows; every comparison with
    the champion is on the same test rows.
    """
    from reportgen.stats.single_feature import best_threshold_rule

    strongest = aucs[0]
    j = encoder.names.index(strongest.feature)
    rule = best_threshold_rule(y_train, x_train[:, j])
    rule_test = score(y_test, rule.scores(x_test[:, j]), rule.oriented_threshold, settings.seed)
    champion_auc, champion_accuracy = champion_test.value("roc_auc"), champion_test.value("accuracy")
    feature_gap = champion_auc - strongest.auc_test
    rule_gap = champion_accuracy - rule_test.value("accuracy")
    return ShortcutAudit(
        margin=settings.shortcut_margin,
        feature_aucs=tuple(aucs),
        strongest=strongest.feature,
        strongest_group=strongest.group,
        rule=Rule(strongest.feature, strongest.group, rule.higher_means_positive, rule.threshold, rule.accuracy, rule_test),
        without_strongest_group=without,
        text_only=text_only,
        champion_auc=champion_auc,
        champion_accuracy=champion_accuracy,
        feature_gap=feature_gap,
        rule_gap=rule_gap,
        feature_is_shortcut=feature_gap <= settings.shortcut_margin,
        rule_is_shortcut=rule_gap <= settings.shortcut_margin,
    )


def _ablations(group: str, encoder: Encoder, *data: Any) -> tuple[Ablation, Ablation]:
    """The champion refitted without the strongest feature ``group``, and on the text alone (``data``: as ``_ablation`` takes it)."""
    others = tuple(g for g in encoder.groups if g != group)
    return _ablation(f"without {group}", others, encoder, *data), _ablation("text only", ("text",), encoder, *data)


def _ablation(
    name: str,
    groups: tuple[str, ...],
    encoder: Encoder,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    champion: Candidate,
    settings: ClassifierSettings,
) -> Ablation:
    """The champion's family with its chosen parameters, fitted on the training rows of some groups only, scored on test."""
    keep = [i for i, n in enumerate(encoder.names) if encoder.group_of(n) in groups]
    model = _estimator(champion.name, settings).set_params(**champion.best_params)
    model.fit(x_train[:, keep], y_train)
    _predict_alone(model)
    scored = score(y_test, model.predict_proba(x_test[:, keep])[:, 1], settings.threshold, settings.seed)
    return Ablation(name, groups, len(keep), scored)
