"""What changed since the last build: the headline figures then and now."""

from __future__ import annotations

from reportgen.results import AnalysisResults, BuildComparison, Change


def headline(results: AnalysisResults) -> list[tuple[str, str, float]]:
    """(label, kind, value) of the figures a reader follows from build to build."""
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


def compare(previous: AnalysisResults, current: AnalysisResults) -> BuildComparison:
    """Each headline figure before and after, and the change (after - before)."""
    before = {label: value for label, _, value in headline(previous)}
    changes = tuple(
        Change(label, kind, before[label], value, value - before[label])
        for label, kind, value in headline(current)
        if label in before
    )
    d = previous.data
    return BuildComparison(d.source, d.sha256, d.modified, changes)
