"""Descriptive statistics over every usable row of a sampled study agree with pandas' over the same rows (issue 18).

DuckDB and Spark each hand a study a sample of 1,000 of a 6,000-row file and
keep every usable row (``Dataset.all_rows``); the statistics of
``reportgen.engines.describe``, the regression's EDA and the whole exploration
computed over those rows must equal what the pandas engine computes over its
frame, which holds every usable row. Tolerances: counts exact; means,
variances, quantiles, correlations and p-values to a relative 1e-9 (sums in
another order differ in the last bits only).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from reportgen import engines, schema
from reportgen.analysis.eda import explore as explore_eda
from reportgen.config import Config
from reportgen.studies import chosen
from reportgen.studies.exploration.analysis import explore as explore_study
from reportgen.studies.exploration.settings import ExplorationSettings
from reportgen.synthetic import write_csv

pytest.importorskip("duckdb", reason="the DuckDB engine is optional: pip install 'reportgen[duckdb]'")

REL = 1e-9
SAMPLED = Config.from_dict({"data": {"sample_rows": 1_000}})
STUDIES = ["exploration", "regression"]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """6,000 synthetic rows: enough that a 1,000-row sample leaves most usable rows out."""
    return write_csv(tmp_path_factory.mktemp("describe") / "claims.csv", rows=6_000, seed=0)


@pytest.fixture(scope="module")
def pandas_sets(data: Path) -> dict:
    return engines.load_studies("pandas", data, chosen(STUDIES, Config()), Config())


@pytest.fixture(scope="module")
def duck_sets(data: Path) -> dict:
    return engines.load_studies("duckdb", data, chosen(STUDIES, SAMPLED), SAMPLED)


def same(x, y, path: str = "") -> None:
    """``x`` equals ``y``: the same keys and lengths, equal counts and text, floats within REL (NaN equals NaN)."""
    if isinstance(x, dict):
        assert list(x) == list(y), path
        for k in x:
            same(x[k], y[k], f"{path}/{k}")
    elif isinstance(x, (list, tuple)):
        assert len(x) == len(y), path
        for i, (u, v) in enumerate(zip(x, y)):
            same(u, v, f"{path}[{i}]")
    elif isinstance(x, float) and isinstance(y, float):
        assert math.isclose(x, y, rel_tol=REL, abs_tol=1e-12) or (math.isnan(x) and math.isnan(y)), (path, x, y)
    else:
        assert x == y and type(x) is type(y), (path, x, y)


def check_describe(all_rows, frame: pd.DataFrame) -> None:
    """Each ``describe`` function over ``all_rows`` against pandas over ``frame`` (the same rows)."""
    from scipy.stats import mannwhitneyu

    from reportgen.analysis.eda import iqr_outliers
    from reportgen.engines import describe

    numeric = [c for c in schema.COUNTS if c in frame]
    assert all_rows.rows == len(frame)
    stats = describe.describe(all_rows, numeric, "claim_status")
    for (label, c), s in stats.items():
        v = frame.loc[frame["claim_status"].astype(str) == label, c]
        q = v.quantile([0.25, 0.5, 0.75]).tolist()
        assert s.n == v.count()
        same([s.mean, s.sd, s.min, s.q1, s.median, s.q3, s.max], [v.mean(), v.std(), v.min(), *q, v.max()], f"{label}/{c}")
    assert {k[0] for k in stats} == set(frame["claim_status"].astype(str))
    outliers = describe.iqr_outliers(all_rows, numeric)
    same([dataclasses.asdict(o) for o in outliers], [dataclasses.asdict(iqr_outliers(frame[c], c)) for c in numeric])
    assert describe.label_counts(all_rows, "verified_status") == frame["verified_status"].astype(str).value_counts().to_dict()
    pairs = frame[["claim_status", "author_ban_status"]].astype(str).value_counts()
    assert describe.crosstab_counts(all_rows, "claim_status", "author_ban_status") == {k: int(v) for k, v in pairs.items()}
    for method in ("pearson", "spearman"):
        same(describe.correlation(all_rows, numeric, method), frame[numeric].corr(method=method).to_numpy().tolist(), method)
    first, second = (frame.loc[frame["claim_status"].astype(str) == g, "video_view_count"] for g in ("claim", "opinion"))
    u, p = describe.rank_sums(all_rows, "video_view_count", "claim_status", "claim", "opinion").u_and_p()
    same([u, p], [float(x) for x in mannwhitneyu(first, second, alternative="two-sided")])


def check_studies(sets: dict, pandas_sets: dict) -> None:
    """The regression's EDA and the exploration over every usable row equal the pandas build's."""
    regression, full = sets["regression"], pandas_sets["regression"]
    assert regression.all_rows is not None and len(regression.frame) == 1_000
    eda = dataclasses.asdict(explore_eda(regression.frame, SAMPLED, regression.all_rows))
    expected = dataclasses.asdict(explore_eda(full.frame, Config()))
    assert eda.pop("rows") == full.summary.rows_used and expected.pop("rows") is None
    eda.pop("examples"), expected.pop("examples")  # transcriptions quoted from the sample
    same(eda, expected)
    for settings in (ExplorationSettings(), ExplorationSettings(correlation="pearson", bands="quartiles")):
        got, want = (dataclasses.asdict(explore_study(d, settings)) for d in (sets["exploration"], pandas_sets["exploration"]))
        assert got["data"].pop("sample")["rows"] == 1_000 and want["data"].pop("sample") is None
        same(got, want, str(settings))


def test_describe_over_every_usable_row_in_duckdb_agrees_with_pandas(duck_sets, pandas_sets) -> None:
    check_describe(duck_sets["regression"].all_rows, pandas_sets["regression"].frame)


def test_the_studies_over_every_usable_row_in_duckdb_equal_the_pandas_engine(duck_sets, pandas_sets) -> None:
    check_studies(duck_sets, pandas_sets)


def test_a_spearman_matrix_ranks_each_pair_within_its_complete_rows(duck_sets, pandas_sets) -> None:
    from reportgen.engines import describe

    columns = {"views": '"video_view_count"', "rate": 'CASE WHEN "video_comment_count" > 2 THEN "video_like_count" END',
               "other": 'CASE WHEN "video_share_count" > 5 THEN "video_duration_sec" END'}
    rows = describe.derived(duck_sets["regression"].all_rows, columns)
    frame = pandas_sets["regression"].frame
    expected = pd.DataFrame({
        "views": frame["video_view_count"],
        "rate": frame["video_like_count"].where(frame["video_comment_count"] > 2),
        "other": frame["video_duration_sec"].where(frame["video_share_count"] > 5),
    })  # fmt: skip
    same(describe.correlation(rows, list(columns), "spearman"), expected.corr(method="spearman").to_numpy().tolist())


@pytest.mark.usefixtures("spark")
def test_describe_and_the_studies_over_every_usable_row_in_spark_agree_with_pandas(data, pandas_sets) -> None:
    spark_engine = pytest.importorskip("reportgen.engines.spark")
    if missing := spark_engine.available():
        pytest.skip(f"the Spark engine cannot run here: {missing}")
    sets = engines.load_studies("spark", data, chosen(STUDIES, SAMPLED), SAMPLED)
    check_describe(sets["regression"].all_rows, pandas_sets["regression"].frame)
    check_studies(sets, pandas_sets)
    check_gvif(sets, pandas_sets)


def _build(data: Path, out: Path, engine: str, config: Path | None = None) -> None:
    extra = ["--config", str(config)] if config else []
    command = [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--engine", engine, "--quiet"]
    command += [a for s in STUDIES for a in ("--study", s)] + extra
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stderr


def _text(path: Path) -> str:
    """A document's words, tags dropped and entities decoded, one space between words."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", path.read_text())).split())


def test_a_sampled_duckdb_build_reports_the_descriptive_statistics_of_every_usable_row(data: Path, tmp_path: Path) -> None:
    config = tmp_path / "reportgen.toml"
    config.write_text("[data]\nsample_rows = 1000\n")
    _build(data, tmp_path / "duck", "duckdb", config)
    _build(data, tmp_path / "pandas", "pandas")
    results = {e: {s: json.loads((tmp_path / e / s / "results.json").read_text()) for s in STUDIES} for e in ("duck", "pandas")}
    duck, full = results["duck"], results["pandas"]
    usable = full["regression"]["data"]["rows_used"]
    # The regression: its EDA covers every usable row (the examples are the sample's); the pandas file has no "rows".
    assert duck["regression"]["exploration"].pop("rows") == usable and "rows" not in full["regression"]["exploration"]
    assert duck["regression"]["data"]["sample"]["rows"] == 1_000
    same({k: v for k, v in duck["regression"]["exploration"].items() if k != "examples"},
         {k: v for k, v in full["regression"]["exploration"].items() if k != "examples"})  # fmt: skip
    # The exploration: every figure; only the data summary (its sample) and the figures' files differ.
    for doc in (duck["exploration"], full["exploration"]):
        doc["data"].pop("sample", None), doc.pop("figures"), doc.pop("previous", None)
    same(duck["exploration"], full["exploration"])
    # The documents say which numbers cover every usable row and which come from the sample.
    report = _text(tmp_path / "duck" / "regression" / "technical_report.html")
    assert f"the descriptive statistics below cover all {usable:,} usable rows" in report
    assert "the collinearity screen (VIF) from the sample's training rows, the rows the model is fitted on" in report
    assert "transcriptions of each claim status in the sample" in report
    lead = json.loads((tmp_path / "duck" / "regression" / "executive_summary.json").read_text())
    assert f"cover all {usable:,} usable videos; the model was built and tested on the sample" in json.dumps(lead)
    explored = _text(tmp_path / "duck" / "exploration" / "technical_report.html")
    usable = full["exploration"]["data"]["rows_used"]
    assert f"every figure of this exploration nonetheless covers all {usable:,} usable rows" in explored
    assert "in the sample" not in explored and "of the sample)" not in explored
    summary = json.loads((tmp_path / "duck" / "exploration" / "executive_summary.json").read_text())
    assert f"covers all {usable:,} usable videos, not a sample of them" in json.dumps(summary)
    # The pandas build states no sample, so no coverage either.
    for s in STUDIES:
        assert "random sample" not in _text(tmp_path / "pandas" / s / "technical_report.html")
        assert '"lead": "Sample:"' not in (tmp_path / "pandas" / s / "executive_summary.json").read_text()


def test_the_gvif_over_every_usable_row_equals_numpys_over_the_same_rows(duck_sets, pandas_sets) -> None:
    check_gvif(duck_sets, pandas_sets)


def check_gvif(sets: dict, pandas_sets: dict) -> None:
    """The regression's collinearity numbers over every usable row: the design's correlation matrix by SQL, GVIF as numpy."""
    from reportgen.analysis.assumptions import gvif_by_feature
    from reportgen.analysis.design import design_spec
    from reportgen.pipeline import gvif_all_rows

    m = Config().model
    full = pandas_sets["regression"].frame
    spec = design_spec(sets["regression"].frame, tuple(dict.fromkeys((*m.predictors, *m.extra_candidates))))
    assert spec.categorical and sum(len(v) for v in spec.levels.values()) > len(spec.categorical)  # a predictor of 2 dummies
    got = gvif_all_rows(sets["regression"].all_rows, spec, SAMPLED)
    want = {f: g for f, (g, _) in gvif_by_feature(spec.matrix(full), spec).items()}
    same(got, want)
    assert max(want.values()) > 2  # correlated counts: a number the screen would read


def test_a_sampled_build_shows_the_gvif_of_every_usable_row_beside_the_screen(data: Path, tmp_path: Path) -> None:
    config = tmp_path / "reportgen.toml"
    config.write_text("[data]\nsample_rows = 1000\n")
    _build(data, tmp_path / "duck", "duckdb", config)
    collinearity = json.loads((tmp_path / "duck" / "regression" / "results.json").read_text())["collinearity"]
    assert set(collinearity["gvif_all_rows"]) == set(collinearity["gvif"])
    report = _text(tmp_path / "duck" / "regression" / "technical_report.html")
    usable = json.loads((tmp_path / "duck" / "regression" / "results.json").read_text())["data"]["rows_used"]
    assert f"GVIF, all {usable:,} usable rows" in report
    assert "each candidate's GVIF over every usable row is shown beside it" in report
    golden = json.loads((Path(__file__).parent / "golden" / "regression" / "technical" / "results.json").read_text())
    assert "gvif_all_rows" not in golden["collinearity"]  # absent, not null, where no sample was drawn
