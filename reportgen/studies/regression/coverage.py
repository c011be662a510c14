"""Which of the regression's numbers cover every usable row when an out-of-core engine analysed a sample.

The descriptive statistics of the data (``Exploration.rows`` set) are computed
over every usable row; the examples, the model, its checks and its evaluation
come from the sample. These are the words every document of the study uses
for it; None when the study analysed every usable row or its statistics are the sample's.
"""

from __future__ import annotations

from reportgen.formatters import fmt_int
from reportgen.results import AnalysisResults


def covers(r: AnalysisResults) -> str | None:
    """The technical clause: what covers all usable rows and what comes from the sample (with the collinearity screen's rows)."""
    rows = r.exploration.rows
    if rows is None:
        return None
    return (
        "the counts of rows, gaps, repeats and labels cover every row, and the descriptive statistics (class balance, "
        f"crosstab, statistics by class, outliers, correlations) all {fmt_int(rows)} usable rows; the transcription examples, "
        "the model, its checks and its evaluation come from the sample, the collinearity screen (VIF) from the sample's "
        "training rows, the rows the model is fitted on"
        + ("; each candidate's GVIF over every usable row is shown beside it." if r.assumptions.collinearity.gvif_all_rows else ".")
        + (" The model is also scored on every usable row it was not fitted on (see the evaluation)." if r.held_out_all_rows else "")
    )


def covers_plain(r: AnalysisResults) -> str | None:
    """The leadership wording of ``covers``: no statistics' names, no seed."""
    rows = r.exploration.rows
    if rows is None:
        return None
    return (
        f"The overall counts, shares and averages of the data cover all {fmt_int(rows)} usable videos; "
        "the model was built and tested on the sample."
    )
