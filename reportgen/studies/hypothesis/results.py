"""The hypothesis study's frozen results: what ``results.json`` holds (schema_version 1).

Every number the report and the summary show is a field here; the words are
chosen from ``finding``, which the analysis decides from the numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from reportgen.results import BuildComparison, DataSummary, FigureInfo, data_json
from reportgen.stats.groups import PooledEffect, TwoGroupComparison

SCHEMA_VERSION = 1

#: What the stratified comparison says of the overall one.
#: none: no overall difference and none within strata; hidden: none overall but one within a stratum;
#: vanishes: an overall difference, none within any stratum; shrinks: within strata it is less than half as large;
#: reverses: a stratum shows a significant difference of the other sign; holds: about as large within strata.
Finding = Literal["none", "hidden", "vanishes", "shrinks", "reverses", "holds"]


@dataclass(frozen=True)
class RowAccounting:
    """Rows this study received from the loader, kept, and dropped (reason -> count)."""

    received: int
    used: int
    dropped: int
    dropped_reasons: dict[str, int]


@dataclass(frozen=True)
class Stratum:
    """One level of the stratifier: its size, each group's share of it, and the comparison inside it.

    ``focal_share``/``reference_share``: the share of each group's videos that
    fall in this stratum (each sums to 1 over strata). ``comparison`` is None
    when a group has fewer than two videos here.
    """

    level: str
    rows: int
    share_of_rows: float
    focal_n: int
    reference_n: int
    focal_share: float
    reference_share: float
    median: float
    comparison: TwoGroupComparison | None


@dataclass(frozen=True)
class AllRowsCoverage:
    """Which numbers cover every usable row when an out-of-core engine gave the study a sample.

    Every group summary, test, effect size, stratum and the point estimate of the difference in medians
    covers all ``rows``; the bootstrap intervals of the difference in medians need the rows in memory and
    are drawn from the ``sample`` alone.
    """

    rows: int  # usable rows the aggregates cover
    sample: int  # of them, the sampled rows the median intervals were drawn from


@dataclass(frozen=True)
class HypothesisResults:
    """The whole study: settings used, rows, the overall comparison, the strata and the finding."""

    data: DataSummary
    rows: RowAccounting
    measure: str
    by: str
    stratify: str
    focal: str
    reference: str
    alpha: float
    resamples: int
    seed: int
    overall: TwoGroupComparison
    strata: tuple[Stratum, ...]
    #: Hedges' g of the strata pooled by inverse variance: the difference left once the stratifier is held fixed.
    within: PooledEffect
    finding: Finding
    figures: tuple[FigureInfo, ...] = field(default=())
    previous: BuildComparison | None = None
    #: Set when the comparisons cover every usable row but the study was handed a sample (DuckDB, Spark).
    all_rows: AllRowsCoverage | None = None

    @property
    def significant(self) -> bool:
        """Whether Welch's test of all videos rejects equal means at ``alpha``."""
        return self.overall.welch.p_value < self.alpha

    def tested_strata(self) -> tuple[Stratum, ...]:
        """The strata with a comparison (both groups present)."""
        return tuple(s for s in self.strata if s.comparison is not None)

    def to_json(self) -> dict[str, Any]:
        """The ``results.json`` document."""
        doc = {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(self)}
        doc["data"] = data_json(self.data)  # no "sample" key unless a sample was drawn
        doc["significant"] = self.significant
        if doc["all_rows"] is None:
            del doc["all_rows"]  # as data_json drops "sample": a build on every row writes the file it always did
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> HypothesisResults:
        """The inverse of ``to_json``."""
        from reportgen.typed_json import from_plain

        return from_plain(cls, doc)
