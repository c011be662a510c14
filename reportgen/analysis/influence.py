"""Influence diagnostics of the inference Logit: Cook's distance, and the fit again without the most influential rows.

Cook's distance of a logistic fit (Pregibon's one-step approximation, as
statsmodels' ``GLMInfluence.cooks_distance`` computes it):

    D_i = r_i² · h_i / (p · (1 - h_i)²)

with r_i the Pearson residual (y_i - π_i) / sqrt(π_i (1 - π_i)), h_i the
leverage (the diagonal of W^½ X (X'WX)⁻¹ X' W^½, W = diag(π(1-π))) and p the
number of parameters. Rows above 4/n are counted (a common screening line, not
a test). The fit is then repeated without the ``drop`` rows of largest D: a
term whose significance (raw p against alpha) or direction changes depends on
a few rows, and is no finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.analysis.design import INTERCEPT
from reportgen.analysis.logit import LogitFit, fit_logit
from reportgen.results import Influence, InfluenceTerm

if TYPE_CHECKING:
    import numpy as np

#: How many of the most influential rows the refit leaves out.
DROP = 10


def cooks_distance(y: np.ndarray, X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Cook's distance of every row of an unweighted logistic fit with coefficients ``beta``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(6), [0., 1, 2, 3, 4, 5]])
    >>> d = cooks_distance(np.array([0, 0, 1, 0, 1, 1]), X, np.array([-2.0, 0.8]))
    >>> d.shape, bool((d >= 0).all())
    ((6,), True)
    """
    import numpy as np

    eta = np.clip(X @ beta, -700, 700)
    pi = 1 / (1 + np.exp(-eta))
    w = np.clip(pi * (1 - pi), 1e-300, None)
    xtwx_inv = np.linalg.pinv(X.T @ (X * w[:, None]))
    h = np.einsum("ij,jk,ik->i", X, xtwx_inv, X) * w
    h = np.clip(h, 0.0, 1 - 1e-12)
    pearson = (y - pi) / np.sqrt(w)
    return pearson**2 * h / (X.shape[1] * (1 - h) ** 2)


def influence(
    y: np.ndarray, X: np.ndarray, names: list[str], sds: dict[str, float], alpha: float, drop: int = DROP, fit: LogitFit | None = None
) -> Influence | None:
    """Cook's distance of the fit on ``X`` and each term before and after leaving out the ``drop`` most influential rows.

    Parameters
    ----------
    y : ndarray of 0/1
        Training labels.
    X : ndarray
        The standardised training design (intercept first), as the inference fit uses it.
    names : list of str
        Column names of ``X``.
    sds : dict
        Training SD of each continuous column (its odds ratio is reported per SD).
    alpha : float
        Significance level: a term "changes significance" when its p crosses it.
    drop : int
        How many rows the refit leaves out.
    fit : LogitFit, optional
        ``fit_logit(y, X, names)`` when the caller has it already.

    Returns
    -------
    Influence or None
        None when either fit is unusable (no result or not converged).
    """
    import math

    import numpy as np

    full = fit or fit_logit(y, X, names)
    if full.result is None or not full.converged:
        return None
    beta = np.asarray(full.result.params)
    d = cooks_distance(y, X, beta)
    n = len(y)
    drop = min(drop, max(n - X.shape[1] - 1, 0))
    order = np.argsort(-d, kind="stable")
    keep = np.ones(n, bool)
    keep[order[:drop]] = False
    refit = fit_logit(y[keep], X[keep], names)
    if refit.result is None or not refit.converged:
        return None
    after, p_before, p_after = np.asarray(refit.result.params), np.asarray(full.result.pvalues), np.asarray(refit.result.pvalues)
    terms = []
    for j, name in enumerate(names):
        if name == INTERCEPT:
            continue
        sig_before, sig_after = bool(p_before[j] < alpha), bool(p_after[j] < alpha)
        flipped = bool(np.sign(beta[j]) != np.sign(after[j]))
        terms.append(
            InfluenceTerm(
                term=name,
                per_sd=name in sds,
                or_before=math.exp(min(float(beta[j]), 700.0)),
                or_after=math.exp(min(float(after[j]), 700.0)),
                p_before=float(p_before[j]),
                p_after=float(p_after[j]),
                significance_changes=sig_before != sig_after,
                direction_changes=flipped and (sig_before or sig_after),
            )
        )
    top = order[:drop]
    return Influence(
        n=n,
        parameters=X.shape[1],
        cutoff=4 / n,
        above_cutoff=int((d > 4 / n).sum()),
        max_cooks=float(d.max()) if n else 0.0,
        dropped_rows=int(drop),
        dropped_positives=int(y[top].sum()),
        alpha=alpha,
        terms=tuple(terms),
    )
