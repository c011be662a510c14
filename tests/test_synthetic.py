"""Tests for reportgen.synthetic: schema, determinism and the calibrated structure.

The statistical checks run on one 20,000-row frame with a fixed seed, so they
are deterministic; their tolerances are several standard errors wide around
the calibration targets (the real data's figures), so they fail when the
structure breaks, not by chance.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from reportgen import schema, synthetic

ROWS = 20_000
COUNT_COLUMNS = [c for c in schema.COUNTS if c != "video_duration_sec"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return synthetic.generate(rows=ROWS, seed=0)


@pytest.fixture(scope="module")
def complete(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with nothing missing, counts as plain int64."""
    rows = frame.dropna()
    return rows.astype({c: "int64" for c in COUNT_COLUMNS})


# --- Schema -------------------------------------------------------------------


def test_columns_are_the_schema_columns_in_order(frame):
    assert list(frame.columns) == list(schema.COLUMNS)
    assert len(frame) == ROWS


def test_row_numbers_count_from_one(frame):
    assert frame[schema.ROW_NUMBER].tolist() == list(range(1, ROWS + 1))


@pytest.mark.parametrize("column", sorted(schema.CATEGORIES))
def test_category_values_are_the_allowed_ones_and_all_occur(frame, column):
    assert set(frame[column].dropna()) == set(schema.CATEGORIES[column])


def test_video_ids_are_unique_ten_digit_numbers(frame):
    ids = frame[schema.VIDEO_ID]
    assert ids.is_unique
    assert ids.between(1_000_000_000, 9_999_999_999).all()


def test_durations_are_whole_seconds_from_5_to_60(frame):
    durations = frame["video_duration_sec"]
    assert pd.api.types.is_integer_dtype(durations)
    assert durations.min() == 5 and durations.max() == 60


def test_counts_are_whole_non_negative_and_nested(frame, complete):
    for column in COUNT_COLUMNS:
        assert pd.api.types.is_integer_dtype(frame[column]), column
        assert (complete[column] >= 0).all(), column
    assert (complete.video_like_count <= complete.video_view_count).all()
    assert (complete.video_share_count <= complete.video_like_count).all()
    assert (complete.video_download_count <= complete.video_like_count).all()
    assert (complete.video_comment_count <= complete.video_download_count).all()


def test_single_row_is_a_valid_frame():
    one = synthetic.generate(rows=1, seed=5)
    assert one.shape == (1, len(schema.COLUMNS))
    assert one[schema.ROW_NUMBER].tolist() == [1]


@pytest.mark.parametrize("rows", [0, -1, -20_000])
def test_fewer_than_one_row_is_refused(rows):
    with pytest.raises(ValueError, match="at least 1"):
        synthetic.generate(rows=rows)


def test_non_whole_row_count_is_refused():
    with pytest.raises(TypeError):
        synthetic.generate(rows=10.5)


# --- Determinism --------------------------------------------------------------


def test_same_seed_gives_equal_frames():
    first, second = synthetic.generate(2_000, seed=11), synthetic.generate(2_000, seed=11)
    pd.testing.assert_frame_equal(first, second)


def test_different_seed_gives_a_different_frame():
    first, second = synthetic.generate(2_000, seed=1), synthetic.generate(2_000, seed=2)
    assert not first.equals(second)
    assert (first[schema.VIDEO_ID] != second[schema.VIDEO_ID]).mean() > 0.99


def test_same_seed_writes_identical_bytes(tmp_path):
    first = synthetic.write_csv(tmp_path / "a.csv", rows=3_000, seed=4)
    second = synthetic.write_csv(tmp_path / "b.csv", rows=3_000, seed=4)
    assert first.read_bytes() == second.read_bytes()


# --- Calibrated structure (real data figures in brackets) ---------------------


def test_verified_share_is_near_the_real_one(frame):
    # [1,240 / 19,382 = 6.4 %]; the standard error at 20,000 rows is 0.17 points.
    share = (frame.verified_status == "verified").mean()
    assert share == pytest.approx(0.064, abs=0.008)


def test_claims_and_opinions_are_about_even(frame):
    # [50.3 % claims among rows with a claim status]
    assert (frame.claim_status.dropna() == "claim").mean() == pytest.approx(0.50, abs=0.03)


def test_verified_authors_post_mostly_opinions(frame):
    # [claims: 17.4 % of verified rows, 52.6 % of unverified rows]
    rated = frame[frame.claim_status.notna()]
    claim_share = (rated.claim_status == "claim").groupby(rated.verified_status).mean()
    assert claim_share["verified"] == pytest.approx(0.174, abs=0.04)
    assert claim_share["not verified"] == pytest.approx(0.526, abs=0.02)


def test_claims_are_banned_or_under_review_more_often(frame):
    # [active: 68.3 % of claims, 93.0 % of opinions]
    active = (frame.author_ban_status == "active").groupby(frame.claim_status).mean()
    assert active["claim"] == pytest.approx(0.683, abs=0.03)
    assert active["opinion"] == pytest.approx(0.930, abs=0.02)


def test_claims_draw_far_more_views_than_opinions(complete):
    # [median views: claims 501,555, opinions 4,953]
    medians = complete.groupby("claim_status").video_view_count.median()
    assert 300_000 < medians["claim"] < 800_000
    assert 3_000 < medians["opinion"] < 8_000


def test_engagement_counts_correlate_like_the_real_ones(complete):
    # [r(views, likes) = 0.80, r(downloads, comments) = 0.83]
    views_likes = complete.video_view_count.corr(complete.video_like_count)
    downloads_comments = complete.video_download_count.corr(complete.video_comment_count)
    assert views_likes == pytest.approx(0.80, abs=0.07)
    assert downloads_comments == pytest.approx(0.83, abs=0.07)


def test_engagement_fractions_are_near_the_real_ones(complete):
    # [median likes/views 0.33 for claims, 0.22 for opinions; downloads/likes 0.012]
    claims = complete[complete.claim_status == "claim"]
    opinions = complete[complete.claim_status == "opinion"]
    claim_likes_per_view = claims.video_like_count / claims.video_view_count
    opinion_likes_per_view = opinions.video_like_count / opinions.video_view_count
    assert claim_likes_per_view.median() == pytest.approx(0.33, abs=0.04)
    assert opinion_likes_per_view.median() == pytest.approx(0.22, abs=0.03)
    downloads_per_like = claims.video_download_count / claims.video_like_count.clip(lower=1)
    assert downloads_per_like.median() == pytest.approx(0.0125, abs=0.003)


def test_verified_authors_have_shorter_and_more_shared_videos(complete):
    # The weak signal beyond claim_status: absent, both gaps would be ~0.
    by_status = complete.groupby("verified_status")
    durations = by_status.video_duration_sec.mean()
    assert durations["not verified"] - durations["verified"] > 1.0
    claims = complete[complete.claim_status == "claim"]
    shares_per_like = (claims.video_share_count / claims.video_like_count.clip(lower=1)).groupby(
        claims.verified_status
    ).mean()
    assert shares_per_like["verified"] > 1.15 * shares_per_like["not verified"]


def test_about_one_and_a_half_percent_of_rows_miss_exactly_the_often_missing_columns(frame):
    # [298 / 19,382 = 1.5 %]
    missing = frame.isna()
    assert set(missing.columns[missing.any()]) == set(schema.OFTEN_MISSING)
    rows_with_gaps = missing.any(axis=1)
    assert (missing.loc[rows_with_gaps, list(schema.OFTEN_MISSING)].all(axis=1)).all()
    assert rows_with_gaps.mean() == pytest.approx(0.015, abs=0.004)


def test_transcriptions_read_as_claims_or_opinions(frame):
    texts = frame.dropna(subset=[schema.TRANSCRIPTION])
    is_claim = texts.claim_status == "claim"
    claim_like = texts[schema.TRANSCRIPTION].str.startswith(synthetic._CLAIM_SOURCES)
    opinion_like = texts[schema.TRANSCRIPTION].str.startswith(synthetic._OPINION_SOURCES)
    assert (claim_like == is_claim).all()
    assert (opinion_like == ~is_claim).all()
    assert texts[schema.TRANSCRIPTION].nunique() > 500


# --- CSV ----------------------------------------------------------------------


def test_write_csv_writes_the_bytes_pandas_would(tmp_path, monkeypatch):
    # Small blocks, so that 5,001 rows cross several block edges and end on a
    # one-row block; the rows include missing ones and texts that need quoting.
    monkeypatch.setattr(synthetic, "_CSV_CHUNK_ROWS", 1_000)
    expected = synthetic.generate(rows=5_001, seed=2).to_csv(index=False, lineterminator="\n")
    assert '"' in expected and ",,,,," in expected
    written = synthetic.write_csv(tmp_path / "demo.csv", rows=5_001, seed=2)
    assert written.read_bytes() == expected.encode("utf-8")


def test_write_csv_replaces_an_existing_file_and_leaves_no_partial_file(tmp_path):
    target = tmp_path / "demo.csv"
    target.write_text("old contents", encoding="utf-8")
    synthetic.write_csv(target, rows=10, seed=0)
    assert target.read_text(encoding="utf-8").startswith(",".join(schema.COLUMNS))
    assert [p.name for p in tmp_path.iterdir()] == ["demo.csv"]


def test_write_csv_round_trips_through_read_csv(tmp_path):
    written = synthetic.write_csv(tmp_path / "nested" / "demo.csv", rows=5_000, seed=9)
    expected = synthetic.generate(rows=5_000, seed=9)
    back = pd.read_csv(written)
    assert back.shape == expected.shape
    assert list(back.columns) == list(schema.COLUMNS)
    assert back.isna().sum().to_dict() == expected.isna().sum().to_dict()
    assert back[schema.VIDEO_ID].tolist() == expected[schema.VIDEO_ID].tolist()
    texts_back, texts_expected = back[schema.TRANSCRIPTION], expected[schema.TRANSCRIPTION]
    assert texts_back.fillna("").tolist() == texts_expected.fillna("").tolist()
    for column in COUNT_COLUMNS:
        present = expected[column].notna()
        values_back = back.loc[present, column].to_numpy()
        assert np.array_equal(values_back, expected.loc[present, column].to_numpy()), column


def test_csv_writes_counts_as_whole_numbers_and_gaps_as_empty_fields(tmp_path):
    written = synthetic.write_csv(tmp_path / "demo.csv", rows=2_000, seed=0)
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(schema.COLUMNS)
    gap_rows = [line for line in lines[1:] if line.endswith(",,,,,")]
    assert gap_rows, "expected some rows with missing counts"
    assert all(line.split(",")[1] == "" for line in gap_rows)
    assert not any(".0," in line or line.endswith(".0") for line in lines[1:])


def test_write_csv_refuses_zero_rows_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError):
        synthetic.write_csv(tmp_path / "empty.csv", rows=0)
    assert list(tmp_path.iterdir()) == []


def test_importing_the_module_loads_neither_numpy_nor_pandas():
    # The CLI imports this module on every start; numpy and pandas wait for generate().
    code = "import sys, reportgen.synthetic; print('numpy' in sys.modules, 'pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
