"""Assumption checks of logistic regression, in a registry: one function, one entry.

The costly numbers (VIF screening, Box-Tidwell) are computed once into a
``CheckContext``; each check only reads them and gives a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.analysis.design import DesignSpec
from reportgen.analysis.logit import fit_logit
from reportgen.config import Config
from reportgen.results import Assumptions, CheckResult, Collinearity, DataSummary, Influence

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class CheckContext:
    """Everything the checks read, computed once."""

    data: DataSummary
    y_train: np.ndarray
    spec: DesignSpec  # the predictors that are modelled
    collinearity: Collinearity
    box_tidwell_p: dict[str, float]
    influence: Influence | None  # Cook's distance and the refit without the most influential rows


Check = Callable[[CheckContext, Config], CheckResult]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register an assumption check (order of registration is the report's order)."""
    CHECKS.append(fn)
    return fn


def vif_by_feature(X: np.ndarray, spec: DesignSpec) -> dict[str, float]:
    """Variance inflation factor of each predictor (its largest over its dummy columns).

    VIF_j = 1 / (1 - R²_j), R²_j from regressing design column j (a
    standardised count or a 0/1 dummy) on all the other design columns with an
    intercept; a perfect copy gives infinity. See ``gvif_by_feature`` for
    categories with several levels.
    """
    import numpy as np

    names, owner = spec.column_names(), spec.feature_of()
    residual = _residual_sums(X)
    out: dict[str, float] = {}
    for j in range(1, X.shape[1]):
        centred = X[:, j] - X[:, j].mean()
        ss_tot = float(centred @ centred)
        r2 = 1 - residual[j] / ss_tot if ss_tot > 0 else 1.0
        vif = math.inf if r2 >= 1 - 1e-10 else 1 / (1 - r2)
        feature = owner[names[j]]
        out[feature] = max(out.get(feature, 0.0), vif)
    return out


#: Above this condition number of X'X its inverse loses digits that matter; the regressions are then run one by one.
_GRAM_CONDITION_LIMIT = 1e8


def _residual_sums(X: np.ndarray) -> np.ndarray:
    """Residual sum of squares of each column of ``X`` regressed on all the others.

    For a well-conditioned X it is 1 / [(X'X)^-1]_jj (the Schur complement):
    one pass over the rows instead of one least-squares fit a column, which
    matters at a million rows. A nearly singular X (a copy of a column, say)
    is regressed column by column, as that identity is then inexact.
    """
    import numpy as np

    gram = X.T @ X
    if np.linalg.cond(gram) < _GRAM_CONDITION_LIMIT:
        return 1 / np.diag(np.linalg.inv(gram))
    out = np.empty(X.shape[1])
    for j in range(X.shape[1]):
        others = np.delete(X, j, axis=1)
        coef, *_ = np.linalg.lstsq(others, X[:, j], rcond=None)
        resid = X[:, j] - others @ coef
        out[j] = float(resid @ resid)
    return out


def gvif_by_feature(X: np.ndarray, spec: DesignSpec) -> dict[str, tuple[float, int]]:
    """Generalised VIF of each predictor and its degrees of freedom (Fox & Monette 1992).

    GVIF = det(R₁₁) · det(R₂₂) / det(R), with R the correlation matrix of the
    design columns (intercept left out), R₁₁ the block of the predictor's own
    columns and R₂₂ that of all the others. For one column (a continuous
    predictor, a binary category) it equals the VIF; GVIF^(1/(2·df)) makes
    predictors with several dummy columns comparable. A singular R gives infinity.
    """
    import numpy as np

    cols = spec.column_names()[1:]
    Z = X[:, 1:]
    sd = Z.std(axis=0)
    if Z.shape[1] < 2 or not np.all(sd > 0):
        owner = spec.feature_of()
        return {f: (1.0, sum(owner[c] == f for c in cols)) for f in spec.features}
    return gvif_from_correlation(np.corrcoef(Z, rowvar=False), spec)


def gvif_from_correlation(R: np.ndarray, spec: DesignSpec) -> dict[str, tuple[float, int]]:
    """``gvif_by_feature`` from the correlation matrix ``R`` of the design columns (intercept left out), in ``spec``'s order.

    An engine computes ``R`` over every usable row (``engines.describe.design_correlation``); the formula is the same.
    """
    import numpy as np

    cols, owner = spec.column_names()[1:], spec.feature_of()
    sign, logdet = np.linalg.slogdet(R)
    out: dict[str, tuple[float, int]] = {}
    for f in spec.features:
        own = [i for i, c in enumerate(cols) if owner[c] == f]
        rest = [i for i in range(len(cols)) if i not in own]
        if sign <= 0 or logdet < -30:
            out[f] = (math.inf, len(own))
            continue
        _, ld_own = np.linalg.slogdet(R[np.ix_(own, own)])
        _, ld_rest = np.linalg.slogdet(R[np.ix_(rest, rest)])
        out[f] = (float(np.exp(ld_own + ld_rest - logdet)), len(own))
    return out


def _tie_key(vif: float) -> float:
    """A VIF rounded to 9 significant digits, so float noise does not break a tie."""
    return vif if math.isinf(vif) else float(f"{vif:.9g}")


def screen_collinearity(X: np.ndarray, spec: DesignSpec, config: Config) -> Collinearity:
    """Leave out, one at a time, the predictor with the largest VIF while any exceeds the limit.

    On a tie an extra candidate goes before a configured predictor, and a later
    candidate before an earlier one: the same data always keep the same predictors.
    """
    import numpy as np

    extras = set(config.model.extra_candidates) - set(config.model.predictors)
    order = {f: i for i, f in enumerate(spec.features)}
    vif = vif_by_feature(X, spec)
    kept, dropped = spec, []
    current = vif
    while len(kept.features) > 1 and max(current.values()) > config.checks.vif_limit:
        worst = max(current, key=lambda f: (_tie_key(current[f]), f in extras, order[f]))
        dropped.append(worst)
        kept = kept.restrict(tuple(f for f in kept.features if f != worst))
        current = vif_by_feature(spec.select(X, kept), kept)
    cont = list(spec.continuous)
    corr = np.corrcoef(X[:, 1 : 1 + len(cont)], rowvar=False) if len(cont) > 1 else np.ones((1, 1))
    pairs = tuple(
        (cont[i], cont[j], float(corr[i, j]))
        for i in range(len(cont))
        for j in range(i + 1, len(cont))
        if abs(corr[i, j]) >= config.checks.correlation_limit
    )
    gvif = gvif_by_feature(X, spec)
    return Collinearity(
        vif=vif,
        vif_after=current,
        high_pairs=pairs,
        dropped=tuple(dropped),
        gvif={f: g for f, (g, _) in gvif.items()},
        gvif_df={f: df for f, (_, df) in gvif.items()},
        gvif_adjusted={f: (g ** (1 / (2 * df)) if df else 1.0) for f, (g, df) in gvif.items()},
    )


def box_tidwell(y: np.ndarray, X: np.ndarray, spec: DesignSpec) -> dict[str, float]:
    """p-value of each continuous predictor's x·ln(x) term, all added to one fit.

    Counts can be zero, so x is shifted to x + 1 and divided by its SD (the
    test does not depend on the scale while the linear term is in the model).
    """
    import numpy as np

    if not spec.continuous:
        return {}
    extra = []
    for j, name in enumerate(spec.continuous, start=1):
        raw = X[:, j] * spec.sds[name] + spec.means[name]
        shifted = (raw - raw.min() + 1) / spec.sds[name]
        extra.append(shifted * np.log(shifted))
    fit = fit_logit(y, np.column_stack([X, *extra]), [])
    if fit.result is None:
        return {name: math.nan for name in spec.continuous}
    p = np.asarray(fit.result.pvalues)[X.shape[1] :]
    return {name: float(v) for name, v in zip(spec.continuous, p)}


def run_checks(context: CheckContext, config: Config) -> Assumptions:
    """Every registered check, in order."""
    return Assumptions(
        checks=tuple(c(context, config) for c in CHECKS),
        collinearity=context.collinearity,
        box_tidwell_p=context.box_tidwell_p,
    )


def _fmt(x: float) -> str:
    """A VIF or ratio for a detail line."""
    return "infinite" if math.isinf(x) else f"{x:.2f}"


def _largest(vif: dict[str, float]) -> tuple[str, float]:
    """The predictor with the largest VIF, and that VIF."""
    worst = max(vif, key=vif.get)
    return worst, vif[worst]


def _vif_value(vif: float) -> float | str:
    """A VIF as results.json records it: rounded, or "inf" for a perfect copy."""
    return "inf" if math.isinf(vif) else round(vif, 4)


@check
def binary_outcome(ctx: CheckContext, config: Config) -> CheckResult:
    """The target takes exactly two values."""
    labels = [k for k, v in ctx.data.target_counts.items() if v > 0]
    ok = len(labels) == 2
    return CheckResult(
        "Binary outcome",
        "pass" if ok else "fail",
        len(labels),
        f"{config.model.target} takes {len(labels)} value(s): {', '.join(labels)}",
    )


@check
def independent_observations(ctx: CheckContext, config: Config) -> CheckResult:
    """One row per video: no repeated ids, no repeated rows."""
    repeats = ctx.data.duplicate_ids + ctx.data.duplicate_rows
    return CheckResult(
        "Independent observations",
        "pass" if repeats == 0 else "warn",
        repeats,
        f"{ctx.data.duplicate_ids} repeated video_id and {ctx.data.duplicate_rows} repeated rows in the file"
        + ("" if repeats == 0 else "; repeats were dropped before modelling"),
    )


@check
def multicollinearity_candidates(ctx: CheckContext, config: Config) -> CheckResult:
    """VIF of every candidate predictor, before the screening rule."""
    c, limits = ctx.collinearity, config.checks
    worst, top = _largest(c.vif)
    status = "fail" if top > limits.vif_severe else "warn" if top > limits.vif_limit else "pass"
    rule = (
        f"rule: leave out the largest VIF while any exceeds {limits.vif_limit:g}; left out: {', '.join(c.dropped)}"
        if c.dropped
        else f"no VIF exceeds {limits.vif_limit:g}"
    )
    return CheckResult(
        "No severe multicollinearity (candidates)",
        status,
        _vif_value(top),
        f"largest VIF {_fmt(top)} ({worst}); {len(c.high_pairs)} pair(s) with |r| ≥ {limits.correlation_limit:g}; {rule}",
    )


@check
def multicollinearity_model(ctx: CheckContext, config: Config) -> CheckResult:
    """VIF of the predictors that were modelled, after the screening."""
    c, limits = ctx.collinearity, config.checks
    worst, top = _largest(c.vif_after)
    kept = set(ctx.spec.features)
    pairs = [p for p in c.high_pairs if p[0] in kept and p[1] in kept]
    status = "pass" if top <= limits.vif_limit and not pairs else "warn"
    pair_text = "; ".join(f"{a} and {b} r = {r:.2f}" for a, b, r in pairs) or "no pair"
    return CheckResult(
        "No severe multicollinearity (model)",
        status,
        _vif_value(top),
        f"largest VIF {_fmt(top)} ({worst}); correlated pairs kept: {pair_text}",
    )


@check
def influential_observations(ctx: CheckContext, config: Config) -> CheckResult:
    """Cook's distance of the inference fit; warn when an effect changes without the most influential rows."""
    inf = ctx.influence
    name = "Influential observations (Cook's distance)"
    if inf is None:
        return CheckResult(name, "warn", "not computed", "the fit or the refit without the most influential rows did not converge")
    flagged = inf.flagged()
    changes = (
        "; ".join(
            f"{t.term}: p {t.p_before:.3g} → {t.p_after:.3g}" + (", direction reverses" if t.direction_changes else "")
            for t in flagged
        )
        + f": {'it depends' if len(flagged) == 1 else 'they depend'} on a few rows"
        if flagged
        else f"no term changes significance (α = {inf.alpha:g}) or direction"
    )
    detail = (
        f"{inf.above_cutoff:,} of {inf.n:,} training rows have Cook's D above 4/n = {inf.cutoff:.2g} (largest {inf.max_cooks:.3g}); "
        f"refit without the {inf.dropped_rows} most influential rows: {changes}"
    )
    return CheckResult(name, "warn" if flagged else "pass", inf.above_cutoff, detail)


@check
def linearity_of_logit(ctx: CheckContext, config: Config) -> CheckResult:
    """Box-Tidwell: no x·ln(x) term significant after Bonferroni correction."""
    p = ctx.box_tidwell_p
    if not p:
        return CheckResult("Linearity of the logit (Box-Tidwell)", "pass", 1.0, "no continuous predictor")
    alpha = config.checks.alpha / len(p)
    failing = [name for name, v in p.items() if v < alpha]
    unknown = [name for name, v in p.items() if math.isnan(v)]
    smallest = min((v for v in p.values() if not math.isnan(v)), default=math.nan)
    status = "fail" if failing else "warn" if unknown else "pass"
    detail = (
        f"non-linear at α = {alpha:.3g} (Bonferroni): {', '.join(failing)}; their odds ratios are average effects"
        if failing
        else f"no x·ln(x) term significant at α = {alpha:.3g} (Bonferroni)"
    ) + (f"; not estimable for {', '.join(unknown)}" if unknown else "")
    return CheckResult("Linearity of the logit (Box-Tidwell)", status, smallest, detail)


@check
def sample_size(ctx: CheckContext, config: Config) -> CheckResult:
    """Events per predictor parameter: the rarer class's training count over the slopes."""
    events = int(min(ctx.y_train.sum(), len(ctx.y_train) - ctx.y_train.sum()))
    params = max(len(ctx.spec.column_names()) - 1, 1)
    epp = events / params
    limits = config.checks
    status = "pass" if epp >= limits.good_events_per_predictor else "warn" if epp >= limits.min_events_per_predictor else "fail"
    return CheckResult(
        "Sample size (events per predictor)",
        status,
        round(epp, 2),
        f"{events} training rows in the rarer class for {params} slope parameters",
    )


@check
def class_imbalance(ctx: CheckContext, config: Config) -> CheckResult:
    """The minority share, and how the model handles it."""
    share = float(min(ctx.y_train.mean(), 1 - ctx.y_train.mean()))
    handling = {
        "class_weight": "handled by class weights on the training rows",
        "upsample": "handled by upsampling the training rows",
        "none": "not handled: balancing is off",
    }[config.model.balancing]
    ratio = (1 - share) / share if share > 0 else math.inf
    return CheckResult(
        "Class imbalance",
        "warn" if share < config.checks.imbalance_warn_share else "pass",
        round(share, 6),
        f"minority share {share:.1%} (1 : {_fmt(ratio)}); {handling}; the test set keeps the real mix",
    )
