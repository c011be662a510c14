"""The method note: what the metrics would read under two shortcuts the report refuses.

1. Re-balancing the test set to 50/50 (here by weighting each class to half the
   total weight): recall and specificity stay, but precision and accuracy are
   read at a prevalence the data does not have.
2. Upsampling the minority class before the split, as the course notebook does:
   copies of the same video land on both sides of the split, so the test set
   partly checks the model on rows it was trained on.

Both are computed on the data at hand so the note can show, not assert, the gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.analysis.design import DesignSpec, design_spec
from reportgen.analysis.evaluation import evaluate
from reportgen.analysis.model import fit_classifier
from reportgen.analysis.split import Split
from reportgen.config import Config
from reportgen.results import Evaluation, MethodComparison, ScenarioMetrics, SeedRepeats

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def compare_methods(
    frame: pd.DataFrame, split: Split, spec: DesignSpec, scores: np.ndarray, evaluation: Evaluation, config: Config
) -> MethodComparison:
    """Metrics of the honest evaluation beside a re-balanced test set and upsampling before the split.

    Parameters
    ----------
    frame : DataFrame
        All usable rows (before the split).
    split : Split
        The honest split the report's model was trained and tested on.
    spec : DesignSpec
        The predictors the model uses (after the collinearity screening).
    scores : ndarray
        The report's classifier's predicted probabilities on ``split.test``.
    evaluation : Evaluation
        The honest evaluation of ``scores``.
    config : Config

    Returns
    -------
    MethodComparison
    """
    from reportgen.stats.sampling import bounded_rows

    m = config.model
    honest = _scenario(evaluation, len(split.y_test), float(split.y_test.mean()))
    rebalanced = rebalanced_metrics(split.y_test, scores, m.threshold)
    # The shortcut's refits run on at most REFIT_ROWS rows (every row of the claims file): the leak they show
    # does not need a million rows, and the report says when a sample was used.
    bounded = frame.iloc[bounded_rows((frame[m.target].astype(str) == m.positive_class).to_numpy(), m.seed)]
    upsampled, copies, positive_copies, rows_after = _upsampled_first(bounded, spec, config)
    return MethodComparison(
        honest=honest,
        rebalanced=rebalanced,
        upsampled_first=upsampled,
        rows_before_upsampling=len(bounded),
        rows_after_upsampling=rows_after,
        test_copies=copies,
        test_positive_copies=positive_copies,
        seed=m.seed,
        repeats=repeat_over_seeds(bounded, spec, config, m.method_note_seeds, rows_total=len(frame)),
    )


def repeat_over_seeds(frame: pd.DataFrame, spec: DesignSpec, config: Config, count: int, rows_total: int | None = None) -> SeedRepeats:
    """ROC AUC split-first and upsampled-first, and the leaked copies, over ``count`` seeds (seed, seed + 1, ...).

    Each seed draws its own split, its own upsampled copies and its own split of
    those; the split-first side refits the report's pipeline on that seed's
    training rows and scores its untouched test rows. ``frame`` may be a
    bounded sample of ``rows_total`` usable rows (default: all of them).
    """
    import dataclasses

    from sklearn.metrics import roc_auc_score

    from reportgen.analysis.split import split_data

    m = config.model
    total = rows_total or len(frame)
    seeds = tuple(m.seed + i for i in range(count))
    honest, upsampled, copies = [], [], []
    for seed in seeds:
        seeded = dataclasses.replace(config, model=dataclasses.replace(m, seed=seed))
        split = split_data(frame, seeded)
        seed_spec = design_spec(split.train, spec.features)
        classifier = fit_classifier(split, seed_spec, seeded)
        test = split.test[list(seed_spec.features)].astype({c: str for c in seed_spec.categorical})
        honest.append(float(roc_auc_score(split.y_test, classifier.predict_proba(test)[:, 1])))
        metrics, leaked, _, _ = _upsampled_first(frame, spec, seeded)
        upsampled.append(metrics.roc_auc)
        copies.append(leaked)
    gaps = [u - h for u, h in zip(upsampled, honest)]
    return SeedRepeats(
        seeds=seeds,
        honest_roc_auc=tuple(honest),
        upsampled_roc_auc=tuple(upsampled),
        test_copies=tuple(copies),
        honest_mean=sum(honest) / count,
        honest_min=min(honest),
        honest_max=max(honest),
        upsampled_mean=sum(upsampled) / count,
        upsampled_min=min(upsampled),
        upsampled_max=max(upsampled),
        gap_mean=sum(gaps) / count,
        gap_min=min(gaps),
        gap_max=max(gaps),
        upsampled_higher=sum(g > 0 for g in gaps),
        copies_min=min(copies),
        copies_max=max(copies),
        rows_total=total,
        rows_per_seed=len(frame),
    )


def rebalanced_metrics(y_test: np.ndarray, scores: np.ndarray, threshold: float) -> ScenarioMetrics:
    """Metrics with each class weighted to half of the test set (a 50/50 mix, no row dropped or copied).

    Parameters
    ----------
    y_test : ndarray of 0/1
    scores : ndarray of float
    threshold : float

    Returns
    -------
    ScenarioMetrics
        ``positive_share`` is 0.5 by construction.
    """
    import numpy as np
    from sklearn.metrics import average_precision_score, roc_auc_score

    positives = int(y_test.sum())
    negatives = len(y_test) - positives
    weight = np.where(y_test == 1, 0.5 / positives, 0.5 / negatives)
    predicted = scores >= threshold
    tp = float(weight[predicted & (y_test == 1)].sum())
    fp = float(weight[predicted & (y_test == 0)].sum())
    fn = float(weight[~predicted & (y_test == 1)].sum())
    tn = float(weight[~predicted & (y_test == 0)].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return ScenarioMetrics(
        n_test=len(y_test),
        positive_share=float(weight[y_test == 1].sum()),
        accuracy=tp + tn,
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        roc_auc=float(roc_auc_score(y_test, scores, sample_weight=weight)),
        average_precision=float(average_precision_score(y_test, scores, sample_weight=weight)),
        baseline_accuracy=max(tn + fp, tp + fn),
    )


def _upsampled_first(frame: pd.DataFrame, spec: DesignSpec, config: Config) -> tuple[ScenarioMetrics, int, int, int]:
    """The course notebook's order: upsample all rows, then split, fit and score; count leaked copies."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    m = config.model
    y = (frame[m.target].astype(str) == m.positive_class).to_numpy().astype(int)
    rng = np.random.default_rng(m.seed)
    minority = int(y.mean() < 0.5)
    idx_min, idx_maj = np.flatnonzero(y == minority), np.flatnonzero(y != minority)
    extra = rng.choice(idx_min, size=len(idx_maj) - len(idx_min), replace=True)
    origin = np.concatenate([np.arange(len(y)), extra])  # source row of every upsampled row
    upsampled = frame[list(spec.features)].iloc[origin].reset_index(drop=True)  # only what the model reads
    train_pos, test_pos = train_test_split(
        np.arange(len(origin)), test_size=m.test_size, stratify=y[origin], random_state=m.seed
    )
    split = Split(upsampled.iloc[train_pos], upsampled.iloc[test_pos], y[origin][train_pos], y[origin][test_pos])
    leaked = np.isin(origin[test_pos], origin[train_pos])
    contaminated_spec = design_spec(split.train, spec.features)
    classifier = fit_classifier(split, contaminated_spec, config)
    test = split.test[list(contaminated_spec.features)].astype({c: str for c in contaminated_spec.categorical})
    evaluation = evaluate(split.y_test, classifier.predict_proba(test)[:, 1], m.threshold)
    metrics = _scenario(evaluation, len(split.y_test), float(split.y_test.mean()))
    return metrics, int(leaked.sum()), int((leaked & (split.y_test == 1)).sum()), len(origin)


def _scenario(e: Evaluation, n_test: int, positive_share: float) -> ScenarioMetrics:
    """The comparable metrics of an ``Evaluation``."""
    return ScenarioMetrics(
        n_test=n_test,
        positive_share=positive_share,
        accuracy=e.accuracy,
        precision=e.precision,
        recall=e.recall,
        f1=e.f1,
        roc_auc=e.roc_auc,
        average_precision=e.average_precision,
        baseline_accuracy=e.baseline_accuracy,
    )
