"""Words chosen from numbers, shared by every study's report and summary.

One verbal scale for ROC AUC, one reading of an effect's direction from its
interval, one "about N of every 10", one way to show a check's status, so two
studies (or the report and the summary of one) never describe the same number
in different words. Numbers themselves are formatted by ``reportgen.formatters``.
"""

from __future__ import annotations

from typing import Literal

import math

from reportgen.formatters import fmt_pct

__all__ = [
    "STATUS_LABELS",
    "capital",
    "discrimination_word",
    "effect_direction",
    "in_words",
    "join_words",
    "odds_range_words",
    "share",
]

#: How a check's status reads: a symbol and a word, so colour is never the only cue.
STATUS_LABELS = {"pass": "✔ pass", "warn": "⚠ warn", "fail": "✖ fail"}


def discrimination_word(auc: float) -> str:
    """A conventional verbal scale of ROC AUC, from poor to excellent.

    Examples
    --------
    >>> discrimination_word(0.664), discrimination_word(0.91)
    ('weak', 'excellent')
    """
    if auc < 0.6:
        return "poor"
    if auc < 0.7:
        return "weak"
    if auc < 0.8:
        return "acceptable"
    return "good" if auc < 0.9 else "excellent"


def effect_direction(low: float, high: float) -> Literal["up", "down", "unclear"]:
    """Whether an odds-ratio (or ratio) interval lies above, below or across 1.

    Examples
    --------
    >>> effect_direction(1.05, 1.61), effect_direction(0.53, 1.15)
    ('up', 'unclear')
    """
    if low > 1:
        return "up"
    return "down" if high < 1 else "unclear"


def capital(text: str) -> str:
    """First letter upper case, the rest as it is (``str.capitalize`` would lower the rest).

    Examples
    --------
    >>> capital("claim status: opinion (vs claim)")
    'Claim status: opinion (vs claim)'
    """
    return text[:1].upper() + text[1:]


def share(part: int, whole: int) -> str:
    """``part / whole`` as a percentage; a dash for an empty whole.

    Examples
    --------
    >>> share(298, 19_382), share(0, 0)
    ('1.5%', '–')
    """
    return fmt_pct(part / whole) if whole else "–"


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'.

    Examples
    --------
    >>> join_words(["views", "likes", "shares"])
    'views, likes and shares'
    """
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def in_words(fraction: float, of: int = 10) -> str:
    """'about 8 of every 10', switching to every 100 or 1,000 rather than read 'about 0 of' or 'about 10 of every 10'.

    Exactly none and exactly all are said so; below 1 in 1,000, 'fewer than 1 of every 1,000'.

    Examples
    --------
    >>> in_words(0.797), in_words(0.063, 100), in_words(0.02), in_words(0.996), in_words(0.0004)
    ('about 8 of every 10', 'about 6 of every 100', 'about 2 of every 100', 'about 996 of every 1,000', 'fewer than 1 of every 1,000')
    """
    if fraction <= 0:
        return "none"
    if fraction >= 1:
        return "all"
    scale = of
    while scale <= 1_000:
        n = round(fraction * scale)
        if 0 < n < scale:
            return f"about {n:,} of every {scale:,}"
        scale *= 10
    return "fewer than 1 of every 1,000" if fraction < 0.5 else "all but fewer than 1 of every 1,000"


def odds_range_words(low: float, high: float) -> str:
    """An odds-ratio interval as a plain reader says it: 'about 4 to 8 times the odds', 'about 20% to 35% lower odds'.

    Examples
    --------
    >>> odds_range_words(4.26, 8.44), odds_range_words(0.62, 0.91), odds_range_words(1.05, 1.61)
    ('about 4 to 8 times the odds', 'about 9% to 38% lower odds', 'about 5% to 61% higher odds')
    """
    if low >= 1.95:
        hi = "many" if math.isinf(high) or high > 1e6 else f"{round(high):,}"
        return f"about {round(low):,} to {hi} times the odds"
    if low >= 1:
        top = "more than double" if high >= 2 else f"{round(100 * (high - 1))}% higher"
        bottom = f"{round(100 * (low - 1))}%"
        return f"about {bottom} higher to {top} odds" if high >= 2 else f"about {bottom} to {top} odds"
    if high <= 1:
        return f"about {round(100 * (1 - high))}% to {round(100 * (1 - low))}% lower odds"
    return "odds anywhere from lower to higher"
