"""The classifier study: the final claim-vs-opinion model, chosen on validation, scored on test, with a shortcut audit.

Nothing heavy is imported at module level: naming the study (``--help``, an
unchanged rebuild) costs nothing.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from reportgen.studies.classifier.settings import ClassifierSettings

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.core.document import Document
    from reportgen.core.study import FigureDrawer, Headline
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.data import Dataset, Table
    from reportgen.progress import Progress
    from reportgen.studies.classifier.results import ClassifierResults


class ClassifierStudy:
    """A random forest and a gradient-boosted model of ``claim_status``; the better on validation is scored on test."""

    id = "classifier"
    title = "Classifier"
    question = "Can a model tell claims from opinions well enough to sort the report backlog, and is the task solved by a shortcut?"
    settings_type = ClassifierSettings
    #: The executive summary quotes the hypothesis study's answer when it is in the same build.
    uses = ("hypothesis",)
    #: Its search and audit are the longest analysis of a build and read no other study's results (the
    #: hypothesis answer is added afterwards): the build runs them in a process of their own, beside the others.
    analysed_apart = True
    #: The libraries its analysis imports: imported before the fork, they are loaded once for both processes
    #: (scipy and scikit-learn's core are the other studies' too; importing them twice cost 0.9 s of CPU).
    libraries = (
        "scipy.sparse",
        "scipy.stats",
        "sklearn.ensemble",
        "sklearn.feature_extraction.text",
        "sklearn.metrics",
        "sklearn.model_selection",
        "threadpoolctl",
    )

    def results_from_json(self, doc: dict[str, Any]) -> ClassifierResults:
        """Typed results from results.json."""
        from reportgen.studies.classifier.results import ClassifierResults

        return ClassifierResults.from_json(doc)

    def columns(self, config: Config) -> tuple[str, ...]:
        """The target, the counts, verified and ban status, and the transcription (never the ids)."""
        from reportgen.studies.classifier.analysis import columns

        return columns(config.study_settings(self.id))

    def dataset(self, table: Table, config: Config) -> Dataset:
        """Its columns, with the target's label counts in the summary (over every usable row when the rows are a sample)."""
        return table.for_columns(self.columns(config), target=config.study_settings(self.id).target)

    def sample_by(self, config: Config) -> str:
        """The target: a sample of the rows (an out-of-core engine's) keeps its claim/opinion mix."""
        return config.study_settings(self.id).target

    def analysis_settings(self, config: Config) -> dict[str, Any]:
        """Every setting of ``[studies.classifier]``: a change re-runs the analysis."""
        return dataclasses.asdict(config.study_settings(self.id))

    def analyse(self, dataset: Dataset, config: Config, progress: Progress) -> ClassifierResults:
        """Split, encode, tune, choose on validation, score on test, audit the shortcuts (and score every held-out row of a sample)."""
        from reportgen.studies.classifier.analysis import analyse

        settings, held_out = config.study_settings(self.id), None
        if dataset.all_rows is not None:  # a sample: the champion is also scored over every usable row it never saw
            from functools import partial

            from reportgen.studies.classifier.all_rows import held_out_all_rows

            held_out = partial(held_out_all_rows, dataset.all_rows, settings=settings)
        return analyse(dataset.frame, dataset.summary, settings, progress, held_out=held_out)

    def with_related(self, results: ClassifierResults, related: dict[str, Any]) -> ClassifierResults:
        """The results with the answers of the studies in ``uses`` that are in the same build, as each states it."""
        from reportgen.studies import get
        from reportgen.studies.classifier.results import RelatedAnswer

        answers = tuple(RelatedAnswer(i, get(i).title, get(i).verdict(r)) for i, r in related.items() if i in self.uses)
        return dataclasses.replace(results, related=answers)

    def figures(self) -> tuple[tuple[str, FigureDrawer], ...]:
        """Confusion matrix, importance bars, validation comparison, and the shortcut audit."""
        from reportgen.studies.classifier.figures import FIGURES

        return FIGURES

    def document(self, results: ClassifierResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
        """The technical report."""
        from reportgen.studies.classifier.technical import technical_report

        return technical_report(results, config, generated_at=generated_at, versions=versions)

    def summary(self, results: ClassifierResults, config: Config) -> ExecutiveSummary:
        """The executive summary, in the configured tone."""
        from reportgen.studies.classifier.summary import build_summary

        return build_summary(results, config)

    def headline(self, results: ClassifierResults) -> list[Headline]:
        """Rows used, the test metrics and the best single rule's accuracy."""
        t = results.test
        return [
            ("rows used", "count", results.data.rows_used),
            ("accuracy", "share", t.value("accuracy")),
            ("precision", "share", t.value("precision")),
            ("recall", "share", t.value("recall")),
            ("ROC AUC", "score", t.value("roc_auc")),
            ("one-rule accuracy", "share", results.audit.rule.test.value("accuracy")),
        ]

    def verdict(self, results: ClassifierResults) -> str:
        """How many claims the champion finds, and whether one feature nearly does as well."""
        from reportgen.studies.classifier.words import verdict

        return verdict(results)


STUDY = ClassifierStudy()
