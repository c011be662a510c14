"""The hypothesis study's figures: results in, PNG plus alt text out; matplotlib's figure always closed.

Drawn from each group's stored percentiles (0-100), never from raw rows: the
boxes are the quartiles with whiskers at the 5th and 95th percentiles, and the
dots (one a percentile) are the thinned points. Counts span five orders of
magnitude, so the measure is on a log axis (symmetric-log near zero, so a zero
is shown rather than dropped).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.figures import PALETTE, _figure, log_axis
from reportgen.formatters import fmt_pct, plain_name
from reportgen.results import FigureInfo
from reportgen.stats.groups import GroupSummary
from reportgen.studies.hypothesis.results import HypothesisResults
from reportgen.studies.hypothesis.wording import fmt_measure, fmt_range, fmt_stat, of_rows, p_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Whiskers at these percentiles (said in the captions).
_WHISKERS = (5, 95)


def _boxes(ax: Axes, groups: list[tuple[float, GroupSummary, str]], seed: int = 0) -> None:
    """One horizontal box a group at its y position, from its percentiles, with its percentiles as dots."""
    import numpy as np

    rng = np.random.default_rng(seed)
    stats, positions = [], []
    for y, g, colour in groups:
        p = g.percentiles
        stats.append({"med": g.median, "q1": g.q1, "q3": g.q3, "whislo": p[_WHISKERS[0]], "whishi": p[_WHISKERS[1]], "fliers": [], "label": ""})
        positions.append(y)
        ax.scatter(p, y + rng.uniform(-0.18, 0.18, len(p)), s=6, color=colour, alpha=0.55, linewidths=0, zorder=3)
    parts = ax.bxp(stats, positions=positions, orientation="horizontal", widths=0.5, patch_artist=True, showfliers=False,
                   medianprops={"color": "black", "linewidth": 1.6})
    for box, (_, _, colour) in zip(parts["boxes"], groups):
        box.set_facecolor(colour)
        box.set_alpha(0.35)
    log_axis(ax, linthresh=1)
    ax.grid(axis="x", alpha=0.3)


def _describe(g: GroupSummary) -> str:
    """'verified: n 1,200, median 6,024 (IQR 1,234 to 5,678)'."""
    return f"{g.label}: n {g.n:,}, median {fmt_measure(g.median)} (IQR {fmt_range(g.q1, g.q3, fmt_measure)})"


def distributions(r: HypothesisResults, path: Path) -> FigureInfo:
    """The measure by group on a log axis: boxes and percentile dots."""
    o = r.overall
    groups = [(1.0, o.focal, PALETTE[1]), (0.0, o.reference, PALETTE[0])]
    name = plain_name(r.measure)
    with _figure(path, (6.4, 3.2)) as ax:
        _boxes(ax, groups)
        ax.set_yticks([1.0, 0.0], [o.focal.label, o.reference.label])
        ax.set_xlabel(f"{name} (log scale)")
        ax.set_title(f"{name.capitalize()} by {plain_name(r.by)}")
    alt = (
        f"Box plots of {name} on a log scale for each group. {_describe(o.focal)}; {_describe(o.reference)}. "
        f"Welch {p_text(o.welch.p_value)}."
    )
    caption = (
        f"{name.capitalize()} by {plain_name(r.by)}, all usable rows{of_rows(r)}: boxes span the quartiles, whiskers the "
        f"{_WHISKERS[0]}th to {_WHISKERS[1]}th percentiles, each dot one percentile."
    )
    return FigureInfo(path.name, f"{name.capitalize()} by {plain_name(r.by)}", alt, caption)


def within_strata(r: HypothesisResults, path: Path) -> FigureInfo:
    """Both groups side by side within each stratum (and all rows first), with each comparison's p."""
    name = plain_name(r.measure)
    rows = [("all videos", r.overall)] + [(s.level, s.comparison) for s in r.tested_strata()]
    height = 1.4 + 1.1 * len(rows)
    with _figure(path, (6.8, height)) as ax:
        groups, ticks, labels = [], [], []
        for i, (label, c) in enumerate(rows):
            base = 2.0 * (len(rows) - 1 - i)
            groups += [(base + 0.5, c.focal, PALETTE[1]), (base, c.reference, PALETTE[0])]
            ticks += [base + 0.5, base]
            labels += [f"{label}: {c.focal.label}", f"{label}: {c.reference.label}"]
        _boxes(ax, groups)
        for i, (label, c) in enumerate(rows):
            base = 2.0 * (len(rows) - 1 - i)
            ax.text(1.01, base + 0.25, p_text(c.welch.p_value), transform=ax.get_yaxis_transform(), va="center", fontsize=9)
        ax.set_yticks(ticks, labels)
        ax.set_xlabel(f"{name} (log scale)")
        ax.set_title(f"{name.capitalize()} by {plain_name(r.by)}, within {plain_name(r.stratify)}")
    parts = []
    for label, c in rows:
        parts.append(
            f"{label}: median {c.focal.label} {fmt_measure(c.focal.median)} vs {c.reference.label} {fmt_measure(c.reference.median)}, "
            f"Hedges' g {fmt_stat(c.hedges_g.estimate)}, Welch {p_text(c.welch.p_value)}"
        )
    shares = "; ".join(f"{s.level} is {fmt_pct(s.focal_share)} of {r.focal} and {fmt_pct(s.reference_share)} of {r.reference} videos" for s in r.strata)
    alt = f"Box plots of {name} on a log scale, by group, for all videos and within each {plain_name(r.stratify)}. " + "; ".join(parts) + f". Mix: {shares}."
    caption = (
        f"{name.capitalize()} of each group within each level of {plain_name(r.stratify)}, all videos first; Welch's p on the right. "
        f"Boxes: quartiles; whiskers: {_WHISKERS[0]}th to {_WHISKERS[1]}th percentiles; dots: percentiles."
    )
    return FigureInfo(path.name, f"Within {plain_name(r.stratify)}", alt, caption)


#: (file, drawer) in report order; the second is the executive summary's picture.
FIGURES = (("distributions.png", distributions), ("within_strata.png", within_strata))
