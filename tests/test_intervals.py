"""Bootstrap intervals of classification metrics: exact metrics, seeded, and honest widths."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

from reportgen.stats.intervals import METRICS, _ScoreTable, metric_intervals


def _data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)
    return y, np.round(rng.random(n) * 0.5 + y * 0.25, 2)  # rounded: many tied scores


def _sklearn(y: np.ndarray, s: np.ndarray, threshold: float) -> list[float]:
    p = (s >= threshold).astype(int)
    return [accuracy_score(y, p), precision_score(y, p), recall_score(y, p), f1_score(y, p), roc_auc_score(y, s), average_precision_score(y, s)]


def test_the_metrics_of_a_resample_equal_scikit_learns_on_the_resampled_rows() -> None:
    y, s = _data(2_000)
    rows = np.random.default_rng(5).integers(0, y.size, y.size)
    table = _ScoreTable(y, s)
    positives, negatives = np.flatnonzero(y == 1), np.flatnonzero(y == 0)  # a row's index among its class
    pos = np.bincount(np.searchsorted(positives, rows[y[rows] == 1]), minlength=positives.size)  # draws of each row
    neg = np.bincount(np.searchsorted(negatives, rows[y[rows] == 0]), minlength=negatives.size)
    ours = table.metrics(pos[None, table.pos_order], neg[None, table.neg_order], 0.5)[:, 0]  # read in score order
    assert ours == pytest.approx(_sklearn(y[rows], s[rows], 0.5), abs=1e-12)


def test_each_interval_holds_the_estimate_and_is_seeded() -> None:
    y, s = _data(3_000)
    first, again = metric_intervals(y, s, 0.5, seed=3, resamples=300), metric_intervals(y, s, 0.5, seed=3, resamples=300)
    assert first == again
    assert [i.metric for i in first] == list(METRICS)
    assert [i.estimate for i in first] == pytest.approx(_sklearn(y, s, 0.5), abs=1e-12)
    assert all(i.low <= i.estimate <= i.high and i.low < i.high for i in first)


def test_more_rows_give_narrower_intervals() -> None:
    small = {i.metric: i.high - i.low for i in metric_intervals(*_data(500), 0.5, seed=1, resamples=300)}
    large = {i.metric: i.high - i.low for i in metric_intervals(*_data(20_000), 0.5, seed=1, resamples=300)}
    assert all(large[m] < small[m] / 3 for m in METRICS)


def test_a_perfect_classifier_has_no_uncertainty_to_report() -> None:
    y = np.array([0] * 90 + [1] * 10)
    intervals = metric_intervals(y, y.astype(float), 0.5, seed=0, resamples=200)
    assert all(i.low == i.high == 1.0 for i in intervals)


def test_memory_stays_bounded_however_large_the_test_set() -> None:
    """A million-row build has a 250,000-row test set: the resamples are counted a block at a time."""
    import tracemalloc

    y, s = _data(100_000)
    tracemalloc.start()
    metric_intervals(y, s, 0.5, seed=1, resamples=200)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 400e6  # all 200 resamples at once held about 1.5 GB


def test_paired_intervals_equal_each_model_s_own_intervals() -> None:
    """Two models scored on one drawing of the resamples get exactly the intervals each would get alone."""
    from reportgen.stats.intervals import paired_intervals

    y, s = _data(3_000)
    other = np.round(np.random.default_rng(9).random(y.size) * 0.7 + y * 0.1, 2)
    assert paired_intervals(y, [s, other], 0.5, seed=4, resamples=300) == [
        metric_intervals(y, s, 0.5, seed=4, resamples=300),
        metric_intervals(y, other, 0.5, seed=4, resamples=300),
    ]


@pytest.mark.parametrize("scored_cells", [1, 7_777, 10**9])  # one resample at a time, a few, all at once
def test_how_many_resamples_are_scored_at_once_changes_no_interval(monkeypatch, scored_cells: int) -> None:
    from reportgen.stats import intervals

    y, s = _data(3_000)
    expected = metric_intervals(y, s, 0.5, seed=6, resamples=300)
    monkeypatch.setattr(intervals, "SCORED_CELLS", scored_cells)
    assert metric_intervals(y, s, 0.5, seed=6, resamples=300) == expected
