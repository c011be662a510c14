"""The hypothesis study: do verified and unverified accounts differ in views, and does it survive within claim status?

The course's question answered with Welch's t-test, its rank-based and
log-scale companions, effect sizes with intervals, and the confounding check:
the same comparison inside each level of a stratifier (claim status by
default), so that a difference that only comes from the mix of videos is
reported as such.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from reportgen.studies.hypothesis.settings import HypothesisSettings

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.core.document import Document
    from reportgen.core.study import FigureDrawer, Headline
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.data import Dataset
    from reportgen.progress import Progress
    from reportgen.studies.hypothesis.results import HypothesisResults


class HypothesisStudy:
    """Two-group comparison of a measure, overall and within strata."""

    id = "hypothesis"
    title = "Hypothesis test"
    question = "Do verified and unverified accounts differ in views, and does the difference survive within claim status?"
    settings_type = HypothesisSettings

    def results_from_json(self, doc: dict[str, Any]) -> HypothesisResults:
        """Typed results from results.json."""
        from reportgen.studies.hypothesis.results import HypothesisResults

        return HypothesisResults.from_json(doc)

    def columns(self, config: Config) -> tuple[str, ...]:
        """The measure, the grouping column and the stratifier."""
        s = config.study_settings(self.id)
        return (s.measure, s.by, s.stratify)

    def sample_by(self, config: Config) -> str:
        """The grouping column: a sample of the rows (an out-of-core engine's) keeps the two groups' sizes in proportion.

        One column only (the engines stratify on one); the stratifier's mix is left to the sample's size.
        """
        return config.study_settings(self.id).by

    def analysis_settings(self, config: Config) -> dict[str, Any]:
        """Every setting of ``[studies.hypothesis]``."""
        return dataclasses.asdict(config.study_settings(self.id))

    def analyse(self, dataset: Dataset, config: Config, progress: Progress) -> HypothesisResults:
        """Compare the groups overall and within each stratum (over every usable row when an engine left them behind a sample)."""
        from reportgen.studies.hypothesis.analysis import analyse

        with progress.stage("hypothesis tests"):
            return analyse(dataset.frame, dataset.summary, config.study_settings(self.id), dataset.all_rows)

    def figures(self) -> tuple[tuple[str, FigureDrawer], ...]:
        """The distributions by group, and the comparison within strata."""
        from reportgen.studies.hypothesis.figures import FIGURES

        return FIGURES

    def document(self, results: HypothesisResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
        """The technical report."""
        from reportgen.studies.hypothesis.technical import technical_report

        return technical_report(results, config, generated_at=generated_at, versions=versions)

    def summary(self, results: HypothesisResults, config: Config) -> ExecutiveSummary:
        """The executive summary, in the configured tone."""
        from reportgen.studies.hypothesis.summary import build_summary

        return build_summary(results, config)

    def headline(self, results: HypothesisResults) -> list[Headline]:
        """Rows used, the focal group's share, Hedges' g overall and within strata, the probability of superiority."""
        o = results.overall
        return [
            ("rows used", "count", results.rows.used),
            (f"share {results.focal}", "share", o.focal.n / results.rows.used),
            ("Hedges' g, all rows", "score", o.hedges_g.estimate),
            ("Hedges' g within strata", "score", results.within.estimate),
            ("probability of superiority", "share", o.mann_whitney.prob_superiority),
        ]

    def verdict(self, results: HypothesisResults) -> str:
        """The answer in one sentence, with what the strata say."""
        from reportgen.studies.hypothesis.narrative import verdict

        return verdict(results)


STUDY = HypothesisStudy()
