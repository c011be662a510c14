"""What several sections of the regression's report read the same way."""

from __future__ import annotations

from reportgen.formatters import fmt_int, fmt_num
from reportgen.results import AnalysisResults


def labels(results: AnalysisResults) -> tuple[str, str]:
    """(negative label, positive label) of the target."""
    pos = results.model.positive_class
    others = [k for k in results.data.target_counts if k != pos]
    return (others[0] if others else f"not {pos}"), pos


def check_value(x: float | int | str) -> str:
    """A check's value: counts with separators, small numbers in scientific notation."""
    if isinstance(x, str):
        return "infinite" if x == "inf" else x
    if isinstance(x, int) or float(x).is_integer():
        return fmt_int(x)
    return f"{x:.2e}" if 0 < abs(x) < 0.01 else fmt_num(x, 2)
