"""How a number reads, everywhere: alt text, narrative, HTML, PDF and PPTX.

Registered as Jinja filters and called by the PPTX renderer too, so a figure
is rounded the same way in every document (the tests rely on it).
"""

from __future__ import annotations

import math


def fmt_int(x: float | int) -> str:
    """A count with thousands separators: 19,084."""
    return f"{int(round(x)):,}"


def fmt_pct(x: float, digits: int = 1) -> str:
    """A fraction as a percentage: 0.5307 -> 53.1%."""
    return f"{100 * x:.{digits}f}%"


def fmt_rate(x: float) -> str:
    """A score in [0, 1] such as ROC AUC, to three decimals: 0.664."""
    return f"{x:.3f}"


def fmt_or(x: float | None) -> str:
    """An odds ratio: two decimals in the usual range, three significant digits outside it."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if math.isinf(x) or x >= 1e6:
        return ">999,999"
    return f"{x:.2f}" if 0.1 <= x < 100 else f"{x:.3g}"


def fmt_p(p: float) -> str:
    """A p-value: <0.001, or three decimals."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_num(x: float, digits: int = 2) -> str:
    """A general number: thousands separators, ``digits`` decimals, integers bare."""
    if isinstance(x, str):
        return x
    if math.isinf(x):
        return "infinite"
    if float(x).is_integer() and abs(x) >= 100:
        return fmt_int(x)
    return f"{x:,.{digits}f}"


def fmt_compact(x: float) -> str:
    """A round axis value in few characters: 0, 10, 500, 1k, 25k, 1M, 2.5M."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:g}"


def fmt_ci(low: float, high: float) -> str:
    """A 95 % interval of odds ratios: 0.62–0.91."""
    return f"{fmt_or(low)}–{fmt_or(high)}"


def in_words(fraction: float, of: int = 10) -> str:
    """'about 8 of every 10' for a plain-language reader."""
    return f"about {round(fraction * of)} of every {of}"


def fmt_value(value: float, kind: str) -> str:
    """A headline figure by its kind: count, share or score."""
    return {"count": fmt_int, "share": fmt_pct, "score": fmt_rate}[kind](value)


def fmt_delta(delta: float, kind: str) -> str:
    """A change with its sign, rounded as its figure is shown: +120, -1.5 pts, +0.012, or 'no change'."""
    shown = {"count": round(delta), "share": round(100 * delta, 1), "score": round(delta, 3)}[kind]
    if shown == 0:
        return "no change"
    return {"count": f"{shown:+,}", "share": f"{shown:+.1f} pts", "score": f"{shown:+.3f}"}[kind]




_PLAIN_NAMES = {
    "video_duration_sec": "video length",
    "video_view_count": "views",
    "video_like_count": "likes",
    "video_share_count": "shares",
    "video_download_count": "downloads",
    "video_comment_count": "comments",
    "claim_status": "claim status",
    "author_ban_status": "author ban status",
    "verified_status": "verified status",
}


def plain_name(column: str) -> str:
    """A column as a reader says it: video_view_count -> views."""
    return _PLAIN_NAMES.get(column, column.replace("_", " "))


def term_label(term: str, reference: dict[str, str] | None = None) -> str:
    """A model term as a reader says it: 'claim_status[opinion]' -> 'claim status: opinion (vs claim)'."""
    if "[" in term and term.endswith("]"):
        column, level = term[:-1].split("[", 1)
        ref = (reference or {}).get(column)
        return f"{plain_name(column)}: {level}" + (f" (vs {ref})" if ref else "")
    return plain_name(term)


FILTERS = {
    "fmt_int": fmt_int,
    "fmt_pct": fmt_pct,
    "fmt_rate": fmt_rate,
    "fmt_or": fmt_or,
    "fmt_p": fmt_p,
    "fmt_num": fmt_num,
    "fmt_ci": fmt_ci,
    "in_words": in_words,
    "fmt_value": fmt_value,
    "fmt_delta": fmt_delta,
    "term_label": term_label,
    "plain_name": plain_name,
}
