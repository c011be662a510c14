"""Issue 18 at scale: the studies' samples keep their class mix, the median bootstrap costs O(1) a resample on
large groups with the same distribution, and every number under a sample is labelled as from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reportgen.stats import groups


@pytest.mark.parametrize("n", [1_000, 1_001, 7])
def test_drawn_medians_have_the_distribution_of_resampled_medians(n: int) -> None:
    """The order-statistic draw and resampling every row give one distribution of the median (ties, odd and even n)."""
    from scipy.stats import ks_2samp

    values = np.round(np.random.default_rng(3).lognormal(5, 2, n))
    resampled = np.concatenate(
        [np.median(values[np.random.default_rng(i).integers(0, n, size=(100, n))], axis=1) for i in range(100)]
    )
    drawn = groups._drawn_medians(values, 10_000, np.random.default_rng(1))
    assert ks_2samp(resampled, drawn).pvalue > 0.001
    q = [2.5, 25, 50, 75, 97.5]
    spread = np.percentile(resampled, 97.5) - np.percentile(resampled, 2.5)
    assert np.abs(np.percentile(resampled, q) - np.percentile(drawn, q)).max() <= 0.05 * spread + 1e-9


def test_a_median_interval_is_seeded_and_costs_the_same_for_any_group_size() -> None:
    rng = np.random.default_rng(0)
    small, other = rng.lognormal(5, 1, 500), rng.lognormal(5, 1, 400)
    assert groups.median_difference(small, other, 400, 9) == groups.median_difference(small, other, 400, 9)
    assert groups.median_difference(small, other, 400, 9) != groups.median_difference(small, other, 400, 10)
    big = rng.lognormal(5, 1, 2_000_001)
    est = groups.median_difference(big, other, 2_000, 9)  # no resample of two million rows is ever drawn
    assert est.ci_low < est.estimate < est.ci_high
    assert est.estimate == pytest.approx(np.median(big) - np.median(other))


def _sampled(tmp_path: Path, rows: int = 6_000, sample_rows: int = 1_000) -> tuple[dict, dict]:
    """Every study's dataset from the demo, by pandas (all rows) and by DuckDB (a sample of ``sample_rows``)."""
    pytest.importorskip("duckdb", reason="the DuckDB engine is optional")
    from reportgen import engines
    from reportgen.config import Config
    from reportgen.studies import chosen
    from reportgen.synthetic import write_csv

    data = tmp_path / "demo.csv"
    write_csv(data, rows=rows, seed=0)
    small = Config.from_dict({"data": {"sample_rows": sample_rows}})
    full = engines.load_studies("pandas", data, chosen(None, Config()), Config())
    return full, engines.load_studies("duckdb", data, chosen(None, small), small)


@pytest.mark.parametrize(("study", "column"), [("classifier", "claim_status"), ("hypothesis", "verified_status")])
def test_the_classifier_and_hypothesis_samples_keep_their_class_mix(tmp_path: Path, study: str, column: str) -> None:
    full, sampled = _sampled(tmp_path)
    got = sampled[study]
    assert got.summary.sample.stratified_by == column
    assert len(got.frame) == 1_000
    share = full[study].frame[column].value_counts(normalize=True)
    assert (got.frame[column].value_counts(normalize=True) - share).abs().max() < 1 / 1_000 + 1e-9


def test_every_number_from_a_sample_says_so_and_none_is_paired_with_the_full_total(tmp_path: Path) -> None:
    """A DuckDB build of 4,000 rows analysing 1,000: the documents label the sample's counts and keep the full ones apart.

    The exploration's and the hypothesis study's numbers cover every usable row even then (SQL over all of
    them): their summaries say so and name no sample; their reports say what alone comes from the sample.
    """
    pytest.importorskip("duckdb", reason="the DuckDB engine is optional")
    import re
    import subprocess
    import sys

    from pypdf import PdfReader

    from reportgen.synthetic import write_csv
    from pages import VisiblePage

    data, config, out = tmp_path / "demo.csv", tmp_path / "reportgen.toml", tmp_path / "out"
    write_csv(data, rows=4_000, seed=0)
    config.write_text("[data]\nsample_rows = 1000\n")
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--engine", "duckdb", "--config", str(config), "--quiet"],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = {}
    for study in ("exploration", "hypothesis", "regression", "classifier"):
        page = VisiblePage()
        page.feed((out / study / "technical_report.html").read_text())
        html = re.sub(r"\s+", " ", " ".join(page.parts))
        summary = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out / study / "executive_summary.pdf").pages))
        pages[study] = (html, summary)
        every_row = study in ("exploration", "hypothesis")
        for name, text in (("HTML", html), ("summary PDF", summary)):
            if every_row and name == "summary PDF":
                assert "all 3,939 usable videos, not a sample" in text and "1,000" not in text, (study, name)
            else:
                assert "sample of 1,000" in text, (study, name)
            # a count of the sample beside the file's total, as "1,000 of 4,000 rows" or "Of 4,000 videos ... 486 claims"
            assert not re.search(r"\b1,000 of (the )?4,000\b", text), (study, name)
            assert "Of 4,000 videos" not in text, (study, name)
            assert not re.search(r"We (used|looked at) 1,000 videos", text), (study, name)
    explore_html, explore_summary = pages["exploration"]
    assert "Of all 3,939 usable videos, claims and opinions are" in explore_html
    assert re.search(r"The file has 4,000 videos\. 61 of them have no claim or opinion label", explore_summary)  # every row's gap
    assert "Rows this study received 3,939 Rows used 3,939 Rows sampled (median intervals only) 1,000" in pages["hypothesis"][0]
    assert "only the 95% intervals of the differences in medians are bootstrapped from a random sample of 1,000" in pages["hypothesis"][0]
    assert "3,939 were usable, of which a sample of 1,000 was analysed" in pages["regression"][0]
    assert "3,939 of 4,000 rows usable" in pages["classifier"][0]
    # The classifier's champion is also scored on every usable row not used to fit or choose it: 3,939 less the
    # sample's 600 training and 200 validation rows; both documents say so, apart from the sample's counts.
    import json

    held = json.loads((out / "classifier" / "results.json").read_text())["held_out_all_rows"]
    assert held["rows"] == 3_939 - 800 and held["training_rows_excluded"] == 800
    assert "On every usable row not used to fit or choose the model: 3,139 rows" in pages["classifier"][0]
    assert "On all 3,139 videos it had not learnt from" in pages["classifier"][1]


def test_the_leadership_page_states_the_sample_in_plain_words_and_the_technical_one_exactly() -> None:
    """No seed and no column name on the leadership page; the technical tone keeps both."""
    from reportgen.core.summary import sample_blocks
    from reportgen.results import Sample

    class Data:
        sample = Sample(rows=20_000, rows_usable=98_482, seed=42, stratified_by="claim_status")

    plain = sample_blocks("overview", Data(), "leadership")[0].text
    exact = sample_blocks("overview", Data(), "technical")[0].text
    assert plain == (
        "We studied a random sample of 20,000 of the 98,482 usable videos; it keeps the mix of claims and opinions. "
        "The counts of videos and of missing details cover every video."
    )
    assert "seed 42" in exact and "claim_status" in exact and "seed" not in plain and "_" not in plain
    assert sample_blocks("status", Data(), "leadership") == ()
