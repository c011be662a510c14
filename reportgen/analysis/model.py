"""The model: statsmodels Logit for inference, a scikit-learn logistic regression for prediction.

Both read the same design matrix. Inference uses the real training rows,
unweighted: class weights or duplicated rows would shift the intercept and make
standard errors wrong. Balancing applies to the prediction model only, and
never to the test set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.analysis.design import INTERCEPT, LOG1P_COLUMNS, DesignSpec
from reportgen.analysis.logit import LogitFit, fit_logit
from reportgen.analysis.split import Split
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.results import FitRows, ModelFit, Term

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

Z_95 = 1.959963984540054


def fit_inference(
    split: Split, spec: DesignSpec, X_train: np.ndarray, config: Config, fit: LogitFit | None = None, fitted_on: FitRows | None = None
) -> ModelFit:
    """Fit the Logit on standardised columns and report every term per unit and per SD.

    Parameters
    ----------
    split : Split
        The training labels and sizes.
    spec : DesignSpec
        Columns, scaling and reference levels (from training rows).
    X_train : ndarray
        ``spec.matrix(split.train)``, built once by the caller.
    config : Config
    fit : LogitFit, optional
        ``fit_logit(split.y_train, X_train, spec.column_names())`` when the caller has it already, or an
        engine's fit of the same design over every usable training row (then ``fitted_on`` says which rows).
    fitted_on : FitRows, optional
        The rows of such an engine's fit; ``n_train`` and the shares stay those of the split.

    Returns
    -------
    ModelFit
    """
    import numpy as np

    names = spec.column_names()
    fit = fit or fit_logit(split.y_train, X_train, names)
    if fit.result is None:
        raise InputError("the logistic regression could not be fitted: " + "; ".join(fit.warnings), column=config.model.target)
    beta, cov = np.asarray(fit.result.params), np.asarray(fit.result.cov_params())
    terms = holm(_terms(spec, names, beta, cov))
    m = config.model
    return ModelFit(
        target=m.target,
        positive_class=m.positive_class,
        features=spec.features,
        reference_levels=dict(spec.reference),
        n_train=len(split.y_train),
        n_test=len(split.y_test),
        train_positive_share=float(split.y_train.mean()),
        test_positive_share=float(split.y_test.mean()),
        balancing=m.balancing,
        terms=terms,
        converged=fit.converged,
        pseudo_r2=float(fit.result.prsquared),
        llr_p_value=float(fit.result.llr_pvalue),
        warnings=fit.warnings + tuple(f"'{c}' has one value only in the training rows and was left out" for c in spec.constant),
        log1p_columns=tuple(c for c in spec.continuous if c in LOG1P_COLUMNS) if m.log1p_counts else (),
        fitted_on=fitted_on,
    )


def _terms(spec: DesignSpec, names: list[str], beta: np.ndarray, cov: np.ndarray) -> tuple[Term, ...]:
    """Back-transform standardised estimates to per-unit ones (exactly, via the covariance)."""
    import numpy as np
    from scipy.stats import norm

    T = np.eye(len(names))
    for j, name in enumerate(names):
        if name in spec.sds:
            T[j, j] = 1 / spec.sds[name]
            T[0, j] = -spec.means[name] / spec.sds[name]
    raw, raw_cov = T @ beta, T @ cov @ T.T
    se = np.sqrt(np.clip(np.diag(raw_cov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * norm.sf(np.abs(raw / se))
    std_se = np.sqrt(np.clip(np.diag(cov), 0, None))
    return tuple(
        _term(name, spec, raw[j], se[j], p[j], beta[j], std_se[j]) for j, name in enumerate(names)
    )


def holm(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms with Holm-adjusted p-values over every non-intercept term (the intercept keeps None).

    Examples
    --------
    >>> t = lambda n, p: Term(n, "continuous", 0, 1, p, 0, 0, 1, 1, 1)
    >>> [x.p_holm for x in holm((t("a", 0.01), t("b", 0.04), t("c", 0.03)))]
    [0.03, 0.06, 0.06]
    """
    import dataclasses

    slopes = sorted((t.p_value, i) for i, t in enumerate(terms) if t.kind != "intercept")
    adjusted: dict[int, float] = {}
    running = 0.0
    for rank, (p, i) in enumerate(slopes):
        running = max(running, min(1.0, (len(slopes) - rank) * p))
        adjusted[i] = running
    return tuple(dataclasses.replace(t, p_holm=adjusted[i]) if i in adjusted else t for i, t in enumerate(terms))


def _term(name: str, spec: DesignSpec, coef: float, se: float, p: float, std_coef: float, std_se: float) -> Term:
    """One table row: coefficient, CI and odds ratios; per SD for continuous predictors."""
    import math

    low, high = coef - Z_95 * se, coef + Z_95 * se
    kind = "intercept" if name == INTERCEPT else "continuous" if name in spec.sds else "category"
    per_sd: dict[str, Any] = {}
    if kind == "continuous":
        per_sd = {
            "sd": spec.sds[name],
            "or_per_sd": _exp(std_coef),
            "or_per_sd_ci_low": _exp(std_coef - Z_95 * std_se),
            "or_per_sd_ci_high": _exp(std_coef + Z_95 * std_se),
        }
    return Term(
        term=name,
        kind=kind,
        coef=float(coef),
        std_err=float(se),
        p_value=float(p) if math.isfinite(p) else 1.0,
        ci_low=float(low),
        ci_high=float(high),
        odds_ratio=_exp(coef),
        or_ci_low=_exp(low),
        or_ci_high=_exp(high),
        **per_sd,
    )


def _exp(x: float) -> float:
    """exp that saturates instead of overflowing (separated fits have huge coefficients)."""
    import math

    return math.exp(min(float(x), 700.0))


@dataclass(frozen=True)
class BalancedLogit:
    """The prediction model: the study's design matrix, then a (class-weighted) logistic fit.

    The design (``DesignSpec.matrix``: training means and SDs, treatment dummies) is the one the inference fit
    reads; the fit is unpenalised, so its predictions do not depend on how the columns are scaled.
    """

    spec: DesignSpec
    fitted: Any  # sklearn.linear_model.LogisticRegression, fitted on ``spec.matrix(...)`` without its intercept column

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Probabilities of (other, positive class) for each row of ``frame``, as scikit-learn gives them."""
        return self.fitted.predict_proba(self.spec.matrix(frame)[:, 1:])


def fit_classifier(split: Split, spec: DesignSpec, config: Config) -> BalancedLogit:
    """The model that makes predictions: the design matrix, then a balanced, unpenalised logistic fit.

    One design for every fit of a study (the inference fit's) and no scikit-learn encoding pipeline: the
    method note and the cross-validation refit this model dozens of times, and a pipeline re-encoding the
    same text columns each time cost four times the fits themselves.
    """
    return BalancedLogit(spec, balanced_logit(spec.matrix(split.train)[:, 1:], split.y_train, config))


def balanced_logit(X: np.ndarray, y: np.ndarray, config: Config) -> Any:
    """scikit-learn's unpenalised logistic regression of ``y`` on design columns ``X`` (no intercept column), balanced.

    Balancing follows ``model.balancing``: class weights, or the minority class's rows upsampled (seeded), or none.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    weights = "balanced" if config.model.balancing == "class_weight" else None
    # Newton steps (Cholesky of the small Hessian): unpenalised, a few features, so it reaches the optimum in a few
    # iterations where lbfgs stopped at its tolerance about 1 % short of it, and takes a fifth of the time.
    logit = LogisticRegression(C=np.inf, solver="newton-cholesky", class_weight=weights, max_iter=100)
    rows = _balanced_rows(y, config)
    return logit.fit(X[rows], y[rows])


def _balanced_rows(y: np.ndarray, config: Config) -> np.ndarray:
    """Positions of the training rows to fit, the minority class upsampled when that is the chosen balancing."""
    import numpy as np

    rows = np.arange(len(y))
    if config.model.balancing != "upsample":
        return rows
    rng = np.random.default_rng(config.model.seed)
    minority = int(y.mean() < 0.5)
    idx_min, idx_maj = np.flatnonzero(y == minority), np.flatnonzero(y != minority)
    extra = rng.choice(idx_min, size=len(idx_maj) - len(idx_min), replace=True)
    return np.concatenate([rows, extra])
