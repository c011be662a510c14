"""What a study is: one phase of the claims project, plugged into the shared build.

Every study ends in the same deliverables (a technical report, a one-page
executive summary, results.json, figures). The build, the renderers, "what
changed", the index page, email and watch know a study only through this
protocol; everything particular to a phase lives in ``reportgen/studies/<id>/``.

A study is an object with these attributes and methods. The build calls
them in this order: ``columns`` (what the loader reads), ``analysis_settings``
(the rebuild key), ``analyse`` (pure: rows in, frozen results out),
``figures`` (drawn in the render worker), then ``document`` and ``summary``
(format-neutral content that the shared renderers lay out), and ``headline`` and
``verdict`` for the terminal, the index page, the e-mail and "what changed".

Optional hooks, for studies that need them (the build looks them up with ``getattr``):

- ``settings_type``: a frozen dataclass of the study's settings, fields declared
  with ``reportgen.config_rules.checked``; the ``[studies.<id>]`` table of the
  config is checked against it before any work, and ``config.study_settings(id)``
  gives the typed values (its defaults when the table is absent).
- ``dataset(table, config)``: the study's rows from the build's one reading of
  the file (a ``reportgen.data.Table``); by default
  ``table.for_columns(study.columns(config))``. A study with a target returns
  ``table.for_columns(columns, target=...)`` so its summary counts the labels,
  and may refuse data it cannot use (the regression refuses a target of three labels).
- ``documents()``: extra ``(files, renderer)`` pairs beside the shared
  ``reportgen.render.DOCUMENTS`` (a dashboard, say); a renderer is called as
  ``renderer(study, results, config, folder)`` in the render worker.
- ``uses`` (study ids) and ``with_related(results, related)``: a study that quotes
  another study's answer (the classifier quotes the hypothesis test) names it in
  ``uses``; after analysing, the build passes the results of those of them that
  are in the same build (``{id: results}``, those built earlier in project order)
  and renders what ``with_related`` returns, so the quoted numbers are in the
  study's own results.json.
- ``preview(dataset, config, progress)`` and ``preview_figures``: a study whose
  first figures need only a first, quick part of its analysis (the regression's
  exploration) computes that part as its preview; the build hands it to the
  render worker, which draws the figures named in ``preview_figures`` (a subset of
  ``figures()``, whose drawers read only what the preview holds) while the rest
  of the analysis runs, and calls ``analyse(dataset, config, progress, preview=...)``.
- ``analysed_apart = True``: a study whose analysis is long and reads nothing but
  its own rows asks the build to run ``analyse`` in a forked process of its own,
  started as soon as the data are read, while the build analyses the other
  studies (the classifier). Its progress is not shown line by line, only its
  stages' timings; a study with a ``preview`` or rows left in DuckDB or Spark
  (``Dataset.all_rows``) is analysed in the build's process as usual. Its
  ``libraries`` (module names) are imported before the fork, so the two
  processes share them instead of importing them twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.core.document import Document
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.data import Dataset
    from reportgen.progress import Progress
    from reportgen.results import BuildComparison, FigureInfo

#: How a headline figure is formatted and compared between builds.
Kind = Literal["count", "share", "score"]
#: One headline figure: (label, kind, value).
Headline = tuple[str, Kind, float]
#: Draws one figure of a study's results into ``path``; returns its record with alt text.
FigureDrawer = Callable[[Any, Path], "FigureInfo"]


@runtime_checkable
class StudyResults(Protocol):
    """The frozen results of one study: written to its results.json and read back from it."""

    figures: tuple[FigureInfo, ...]
    previous: BuildComparison | None

    def to_json(self) -> dict[str, Any]:
        """The study's ``results.json`` (with a ``schema_version``)."""
        ...


@runtime_checkable
class Study(Protocol):
    """One phase of the project: its columns, analyses, figures, words and headline numbers."""

    #: Short identifier: the ``--study`` value, the output sub-folder and the config table ``[studies.<id>]``.
    id: str
    #: Name on the index page and in the e-mail ("Regression").
    title: str
    #: The question the study answers, in one sentence.
    question: str

    def results_from_json(self, doc: dict[str, Any]) -> StudyResults:
        """Typed results back from the study's ``results.json`` (no heavy import)."""
        ...

    def columns(self, config: Config) -> tuple[str, ...]:
        """Columns of the claims CSV the study reads; rows missing one of them are dropped for this study only.

        The build reads the union of its studies' columns once; a study's
        ``dataset.frame`` holds its own columns only, and a row missing a value
        in a column it does not read is kept for it (the transcription text
        never drops a row).
        """
        ...

    def analysis_settings(self, config: Config) -> dict[str, Any]:
        """The settings its results depend on (plain data): a change re-runs the analysis."""
        ...

    def analyse(self, dataset: Dataset, config: Config, progress: Progress) -> StudyResults:
        """Run the study's analyses on its usable rows; pure, no figure and no prose."""
        ...

    def figures(self) -> tuple[tuple[str, FigureDrawer], ...]:
        """(file name, drawer) of every figure, in order."""
        ...

    def document(self, results: StudyResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
        """The technical report's content."""
        ...

    def summary(self, results: StudyResults, config: Config) -> ExecutiveSummary:
        """The one-page executive summary's content, in the tone ``config.report.audience`` asks for."""
        ...

    def headline(self, results: StudyResults) -> list[Headline]:
        """The figures a reader follows from build to build."""
        ...

    def verdict(self, results: StudyResults) -> str:
        """The study's answer in one plain sentence (index page, terminal, e-mail)."""
        ...
