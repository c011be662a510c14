"""What the model is worth: intervals on its test metrics, cross-validation, and its value over claim status alone.

The regression's classifier may in effect be one rule ("flag every opinion
video"). This module measures that: a baseline model of claim status alone,
scored on the same test rows, and the likelihood-ratio test of every other
predictor jointly (both inference fits on the training rows, unweighted). The
test metrics get seeded bootstrap intervals, ROC AUC a cross-validated value
on the training rows, and a small table shows what other cut-offs on the score
would do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.analysis.design import DesignSpec
from reportgen.analysis.logit import LogitFit, fit_logit
from reportgen.analysis.split import Split
from reportgen.config import Config
from reportgen.results import MetricInterval, ModelValue, ThresholdRow

if TYPE_CHECKING:
    import numpy as np

#: The one column the baseline model knows.
BASELINE = ("claim_status",)
CV_FOLDS = 5
#: Cut-offs of the threshold table (the configured one is added).
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: Metrics shown with an interval (average precision is shown too).
SHOWN = ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision")


def model_value(
    split: Split,
    spec: DesignSpec,
    X_train: np.ndarray,
    scores: np.ndarray,
    config: Config,
    cv_f1: float | None = None,
    fit: LogitFit | None = None,
) -> ModelValue:
    """Intervals, cross-validated ROC AUC, the claim-status-only baseline and the joint LR test.

    Parameters
    ----------
    split : Split
    spec : DesignSpec
        The modelled predictors (after screening).
    X_train : ndarray
        ``spec.matrix(split.train)``.
    scores : ndarray
        The report's classifier's scores on ``split.test``.
    config : Config
        ``model.threshold`` is the operating point (the one chosen by ``cv_threshold`` when asked for).
    cv_f1 : float, optional
        The out-of-fold F1 of a cross-validated operating point.
    fit : LogitFit, optional
        The inference fit on ``X_train`` when the caller has it already (the LR test's full model).

    Returns
    -------
    ModelValue
    """
    import numpy as np
    from scipy.stats import chi2

    from reportgen.stats.intervals import paired_intervals
    from reportgen.stats.sampling import REFIT_ROWS

    m = config.model
    cv = cross_validated_auc(split, spec, config)
    base_features = tuple(f for f in BASELINE if f in spec.features)
    added = tuple(f for f in spec.features if f not in base_features)
    base_auc = base_low = base_high = lr = p = base_scores = None
    df = 0
    if base_features and added:
        from reportgen.analysis.model import fit_classifier

        base_spec = spec.restrict(base_features)
        base_clf = fit_classifier(split, base_spec, config)
        base_scores = base_clf.predict_proba(split.test)[:, 1]
        full = fit or fit_logit(split.y_train, X_train, spec.column_names())
        small = fit_logit(split.y_train, spec.select(X_train, base_spec), base_spec.column_names())
        if full.result is not None and small.result is not None:
            df = len(spec.column_names()) - len(base_spec.column_names())
            lr = max(float(2 * (full.result.llf - small.result.llf)), 0.0)
            p = float(chi2.sf(lr, df))
    # The model and the baseline are scored on the same resamples (one drawing, paired intervals).
    scored = paired_intervals(split.y_test, [scores] + ([base_scores] if base_scores is not None else []), m.threshold, seed=m.seed)
    intervals = tuple(MetricInterval.of(i) for i in scored[0])
    if base_scores is not None:
        base_auc_iv = next(i for i in scored[1] if i.metric == "roc_auc")
        base_auc, base_low, base_high = base_auc_iv.estimate, base_auc_iv.low, base_auc_iv.high
    thresholds = tuple(sorted({*THRESHOLDS, float(m.threshold)}))
    return ModelValue(
        intervals=intervals,
        cv_folds=len(cv),
        cv_roc_auc=tuple(cv),
        cv_roc_auc_mean=float(np.mean(cv)) if cv else None,
        cv_roc_auc_sd=float(np.std(cv, ddof=1)) if len(cv) > 1 else None,
        baseline_features=base_features,
        baseline_roc_auc=base_auc,
        baseline_roc_auc_low=base_low,
        baseline_roc_auc_high=base_high,
        added_features=added if base_features else (),
        lr_statistic=lr,
        lr_df=df,
        lr_p_value=p,
        mean_score=float(np.mean(scores)),
        train_positive_share=float(split.y_train.mean()),
        thresholds=tuple(threshold_row(split.y_test, scores, t) for t in thresholds),
        seed=m.seed,
        threshold_source=m.operating_point,
        cv_threshold_f1=cv_f1,
        cv_rows=min(len(split.y_train), REFIT_ROWS),
    )


def threshold_row(y: np.ndarray, scores: np.ndarray, threshold: float) -> ThresholdRow:
    """Share of rows flagged, precision and recall at one cut-off."""
    flagged = scores >= threshold
    tp = int((flagged & (y == 1)).sum())
    n_flag, n_pos = int(flagged.sum()), int(y.sum())
    return ThresholdRow(
        threshold=float(threshold),
        share_flagged=n_flag / len(y) if len(y) else 0.0,
        precision=tp / n_flag if n_flag else 0.0,
        recall=tp / n_pos if n_pos else 0.0,
    )


def cross_validated_auc(split: Split, spec: DesignSpec, config: Config) -> list[float]:
    """Out-of-fold ROC AUC of the prediction pipeline, on the training rows only (stratified, seeded)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    from reportgen.analysis.model import fit_classifier

    from reportgen.stats.sampling import bounded_rows

    rows = bounded_rows(split.y_train, config.model.seed)
    train, y = split.train.iloc[rows], split.y_train[rows]
    folds = min(CV_FOLDS, int(y.sum()), int(len(y) - y.sum()))
    if folds < 2:
        return []
    out = []
    for fit_rows, check_rows in StratifiedKFold(folds, shuffle=True, random_state=config.model.seed).split(np.zeros(len(y)), y):
        inner = Split(train.iloc[fit_rows], train.iloc[check_rows], y[fit_rows], y[check_rows])
        clf = fit_classifier(inner, spec, config)
        out.append(float(roc_auc_score(inner.y_test, clf.predict_proba(inner.test)[:, 1])))
    return out


def cv_threshold(split: Split, spec: DesignSpec, config: Config) -> tuple[float, float]:
    """The cut-off that maximises F1 of out-of-fold scores on the training rows, and that F1.

    The folds are those of ``cross_validated_auc`` (stratified, seeded); the
    candidates are the distinct out-of-fold scores (a cut-off at a score flags
    that row and every higher one). The test rows are never read.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from reportgen.analysis.model import fit_classifier

    y = split.y_train
    folds = min(CV_FOLDS, int(y.sum()), int(len(y) - y.sum()))
    if folds < 2:
        return float(config.model.threshold), float("nan")
    oof = np.empty(len(y))
    for fit_rows, check_rows in StratifiedKFold(folds, shuffle=True, random_state=config.model.seed).split(np.zeros(len(y)), y):
        inner = Split(split.train.iloc[fit_rows], split.train.iloc[check_rows], y[fit_rows], y[check_rows])
        clf = fit_classifier(inner, spec, config)
        oof[check_rows] = clf.predict_proba(inner.test)[:, 1]
    order = np.argsort(-oof, kind="stable")
    ranked, hits = oof[order], np.cumsum(y[order])
    flagged = np.arange(1, len(y) + 1)
    f1 = 2 * hits / (flagged + y.sum())
    last = np.r_[ranked[1:] != ranked[:-1], True]  # a cut-off flags every row with the same score
    best = int(np.argmax(np.where(last, f1, -1.0)))
    cut = float(min(max(ranked[best], 1e-6), 1 - 1e-6))
    return cut, float(f1[best])
