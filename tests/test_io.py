"""Loading and validation: known counts on the real file, exact errors on bad ones."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import write_csv
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.data import load_dataset


def test_real_data_counts(real_data):
    s = load_dataset(real_data, Config()).summary
    assert (s.rows_read, s.rows_dropped, s.rows_used) == (19_382, 298, 19_084)
    assert s.dropped_reasons == {"missing values": 298}
    assert s.duplicate_ids == 0 and s.duplicate_rows == 0
    assert sum(s.target_counts.values()) == s.rows_used


def test_dropped_rows_are_counted_by_reason(tmp_path, small_frame):
    frame = small_frame.dropna().head(100).copy()
    frame = pd.concat([frame, frame.iloc[[3, 4]]], ignore_index=True)  # two exact repeats
    frame.loc[len(frame) - 1, "video_view_count"] = 5  # now a repeated id with other values
    frame.loc[0, "claim_status"] = None
    s = load_dataset(write_csv(tmp_path / "d.csv", frame), Config()).summary
    assert s.dropped_reasons == {"missing values": 1, "duplicate row": 1, "duplicate video_id": 1}
    assert s.rows_used == 100 - 1
    assert len(s.warnings) == 2


def test_unknown_category_names_file_column_rows_and_allowed_values(tmp_path, small_frame):
    frame = small_frame.copy()
    frame["verified_status"] = frame["verified_status"].astype(object)
    frame.loc[[2, 9], "verified_status"] = "verifed"
    path = write_csv(tmp_path / "bad.csv", frame)
    with pytest.raises(InputError) as caught:
        load_dataset(path, Config())
    assert caught.value.message() == (
        f"error: {path}, column 'verified_status', rows 3, 10: unknown value(s) 'verifed' "
        "(allowed values: 'not verified', 'verified')"
    )


def test_case_and_spacing_of_categories_are_normalised_with_a_warning(tmp_path, small_frame):
    frame = small_frame.dropna().copy()
    for column in ("verified_status", "author_ban_status"):
        frame[column] = frame[column].astype(object)
    frame.loc[frame.index[[2, 9]], "verified_status"] = "Verified"
    frame.loc[frame["author_ban_status"] == "banned", "author_ban_status"] = "banned "
    frame.loc[frame.index[4], "author_ban_status"] = "Under\u00a0 Review"
    dataset = load_dataset(write_csv(tmp_path / "sloppy.csv", frame), Config())
    expected = load_dataset(write_csv(tmp_path / "clean.csv", small_frame.dropna().assign(
        verified_status=frame["verified_status"].str.lower(),
        author_ban_status=frame["author_ban_status"].str.split().str.join(" ").str.lower(),
    )), Config())
    pd.testing.assert_frame_equal(dataset.frame, expected.frame)
    notes = dataset.summary.warnings
    banned = int((frame["author_ban_status"] == "banned ").sum())
    assert any(n.startswith("2 value(s) in verified_status") and "'Verified' as 'verified'" in n for n in notes)
    assert any(n.startswith(f"{banned + 1:,} value(s) in author_ban_status") and "'banned ' as 'banned'" in n for n in notes)


@pytest.mark.parametrize(
    ("value", "problem"),
    [("lots", "text where a number belongs"), ("-4", "negative count"), ("2.5", "count that is not a whole number")],
)
def test_bad_counts_are_refused_with_their_rows(tmp_path, small_frame, value, problem):
    frame = small_frame.copy()
    frame["video_share_count"] = frame["video_share_count"].astype(object)
    frame.loc[[0, 5, 6], "video_share_count"] = value
    with pytest.raises(InputError) as caught:
        load_dataset(write_csv(tmp_path / "bad.csv", frame), Config())
    assert caught.value.column == "video_share_count"
    assert caught.value.rows == [1, 6, 7]
    assert problem in caught.value.problem


def test_missing_column_and_semicolon_delimiter(tmp_path, small_frame):
    path = tmp_path / "semi.csv"
    small_frame.to_csv(path, index=False, sep=";")
    with pytest.raises(InputError, match="separated by semicolons"):
        load_dataset(path, Config())
    write_csv(tmp_path / "nocol.csv", small_frame.drop(columns=["author_ban_status"]))
    with pytest.raises(InputError, match="required column.s. missing: author_ban_status"):
        load_dataset(tmp_path / "nocol.csv", Config())


def test_empty_header_only_and_zip_files_are_refused(tmp_path, small_frame):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        load_dataset(tmp_path / "empty.csv", Config())
    small_frame.head(0).to_csv(tmp_path / "header.csv", index=False)
    with pytest.raises(InputError, match="header but no data rows"):
        load_dataset(tmp_path / "header.csv", Config())
    (tmp_path / "z.csv").write_bytes(b"PK\x03\x04rest")
    with pytest.raises(InputError, match="ZIP archive"):
        load_dataset(tmp_path / "z.csv", Config())


def test_byte_order_mark_and_column_order_are_accepted(tmp_path, small_frame):
    path = tmp_path / "bom.csv"
    reordered = small_frame[list(reversed(small_frame.columns))]
    path.write_bytes(b"\xef\xbb\xbf" + reordered.to_csv(index=False).encode())
    assert load_dataset(path, Config()).summary.rows_read == len(small_frame)


def test_input_errors_survive_pickling_unchanged():
    import pickle

    error = InputError("bad value", file="d.csv", column="c", rows=[1, 2, 3, 4, 5, 6, 7], hint="fix it")
    again = pickle.loads(pickle.dumps(error))
    assert again.message() == error.message() == "error: d.csv, column 'c', rows 1, 2, 3, 4, 5 and 2 more: bad value (fix it)"


@pytest.mark.parametrize(
    ("text", "arrow_reads_it"),
    [*((t, True) for t in ("12", "1e3", "+5", "-0", ".5", "5.", "inf", "nan", "1e400")), *((t, False) for t in (" 12", "1_000", "0x10", "True", "1,0"))],
)
def test_the_arrow_fast_path_reads_counts_as_pd_to_numeric_does(text: str, arrow_reads_it: bool) -> None:
    """Counts stored by Arrow are cast by Arrow when it can, to pandas' own numbers; on any other text it steps aside."""
    pytest.importorskip("pyarrow")
    from reportgen.data.values import _arrow_numbers

    values = pd.Series([text, None], dtype=pd.StringDtype("pyarrow"))
    fast = _arrow_numbers(values)
    expected = pd.to_numeric(values, errors="coerce").astype("float64")
    if not arrow_reads_it:
        assert fast is None
    else:
        assert fast is not None and fast.equals(expected) and str(fast.iloc[0]) == str(expected.iloc[0])
