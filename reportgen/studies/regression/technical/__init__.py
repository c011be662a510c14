"""The regression's technical report, written by code from the results as a ``Document``.

Every number here comes from ``AnalysisResults`` (or the config and package
metadata) through ``reportgen.formatters``; wording that depends on the data
(better or worse than the baseline, an effect up or down, a check that warned)
is chosen from the numbers, never assumed. The shared renderers only lay the
document out (``reportgen.render.html``).

One module a group of sections: ``overview`` (title, results at a glance,
what changed), ``data`` (data quality, exploration), ``model`` (assumption
checks, the model, evaluation) and ``findings`` (interpretation, method note,
reproducibility).
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.document import Document
from reportgen.results import AnalysisResults
from reportgen.studies.regression.technical import data, findings, model, overview

__all__ = ["technical_report"]


def technical_report(results: AnalysisResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
    """Write the technical report's content from the results.

    Parameters
    ----------
    results : AnalysisResults
        With figures drawn (a missing figure is simply left out).
    config : Config
        Titles, split, balancing, seed and threshold.
    generated_at : str
        When the report was generated, as it should read.
    versions : dict
        Package name -> version (``reportgen.artifacts.package_versions()``).

    Returns
    -------
    Document
        Sections in order: glance, changes (only when the output folder held
        an earlier build), data, exploration, assumptions, model, evaluation,
        interpretation, method_note, reproducibility.

    Examples
    --------
    >>> report = technical_report(results, Config(), generated_at="2025-01-01 12:00 UTC", versions={})  # doctest: +SKIP
    >>> report.section("glance").first(Facts).items[0].label  # doctest: +SKIP
    'ROC AUC'
    """
    figures = {f.file: f for f in results.figures}
    changes = overview.changes(results)
    sections = (
        overview.glance(results),
        *((changes,) if changes else ()),
        data.data_quality(results),
        data.exploration(results, config, figures),
        model.assumptions(results),
        model.model(results, figures),
        model.evaluation(results, figures),
        findings.interpretation(results),
        findings.method_note(results, config),
        findings.reproducibility(results, config, generated_at, versions),
    )
    return Document(
        title=f"{config.report.project}: technical report",
        subtitle=config.report.subtitle,
        facts=overview.title_facts(results, generated_at),
        sections=sections,
    )
