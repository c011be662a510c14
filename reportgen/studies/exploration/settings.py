"""The exploration study's settings: the ``[studies.exploration]`` table of reportgen.toml."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config_rules import checked


@dataclass(frozen=True)
class ExplorationSettings:
    """How the EDA measures association and how the dashboard bands the counts."""

    #: Rank correlation suits heavy-tailed counts; Pearson is offered for comparison with the course notebook.
    correlation: str = checked("spearman", choices=("spearman", "pearson"))
    #: Dashboard bands: powers of ten ("under 1,000", "1,000 to 9,999", ...) or the quartiles of each count.
    bands: str = checked("decades", choices=("decades", "quartiles"))
    #: How many notable findings the report ranks.
    findings: int = checked(6, low=1, high=12)
