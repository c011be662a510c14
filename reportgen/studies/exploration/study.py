"""The exploration study: what is in the data (inspection, quality, EDA) and an accessible dashboard.

The first phase of the project. Its technical report answers the data
scientist's inspection and EDA requests; its one-page summary goes to
leadership; ``dashboard.html`` answers management's request for a simple,
accessible view of claims against opinions (written by ``documents()``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from reportgen.studies.exploration.settings import ExplorationSettings

if TYPE_CHECKING:
    from pathlib import Path

    from reportgen.config import Config
    from reportgen.core.document import Document
    from reportgen.core.study import FigureDrawer, Headline
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.data import Dataset
    from reportgen.progress import Progress
    from reportgen.studies.exploration.results import ExplorationResults

DASHBOARD = "dashboard.html"


def write_dashboard(study: ExplorationStudy, results: ExplorationResults, config: Config, folder: Path) -> None:
    """The ``documents()`` renderer: ``dashboard.html`` (imported when called: keeps this module light)."""
    from reportgen.studies.exploration.dashboard import write_dashboard as write

    write(results, config, folder)


class ExplorationStudy:
    """Inspection, engineered variables and EDA of the claims data, and the dashboard."""

    id = "exploration"
    title = "Exploration"
    question = "What is in the data: its columns and quality, and how do claims and opinions differ?"
    settings_type = ExplorationSettings

    def results_from_json(self, doc: dict[str, Any]) -> ExplorationResults:
        """Typed results from results.json."""
        from reportgen.studies.exploration.results import ExplorationResults

        return ExplorationResults.from_json(doc)

    def columns(self, config: Config) -> tuple[str, ...]:
        """Every column of the schema: the inspection describes them all."""
        from reportgen import schema

        return schema.REQUIRED

    def analysis_settings(self, config: Config) -> dict[str, Any]:
        """The exploration's own settings."""
        return dataclasses.asdict(config.study_settings(self.id))

    def analyse(self, dataset: Dataset, config: Config, progress: Progress) -> ExplorationResults:
        """Inspect, engineer, explore, and count the dashboard's views."""
        from reportgen.studies.exploration.analysis import explore

        with progress.stage("explore"):
            return explore(dataset, config.study_settings(self.id))

    def figures(self) -> tuple[tuple[str, FigureDrawer], ...]:
        """The report's figures, in order."""
        from reportgen.studies.exploration.figures import FIGURES

        return FIGURES

    def documents(self) -> tuple[tuple[tuple[str, ...], Any], ...]:
        """The dashboard, beside the shared technical report and summary."""
        return (((DASHBOARD,), write_dashboard),)

    def document(self, results: ExplorationResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
        """The technical report."""
        from reportgen.studies.exploration.technical import technical_report

        return technical_report(results, config, generated_at=generated_at, versions=versions)

    def summary(self, results: ExplorationResults, config: Config) -> ExecutiveSummary:
        """The executive summary, in the configured tone."""
        from reportgen.studies.exploration.summary import build_summary

        return build_summary(results, config)

    def headline(self, results: ExplorationResults) -> list[Headline]:
        """Rows read, the claim share and the share of banned authors."""
        out: list[Headline] = [("rows read", "count", results.data.rows_read)]
        claim = results.balance("claim")
        if claim is not None:
            out.append(("claims", "count", claim.count))
            out.append(("claim share", "share", claim.share))
        banned = next((s for s in results.ban_overall if s.label == "banned"), None)
        if banned is not None:
            out.append(("banned authors' share", "share", banned.share))
        return out

    def verdict(self, results: ExplorationResults) -> str:
        """The balance of claims and opinions, and the strongest difference between them."""
        from reportgen.studies.exploration.words import verdict

        return verdict(results)


STUDY = ExplorationStudy()
