"""The regression scored over every held-out row in the engine, and its metrics from score histograms (issue 18).

The histogram metrics equal ``evaluate``'s when every score has its own cell;
DuckDB's and Spark's SQL score is the model's numpy score of the same rows
(rel 1e-9); the sample's training rows are never scored; a DuckDB build with a
sample writes the block and its documents state it, while a build without a
sample writes results.json as before.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reportgen import engines, schema
from reportgen.analysis.design import LOG1P_COLUMNS, design_spec, log1p_counts
from reportgen.analysis.evaluation import evaluate
from reportgen.analysis.model import fit_classifier
from reportgen.analysis.split import split_data
from reportgen.config import Config
from reportgen.data.table import analysed_columns
from reportgen.stats.histogram import cells_from_bins, cells_from_scores, histogram_metrics
from reportgen.stats.intervals import LEVEL, METRICS, RESAMPLES
from reportgen.studies import chosen
from reportgen.synthetic import write_csv

METRIC_FIELDS = ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "specificity", "baseline_accuracy")


def _labelled_scores(n: int = 3_000, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    return y, rng.beta(2 + 2 * y, 3)  # continuous: every score distinct


# --- metrics from histograms -------------------------------------------------


@pytest.mark.parametrize("threshold", [0.5, 0.37])
def test_histogram_metrics_equal_evaluate_when_every_score_has_its_own_cell(threshold):
    y, s = _labelled_scores()
    assert len(np.unique(s)) == len(s)
    exact, ours = evaluate(y, s, threshold), histogram_metrics(cells_from_scores(y, s, threshold), seed=0, resamples=100)
    cm = exact.confusion_matrix
    assert (ours.tn, ours.fp, ours.fn, ours.tp) == (cm.tn, cm.fp, cm.fn, cm.tp)
    for name in METRIC_FIELDS:
        assert getattr(ours, name) == pytest.approx(getattr(exact, name), rel=1e-12, abs=1e-15), name
    assert (ours.roc_curve, ours.pr_curve, ours.curve_points_full) == (exact.roc_curve, exact.pr_curve, exact.curve_points_full)
    assert ours.roc_auc_error_bound == 0  # no positive shares a cell with a negative


def test_fine_bins_keep_the_confusion_matrix_exact_and_the_roc_auc_within_its_bound():
    y, s = _labelled_scores(20_000, seed=2)
    bins, threshold = 2**10, 0.4321  # a threshold inside a bin: the exact counts split it
    b = np.minimum((s * bins).astype(int), bins - 1)
    cells = cells_from_bins(
        np.bincount(b[y == 1], minlength=bins), np.bincount(b[y == 0], minlength=bins),
        int((s[y == 1] >= threshold).sum()), int((s[y == 0] >= threshold).sum()), threshold,
    )  # fmt: skip
    exact, ours = evaluate(y, s, threshold), histogram_metrics(cells, seed=0, resamples=100)
    cm = exact.confusion_matrix
    assert (ours.tn, ours.fp, ours.fn, ours.tp) == (cm.tn, cm.fp, cm.fn, cm.tp)
    assert ours.precision == exact.precision and ours.recall == exact.recall and ours.accuracy == exact.accuracy
    assert 0 < ours.roc_auc_error_bound < 1e-3
    assert abs(ours.roc_auc - exact.roc_auc) <= ours.roc_auc_error_bound
    assert ours.average_precision == pytest.approx(exact.average_precision, abs=1e-3)


def test_histogram_intervals_are_seeded_percentile_bootstraps_like_the_test_sets():
    y, s = _labelled_scores(2_000, seed=3)
    cells = cells_from_scores(y, s, 0.5)
    first, again = histogram_metrics(cells, seed=7, resamples=300), histogram_metrics(cells, seed=7, resamples=300)
    assert first.intervals == again.intervals
    assert tuple(i.metric for i in first.intervals) == METRICS
    for i in first.intervals:
        assert i.low <= i.estimate <= i.high and i.level == LEVEL and i.resamples == 300
    assert histogram_metrics(cells, seed=7).intervals[0].resamples == RESAMPLES
    with pytest.raises(ValueError):
        cells_from_bins(np.array([1, 2]), np.array([3, 4]), 5, 0, 0.5)  # more rows above the threshold than there are


# --- scoring in the engine ----------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_csv(tmp_path_factory.mktemp("scores") / "claims.csv", rows=6_000, seed=0)


def _config(log1p: bool = False) -> Config:
    return Config.from_dict({"data": {"sample_rows": 1_000}, "model": {"log1p_counts": log1p}})


def _model(frame: pd.DataFrame, config: Config):
    """The study's prediction model on the sample's training rows, as the pipeline fits it."""
    m = config.model
    modelled = frame.drop(columns=[schema.TRANSCRIPTION])
    modelled = log1p_counts(modelled) if m.log1p_counts else modelled
    split = split_data(modelled, config)
    spec = design_spec(split.train, tuple(dict.fromkeys((*m.predictors, *m.extra_candidates))))
    logged = [c for c in spec.continuous if c in LOG1P_COLUMNS] if m.log1p_counts else []
    return fit_classifier(split, spec, config), split, logged


def _rows_as_frame(all_rows, columns: tuple[str, ...]) -> pd.DataFrame:
    names = ", ".join(f'"{c}"' for c in ("_row", *columns))
    return pd.DataFrame(all_rows.query(f"SELECT {names} FROM {{rows}} ORDER BY _row"), columns=["_row", *columns])


def _numpy_scores(model, frame: pd.DataFrame, logged: list[str]) -> np.ndarray:
    rows = log1p_counts(frame) if logged else frame
    return model.predict_proba(rows)[:, 1]


def _check_engine_scores(all_rows, config: Config, frame: pd.DataFrame) -> None:
    """SQL scores equal numpy's on every usable row; the histogram counts exactly the rows outside the training rows."""
    from reportgen.engines.scoring import score_expression, score_histogram

    m = config.model
    model, split, logged = _model(frame, config)
    columns = tuple(c for c in analysed_columns(config) if c != schema.TRANSCRIPTION)
    rows = _rows_as_frame(all_rows, columns)
    assert len(rows) == all_rows.rows
    scored = all_rows.query(f"SELECT _row, {score_expression(model, logged)} FROM {{rows}} ORDER BY _row")
    sql_scores = np.array([r[1] for r in scored])
    ours = _numpy_scores(model, rows, logged)
    np.testing.assert_allclose(sql_scores, ours, rtol=1e-9, atol=1e-300)

    train_ids = [str(v) for v in split.train[schema.VIDEO_ID]]
    hist = score_histogram(all_rows, model, m.target, m.positive_class, m.threshold, train_ids, schema.VIDEO_ID, logged, bins=256)
    held = ~rows[schema.VIDEO_ID].astype(str).isin(train_ids).to_numpy()
    assert held.sum() == all_rows.rows - len(split.train) == hist.rows
    y = (rows[m.target].astype(str) == m.positive_class).to_numpy()[held]
    s = ours[held]
    b = np.minimum((s * 256).astype(int), 255)
    np.testing.assert_array_equal(hist.positives, np.bincount(b[y], minlength=256))
    np.testing.assert_array_equal(hist.negatives, np.bincount(b[~y], minlength=256))
    assert (hist.positives_above, hist.negatives_above) == (int((s[y] >= m.threshold).sum()), int((s[~y] >= m.threshold).sum()))

    # A training row is never scored: name one alone, and only its own bin loses it.
    one = split.train[schema.VIDEO_ID].iloc[0]
    where = int(np.flatnonzero(rows[schema.VIDEO_ID].astype(str).to_numpy() == str(one))[0])
    every = score_histogram(all_rows, model, m.target, m.positive_class, m.threshold, log1p_columns=logged, bins=256)
    but_one = score_histogram(
        all_rows, model, m.target, m.positive_class, m.threshold, [str(one)], schema.VIDEO_ID, logged, bins=256
    )
    assert every.rows == all_rows.rows and but_one.rows == all_rows.rows - 1
    positive = rows[m.target].astype(str).iloc[where] == m.positive_class
    diff = (every.positives - but_one.positives) if positive else (every.negatives - but_one.negatives)
    assert diff.sum() == 1 and diff[min(int(ours[where] * 256), 255)] == 1


@pytest.mark.parametrize("log1p", [False, True])
def test_duckdb_scores_every_held_out_row_as_numpy_does(demo, log1p):
    pytest.importorskip("duckdb")
    config = _config(log1p)
    dataset = engines.load_studies("duckdb", demo, chosen(["regression"], config), config)["regression"]
    assert dataset.all_rows is not None and len(dataset.frame) == 1_000
    _check_engine_scores(dataset.all_rows, config, dataset.frame)


def test_spark_scores_every_held_out_row_as_numpy_does(tmp_path):
    spark_engine = pytest.importorskip("reportgen.engines.spark")
    missing = spark_engine.available()
    if missing:
        pytest.skip(f"the Spark engine cannot run here: {missing}")
    path = write_csv(tmp_path / "claims.csv", rows=1_200, seed=0)
    config = _config()
    columns, target = analysed_columns(config), config.model.target
    try:
        # sample_rows below the config's floor, to sample this small file
        table = dataclasses.replace(spark_engine.read_table(path, columns, None, config), sample_rows=600)
        dataset = table.for_columns(columns, target)
        assert dataset.all_rows is not None and len(dataset.frame) == 600
        _check_engine_scores(dataset.all_rows, config, dataset.frame)
    finally:
        spark_engine.stop()


# --- the build ----------------------------------------------------------------


def _build(data: Path, out: Path, engine: str, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--engine", engine,
         "--study", "regression", *extra],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_sampled_duckdb_build_writes_the_block_and_its_documents_state_it(demo, tmp_path):
    pytest.importorskip("duckdb")
    from reportgen.results import AnalysisResults
    from reportgen.studies.regression.summary import summary_text

    toml = tmp_path / "reportgen.toml"
    toml.write_text("[data]\nsample_rows = 1000\n")
    out = tmp_path / "duck"
    _build(demo, out, "duckdb", "--config", str(toml))
    doc = json.loads((out / "regression" / "results.json").read_text())
    block = doc["held_out_all_rows"]
    model, usable = doc["model"], doc["data"]["sample"]["rows_usable"]
    assert block["rows"] == usable - model["n_train"] and block["training_rows_excluded"] == model["n_train"]
    cm = block["confusion_matrix"]
    assert sum(cm.values()) == block["rows"] and cm["tp"] + cm["fn"] == block["positives"]
    assert [i["metric"] for i in block["intervals"]] == list(METRICS)
    assert block["roc_auc_error_bound"] < 1e-3

    report = (out / "regression" / "technical_report.html").read_text()
    assert f"On every usable row not used for training: {block['rows']:,} rows" in report
    assert f"the sample&#39;s {model['n_test']:,} test rows" in report
    leadership = (out / "regression" / "executive_summary.json").read_text()
    assert f"On all {block['rows']:,} videos it did not learn from" in leadership
    assert f"{model['n_test']:,} videos of the sample it had not seen" in leadership
    results = AnalysisResults.from_json(doc)
    assert results.held_out_all_rows is not None and results.held_out_all_rows.rows == block["rows"]
    technical = summary_text(results, Config(), "technical")
    assert f"on all {block['rows']:,} usable rows not used for training" in technical


def test_without_a_sample_results_json_has_no_block(demo, tmp_path):
    from reportgen.data import load_dataset
    from reportgen.pipeline import analyse

    results = analyse(load_dataset(demo, Config()), Config())
    assert results.held_out_all_rows is None and "held_out_all_rows" not in results.to_json()
