"""The regression's headline figures: what a reader follows from build to build."""

from __future__ import annotations

from reportgen.core.study import Headline
from reportgen.results import AnalysisResults


def headline(results: AnalysisResults) -> list[Headline]:
    """(label, kind, value): rows used, the positive share and the test metrics."""
    e, d = results.evaluation, results.data
    positive = results.model.positive_class
    return [
        ("rows used", "count", d.rows_used),
        (f"share {positive}", "share", d.target_counts.get(positive, 0) / max(d.rows_used, 1)),
        ("accuracy", "share", e.accuracy),
        ("precision", "share", e.precision),
        ("recall", "share", e.recall),
        ("F1", "share", e.f1),
        ("ROC AUC", "score", e.roc_auc),
    ]
