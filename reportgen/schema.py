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
