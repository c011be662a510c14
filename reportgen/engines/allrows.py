"""Every usable row of a study, left in the engine that read them: aggregate queries over all of them.

When an out-of-core engine (DuckDB, Spark) hands a study a sample of its rows,
the statistics that need only counts, sums, quantiles or ranks can still cover
every usable row: the study asks ``Dataset.all_rows``. On the pandas engine,
and whenever no sample was drawn, it is None: the frame holds every usable row.
What is not SQL (a fitted forest's score) reads the rows in bounded chunks
(``AllRows.chunks``) and keeps only what it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reportgen.engines.sql import Dialect

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Rows a chunk holds by default: about 20 MB of the classifier's columns (transcriptions included) and its features.
CHUNK_ROWS = 100_000


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
    #: Executes one SELECT and yields its rows as pandas frames of about the given size (the engine's own chunks).
    stream: Callable[[str, int], Iterator[pd.DataFrame]] | None = field(default=None, repr=False, compare=False)
    #: ``_row`` of each row of the sample, in the order of the study's frame (row i of the frame is ``sample_keys[i]``).
    sample_keys: np.ndarray | None = field(default=None, repr=False, compare=False)

    def query(self, select: str) -> list[tuple[Any, ...]]:
        """Run ``select`` with ``{rows}`` standing for the source: ``all_rows.query("SELECT COUNT(*) FROM {rows}")``."""
        return self.run(select.replace("{rows}", self.source))

    def chunks(self, select: str, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """Run ``select`` (``{rows}`` as in ``query``) and yield its rows as pandas frames of at most ``size`` rows.

        Parameters
        ----------
        select : str
            One SELECT; its columns are the frames' columns, in its order.
        size : int
            The most rows a frame holds: memory stays bounded by one chunk, whatever the rows.

        Yields
        ------
        pandas.DataFrame
            Every row of the result exactly once, in the engine's order (give an ORDER BY for a fixed one).
            Nothing else may use the engine's connection until the last chunk is read.
        """
        if self.stream is None:
            raise ValueError("this engine's rows cannot be read in chunks")
        if size < 1:
            raise ValueError(f"a chunk holds at least one row, not {size}")
        for frame in self.stream(select.replace("{rows}", self.source), size):
            # The engine's chunks are about ``size``; a larger one is cut here, so the bound holds whatever it gave.
            for start in range(0, len(frame), size):
                yield frame.iloc[start : start + size].reset_index(drop=True)
