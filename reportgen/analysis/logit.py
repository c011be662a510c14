"""A guarded statsmodels Logit fit: warnings collected, failures made plain."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


_NOT_CONVERGED = "the maximum-likelihood fit did not converge"
_SEPARATION = "perfect or quasi-perfect separation: some predictor values decide the class on their own"
_SINGULAR = "the design matrix is singular: a predictor is a copy or a sum of others"


@dataclass(frozen=True)
class LogitFit:
    """What a fit gave, or why it gave nothing usable."""

    result: Any | None  # statsmodels LogitResults
    converged: bool
    warnings: tuple[str, ...]


def fit_logit(y: np.ndarray, X: np.ndarray, names: list[str]) -> LogitFit:
    """Maximum-likelihood logistic fit that never raises for bad data.

    Non-convergence, perfect separation and singular matrices come back as
    messages (the report shows them) with ``result`` None when unusable.
    """
    import numpy as np

    # The class itself, not statsmodels.api: the api module imports every model family (~0.2 s).
    from statsmodels.discrete.discrete_model import Logit

    notes = _rank_notes(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = Logit(y, X).fit(method="newton", maxiter=100, disp=0)
        except np.linalg.LinAlgError:
            return LogitFit(None, False, tuple(notes) or (_SINGULAR,))
        except Exception as exc:  # noqa: BLE001 - statsmodels raises a handful of types for bad data
            return LogitFit(None, False, (f"the fit failed: {exc}",))
        fitted = result.predict()  # inside: on a separated fit this overflows, which is expected
    converged = bool(result.mle_retvals.get("converged", False))
    notes += sorted({_plain(w.message) for w in caught if _plain(w.message)} - {_NOT_CONVERGED})
    if not converged and np.allclose(fitted, y, atol=1e-6):
        notes.insert(0, _SEPARATION)  # statsmodels sometimes only reports the overflow this causes
    if not converged:
        notes.append(_NOT_CONVERGED + " in 100 iterations: its estimates are not reliable")
    if not np.all(np.isfinite(result.bse)):
        notes.append("some standard errors are not finite (near-separation or a singular matrix)")
    return LogitFit(result, converged, tuple(dict.fromkeys(notes)))


def _rank_notes(X: np.ndarray) -> list[str]:
    """A note when columns are linearly dependent; statsmodels then fails or, worse, fits unidentified terms."""
    import numpy as np

    if not X.size or not np.all(np.isfinite(X)):
        return []  # the fit itself reports what is wrong with such a matrix
    rank = int(np.linalg.matrix_rank(X))
    if rank == X.shape[1]:
        return []
    return [f"the design matrix is singular (rank {rank} of {X.shape[1]} columns): a predictor is a copy or a sum of others"]


def _plain(message: Warning | str) -> str:
    """A statsmodels warning in one line, empty for noise we do not report."""
    text = str(message).strip().splitlines()[0] if str(message).strip() else ""
    if "separation" in text.lower():
        return _SEPARATION
    if "converge" in text.lower():
        return _NOT_CONVERGED
    if "overflow" in text.lower() or "divide" in text.lower():
        return "numerical overflow during the fit (extreme predictor values)"
    return ""
