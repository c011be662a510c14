"""What changed since the last build: a study's headline figures then and now."""

from __future__ import annotations

from reportgen.results import BuildComparison, Change, DataSummary


def compare(study, previous, current, previous_data: DataSummary) -> BuildComparison:
    """Each of ``study``'s headline figures before and after, and the change (after - before).

    Parameters
    ----------
    study : Study
        Says which figures are headline (``study.headline``).
    previous, current : StudyResults
        The results of the earlier build and of this one.
    previous_data : DataSummary
        What the earlier build read (its file, sha256 and date).
    """
    before = {label: value for label, _, value in study.headline(previous)}
    changes = tuple(
        Change(label, kind, before[label], value, value - before[label])
        for label, kind, value in study.headline(current)
        if label in before
    )
    d = previous_data
    return BuildComparison(d.source, d.sha256, d.modified, changes)
