"""The input schema: the columns of the claims dataset and their allowed values.

One place that the loader, the synthetic generator and the tests all read, so
the three can never disagree about what a valid file looks like.
"""

from __future__ import annotations

ROW_NUMBER = "#"
VIDEO_ID = "video_id"
TRANSCRIPTION = "video_transcription_text"

#: Category columns and their allowed values, in display order.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "claim_status": ("claim", "opinion"),
    "verified_status": ("not verified", "verified"),
    "author_ban_status": ("active", "under review", "banned"),
}

#: Whole-number, non-negative numeric columns.
COUNTS: tuple[str, ...] = (
    "video_duration_sec",
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)

#: The largest value each count column can plausibly hold. A value above is a
#: corrupt field or a unit error, and is refused: it would also overflow the
#: statistics (the square of 1e308 is infinite), whereas squares of values
#: within these bounds, summed over a billion rows, stay far inside float64.
COUNT_LIMITS: dict[str, float] = {
    # 12 hours: YouTube's upload limit, the longest any major video platform
    # accepts (TikTok's is 60 minutes; the real export's longest is 60 s).
    "video_duration_sec": 12 * 60 * 60,
    # 1e12 views: the most-watched video anywhere has under 2e10, and 1e12 is
    # over a hundred views for every person alive.
    "video_view_count": 1e12,
    # Likes, shares, downloads and comments each follow a view, so the bound
    # on views bounds them too.
    "video_like_count": 1e12,
    "video_share_count": 1e12,
    "video_download_count": 1e12,
    "video_comment_count": 1e12,
}

#: Every column of the real export, in file order.
COLUMNS: tuple[str, ...] = (
    ROW_NUMBER,
    "claim_status",
    VIDEO_ID,
    "video_duration_sec",
    TRANSCRIPTION,
    "verified_status",
    "author_ban_status",
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)

#: Columns that must be present for a file to be read at all.
REQUIRED: tuple[str, ...] = tuple(c for c in COLUMNS if c != ROW_NUMBER)

#: Columns the real export leaves empty together in about 1.5 % of rows.
OFTEN_MISSING: tuple[str, ...] = (
    "claim_status",
    TRANSCRIPTION,
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)
