"""Small frames with known answers: a logistic model we choose the truth of."""

from __future__ import annotations

import numpy as np
import pandas as pd


def logistic_frame(n: int = 8_000, seed: int = 1, *, quadratic: bool = False, copy_of_views: bool = False) -> pd.DataFrame:
    """Rows in the real schema whose verified status follows a known logit.

    logit = -1 + 0.8·z(duration) - 0.5·z(views) + 1.2·[opinion]  (+ 1.5·z(duration)² if quadratic)
    """
    rng = np.random.default_rng(seed)
    duration = rng.integers(5, 61, n).astype(float)
    views = rng.integers(100, 20_000, n).astype(float)
    opinion = rng.random(n) < 0.5
    z = lambda x: (x - x.mean()) / x.std()
    logit = -1 + 0.8 * z(duration) - 0.5 * z(views) + 1.2 * opinion
    if quadratic:
        logit = logit + 1.5 * z(duration) ** 2 - 1.5
    verified = rng.random(n) < 1 / (1 + np.exp(-logit))
    shares = rng.integers(0, 500, n).astype(float)
    return pd.DataFrame(
        {
            "#": np.arange(1, n + 1),
            "claim_status": np.where(opinion, "opinion", "claim"),
            "video_id": np.arange(1_000_000_000, 1_000_000_000 + n),
            "video_duration_sec": duration,
            "video_transcription_text": "someone told me a thing",
            "verified_status": np.where(verified, "verified", "not verified"),
            "author_ban_status": rng.choice(["active", "under review", "banned"], n, p=[0.8, 0.1, 0.1]),
            "video_view_count": views,
            "video_like_count": views * 2 + 3 if copy_of_views else rng.integers(0, 5_000, n).astype(float),
            "video_share_count": shares,
            "video_download_count": rng.integers(0, 100, n).astype(float),
            "video_comment_count": rng.integers(0, 50, n).astype(float),
        }
    )
