"""Figures: results in, PNG plus alt text out; matplotlib's figure always closed.

Every figure is drawn from computed summaries (quantiles, thinned curves),
never from raw rows, so a million rows draw as fast as a thousand.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from reportgen.formatters import fmt_ci, fmt_compact, fmt_int, fmt_or, fmt_pct, fmt_rate, plain_name, term_label
from reportgen.results import AnalysisResults, FigureInfo, Overview

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
HEATMAP = "cividis"  # perceptually uniform and colour-blind safe
DPI = 150


@functools.cache
def _shipped_font() -> str:
    """Register the summary's font (Liberation Sans, shipped in assets/fonts) with matplotlib; its family name.

    Charts then read in the same face as the slide and the PDF around them,
    whatever fonts the machine has.
    """
    from matplotlib import font_manager

    from reportgen.resources import assets_dir

    for path in sorted((assets_dir() / "fonts").glob("LiberationSans-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    return "Liberation Sans"


@contextmanager
def _figure(path: Path | BinaryIO, size: tuple[float, float] = (6.4, 4.0)) -> Iterator[Axes]:
    """A styled axes that is saved to ``path`` (or a binary file) and closed, whatever happens."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    style = {
        "font.family": _shipped_font(),
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "savefig.dpi": DPI,
        "svg.hashsalt": "reportgen",
    }
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=size, dpi=DPI)
        try:
            yield ax
            # One measuring pass sets the margins: constrained layout's two passes gave these charts (one axes, at most
            # a colour bar) the same room at about 10 ms more a figure.
            fig.tight_layout()
            _save_opaque(fig, path)
        finally:
            plt.close(fig)


def _save_opaque(fig: Any, path: Path | BinaryIO) -> None:
    """Write ``fig`` as an RGB PNG at DPI: no alpha channel (the figures are opaque, on white).

    matplotlib writes RGBA; WeasyPrint then splits every image into colour and a soft mask and
    compresses both again, a tenth of a technical PDF's time. An RGB file is embedded once and is
    a quarter smaller; PowerPoint and browsers show it the same.
    """
    import numpy as np
    from PIL import Image

    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    Image.fromarray(rgb).save(path, format="PNG", dpi=(DPI, DPI))


def log_axis(ax: Axes, linthresh: float) -> None:
    """A symmetric log x axis (0 shown, linear below ``linthresh``) labelled in plain numbers: 0, 10, 1k, 1M.

    Plainer for a reader than powers of ten, and matplotlib's mathematical typesetting, which
    labels log axes by default, is never started: its parser costs about 0.05 s in every process
    that draws such a figure, and 15 ms a figure after.
    """
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_xscale("symlog", linthresh=linthresh)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: fmt_compact(value)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _ink_on(image, value: float) -> str:
    """Black or white, whichever contrasts more with the cell colour (WCAG relative luminance)."""
    r, g, b, _ = image.cmap(image.norm(value))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def class_balance(r: AnalysisResults | Overview, path: Path) -> FigureInfo:
    """Bar chart of the target classes."""
    counts, shares = r.exploration.class_balance, r.exploration.class_shares
    with _figure(path, (5.0, 3.4)) as ax:
        bars = ax.bar(list(counts), list(counts.values()), color=PALETTE[: len(counts)])
        ax.bar_label(bars, labels=[f"{fmt_int(v)} ({fmt_pct(shares[k])})" for k, v in counts.items()])
        ax.set_ylabel("videos")
        ax.set_title(f"Class balance of {plain_name(r.target)}")
    parts = [f"{k}: {fmt_int(v)} videos ({fmt_pct(shares[k])})" for k, v in counts.items()]
    return FigureInfo(path.name, "Class balance", "Bar chart of class balance. " + "; ".join(parts) + ".", "Usable rows by class.")


def distributions(r: AnalysisResults | Overview, path: Path) -> FigureInfo:
    """Box plots of each numeric predictor by class, from the computed quantiles."""
    groups = [g for g in r.exploration.class_balance]
    columns = list(r.exploration.correlation_columns)
    stats = {(s.column, s.group): s for s in r.exploration.numeric}
    with _figure(path, (7.0, 1.3 + 0.9 * len(columns))) as ax:
        boxes, positions, colours = [], [], []
        for i, column in enumerate(columns):
            for k, group in enumerate(groups):
                s = stats[(column, group)]
                spread = s.q3 - s.q1
                boxes.append({
                    "med": s.median, "q1": s.q1, "q3": s.q3,
                    "whislo": max(s.min, s.q1 - 1.5 * spread), "whishi": min(s.max, s.q3 + 1.5 * spread),
                    "label": "",
                })
                positions.append(i * (len(groups) + 1) + k)
                colours.append(PALETTE[k])
        drawn = ax.bxp(boxes, positions=positions, orientation="horizontal", showfliers=False, patch_artist=True, medianprops={"color": "black", "linewidth": 1.5})
        for patch, colour in zip(drawn["boxes"], colours):
            patch.set_facecolor(colour)
        ax.set_yticks([i * (len(groups) + 1) + (len(groups) - 1) / 2 for i in range(len(columns))], [plain_name(c) for c in columns])
        log_axis(ax, linthresh=10)
        ax.set_xlim(left=0)
        ax.set_xlabel("value (symmetric log scale)")
        ax.legend([drawn["boxes"][k] for k in range(len(groups))], groups, loc="lower right")
        ax.set_title("Distributions by class")
    medians = [
        f"{plain_name(c)}: median {' vs '.join(fmt_int(stats[(c, g)].median) for g in groups)}" for c in columns
    ]
    alt = f"Box plots of the numeric predictors for {' and '.join(groups)} videos. " + "; ".join(medians) + "."
    caption = "Boxes span the quartiles; whiskers reach 1.5 IQR or the data range; single outliers are not drawn (their counts are in the outlier table)."
    return FigureInfo(path.name, "Distributions by class", alt, caption)


def correlations(r: AnalysisResults | Overview, path: Path) -> FigureInfo:
    """Heatmap of the Pearson correlations of the numeric columns."""
    columns = [plain_name(c) for c in r.exploration.correlation_columns]
    matrix = r.exploration.correlation
    with _figure(path, (5.8, 4.8)) as ax:
        image = ax.imshow(matrix, cmap=HEATMAP, vmin=-1, vmax=1)
        ax.set_xticks(range(len(columns)), columns, rotation=35, ha="right")
        ax.set_yticks(range(len(columns)), columns)
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", color=_ink_on(image, v), fontsize=8)
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label="Pearson r")
        ax.set_title("Correlations of the numeric columns")
    pairs = sorted(
        ((abs(matrix[i][j]), columns[i], columns[j], matrix[i][j]) for i in range(len(columns)) for j in range(i + 1, len(columns))),
        reverse=True,
    )[:3]
    strongest = "; ".join(f"{a} and {b} r = {v:.2f}" for _, a, b, v in pairs)
    return FigureInfo(path.name, "Correlation heatmap", f"Heatmap of correlations between {len(columns)} numeric columns. Strongest: {strongest}.", "Pearson correlations on all usable rows.")


def confusion_cells(cm: Any, negative: str, positive: str) -> str:
    """The four cells of a confusion matrix in reading order, for its alt text (every study's reads alike)."""
    return (
        f"Top left: {fmt_int(cm.tn)} {negative} correctly predicted {negative}. Top right: {fmt_int(cm.fp)} {negative} wrongly predicted {positive}. "
        f"Bottom left: {fmt_int(cm.fn)} {positive} wrongly predicted {negative}. Bottom right: {fmt_int(cm.tp)} {positive} correctly predicted {positive}."
    )


def draw_confusion(path: Path, cm: Any, negative: str, positive: str, title: str) -> None:
    """A 2 x 2 confusion matrix (``cm.tn``, ``fp``, ``fn``, ``tp``) as a heatmap with its counts; every study's looks alike."""
    cells = [[cm.tn, cm.fp], [cm.fn, cm.tp]]
    with _figure(path, (4.6, 3.9)) as ax:
        image = ax.imshow(cells, cmap=HEATMAP)
        for i, row in enumerate(cells):
            for j, v in enumerate(row):
                ax.text(j, i, fmt_int(v), ha="center", va="center", fontsize=14, color=_ink_on(image, v))
        ax.set_xticks([0, 1], [negative, positive])
        ax.set_yticks([0, 1], [negative, positive])
        ax.set_xlabel("predicted")
        ax.set_ylabel("actual")
        ax.set_title(title)


def confusion(r: AnalysisResults, path: Path) -> FigureInfo:
    """The test-set confusion matrix, counts and row shares."""
    cm = r.evaluation.confusion_matrix
    neg, pos = [k for k in r.exploration.class_balance if k != r.model.positive_class][0], r.model.positive_class
    draw_confusion(path, cm, neg, pos, "Confusion matrix (test set)")
    alt = f"Confusion matrix on {fmt_int(cm.tn + cm.fp + cm.fn + cm.tp)} test videos. {confusion_cells(cm, neg, pos)}"
    return FigureInfo(path.name, "Confusion matrix", alt, "Rows are the actual class, columns the predicted class.")


def roc(r: AnalysisResults, path: Path) -> FigureInfo:
    """ROC curve with the chance diagonal."""
    e = r.evaluation
    with _figure(path, (4.6, 4.2)) as ax:
        ax.plot(*zip(*e.roc_curve), color=PALETTE[0], label=f"model (AUC {fmt_rate(e.roc_auc)})")
        ax.plot([0, 1], [0, 1], linestyle="--", color=PALETTE[7], label="chance")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate")
        ax.legend(loc="lower right")
        ax.set_title("ROC curve (test set)")
    alt = f"ROC curve rising above the chance diagonal; area under the curve {fmt_rate(e.roc_auc)} (0.5 is chance, 1 is perfect)."
    return FigureInfo(path.name, "ROC curve", alt, _thinned_caption(e))


def precision_recall(r: AnalysisResults, path: Path) -> FigureInfo:
    """Precision-recall curve with the prevalence line."""
    e, prevalence = r.evaluation, r.model.test_positive_share
    with _figure(path, (4.6, 4.2)) as ax:
        ax.plot(*zip(*e.pr_curve), color=PALETTE[2], label=f"model (AP {fmt_rate(e.average_precision)})")
        ax.axhline(prevalence, linestyle="--", color=PALETTE[7], label=f"chance ({fmt_pct(prevalence)})")
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper right")
        ax.set_title("Precision-recall curve (test set)")
    alt = f"Precision-recall curve; average precision {fmt_rate(e.average_precision)} against {fmt_pct(prevalence)} for a model that guesses."
    return FigureInfo(path.name, "Precision-recall curve", alt, _thinned_caption(e))


def _thinned_caption(e: Any) -> str:
    """Say when a curve was drawn from fewer points than it has."""
    shown = len(e.roc_curve)
    return f"Drawn from {shown} of {fmt_int(e.curve_points_full)} curve points." if e.curve_points_full > shown else "All curve points drawn."


def forest(r: AnalysisResults, path: Path) -> FigureInfo:
    """Odds ratios on a comparable scale (per SD, per category) with 95 % intervals."""
    effects = r.model.ranked_effects()[::-1]
    ref = r.model.reference_levels
    labels = [term_label(t.term, ref) + (" (per SD)" if t.kind == "continuous" else "") for t in effects]
    lows = [_clip(t.comparable_ci[0]) for t in effects]
    highs = [_clip(t.comparable_ci[1]) for t in effects]
    points = [_clip(t.comparable_or) for t in effects]
    clipped = any(v in (1 / OR_AXIS_LIMIT, OR_AXIS_LIMIT) for v in lows + highs)
    with _figure(path, (6.4, 1.2 + 0.42 * len(effects))) as ax:
        ys = range(len(effects))
        ax.errorbar(points, ys, xerr=[[p - lo for p, lo in zip(points, lows)], [hi - p for p, hi in zip(points, highs)]], fmt="o", color=PALETTE[0], capsize=3)
        ax.axvline(1, linestyle="--", color=PALETTE[7])
        ax.set_yticks(list(ys), labels)
        ax.set_xscale("log")
        _readable_log_ticks(ax, min(lows), max(highs))
        ax.set_xlabel("odds ratio (log scale; 1 = no effect)")
        ax.set_title("Effects on comparable scales", loc="left")
    top = [f"{lab}: {fmt_or(p)} (95% CI {fmt_ci(lo, hi)})" for lab, p, lo, hi in list(zip(labels, points, lows, highs))[::-1][:3]]
    alt = "Forest plot of odds ratios with 95% intervals, strongest first: " + "; ".join(top) + "."
    caption = "Continuous predictors per standard deviation, categories against their reference level."
    if clipped:
        caption += f" Intervals beyond {fmt_or(1 / OR_AXIS_LIMIT)}–{fmt_or(OR_AXIS_LIMIT)} (separation) are cut at the edge."
    return FigureInfo(path.name, "Odds ratios", alt, caption)


#: The forest plot's axis stops here: a separated fit's odds ratios run to 1e300.
OR_AXIS_LIMIT = 1_000.0


def _clip(x: float) -> float:
    """An odds ratio held inside the plotted range."""
    return min(max(x, 1 / OR_AXIS_LIMIT), OR_AXIS_LIMIT)


def _readable_log_ticks(ax: Axes, low: float, high: float) -> None:
    """Ticks at 1, 2, 4 ... and 1/2, 1/4 ... only: no crowded minor labels on a log axis."""
    from matplotlib.ticker import FixedLocator, NullLocator

    low, high = max(low, 1e-6), min(high, 1e6)
    ticks = [2.0**k for k in range(-20, 21) if low / 2 <= 2.0**k <= high * 2]
    ax.set_xlim(min(low, 1) / 1.15, max(high, 1) * 1.15)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])


#: The figures an ``Overview`` draws (before the model is fitted): they read only the exploration.
PREVIEW_FIGURES = ("class_balance.png", "distributions.png", "correlations.png")
FIGURES: tuple[tuple[str, Callable[[AnalysisResults, Path], FigureInfo]], ...] = (
    ("class_balance.png", class_balance),
    ("distributions.png", distributions),
    ("correlations.png", correlations),
    ("confusion_matrix.png", confusion),
    ("roc_curve.png", roc),
    ("precision_recall.png", precision_recall),
    ("odds_ratios.png", forest),
)


def draw_all(results: AnalysisResults, folder: Path) -> tuple[FigureInfo, ...]:
    """Draw every figure into ``folder``; return their descriptions in order."""
    return draw_some(results, folder, [name for name, _ in FIGURES])


def draw_some(results: AnalysisResults, folder: Path, names: list[str]) -> tuple[FigureInfo, ...]:
    """Draw the named figures into ``folder`` (a share of the work for one process)."""
    folder.mkdir(parents=True, exist_ok=True)
    drawers = dict(FIGURES)
    return tuple(drawers[name](results, folder / name) for name in names)
