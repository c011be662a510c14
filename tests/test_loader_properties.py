"""Property-based: whatever a file holds, ``load_dataset`` returns valid data or raises ``InputError``, nothing else."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import schema
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.data import Dataset, analysed_columns, load_dataset
from reportgen.synthetic import generate

ROWS = 40
CONFIG = Config()
NEEDED = [c for c in analysed_columns(CONFIG) if c != schema.TRANSCRIPTION]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

strange_text = st.sampled_from(
    ["", " ", "NA", "null", "None", "nan", "inf", "-inf", "1e400", "1,000", " 12 ", "0x10", "٣", "１２", "12abc", "-0", "+5",
     "Verified", "NOT VERIFIED", "banned ", "under\u00a0review", "Claim", "=1+2", "+cmd", "-2+3", "@SUM(A1)",
     "<b>x</b>", "{{ 7*7 }}", '"quoted, comma"', "line\nbreak", "tab\there", "\x00", "\u202e", "🙂", "a" * 300]
) | st.text(max_size=20)
numbers = st.integers(-(10**12), 10**15) | st.floats(allow_nan=True, allow_infinity=True)
cell = st.none() | strange_text | numbers | st.booleans()


def _valid(column: str) -> st.SearchStrategy:
    """A value the schema allows in ``column``."""
    if column in schema.CATEGORIES:
        return st.sampled_from(schema.CATEGORIES[column])
    if column == schema.TRANSCRIPTION:
        return st.text(max_size=30)
    return st.integers(0, 10**9)


edit = st.sampled_from(schema.COLUMNS).flatmap(
    lambda column: st.tuples(st.just(column), st.integers(0, ROWS - 1), cell | _valid(column))
)


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return generate(rows=ROWS, seed=11)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def load_or_refuse(path: Path) -> Dataset | None:
    """The loader's result, or None when it refused with a well-formed ``InputError``; anything else fails the test."""
    try:
        return load_dataset(path, CONFIG)
    except InputError as exc:
        message = exc.message()
        assert message.startswith("error: ") and "\n" not in message
        assert len(exc.rows) == len(set(exc.rows)) and all(r >= 1 for r in exc.rows)
        return None


def assert_valid(dataset: Dataset) -> None:
    """What every analysis may rely on."""
    frame, s = dataset.frame, dataset.summary
    assert s.rows_used == len(frame) and s.rows_read == s.rows_used + s.rows_dropped
    assert sum(s.dropped_reasons.values()) == s.rows_dropped
    assert not frame[NEEDED].isna().any().any()
    for column, allowed in schema.CATEGORIES.items():
        assert isinstance(frame[column].dtype, pd.CategoricalDtype)
        assert list(frame[column].cat.categories) == list(allowed)
    for column in [c for c in NEEDED if c in schema.COUNTS]:
        values = frame[column].to_numpy()
        assert values.dtype == np.float64
        assert np.all(np.isfinite(values)) and np.all(values >= 0) and np.all(values == np.round(values))
        assert np.all(values <= schema.COUNT_LIMITS[column])
    ids = frame[schema.VIDEO_ID]
    assert str(ids.dtype) in ("Int64", "string")  # integers, or text beyond int64; never floats, which merge ids
    assert ids.is_unique and ids.map(lambda i: int(i) >= 0).all()
    assert sum(s.target_counts.values()) == s.rows_used
    assert all(isinstance(w, str) for w in s.warnings)


@SETTINGS
@given(edits=st.lists(edit, max_size=12))
def test_cells_of_any_type_give_valid_data_or_an_input_error(base, folder, edits):
    frame = base.astype(object)
    for column, row, value in edits:
        frame.loc[row, column] = value
    path = folder / "cells.csv"
    frame.to_csv(path, index=False)
    dataset = load_or_refuse(path)
    if dataset is not None:
        assert_valid(dataset)


@SETTINGS
@given(
    drop=st.sets(st.sampled_from(schema.COLUMNS), max_size=2),
    extra=st.lists(st.text(min_size=1, max_size=8), max_size=2),
    order=st.permutations(range(len(schema.COLUMNS))),
    missing_share=st.floats(0, 1),
    seed=st.integers(0, 2**16),
)
def test_columns_dropped_added_reordered_or_emptied(base, folder, drop, extra, order, missing_share, seed):
    rng = np.random.default_rng(seed)
    frame = base[[schema.COLUMNS[i] for i in order]].astype(object)
    frame = frame.mask(rng.random(frame.shape) < missing_share)
    frame = frame.drop(columns=list(drop))
    for i, name in enumerate(extra):
        frame.insert(len(frame.columns), f"{name}_{i}" if name in frame.columns else name, "x", allow_duplicates=True)
    path = folder / "columns.csv"
    frame.to_csv(path, index=False)
    dataset = load_or_refuse(path)
    if dataset is not None:
        assert_valid(dataset)
        assert not set(drop) & set(analysed_columns(CONFIG))  # a needed column cannot go missing unnoticed


@SETTINGS
@given(position=st.floats(0, 1), junk=st.binary(min_size=1, max_size=64), replace=st.booleans())
def test_arbitrary_bytes_spliced_into_a_valid_file(base, folder, position, junk, replace):
    data = base.to_csv(index=False).encode()
    at = int(position * len(data))
    data = data[:at] + junk + data[at + (len(junk) if replace else 0) :]
    path = folder / "bytes.csv"
    path.write_bytes(data)
    dataset = load_or_refuse(path)
    if dataset is not None:
        assert_valid(dataset)


def test_a_property_run_sees_both_outcomes(base, folder):
    """Guard against vacuous properties: the base file loads, and one bad cell is refused."""
    path = folder / "guard.csv"
    base.to_csv(path, index=False)
    assert_valid(load_dataset(path, CONFIG))
    bad = base.astype(object)
    bad.loc[3, "video_view_count"] = -1
    bad.to_csv(path, index=False)
    assert load_or_refuse(path) is None

