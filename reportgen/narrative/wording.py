"""Words chosen from numbers, shared by every study's report and summary.

One verbal scale for ROC AUC, one reading of an effect's direction from its
interval, one "about N of every 10", one way to show a check's status, so two
studies (or the report and the summary of one) never describe the same number
in different words. Numbers themselves are formatted by ``reportgen.formatters``.
"""

from __future__ import annotations

from typing import Literal

from reportgen.formatters import fmt_pct, in_words

__all__ = ["STATUS_LABELS", "capital", "discrimination_word", "effect_direction", "in_words", "join_words", "share"]

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
