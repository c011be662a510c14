"""The classifier's champion scored over every held-out row in chunks (issue 18).

``AllRows.chunks`` hands every row over exactly once in bounded frames
(DuckDB and Spark); the chunked score of every usable row outside the
sample's training and validation rows equals the same model's score of the
pandas engine's frame (every usable row, in memory): histogram counts exact,
metrics equal; a fitted row is never scored; a sampled DuckDB build writes
``held_out_all_rows`` and its documents state it with numbers of results.json
only; without a sample the block is absent.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reportgen import engines, schema
from reportgen.config import Config
from reportgen.engines.scoring import ScoreHistogram, held_out_metrics, predicted_histogram
from reportgen.stats.histogram import cells_from_bins, histogram_metrics
from reportgen.studies import chosen
from reportgen.studies.classifier.all_rows import held_out_all_rows
from reportgen.studies.classifier.analysis import Encoder, columns, split_rows
from reportgen.studies.classifier.settings import ClassifierSettings
from reportgen.synthetic import write_csv

FAST = {"vocabulary_size": 10, "cv_folds": 2, "permutation_repeats": 1}
SETTINGS = ClassifierSettings(**FAST)
BINS = 256


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_csv(tmp_path_factory.mktemp("clf_scores") / "claims.csv", rows=6_000, seed=0)


def _config() -> Config:
    return Config.from_dict({"data": {"sample_rows": 1_000}, "studies": {"classifier": FAST}})


def _datasets(demo: Path):
    """The classifier's dataset from DuckDB (a sample of 1,000 and every usable row left in the engine) and from pandas."""
    pytest.importorskip("duckdb", reason="the DuckDB engine is optional")
    config = _config()
    duck = engines.load_studies("duckdb", demo, chosen(["classifier"], config), config)["classifier"]
    full = engines.load_studies("pandas", demo, chosen(["classifier"], Config()), Config())["classifier"]
    assert duck.all_rows is not None and len(duck.frame) == 1_000 and full.all_rows is None
    return duck, full


def _champion(frame: pd.DataFrame) -> tuple[Encoder, object, np.ndarray]:
    """A small forest on the sample's training rows as the study splits them, its encoder, and the fitted mask."""
    from sklearn.ensemble import RandomForestClassifier

    y = (frame[SETTINGS.target].astype(str) == SETTINGS.positive_class).to_numpy().astype(int)
    train, validation, _ = split_rows(y, SETTINGS)
    encoder = Encoder.fit(frame.iloc[train], SETTINGS)
    model = RandomForestClassifier(n_estimators=15, max_depth=4, random_state=0, n_jobs=1).fit(encoder.transform(frame.iloc[train]), y[train])
    fitted = np.zeros(len(frame), dtype=bool)
    fitted[train] = fitted[validation] = True
    return encoder, model, fitted


def _keys(all_rows) -> np.ndarray:
    """Every usable row's ``_row``, in file order: row i of the pandas engine's frame is the i-th."""
    return np.array(sorted(int(r[0]) for r in all_rows.query("SELECT _row FROM {rows}")), dtype=np.int64)


def _in_memory(full: pd.DataFrame, held: np.ndarray, encoder: Encoder, model) -> ScoreHistogram:
    """The histogram of the same model over the pandas engine's rows ``held``, all in memory."""
    rows = full.loc[held].reset_index(drop=True)
    s = model.predict_proba(encoder.transform(rows))[:, 1]
    y = (rows[SETTINGS.target].astype(str) == SETTINGS.positive_class).to_numpy()
    b = np.minimum(np.floor(s * BINS).astype(np.int64), BINS - 1)
    t = SETTINGS.threshold
    return ScoreHistogram(
        BINS, np.bincount(b[y], minlength=BINS), np.bincount(b[~y], minlength=BINS), int((s[y] >= t).sum()), int((s[~y] >= t).sum()), t
    )


def _check_chunks(all_rows, size: int) -> None:
    got = list(all_rows.chunks("SELECT _row, claim_status FROM {rows}", size))
    assert len(got) > 1 and all(0 < len(c) <= size for c in got)
    assert list(got[0].columns) == ["_row", "claim_status"]
    keys = np.concatenate([c["_row"].to_numpy(dtype=np.int64) for c in got])
    assert keys.size == all_rows.rows and np.unique(keys).size == keys.size  # every row, each once
    np.testing.assert_array_equal(np.sort(keys), _keys(all_rows))


def _check_scores(all_rows, full: pd.DataFrame, sample: pd.DataFrame) -> None:
    """Chunked held-out scoring over ``all_rows`` equals scoring the pandas engine's same rows in memory."""
    encoder, model, fitted = _champion(sample)
    every = _keys(all_rows)
    assert len(every) == len(full) == all_rows.rows  # the same usable rows as the pandas engine, in the same order
    fitted_keys = all_rows.sample_keys[fitted]
    held = ~np.isin(every, fitted_keys)
    # The sample's rows in the engine are the frame's rows, one for one: the same values in the same order.
    pd.testing.assert_frame_equal(
        full.loc[np.isin(every, all_rows.sample_keys)].reset_index(drop=True).astype(str), sample.reset_index(drop=True).astype(str)
    )

    def predict(frame):
        return model.predict_proba(encoder.transform(frame))[:, 1]

    chunked = predicted_histogram(
        all_rows, predict, columns(SETTINGS), SETTINGS.target, SETTINGS.positive_class, SETTINGS.threshold, fitted_keys, chunk_rows=450, bins=BINS
    )
    memory = _in_memory(full, held, encoder, model)
    assert chunked.rows == held.sum() == all_rows.rows - fitted.sum()
    np.testing.assert_array_equal(chunked.positives, memory.positives)
    np.testing.assert_array_equal(chunked.negatives, memory.negatives)
    assert (chunked.positives_above, chunked.negatives_above) == (memory.positives_above, memory.negatives_above)

    block = held_out_all_rows(all_rows, encoder, model, fitted, SETTINGS, chunk_rows=450)
    s = predict(full.loc[held].reset_index(drop=True))
    y = (full.loc[held, SETTINGS.target].astype(str) == SETTINGS.positive_class).to_numpy()
    from reportgen.engines.scoring import BINS as STUDY_BINS

    b = np.minimum(np.floor(s * STUDY_BINS).astype(np.int64), STUDY_BINS - 1)
    cells = cells_from_bins(
        np.bincount(b[y], minlength=STUDY_BINS), np.bincount(b[~y], minlength=STUDY_BINS),
        int((s[y] >= SETTINGS.threshold).sum()), int((s[~y] >= SETTINGS.threshold).sum()), SETTINGS.threshold,
    )  # fmt: skip
    expected = histogram_metrics(cells, SETTINGS.seed)
    assert block.rows == held.sum() and block.training_rows_excluded == fitted.sum() and block.positives == int(y.sum())
    cm = block.confusion_matrix
    assert (cm.tn, cm.fp, cm.fn, cm.tp) == (expected.tn, expected.fp, expected.fn, expected.tp)
    for name in ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "specificity", "roc_auc_error_bound"):
        assert getattr(block, name) == getattr(expected, name), name
    assert [(i.metric, i.low, i.high) for i in block.intervals] == [(i.metric, i.low, i.high) for i in expected.intervals]

    # A fitted row is never scored: leave out all but one of them, and only that row's bin gains it.
    one = int(np.flatnonzero(fitted)[0])
    but_one = fitted_keys[fitted_keys != all_rows.sample_keys[one]]
    more = predicted_histogram(
        all_rows, predict, columns(SETTINGS), SETTINGS.target, SETTINGS.positive_class, SETTINGS.threshold, but_one, chunk_rows=450, bins=BINS
    )
    assert more.rows == chunked.rows + 1
    row = sample.iloc[[one]]
    positive = str(row[SETTINGS.target].iloc[0]) == SETTINGS.positive_class
    diff = (more.positives - chunked.positives) if positive else (more.negatives - chunked.negatives)
    assert diff.sum() == 1 and diff[min(int(np.floor(predict(row)[0] * BINS)), BINS - 1)] == 1


# --- DuckDB ---------------------------------------------------------------------


def test_duckdb_chunks_hand_over_every_row_once_in_bounded_frames(demo):
    duck, _ = _datasets(demo)
    _check_chunks(duck.all_rows, 700)  # below DuckDB's 2,048-row vector: the frames are cut to the bound
    _check_chunks(duck.all_rows, 4_096)
    with pytest.raises(ValueError):
        next(duck.all_rows.chunks("SELECT _row FROM {rows}", 0))


def test_duckdb_held_out_scoring_equals_the_same_model_on_the_pandas_engines_rows(demo):
    duck, full = _datasets(demo)
    _check_scores(duck.all_rows, full.frame, duck.frame)


def test_a_frame_that_is_not_the_samples_rows_is_refused(demo):
    duck, _ = _datasets(demo)
    encoder, model, fitted = _champion(duck.frame)
    with pytest.raises(ValueError, match="do not match"):
        held_out_all_rows(duck.all_rows, encoder, model, fitted[:-1], SETTINGS)


def test_without_a_sample_the_classifier_writes_no_block(demo):
    from reportgen.progress import Progress
    from reportgen.studies.classifier.study import STUDY

    dataset = engines.load_studies("pandas", demo, chosen(["classifier"], _config()), _config())["classifier"]
    results = STUDY.analyse(dataset, _config(), Progress(quiet=True))
    assert results.held_out_all_rows is None and "held_out_all_rows" not in results.to_json()


def test_a_sampled_duckdb_build_writes_the_block_and_every_document_states_it(demo, tmp_path):
    pytest.importorskip("duckdb", reason="the DuckDB engine is optional")
    from pptx import Presentation
    from pypdf import PdfReader
    from test_classifier_study import NUMBER, _allowed

    from pages import VisiblePage
    from reportgen.builder import build
    from reportgen.studies.classifier.results import ClassifierResults
    from reportgen.studies.classifier.summary import build_summary

    config = Config.from_dict({"data": {"engine": "duckdb", "sample_rows": 1_000}, "studies": {"classifier": FAST}})
    out = build(demo, tmp_path / "out", config, studies=["classifier"]).out / "classifier"
    doc = json.loads((out / "results.json").read_text())
    block, split = doc["held_out_all_rows"], doc["split"]
    usable = doc["data"]["sample"]["rows_usable"]
    assert block["training_rows_excluded"] == split["n_train"] + split["n_validation"]
    assert block["rows"] == usable - block["training_rows_excluded"] and block["engine"] == "duckdb"
    cm = block["confusion_matrix"]
    assert sum(cm.values()) == block["rows"] and cm["tp"] + cm["fn"] == block["positives"]

    page = VisiblePage()
    page.feed((out / "technical_report.html").read_text())
    html = re.sub(r"\s+", " ", " ".join(page.parts + page.alts))
    assert f"On every usable row not used to fit or choose the model: {block['rows']:,} rows" in html
    assert f"the sample's {split['n_test']:,} test rows and every usable row outside the sample" in html
    assert f"Every held-out row ({block['rows']:,} rows)" in html
    leadership = re.sub(r"\s+", " ", PdfReader(out / "executive_summary.pdf").pages[0].extract_text())
    assert f"On all {block['rows']:,} videos it had not learnt from" in leadership
    results = ClassifierResults.from_json(doc)
    assert results.held_out_all_rows is not None and results.held_out_all_rows.rows == block["rows"]
    technical = " ".join(b.text for s in build_summary(results, config, "technical").sections for b in s.blocks)
    assert f"on all {block['rows']:,} usable rows not used to fit or choose the model" in technical

    # Every number of every document is a number of results.json (as tests/test_classifier_study.py checks without a sample).
    allowed = _allowed(doc, (out / "manifest.json").read_text())
    pdf = PdfReader(out / "technical_report.pdf")
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)
    deck = Presentation(out / "executive_summary.pptx")
    slide = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    pages = {str(i) for i in range(1, len(pdf.pages) + 1)}
    for name, text, also in (("HTML", html, set()), ("PDF", pdf_text, pages), ("summary PDF", leadership, set()), ("PPTX", slide, set())):
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", " ".join(text.split()))
        stray = sorted({n for n in NUMBER.findall(text) if n not in allowed | also})
        assert not stray, f"{name} shows numbers that are not in results.json: {stray[:20]}"


# --- Spark ----------------------------------------------------------------------


@pytest.fixture()
def spark_engine(request):
    """The Spark engine with conftest's local session, or a skip with the reason where Spark cannot run."""
    engine = pytest.importorskip("reportgen.engines.spark")
    missing = engine.available()
    if missing:
        pytest.skip(f"the Spark engine cannot run here: {missing}")
    request.getfixturevalue("spark")
    return engine


def test_spark_chunks_and_held_out_scoring_agree_with_pandas(tmp_path, spark_engine):
    path = write_csv(tmp_path / "claims.csv", rows=1_500, seed=0)
    config = Config()
    wanted, target = columns(SETTINGS), SETTINGS.target
    # sample_rows below the config's floor, to sample this small file
    table = dataclasses.replace(spark_engine.read_table(path, wanted, None, config), sample_rows=600)
    dataset = table.for_columns(wanted, target)
    assert dataset.all_rows is not None and len(dataset.frame) == 600
    full = engines.load_studies("pandas", path, chosen(["classifier"], config), config)["classifier"]
    _check_chunks(dataset.all_rows, 400)
    _check_scores(dataset.all_rows, full.frame, dataset.frame)
