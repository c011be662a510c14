"""The regression study: which video features go with a verified author (logistic regression).

The first study built; its analyses, figures and words are the ones the
golden master pins (tests/test_golden_master.py).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.core.document import Document
    from reportgen.core.study import FigureDrawer, Headline
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.data import Dataset, Table
    from reportgen.progress import Progress
    from reportgen.results import AnalysisResults, Overview


class RegressionStudy:
    """Logistic regression of the configured target (``verified_status`` by default) on video features."""

    id = "regression"
    title = "Regression"
    question = "Which video features go with a verified author?"

    def results_from_json(self, doc: dict[str, Any]) -> AnalysisResults:
        """Typed results from results.json."""
        from reportgen.results import AnalysisResults

        return AnalysisResults.from_json(doc)

    def columns(self, config: Config) -> tuple[str, ...]:
        """The target, the predictors and the screened candidates (plus id and text for the EDA)."""
        from reportgen.data import analysed_columns

        return analysed_columns(config)

    def dataset(self, table: Table, config: Config) -> Dataset:
        """Its rows from the build's table: ``model.target``'s counts in the summary, and a target of two labels."""
        from reportgen.data import regression_dataset

        return regression_dataset(table, config)

    def analysis_settings(self, config: Config) -> dict[str, Any]:
        """The model and check settings."""
        return {"model": dataclasses.asdict(config.model), "checks": dataclasses.asdict(config.checks)}

    @property
    def preview_figures(self) -> tuple[str, ...]:
        """The figures drawn from the preview while the model is fitted."""
        from reportgen.figures import PREVIEW_FIGURES

        return PREVIEW_FIGURES

    def preview(self, dataset: Dataset, config: Config, progress: Progress) -> Overview:
        """The exploration, first: the build draws its figures while the rest of the analysis runs."""
        from reportgen.pipeline import overview

        return overview(dataset, config, progress)

    def analyse(self, dataset: Dataset, config: Config, progress: Progress, preview: Overview | None = None) -> AnalysisResults:
        """Explore (unless ``preview`` holds it), split, check, fit, evaluate, and the method note."""
        from reportgen.pipeline import analyse

        return analyse(dataset, config, progress, preview)

    def figures(self) -> tuple[tuple[str, FigureDrawer], ...]:
        """The seven figures of the technical report (the confusion matrix also goes on the summary)."""
        from reportgen.figures import FIGURES

        return FIGURES

    def document(self, results: AnalysisResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
        """The technical report."""
        from reportgen.studies.regression.technical import technical_report

        return technical_report(results, config, generated_at=generated_at, versions=versions)

    def summary(self, results: AnalysisResults, config: Config) -> ExecutiveSummary:
        """The executive summary, in the configured tone."""
        from reportgen.studies.regression.summary import build_summary

        return build_summary(results, config)

    def headline(self, results: AnalysisResults) -> list[Headline]:
        """Rows used, the positive share and the test metrics."""
        from reportgen.studies.regression.headline import headline

        return headline(results)

    def verdict(self, results: AnalysisResults) -> str:
        """How well the model tells the positive class, and what its flags are worth."""
        from reportgen.formatters import fmt_rate
        from reportgen.narrative.wording import discrimination_word, in_words

        e, positive = results.evaluation, results.model.positive_class
        return (
            f"{discrimination_word(e.roc_auc).capitalize()} model (ROC AUC {fmt_rate(e.roc_auc)}): it finds "
            f"{in_words(e.recall)} {positive} authors, and {in_words(e.precision)} of its flags are right."
        )


STUDY = RegressionStudy()
