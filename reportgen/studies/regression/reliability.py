"""Which checks stop an effect from being a finding, in technical and in plain words.

Read by both audiences, so a failed check weakens the claim the same way in
the technical report and on the leadership page:

* the whole model is unreliable when the fit did not converge, when it
  separates, or when the sample has too few events per predictor: then no
  effect is stated as a finding and no recommendation builds on one;
* one effect is fragile when its predictor is modelled beside a strongly
  correlated partner (the two can trade effect between them), and caveated
  when Box-Tidwell finds its logit not linear (the odds ratio is an average);
* one effect depends on a few rows when leaving out the most influential
  training rows (largest Cook's distance) changes its significance or its
  direction: said in the technical report, kept off the leadership insights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.formatters import fmt_num, fmt_p, plain_name
from reportgen.results import AnalysisResults, Term

_SEPARATION = "separation"
_EPP = "Sample size (events per predictor)"


@dataclass(frozen=True)
class Problem:
    """A failed check: as a technical reader and as a plain reader says it."""

    technical: str
    plain: str


def model_problems(r: AnalysisResults) -> tuple[Problem, ...]:
    """The failed checks that make every effect of the model unreliable (empty when none failed)."""
    m, pos = r.model, r.model.positive_class
    out = []
    if any(_SEPARATION in w for w in m.warnings):
        out.append(Problem("the fit separates the classes (perfect or quasi-perfect separation)", "some facts decide the answer on their own in this data, so how much they matter cannot be measured"))
    if not m.converged:
        out.append(Problem("the maximum-likelihood fit did not converge", "the model's fit never settled on an answer"))
    if any(not math.isfinite(t.std_err) for t in m.terms):
        out.append(Problem("some standard errors are not finite", "some effects have no measurable margin of error"))
    epp = next((c for c in r.assumptions.checks if c.name == _EPP), None)
    if epp is not None and epp.status == "fail":
        out.append(Problem(f"too few events per predictor ({epp.detail})", f"there are too few {pos} authors in the data for this many facts"))
    return tuple(out)


def fragile_effects(r: AnalysisResults) -> dict[str, str]:
    """Term -> why it may not hold: a strongly correlated partner is modelled beside it."""
    kept = set(r.model.features)
    out: dict[str, str] = {}
    for a, b, rho in r.assumptions.collinearity.high_pairs:
        if a in kept and b in kept:
            out.setdefault(a, f"correlated with {plain_name(b)} (r = {fmt_num(rho, 2)}), modelled together")
            out.setdefault(b, f"correlated with {plain_name(a)} (r = {fmt_num(rho, 2)}), modelled together")
    return out


def nonlinear_effects(r: AnalysisResults, alpha: float) -> tuple[str, ...]:
    """Continuous predictors whose Box-Tidwell term is significant after Bonferroni correction."""
    p = r.assumptions.box_tidwell_p
    return tuple(name for name, v in p.items() if not math.isnan(v) and v < alpha / max(len(p), 1))


def partner_of(t: Term, r: AnalysisResults) -> str | None:
    """The plain name of the correlated partner of a fragile term."""
    for a, b, _ in r.assumptions.collinearity.high_pairs:
        if t.term in (a, b) and a in r.model.features and b in r.model.features:
            return plain_name(b if t.term == a else a)
    return None


def few_rows_effects(r: AnalysisResults) -> dict[str, str]:
    """Term -> how it moves when the most influential rows are left out (only the terms whose significance or direction changes)."""
    inf = r.influence
    if inf is None:
        return {}
    out: dict[str, str] = {}
    for t in inf.flagged():
        what = "its direction reverses" if t.direction_changes else (
            "it stops being significant" if t.p_before < inf.alpha else "it becomes significant"
        )
        out[t.term] = (
            f"depends on a few rows: without the {inf.dropped_rows} most influential training rows {what} "
            f"(p {fmt_p(t.p_before)} → {fmt_p(t.p_after)})"
        )
    return out
