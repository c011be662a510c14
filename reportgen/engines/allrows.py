"""Every usable row of a study, left in the engine that read them: aggregate queries over all of them.

When an out-of-core engine (DuckDB, Spark) hands a study a sample of its rows,
the statistics that need only counts, sums, quantiles or ranks can still cover
every usable row: the study asks ``Dataset.all_rows``. On the pandas engine,
and whenever no sample was drawn, it is None: the frame holds every usable row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportgen.engines.sql import Dialect


@dataclass(frozen=True)
class AllRows:
    """The usable rows of one study as a SQL source, and the means to query them.

    ``source`` can stand after FROM (a view or table name, or a parenthesised
    subquery with an alias); its columns are the study's, under their schema
    names and typed as the loader typed them (counts DOUBLE, categories text),
    plus ``_row``, the row's number in file order (each engine counts from its own start).
    """

    run: Callable[[str], list[tuple[Any, ...]]] = field(repr=False)  # executes one SELECT, returns its rows
    source: str
    dialect: Dialect
    rows: int  # how many usable rows the source holds

    def query(self, select: str) -> list[tuple[Any, ...]]:
        """Run ``select`` with ``{rows}`` standing for the source: ``all_rows.query("SELECT COUNT(*) FROM {rows}")``."""
        return self.run(select.replace("{rows}", self.source))
