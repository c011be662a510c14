"""The hypothesis study over every usable row left in DuckDB or Spark agrees with the pandas path on every row.

On the same small file, the pandas engine's frame holds every usable row; the
DuckDB and Spark engines hand the study a sample of 1,000 and leave all rows
behind (``Dataset.all_rows``), from which ``engines.groups`` aggregates. Every
group summary, test and effect size must then be the pandas path's: counts
exactly, everything else to a relative 1e-9 (p-values to an absolute 1e-12;
percentiles 1e-9). Only the bootstrap interval of the difference in medians is
drawn from the sample (its point estimate covers every row).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from reportgen import engines
from reportgen.config import Config
from reportgen.stats import groups as stats
from reportgen.studies import chosen
from reportgen.studies.hypothesis.analysis import analyse
from reportgen.synthetic import write_csv

SAMPLED = {"data": {"sample_rows": 1_000}}
REL, P_ABS = 1e-9, 1e-12
#: Fields drawn from the sample on the all-rows path (the rest must agree).
FROM_SAMPLE = {"median_difference.ci_low", "median_difference.ci_high"}


@pytest.fixture(scope="module")
def claims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("groups") / "claims.csv", rows=6_000, seed=0)


def _hypothesis(engine: str, path: Path, config: Config):
    study = chosen(["hypothesis"], config)
    dataset = engines.load_studies(engine, path, study, config)["hypothesis"]
    return dataset, analyse(dataset.frame, dataset.summary, config.study_settings("hypothesis"), dataset.all_rows)


def _close(name: str, ours: float, theirs: float) -> None:
    if isinstance(theirs, int) or name.endswith(".n"):
        assert ours == theirs, name
    elif math.isnan(theirs) or math.isinf(theirs):
        assert ours == theirs or (math.isnan(ours) and math.isnan(theirs)), name
    elif name.split(".")[-1] == "p_value":
        assert abs(ours - theirs) <= P_ABS, (name, ours, theirs)
    else:
        assert ours == pytest.approx(theirs, rel=REL, abs=1e-300), (name, ours, theirs)


def _agree(ours, theirs, name: str = "") -> int:
    """Assert ``ours`` equals ``theirs`` field by field (nested dataclasses and tuples); the number of numbers compared."""
    if dataclasses.is_dataclass(theirs):
        return sum(_agree(getattr(ours, f.name), getattr(theirs, f.name), f"{name}.{f.name}".lstrip(".")) for f in dataclasses.fields(theirs))
    if isinstance(theirs, tuple):
        assert len(ours) == len(theirs), name
        return sum(_agree(a, b, f"{name}[{i}]") for i, (a, b) in enumerate(zip(ours, theirs)))
    if isinstance(theirs, float | int) and not isinstance(theirs, bool):
        if not name.endswith(tuple(FROM_SAMPLE)):
            _close(name, ours, theirs)
        return 1
    assert ours == theirs, name
    return 0


def _assert_same_as_every_row(sampled, full) -> None:
    dataset, ours = sampled
    _, theirs = full
    assert dataset.all_rows is not None and len(dataset.frame) == 1_000
    assert ours.all_rows.rows == theirs.rows.used == dataset.all_rows.rows and ours.all_rows.sample == 1_000
    assert ours.rows == theirs.rows
    compared = _agree(ours.overall, theirs.overall, "overall")
    assert compared >= 240  # 2 x 101 percentiles and every test: nothing skipped by accident
    assert len(ours.strata) == len(theirs.strata) == 2
    for a, b in zip(ours.strata, theirs.strata):
        _agree(a, b, f"stratum {b.level}")
    _agree(ours.within, theirs.within, "within")
    assert ours.finding == theirs.finding
    # The median difference's point estimate covers every row; its interval is the sample's bootstrap.
    md = ours.overall.median_difference
    assert md.estimate == pytest.approx(ours.overall.focal.median - ours.overall.reference.median)
    assert md.ci_low < md.ci_high and md.ci_low != theirs.overall.median_difference.ci_low


def test_duckdb_groups_over_every_row_agree_with_pandas(claims: Path) -> None:
    pytest.importorskip("duckdb")
    full = _hypothesis("pandas", claims, Config())
    assert full[0].all_rows is None and full[1].all_rows is None
    _assert_same_as_every_row(_hypothesis("duckdb", claims, Config.from_dict(SAMPLED)), full)


def test_spark_groups_over_every_row_agree_with_pandas(spark, claims: Path) -> None:
    full = _hypothesis("pandas", claims, Config())
    _assert_same_as_every_row(_hypothesis("spark", claims, Config.from_dict(SAMPLED)), full)


def test_duckdb_build_results_json_matches_the_pandas_build(claims: Path, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from reportgen.builder import build

    build(claims, tmp_path / "pandas", Config(), studies=["hypothesis"])
    build(claims, tmp_path / "duck", Config.from_dict({"data": {**SAMPLED["data"], "engine": "duckdb"}}), studies=["hypothesis"])
    theirs = json.loads((tmp_path / "pandas" / "hypothesis" / "results.json").read_text())
    ours = json.loads((tmp_path / "duck" / "hypothesis" / "results.json").read_text())
    assert "all_rows" not in theirs and "sample" not in theirs["data"]  # the pandas file is as it always was
    assert ours["all_rows"] == {"rows": theirs["rows"]["used"], "sample": 1_000}
    assert ours["data"]["sample"]["rows"] == 1_000 and ours["rows"] == theirs["rows"]
    for where in ("overall", *(f"strata.{i}.comparison" for i in range(2))):
        a, b = _at(ours, where), _at(theirs, where)
        for group in ("focal", "reference"):
            assert a[group]["n"] == b[group]["n"]
            for key in ("mean", "sd", "median"):
                assert a[group][key] == pytest.approx(b[group][key], rel=REL)
        for test, fields in (("welch", ("t", "df", "difference")), ("log_welch", ("t", "df")), ("mann_whitney", ("u", "rank_biserial"))):
            for key in fields:
                assert a[test][key] == pytest.approx(b[test][key], rel=REL), (where, test, key)
            assert abs(a[test]["p_value"] - b[test]["p_value"]) <= P_ABS
        for key in ("estimate", "ci_low", "ci_high"):
            assert a["hedges_g"][key] == pytest.approx(b["hedges_g"][key], rel=REL)
    assert ours["finding"] == theirs["finding"]
    html = (tmp_path / "duck" / "hypothesis" / "technical_report.html").read_text()
    assert f"covers all {theirs['rows']['used']:,} usable rows" in html and "random sample of 1,000" in html
    summary = json.loads((tmp_path / "duck" / "hypothesis" / "executive_summary.json").read_text())
    overview = " ".join(b["text"] for b in summary["sections"][0]["blocks"])
    assert f"covers all {theirs['rows']['used']:,} usable videos" in overview and "sample of 1,000" not in overview


def _at(doc: dict, where: str) -> dict:
    for part in where.split("."):
        doc = doc[int(part)] if part.isdigit() else doc[part]
    return doc


# --- the moment formulas against scipy on the rows themselves ------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_rank_and_variance_formulas_give_scipys_numbers(seed: int) -> None:
    """Mann-Whitney from rank sums (exact and normal, ties or none) and Brown-Forsythe from deviations, as scipy."""
    from scipy.stats import levene, rankdata

    rng = np.random.default_rng(seed)
    small = seed % 2 == 0  # a group of 8 or fewer without ties: scipy's exact distribution
    a = rng.normal(0.3, 1, 6 if small else 40) if small else rng.integers(0, 12, 40).astype(float)
    b = rng.normal(0, 1, 30) if small else rng.integers(0, 15, 55).astype(float)
    ranks = rankdata(np.concatenate([a, b]))
    _, t = np.unique(np.concatenate([a, b]), return_counts=True)
    ours = stats.mann_whitney_from_ranks(float(ranks[: len(a)].sum()), len(a), len(b), float((t.astype(float) ** 3 - t).sum()), bool((t > 1).any()))
    theirs = stats.mann_whitney(a, b)
    _agree(ours, theirs)
    deviations = [(len(x), float(np.abs(x - np.median(x)).mean()), float(np.abs(x - np.median(x)).var(ddof=1))) for x in (a, b)]
    check = stats.brown_forsythe_from_moments(deviations, float(a.std(ddof=1)), float(b.std(ddof=1)))
    res = levene(a, b, center="median")
    assert check.statistic == pytest.approx(res.statistic, rel=REL) and abs(check.p_value - res.pvalue) <= P_ABS
    assert check == dataclasses.replace(stats.brown_forsythe(a, b), statistic=check.statistic, p_value=check.p_value)


def test_welch_from_moments_is_scipys_ttest_bit_for_bit() -> None:
    """The pandas path's Welch test now runs through ``welch_from_moments``: the same bits as ``ttest_ind``."""
    from scipy.stats import ttest_ind

    rng = np.random.default_rng(1)
    for _ in range(50):
        a, b = rng.lognormal(3, 2, rng.integers(3, 400)), rng.lognormal(3, 2, rng.integers(3, 400))
        res = ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(stats.LEVEL)
        assert stats.welch(a, b) == stats.WelchTest(float(res.statistic), float(res.df), float(res.pvalue), float(a.mean() - b.mean()), float(ci.low), float(ci.high))
