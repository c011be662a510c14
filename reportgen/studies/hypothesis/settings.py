"""The hypothesis study's settings: the ``[studies.hypothesis]`` table of reportgen.toml."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen import schema
from reportgen.config_rules import checked

#: Columns that split the videos into two groups.
GROUPINGS = tuple(c for c, levels in schema.CATEGORIES.items() if len(levels) == 2)


def _stratifiers(section) -> tuple[str, ...]:
    """Any category column but the grouping one."""
    return tuple(c for c in schema.CATEGORIES if c != section["by"])


@dataclass(frozen=True)
class HypothesisSettings:
    """What is compared, between which groups, within which strata, and how strictly."""

    #: The numeric column compared.
    measure: str = checked("video_view_count", choices=schema.COUNTS, noun="count column")
    #: The two-level column that makes the groups; its last level (schema order) is the focal group.
    by: str = checked("verified_status", choices=GROUPINGS, noun="two-level category column")
    #: The category column within whose levels the comparison is repeated (the confounding check).
    stratify: str = checked("claim_status", choices=_stratifiers, noun="category column other than `by`")
    #: Significance level of every test, two-sided.
    alpha: float = checked(0.05, low=0, high=0.5, low_open=True)
    #: Bootstrap resamples for the interval of the difference in medians.
    resamples: int = checked(2000, low=200, high=100_000, why="fewer than 200 resamples give an unstable interval")
    #: Seeds the bootstrap.
    seed: int = checked(42, low=0, high=2**32, high_open=True, why="numpy takes seeds below 2**32")
