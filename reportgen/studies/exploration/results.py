"""The exploration study's results: frozen, typed, written to results.json and read back from it.

Every number the technical report, the executive summary and the dashboard
show is a field here (results.json, ``schema_version`` 1). Rates are fractions
in [0, 1]; counts are integers; ``None`` where a figure is undefined (an empty
group).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from reportgen.results import BuildComparison, DataSummary, FigureInfo, data_json

SCHEMA_VERSION = 1

#: What a column is for: the words the report uses for each role come from the technical layer.
Role = Literal["row number", "identifier", "free text", "outcome", "feature"]


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the file as read: type, completeness, spread, and whether the project uses it."""

    column: str
    kind: Literal["row number", "identifier", "text", "category", "count"]
    dtype: str  # the type the loader gave it
    non_null: int
    missing: int
    distinct: int
    minimum: float | None  # counts only
    maximum: float | None
    role: Role
    used: bool


@dataclass(frozen=True)
class GroupValue:
    """A variable's mean (with a 95 % interval) and median within one group of videos."""

    group: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None


@dataclass(frozen=True)
class Engineered:
    """A variable made from the given ones, described over every row where it is defined."""

    name: str
    kind: Literal["length", "rate"]
    numerator: str
    denominator: str  # "" for a length
    n: int
    mean: float
    median: float
    minimum: float
    maximum: float
    by_claim: tuple[GroupValue, ...]


@dataclass(frozen=True)
class Share:
    """A count and its share of a whole, with the Wilson 95 % interval of the share."""

    label: str
    count: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Crosstab:
    """Counts of one category within another, row shares, and the chi-square test of independence."""

    rows: str  # the column whose levels are the rows (claim status)
    columns: str
    counts: dict[str, dict[str, int]]
    row_shares: dict[str, dict[str, float]]
    n: int
    chi2: float
    dof: int
    p_value: float
    cramers_v: float


@dataclass(frozen=True)
class Distribution:
    """Quantiles of one count within one claim status (box plots are drawn from these)."""

    column: str
    group: str
    n: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    mean: float


@dataclass(frozen=True)
class Difference:
    """How far one variable separates claims from opinions, on a scale every variable shares.

    ``superiority`` is the probability that a random claim video has the larger
    value (ties count half; 0.5 is no difference); ``cliffs_delta`` = 2 * superiority - 1;
    ``p_value`` from the two-sided Mann-Whitney U test.
    """

    column: str
    first: str
    second: str
    median_first: float
    median_second: float
    superiority: float
    cliffs_delta: float
    p_value: float


@dataclass(frozen=True)
class RateByGroup:
    """An engagement rate in each level of a grouping column."""

    rate: str
    by: str
    groups: tuple[GroupValue, ...]


@dataclass(frozen=True)
class Finding:
    """One notable result, ranked by the size of its effect (0 none, 1 complete)."""

    rank: int
    kind: Literal["difference", "association", "correlation"]
    subject: str  # a column, or "a ~ b" for a pair
    measure: Literal["Cliff's delta", "Cramér's V", "Spearman rho", "Pearson r"]
    value: float  # signed where the measure has a sign
    size: float  # |value|, the ranking key
    p_value: float | None


@dataclass(frozen=True)
class Band:
    """Videos of one band of a count (``low`` <= value < ``high``; ``high`` None: no upper end)."""

    low: float
    high: float | None
    claims: int
    opinions: int
    claim_share: float | None  # of the band's videos; None for an empty band


@dataclass(frozen=True)
class BandChart:
    """Claims and opinions across the bands of one engagement count."""

    column: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class DashboardView:
    """The dashboard's numbers for one choice of filters (``"all"`` when a filter is off)."""

    verified: str
    ban: str
    claims: int
    opinions: int
    claim_share: float | None  # None when the filters leave no video
    charts: tuple[BandChart, ...]

    @property
    def key(self) -> str:
        """The view's id in the page."""
        return f"{self.verified}--{self.ban}".replace(" ", "-")


@dataclass(frozen=True)
class Dashboard:
    """Every view of the dashboard: one a combination of the verified and ban-status filters."""

    banding: str
    verified_levels: tuple[str, ...]
    ban_levels: tuple[str, ...]
    views: tuple[DashboardView, ...]

    def view(self, verified: str = "all", ban: str = "all") -> DashboardView:
        """The view of one filter choice."""
        return next(v for v in self.views if v.verified == verified and v.ban == ban)


@dataclass(frozen=True)
class ExplorationResults:
    """Everything the exploration found, in the order the report tells it."""

    data: DataSummary
    rows_analysed: int  # rows the EDA saw (after the loader's drops)
    claim_missing: int  # rows with no claim status among them
    columns: tuple[ColumnInfo, ...]
    engineered: tuple[Engineered, ...]
    claim_balance: tuple[Share, ...]
    ban_overall: tuple[Share, ...]
    ban_by_claim: Crosstab
    verified_by_claim: Crosstab
    distributions: tuple[Distribution, ...]
    differences: tuple[Difference, ...]
    rates: tuple[RateByGroup, ...]
    correlation_method: str
    correlation_columns: tuple[str, ...]
    correlation: tuple[tuple[float | None, ...], ...]
    findings: tuple[Finding, ...]
    dashboard: Dashboard
    figures: tuple[FigureInfo, ...] = field(default=())
    previous: BuildComparison | None = None

    def to_json(self) -> dict[str, Any]:
        """The study's results.json."""
        # no "sample" key in "data" unless a sample was drawn
        return {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(self), "data": data_json(self.data)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> ExplorationResults:
        """The inverse of ``to_json``."""
        from reportgen.typed_json import from_plain

        return from_plain(cls, {k: v for k, v in doc.items() if k != "schema_version"})

    @property
    def every_usable_row(self) -> bool:
        """Every figure covers every usable row: no sample was drawn, or an engine's sample left them all to its queries."""
        return self.data.sample is None or self.rows_analysed == self.data.sample.rows_usable

    @property
    def claim_missing_in_file(self) -> int:
        """Rows of the whole file with no claim status: the loader drops them, so the rows analysed hold none of them."""
        return self.data.missing_by_column.get("claim_status", self.claim_missing)

    def balance(self, label: str) -> Share | None:
        """The claim-balance entry of ``label`` (None when absent)."""
        return next((s for s in self.claim_balance if s.label == label), None)

    def difference(self, column: str) -> Difference | None:
        """The claim-vs-opinion difference of ``column``."""
        return next((d for d in self.differences if d.column == column), None)

    def rate(self, rate: str, by: str) -> RateByGroup:
        """One engagement rate by one grouping column."""
        return next(r for r in self.rates if r.rate == rate and r.by == by)
