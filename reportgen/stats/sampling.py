"""Bounded, stratified, seeded samples: repeated refits stay affordable on large data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Rows a repeated refit (the method note's seeds, the cross-validation) uses at most. Below it every row is
#: used and nothing changes; above it the estimates' spread comes from the sample, which the report states.
REFIT_ROWS = 100_000


def bounded_rows(labels: np.ndarray, seed: int, limit: int | None = None) -> np.ndarray:
    """Positions of at most ``limit`` rows, stratified by ``labels`` and seeded; every position when there are fewer.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0] * 900 + [1] * 100)
    >>> rows = bounded_rows(y, seed=0, limit=200)
    >>> len(rows), int(y[rows].sum())
    (200, 20)
    >>> len(bounded_rows(y, seed=0, limit=5_000))
    1000
    """
    import numpy as np
    from sklearn.model_selection import train_test_split

    limit = REFIT_ROWS if limit is None else limit  # read at call time: a test lowers it
    positions = np.arange(len(labels))
    if len(labels) <= limit:
        return positions
    kept, _ = train_test_split(positions, train_size=limit, stratify=labels, random_state=seed)
    return np.sort(kept)
