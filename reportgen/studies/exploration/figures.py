"""The exploration's figures: results in, PNG and alt text out, drawn from computed summaries only.

The style context, the Okabe-Ito palette and the heatmap colours are the
project's (``reportgen.figures``); each bar carries a direct label and a hatch
pattern, so colour is never the only cue.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.figures import HEATMAP, PALETTE, _figure, _ink_on, log_axis
from reportgen.formatters import fmt_int, fmt_pct, fmt_rate
from reportgen.results import FigureInfo
from reportgen.studies.exploration.results import Crosstab, ExplorationResults
from reportgen.studies.exploration.words import fmt_value, name

HATCHES = ("", "///", "...", "xx", "\\\\")


def claim_balance(r: ExplorationResults, path: Path) -> FigureInfo:
    """Claims and opinions: counts with Wilson 95 % intervals."""
    items = r.claim_balance
    with _figure(path, (5.0, 3.4)) as ax:
        counts = [s.count for s in items]
        n = sum(counts)
        errors = [[s.count - s.ci_low * n for s in items], [s.ci_high * n - s.count for s in items]]
        bars = ax.bar([s.label for s in items], counts, yerr=errors, capsize=4, color=PALETTE[: len(items)], edgecolor="black")
        for bar, hatch in zip(bars, HATCHES):
            bar.set_hatch(hatch)
        ax.bar_label(bars, labels=[f"{fmt_int(s.count)} ({fmt_pct(s.share)})" for s in items], padding=3)
        ax.set_ylabel("videos")
        ax.set_title("Claims and opinions")
    parts = "; ".join(f"{s.label}: {fmt_int(s.count)} videos ({fmt_pct(s.share)}, 95% CI {fmt_pct(s.ci_low)}–{fmt_pct(s.ci_high)})" for s in items)
    missing = f" {fmt_int(r.claim_missing_in_file)} rows of the file have no claim status and are not counted." if r.claim_missing_in_file else ""
    return FigureInfo(path.name, "Claims and opinions", f"Bar chart of videos by claim status. {parts}.{missing}", "Videos by claim status, with 95% Wilson intervals.")


def _stacked(t: Crosstab, overall: dict[str, float] | None, path: Path, title: str) -> str:
    """Horizontal 100 % bars of ``t.columns`` within each claim status (and overall); returns the alt text's numbers."""
    rows = [*(("all videos", overall),) * bool(overall), *t.row_shares.items()]
    levels = list(next(iter(t.row_shares.values()))) if t.row_shares else []
    with _figure(path, (6.8, 1.4 + 0.6 * len(rows))) as ax:
        for i, (label, shares) in enumerate(reversed(rows)):
            left = 0.0
            for k, level in enumerate(levels):
                width = shares[level]
                ax.barh(i, width, left=left, color=PALETTE[k], hatch=HATCHES[k], edgecolor="black", label=level if i == 0 else None)
                if width >= 0.06:
                    ax.text(left + width / 2, i, fmt_pct(width), ha="center", va="center", fontsize=8, color="white" if k == 0 else "black",
                            bbox={"facecolor": "white" if k else PALETTE[0], "edgecolor": "none", "pad": 1})
                left += width
        ax.set_yticks(range(len(rows)), [label for label, _ in reversed(rows)])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _: fmt_pct(x, 0))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(levels), frameon=False)
        ax.set_title(title)
    return "; ".join(f"{label}: " + ", ".join(f"{level} {fmt_pct(shares[level])}" for level in levels) for label, shares in rows)


def ban_status(r: ExplorationResults, path: Path) -> FigureInfo:
    """Author ban status overall and within claims and opinions."""
    overall = {s.label: s.share for s in r.ban_overall}
    numbers = _stacked(r.ban_by_claim, overall, path, "Author ban status")
    alt = f"Stacked bars of author ban status, overall and by claim status. {numbers}."
    caption = f"Shares of each row; chi-square p {_p(r.ban_by_claim)}, Cramér's V {fmt_rate(r.ban_by_claim.cramers_v)}."
    return FigureInfo(path.name, "Author ban status by claim status", alt, caption)


def verified_status(r: ExplorationResults, path: Path) -> FigureInfo:
    """Verified status within claims and opinions."""
    numbers = _stacked(r.verified_by_claim, None, path, "Verified status by claim status")
    alt = f"Stacked bars of verified status by claim status. {numbers}."
    caption = f"Shares of each row; chi-square p {_p(r.verified_by_claim)}, Cramér's V {fmt_rate(r.verified_by_claim.cramers_v)}."
    return FigureInfo(path.name, "Verified status by claim status", alt, caption)


def _p(t: Crosstab) -> str:
    from reportgen.formatters import fmt_p

    return fmt_p(t.p_value)


def distributions(r: ExplorationResults, path: Path) -> FigureInfo:
    """Box plots of each count by claim status, on a log axis (from the computed quantiles)."""
    groups = [s.label for s in r.claim_balance]
    columns = list(dict.fromkeys(d.column for d in r.distributions))
    stats = {(d.column, d.group): d for d in r.distributions}
    with _figure(path, (7.0, 1.3 + 0.9 * len(columns))) as ax:
        boxes, positions, styles = [], [], []
        for i, column in enumerate(columns):
            for k, group in enumerate(groups):
                s = stats[(column, group)]
                spread = s.q3 - s.q1
                boxes.append({"med": s.median, "q1": s.q1, "q3": s.q3, "whislo": max(s.minimum, s.q1 - 1.5 * spread),
                              "whishi": min(s.maximum, s.q3 + 1.5 * spread), "label": ""})
                positions.append(i * (len(groups) + 1) + k)
                styles.append(k)
        drawn = ax.bxp(boxes, positions=positions, orientation="horizontal", showfliers=False, patch_artist=True,
                       medianprops={"color": "black", "linewidth": 1.5})
        for patch, k in zip(drawn["boxes"], styles):
            patch.set_facecolor(PALETTE[k])
            patch.set_hatch(HATCHES[k])
        ax.set_yticks([i * (len(groups) + 1) + (len(groups) - 1) / 2 for i in range(len(columns))], [name(c) for c in columns])
        log_axis(ax, linthresh=1)
        ax.set_xlim(left=0)
        ax.set_xlabel("value (log scale; 0 shown)")
        ax.legend([drawn["boxes"][k] for k in range(len(groups))], groups, loc="lower right")
        ax.set_title("Each count by claim status")
    medians = "; ".join(f"{name(c)}: median " + " vs ".join(f"{fmt_int(stats[(c, g)].median)} ({g})" for g in groups) for c in columns)
    alt = f"Box plots on a log axis of each count for {' and '.join(groups)} videos. {medians}."
    caption = "Boxes span the quartiles, whiskers reach 1.5 IQR or the data range; log axis because the counts are heavy-tailed."
    return FigureInfo(path.name, "Counts by claim status", alt, caption)


def engagement(r: ExplorationResults, path: Path) -> FigureInfo:
    """Mean engagement rates with 95 % intervals, by claim status and by ban status."""
    import matplotlib.pyplot as plt  # noqa: F401  (the style context has set the backend)

    rates = list(dict.fromkeys(x.rate for x in r.rates))
    bys = list(dict.fromkeys(x.by for x in r.rates))
    parts = []
    with _figure(path, (7.2, 1.6 + 0.5 * len(rates) * 3)) as ax:
        y, ticks, labels = 0, [], []
        for rate in rates:
            for by in bys:
                for k, g in enumerate(r.rate(rate, by).groups):
                    if g.mean is None:
                        continue
                    marker = "os^D"[k % 4]
                    ax.errorbar(g.mean, y, xerr=[[g.mean - (g.ci_low or g.mean)], [(g.ci_high or g.mean) - g.mean]], fmt=marker,
                                color=PALETTE[k], ecolor="black", capsize=3)
                    ax.annotate(fmt_pct(g.mean, 1), (g.mean, y), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
                    ticks.append(y)
                    labels.append(f"{name(rate)}: {g.group}")
                    parts.append(f"{name(rate)}, {g.group}: mean {fmt_pct(g.mean, 1)}")
                    y += 1
                y += 0.5
        ax.set_yticks(ticks, labels, fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(lambda x, _: fmt_pct(x, 0))
        ax.set_xlabel("mean rate per view (95% CI)")
        ax.set_title("Engagement rates by claim status and by ban status")
    return FigureInfo(path.name, "Engagement rates", "Dot plot of mean engagement rates with 95% intervals. " + "; ".join(parts) + ".",
                      "Rates per view, averaged over videos; intervals are t-based 95% intervals of the mean.")


def correlations(r: ExplorationResults, path: Path) -> FigureInfo:
    """Heatmap of the correlation matrix with the values written in."""
    import numpy as np

    columns = [name(c) for c in r.correlation_columns]
    matrix = np.array([[np.nan if v is None else v for v in row] for row in r.correlation], dtype=float)
    method = "Spearman" if r.correlation_method == "spearman" else "Pearson"
    with _figure(path, (6.0, 5.0)) as ax:
        image = ax.imshow(matrix, cmap=HEATMAP, vmin=-1, vmax=1)
        ax.set_xticks(range(len(columns)), columns, rotation=35, ha="right")
        ax.set_yticks(range(len(columns)), columns)
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                if not np.isnan(v):
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", color=_ink_on(image, v), fontsize=8)
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label=f"{method} correlation")
        ax.set_title(f"{method} correlations")
    pairs = sorted(
        ((abs(r.correlation[i][j]), columns[i], columns[j], r.correlation[i][j]) for i in range(len(columns)) for j in range(i + 1, len(columns))
         if r.correlation[i][j] is not None),
        reverse=True,
    )
    top = "; ".join(f"{a} and {b}: {fmt_rate(v)}" for _, a, b, v in pairs[:4])
    weakest = "; ".join(f"{a} and {b}: {fmt_rate(v)}" for _, a, b, v in pairs[-2:])
    alt = f"Heatmap of {method} correlations of {len(columns)} variables. Strongest: {top}. Weakest: {weakest}."
    return FigureInfo(path.name, "Correlation matrix", alt, f"{method} correlations over rows where both values are present.")


FIGURES = (
    ("claim_balance.png", claim_balance),
    ("ban_status.png", ban_status),
    ("verified_status.png", verified_status),
    ("count_distributions.png", distributions),
    ("engagement_rates.png", engagement),
    ("correlations.png", correlations),
)

__all__ = ["FIGURES", "fmt_value"]
