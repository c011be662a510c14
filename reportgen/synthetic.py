"""Synthetic claims data with the real schema, for ``reportgen demo``, tests and benchmarks.

The generator is calibrated against the real 19,382-row export so that a build
on synthetic data tells the same story as a build on real data: few verified
authors, who post mostly opinions; claims far more viewed than opinions;
engagement counts nested inside one another (likes within views, shares and
downloads within likes, comments within downloads); about 1.5 % of rows with
the same block of columns left empty. Every column is drawn for all rows at
once with numpy (no Python loop per row): a million rows are drawn in about
half a second and written as CSV in about two.

numpy and pandas are imported inside the functions: the CLI imports this
module on every start and should not pay for them unless data is generated
(``write_csv`` needs numpy only).
"""

from __future__ import annotations

import csv
import io
import operator
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportgen import schema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["generate", "is_demo_csv", "write_csv"]

# --- Calibration: each constant names the real figure it was taken from. ----

#: Share of verified authors (real: 1,240 of 19,382 = 6.4 %).
VERIFIED_SHARE = 0.064
#: P(claim | author verified or not) (real: 17.4 % of verified, 52.6 % of
#: unverified rows are claims), so claim_status carries signal for the target.
CLAIM_SHARE_VERIFIED = 0.174
CLAIM_SHARE_UNVERIFIED = 0.526
#: Ban status shares in schema order (active, under review, banned); real:
#: claims 68.3 / 16.7 / 15.0 %, opinions 93.0 / 4.9 / 2.1 %.
BAN_SHARES_CLAIM = (0.683, 0.167, 0.150)
BAN_SHARES_OPINION = (0.930, 0.049, 0.021)
#: Rows with every ``schema.OFTEN_MISSING`` column empty (real: 298 of 19,382).
MISSING_SHARE = 0.0154
#: Median views (real: claims 501,555; opinions 4,953). Views are lognormal
#: around these, so counts are right-skewed with a long upper tail.
VIEW_MEDIAN_CLAIM = 500_000
VIEW_MEDIAN_OPINION = 5_000
VIEW_LOG_SD = 0.75  # gives quartiles near the real ones (~0.6x and ~1.65x the median)
#: Upper bounds of the engagement fractions (real maxima: likes/views 0.67 for
#: claims and 0.44 for opinions, shares/likes 0.40, downloads/likes 0.025,
#: comments/downloads about 0.67 for claims and 0.5 for opinions).
LIKE_MAX_CLAIM, LIKE_MAX_OPINION = 0.67, 0.44
SHARE_MAX = 0.40
DOWNLOAD_MAX = 0.025
COMMENT_MAX_CLAIM, COMMENT_MAX_OPINION = 0.67, 0.50
#: The weak signal beyond claim_status: verified authors' videos are shared a
#: little more (real: 1.28x shares per view among claims) and run a little
#: shorter (real: 31.8 s mean against 32.5 s; tilted a bit more here so that a
#: model on 20,000 rows can find it).
VERIFIED_SHARE_BOOST = 1.3
VERIFIED_DURATION_TILT = 0.3  # weight of a 60 s video relative to a 5 s one is 1 - tilt
DURATION_MIN, DURATION_MAX = 5, 60
VIDEO_ID_MIN, VIDEO_ID_MAX = 1_000_000_000, 9_999_999_999

# --- Transcriptions: "<source> <statement>", built by indexing a table of all
# combinations. The statements were written for this project, none taken from
# the real file; the sources are stock phrases. A few statements contain a
# comma or double quotes, as real ones do, so that CSV quoting is exercised.

_CLAIM_SOURCES = (
    "someone shared with me that",
    "i read in the news that",
    "a friend told me that",
    "a coworker mentioned that",
    "my cousin saw a documentary saying that",
    "i came across an article claiming that",
    "a podcast host said that",
    "someone posted online that",
    "my neighbour heard on the radio that",
    "a teacher once explained that",
    "i saw in a magazine that",
    "a tour guide told our group that",
)
_CLAIM_FACTS = (
    "honey sealed in a jar for centuries can still be eaten",
    "the statue of liberty served as a working lighthouse for sixteen years",
    "the city of venice stands on millions of timber posts driven into mud",
    "bananas are a tiny bit radioactive because of their potassium",
    "giraffes get by on less than two hours of sleep a day",
    "sharks were swimming in the oceans before the first trees grew",
    "a flock of flamingos is known as a flamboyance",
    "a few turtle species can take in oxygen through their rear end",
    "the shortest war ever recorded was over in less than an hour",
    "a jiffy is a real unit of time used by physicists",
    "there are more possible games of chess than atoms in the known universe",
    "wombat droppings come out shaped like little cubes",
    "scotland chose the unicorn as its national animal long ago",
    "nobody can see the great wall of china from the moon without a telescope",
    "pigeons can learn to tell the paintings of two different artists apart",
    "the human nose can tell apart around a trillion different smells",
    "the blood of a lobster turns blue once it meets the air",
    "an ordinary white cloud can weigh as much as a hundred elephants",
    "teaching at oxford began before the aztecs founded their capital",
    "one teaspoon of a neutron star would weigh billions of tonnes",
    "a bucket of hot water can sometimes freeze before a cold one",
    "the earliest oranges grown in asia were green, not orange",
    "the little dot over a lowercase i is called a tittle",
    "the first computer mouse had a case carved out of wood",
    "peanuts are not really nuts but legumes that ripen underground",
    "sodium, a soft metal, bursts into flame when dropped in water",
    "a lightning bolt is several times hotter than the surface of the sun",
    'the word "robot" comes from a czech word for forced labour',
    "a group of crows has been called a murder for hundreds of years",
    "the tallest mountain measured from its base is in hawaii",
)
_OPINION_SOURCES = (
    "i think that",
    "my friends believe that",
    "i honestly feel that",
    "my parents think that",
    "i am convinced that",
    "my coworkers reckon that",
    "our book club agrees that",
    "i would argue that",
    "my sister believes that",
    "i am pretty sure that",
    "it seems to me that",
    "my roommate thinks that",
)
_OPINION_VIEWS = (
    "pineapple really does belong on pizza",
    "morning workouts beat evening ones every time",
    "cats make better roommates than dogs",
    "summer holidays are far too short",
    "paper books feel nicer to read than any screen",
    "the sequel was better than the original film",
    "cooking at home is more relaxing than eating out",
    "children should start learning a second language early",
    "board games bring families closer together",
    "rainy sundays are made for reading",
    "working from home makes people more productive",
    "the best coffee is the simplest one",
    "road trips are more fun than flying for short holidays",
    "a handwritten letter means more than any text message",
    "our city parks need more trees and more benches",
    "breakfast is the most underrated meal of the day",
    "jazz is the best music to study to",
    "spicy food tastes better in the winter months",
    "vinyl records sound warmer than streaming",
    "phones should stay off the table during dinner",
    "autumn is the most beautiful season of the year",
    "the public library is the best free thing in town",
    "homemade bread is worth all the extra effort",
    "a weekend of camping without a phone is good for the mind",
    "animated films are not just for kids",
    "a short walk after lunch, even in winter, clears the head",
    "video games can teach real problem solving",
    "gardening is the most calming hobby there is",
    "small concerts are more fun than stadium shows",
    'the "quiet hour" at the gym should last all day',
)


class _Coded(NamedTuple):
    """A string column as integer codes into a small table of values (-1: missing).

    Strings are materialised only at the end, by one vectorised lookup (into
    the frame, or into the CSV text): far cheaper than carrying a million
    Python string objects through the draws.
    """

    values: tuple[str, ...]
    codes: np.ndarray


def generate(rows: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """Generate a synthetic claims dataset with the real schema.

    Parameters
    ----------
    rows : int, default 20_000
        Number of rows (videos), at least 1.
    seed : int, default 0
        Seed of the random generator; the same ``(rows, seed)`` always gives
        the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns in the order of ``schema.COLUMNS``. Category and text columns
        have the ``str`` dtype, as ``pandas.read_csv`` gives them; the counts
        that can be missing are nullable ``Int64``; ``#``, ``video_id`` and
        ``video_duration_sec`` are ``int64``. About 1.5 % of rows have every
        ``schema.OFTEN_MISSING`` column missing and no other.

    Raises
    ------
    ValueError
        If ``rows`` is less than 1.
    TypeError
        If ``rows`` is not a whole number.

    Examples
    --------
    >>> df = generate(rows=1_000, seed=1)
    >>> df.shape
    (1000, 12)
    >>> list(df.columns) == list(schema.COLUMNS)
    True
    >>> generate(rows=50, seed=7).equals(generate(rows=50, seed=7))
    True
    """
    columns, missing = _draw(_check_rows(rows), seed)
    return _frame(columns, missing)


def write_csv(path: str | os.PathLike[str], rows: int = 20_000, seed: int = 0) -> Path:
    """Write :func:`generate` output as a CSV laid out like the real export.

    The bytes are exactly those of ``generate(rows, seed).to_csv(path,
    index=False, lineterminator="\\n")``: comma-separated, a header row, ``\\n``
    line endings, quotes only where a value needs them, counts as whole
    numbers, missing values as empty fields (the real export writes ``#N/A``
    in the count columns; ``pandas.read_csv`` reads both as missing). They
    are written straight from the drawn arrays, without building the frame,
    which is over twice as fast as ``to_csv`` at a million rows.

    The file appears complete or not at all: it is written beside its target
    and then renamed over it.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write; missing parent folders are created.
    rows : int, default 20_000
        Number of data rows, at least 1.
    seed : int, default 0
        Seed passed to :func:`generate`; same ``(rows, seed)``, same bytes.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        If ``rows`` is less than 1 (nothing is written).

    Examples
    --------
    >>> import tempfile, pandas
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_csv(Path(tmp) / "demo.csv", rows=100, seed=3)
    ...     pandas.read_csv(out).shape
    (100, 12)
    """
    columns, missing = _draw(_check_rows(rows), seed)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        # newline="": write "\n" as is on every platform, so the bytes match everywhere.
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            handle.write(_header_line())
            for lines in _csv_chunks(columns, missing):
                handle.write(lines)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def is_demo_csv(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a CSV that :func:`write_csv` wrote, told from its content, never its name.

    ``reportgen demo`` replaces only such a file. A demo CSV has exactly the
    header :func:`write_csv` writes, row numbers 1, 2, 3, ... in ``#``, and in
    every row either no transcription or one from this module's own sentence
    table (written for this project, none taken from the real export). So the
    mark is ordinary data that the loader reads like any other; a real export,
    or a demo CSV with real rows added, fails on its first real row, which is
    where reading stops.

    Parameters
    ----------
    path : str or os.PathLike
        The file to look at.

    Returns
    -------
    bool
        False for anything else: another CSV, a folder, a FIFO, an unreadable
        or undecodable file, an empty one.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     demo = write_csv(Path(tmp) / "demo.csv", rows=100, seed=3)
    ...     mine = Path(tmp) / "mine.csv"
    ...     _ = mine.write_text(demo.read_text().replace("honey", "Honey"))
    ...     is_demo_csv(demo), is_demo_csv(mine)
    (True, False)
    """
    target = Path(path)
    sentences = frozenset(_sentence_table()[0]) | {""}
    row_at, text_at = schema.COLUMNS.index(schema.ROW_NUMBER), schema.COLUMNS.index(schema.TRANSCRIPTION)
    try:
        if not target.is_file():  # a FIFO or a device would block or never end
            return False
        with open(target, encoding="utf-8", newline="") as handle:
            if handle.readline(_DEMO_LINE_MAX) != _header_line():
                return False
            number = 0
            # Bounded reads: a huge line is no demo line, and is never read whole into memory.
            while line := handle.readline(_DEMO_LINE_MAX):
                number += 1
                # Demo fields hold no line breaks, so each line is one row; most need no CSV parser.
                fields = [] if not line.endswith("\n") else line[:-1].split(",") if '"' not in line else next(csv.reader([line]))
                if len(fields) != len(schema.COLUMNS) or fields[row_at] != str(number) or fields[text_at] not in sentences:
                    return False
            return number > 0
    except (OSError, UnicodeDecodeError, csv.Error):
        return False


# --- Private helpers ---------------------------------------------------------

#: Longer than any line ``write_csv`` writes (a few hundred characters at most).
_DEMO_LINE_MAX = 4096


def _header_line() -> str:
    """The header line exactly as ``write_csv`` writes it."""
    return ",".join(_csv_field(name) for name in schema.COLUMNS) + "\n"



def _check_rows(rows: int) -> int:
    """Return ``rows`` as an int (TypeError if not whole), refusing fewer than one."""
    count = operator.index(rows)
    if count < 1:
        raise ValueError(f"rows must be at least 1, got {count}")
    return count


def _draw(n: int, seed: int) -> tuple[dict[str, np.ndarray | _Coded], np.ndarray]:
    """Draw every column for ``n`` rows, and which rows miss ``schema.OFTEN_MISSING``."""
    import numpy as np

    # One generator, drawn from in a fixed order: that order is what makes the
    # output reproducible, so a new draw belongs after the existing ones.
    rng = np.random.default_rng(seed)
    verified = rng.random(n) < VERIFIED_SHARE
    claim = rng.random(n) < np.where(verified, CLAIM_SHARE_VERIFIED, CLAIM_SHARE_UNVERIFIED)
    columns = {
        schema.ROW_NUMBER: np.arange(1, n + 1, dtype=np.int64),
        "claim_status": _category("claim_status", np.where(claim, 0, 1)),
        schema.VIDEO_ID: _video_ids(rng, n),
        "video_duration_sec": _durations(rng, verified),
        schema.TRANSCRIPTION: _transcriptions(rng, claim),
        "verified_status": _category("verified_status", verified.astype(np.intp)),
        "author_ban_status": _category("author_ban_status", _ban_codes(rng, claim)),
        **_engagement(rng, claim, verified),
    }
    missing = rng.random(n) < MISSING_SHARE
    return columns, missing


def _category(column: str, codes: np.ndarray) -> _Coded:
    """Codes into the allowed values of a category column, in schema order."""
    return _Coded(schema.CATEGORIES[column], codes)


def _video_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct 10-digit ids in random order (sampling without replacement)."""
    span = VIDEO_ID_MAX - VIDEO_ID_MIN + 1
    return VIDEO_ID_MIN + rng.choice(span, size=n, replace=False)


def _durations(rng: np.random.Generator, verified: np.ndarray) -> np.ndarray:
    """Whole seconds in 5..60: uniform, tilted towards short for verified authors."""
    import numpy as np

    seconds = np.arange(DURATION_MIN, DURATION_MAX + 1)
    position = (seconds - DURATION_MIN) / (DURATION_MAX - DURATION_MIN)
    cdf_plain = _cdf(np.ones(seconds.size))
    cdf_verified = _cdf(1.0 - VERIFIED_DURATION_TILT * position)
    # One uniform per row, inverted through the row's own distribution.
    u = rng.random(verified.size)
    index = np.where(
        verified,
        np.searchsorted(cdf_verified, u, side="right"),
        np.searchsorted(cdf_plain, u, side="right"),
    )
    # The last cdf value may round to a hair under 1.
    return seconds[np.minimum(index, seconds.size - 1)]


def _cdf(weights: np.ndarray) -> np.ndarray:
    """Cumulative distribution of unnormalised weights."""
    import numpy as np

    cumulative = np.cumsum(weights)
    return cumulative / cumulative[-1]


def _ban_codes(rng: np.random.Generator, claim: np.ndarray) -> np.ndarray:
    """Codes into CATEGORIES["author_ban_status"]; claims are banned more often."""
    import numpy as np

    u = rng.random(claim.size)
    claim_code = np.searchsorted(_cdf(np.array(BAN_SHARES_CLAIM)), u, side="right")
    opinion_code = np.searchsorted(_cdf(np.array(BAN_SHARES_OPINION)), u, side="right")
    return np.minimum(np.where(claim, claim_code, opinion_code), len(BAN_SHARES_CLAIM) - 1)


def _engagement(
    rng: np.random.Generator, claim: np.ndarray, verified: np.ndarray
) -> dict[str, np.ndarray]:
    """Nested engagement counts: each is a binomial draw out of the one above.

    Drawing likes out of views, shares and downloads out of likes and comments
    out of downloads keeps every count whole and consistent (likes <= views
    and so on) and makes neighbouring counts correlate as in the real data.
    Each fraction is uniform up to its maximum, as the real ratios are.
    """
    import numpy as np

    n = claim.size
    median = np.where(claim, VIEW_MEDIAN_CLAIM, VIEW_MEDIAN_OPINION)
    views = np.rint(median * np.exp(VIEW_LOG_SD * rng.standard_normal(n))).astype(np.int64)
    like_max = np.where(claim, LIKE_MAX_CLAIM, LIKE_MAX_OPINION)
    likes = rng.binomial(views, like_max * rng.random(n))
    share_max = SHARE_MAX * np.where(verified, VERIFIED_SHARE_BOOST, 1.0)
    shares = rng.binomial(likes, share_max * rng.random(n))
    downloads = rng.binomial(likes, DOWNLOAD_MAX * rng.random(n))
    comment_max = np.where(claim, COMMENT_MAX_CLAIM, COMMENT_MAX_OPINION)
    comments = rng.binomial(downloads, comment_max * rng.random(n))
    return {
        "video_view_count": views,
        "video_like_count": likes,
        "video_share_count": shares,
        "video_download_count": downloads,
        "video_comment_count": comments,
    }


def _transcriptions(rng: np.random.Generator, claim: np.ndarray) -> _Coded:
    """One sentence per row, from the claim or the opinion half of the table."""
    import numpy as np

    sentences, claim_count = _sentence_table()
    opinion_count = len(sentences) - claim_count
    # One uniform per row picks a sentence from whichever half applies.
    u = rng.random(claim.size)
    codes = np.where(
        claim,
        (u * claim_count).astype(np.intp),
        claim_count + (u * opinion_count).astype(np.intp),
    )
    return _Coded(sentences, codes)


@lru_cache(maxsize=1)
def _sentence_table() -> tuple[tuple[str, ...], int]:
    """Every source x statement sentence, claims first; and how many are claims."""
    claims = [f"{source} {fact}" for source in _CLAIM_SOURCES for fact in _CLAIM_FACTS]
    opinions = [f"{source} {view}" for source in _OPINION_SOURCES for view in _OPINION_VIEWS]
    return tuple(claims + opinions), len(claims)


def _frame(columns: dict[str, np.ndarray | _Coded], missing: np.ndarray) -> pd.DataFrame:
    """Assemble the frame in schema order, blanking ``schema.OFTEN_MISSING`` in missing rows."""
    import numpy as np
    import pandas as pd

    data = {}
    for name in schema.COLUMNS:
        column = columns[name]
        blank = name in schema.OFTEN_MISSING
        if isinstance(column, _Coded):
            codes = np.where(missing, -1, column.codes) if blank else column.codes
            data[name] = pd.array(column.values, dtype="str").take(codes, allow_fill=True)
        elif blank:
            # Nullable integers: missing stays missing and present counts are
            # written "343296", not "343296.0", as in the real file.
            data[name] = pd.arrays.IntegerArray(column.astype(np.int64), missing)
        else:
            data[name] = column
    return pd.DataFrame(data)


# --- CSV writing ---------------------------------------------------------------

#: Rows per block of CSV text: large enough to amortise the per-block work,
#: small enough that a block's strings stay within tens of megabytes.
_CSV_CHUNK_ROWS = 100_000


def _csv_chunks(columns: dict[str, np.ndarray | _Coded], missing: np.ndarray) -> Iterator[str]:
    """Yield the data lines as blocks of text, ``_CSV_CHUNK_ROWS`` rows at a time."""
    import numpy as np

    # Each distinct string is quoted once, not once per row; the "" appended
    # last is what code -1 (missing) picks.
    tables = {
        name: np.array([_csv_field(value) for value in column.values] + [""], dtype=object)
        for name, column in columns.items()
        if isinstance(column, _Coded)
    }
    for start in range(0, missing.size, _CSV_CHUNK_ROWS):
        rows = slice(start, start + _CSV_CHUNK_ROWS)
        fields = [
            _csv_fields(
                columns[name],
                tables.get(name),
                missing[rows] if name in schema.OFTEN_MISSING else None,
                rows,
            )
            for name in schema.COLUMNS
        ]
        yield "".join(",".join(line) + "\n" for line in zip(*fields))


def _csv_fields(
    column: np.ndarray | _Coded, table: np.ndarray | None, blank: np.ndarray | None, rows: slice
) -> list[str]:
    """One column's CSV fields for a block of rows, empty where ``blank``."""
    import numpy as np

    if table is not None:  # a coded column: look its quoted strings up
        codes = column.codes[rows]
        return table[codes if blank is None else np.where(blank, -1, codes)].tolist()
    fields = list(map(str, column[rows].tolist()))
    if blank is not None:
        for row in np.flatnonzero(blank).tolist():
            fields[row] = ""
    return fields


def _csv_field(value: str) -> str:
    """One value as the csv module (and so pandas) writes it: quoted only if needed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value])
    return buffer.getvalue()[:-1]
