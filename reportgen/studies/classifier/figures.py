"""The classifier study's figures: results in, PNG and alt text (written from the numbers) out.

Drawn in the shared style (``reportgen.figures``: Okabe-Ito palette, cividis
heat map, the figure always closed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportgen.figures import PALETTE, _figure, confusion_cells, draw_confusion
from reportgen.formatters import fmt_int, fmt_rate
from reportgen.results import FigureInfo
from reportgen.studies.classifier.results import ClassifierResults
from reportgen.studies.classifier.words import feature_name

#: How many features the importance bars show.
#: The metrics compared on validation, in the order the bars show them.
COMPARED = ("accuracy", "precision", "recall", "f1", "roc_auc")
_LABELS = {"accuracy": "accuracy", "precision": "precision", "recall": "recall", "f1": "F1", "roc_auc": "ROC AUC"}


def confusion(r: ClassifierResults, path: Path) -> FigureInfo:
    """The champion's confusion matrix on the test rows."""
    cm, pos, neg = r.test.confusion, r.features.positive_class, r.features.negative_class
    draw_confusion(path, cm, neg, pos, f"Confusion matrix, {r.champion} (test set)")
    alt = f"Confusion matrix of the {r.champion} on {fmt_int(r.test.n)} test videos. {confusion_cells(cm, neg, pos)}"
    return FigureInfo(path.name, "Confusion matrix", alt, "Rows are the actual class, columns the predicted class.")


def importance(r: ClassifierResults, path: Path) -> FigureInfo:
    """Permutation importance of the champion on the test rows, largest first."""
    perm = r.permutation_importance[: r.top_shown]
    with _figure(path, (6.4, 1.2 + 0.34 * len(perm))) as ax:
        ys = list(range(len(perm)))[::-1]
        ax.barh(ys, [i.mean for i in perm], xerr=[i.std for i in perm], color=PALETTE[0], capsize=2)
        ax.set_yticks(ys, [feature_name(i.feature) for i in perm])
        ax.set_xlabel("drop in test accuracy when the feature is shuffled")
        ax.set_title(f"Permutation importance, {r.champion} (test set)", loc="left")
    top = "; ".join(f"{feature_name(i.feature)} {fmt_rate(i.mean)}" for i in perm[:3])
    alt = f"Bar chart of the {r.top_shown} features whose shuffling lowers test accuracy most: {top}."
    caption = f"Mean drop over {r.permutation_repeats} shuffles of the test rows; whiskers: SD. Correlated features share their importance."
    return FigureInfo(path.name, "Permutation importance", alt, caption)


def impurity(r: ClassifierResults, path: Path) -> FigureInfo:
    """Impurity importance of the random forest candidate (training rows), largest first."""
    imp = r.impurity_importance[: r.top_shown]
    with _figure(path, (6.4, 1.2 + 0.34 * len(imp))) as ax:
        ys = list(range(len(imp)))[::-1]
        ax.barh(ys, [i.mean for i in imp], color=PALETTE[1])
        ax.set_yticks(ys, [feature_name(i.feature) for i in imp])
        ax.set_xlabel("mean decrease in impurity (share of the total)")
        ax.set_title("Impurity importance, random forest (training rows)", loc="left")
    top = "; ".join(f"{feature_name(i.feature)} {fmt_rate(i.mean)}" for i in imp[:3])
    alt = f"Bar chart of the random forest's impurity importance, {r.top_shown} largest: {top}."
    caption = "Impurity importance is measured on the training rows and favours features with many distinct values; read it beside the permutation importance."
    return FigureInfo(path.name, "Impurity importance", alt, caption)


def validation(r: ClassifierResults, path: Path) -> FigureInfo:
    """Both candidates' validation metrics side by side, with bootstrap 95 % intervals."""
    import numpy as np

    width = 0.8 / len(r.candidates)
    lows = []
    with _figure(path, (7.0, 3.8)) as ax:
        for k, c in enumerate(r.candidates):
            xs = np.arange(len(COMPARED)) + (k - (len(r.candidates) - 1) / 2) * width
            ivs = [c.validation.interval(m) for m in COMPARED]
            values = [i.estimate for i in ivs]
            err = [[i.estimate - i.low for i in ivs], [i.high - i.estimate for i in ivs]]
            lows += [i.low for i in ivs]
            ax.bar(xs, values, width, yerr=err, capsize=3, color=PALETTE[k], label=c.name + (" (champion)" if c.name == r.champion else ""))
        ax.set_xticks(range(len(COMPARED)), [_LABELS[m] for m in COMPARED])
        ax.set_ylim(max(0.0, min(lows) - 0.05), 1.0)
        ax.set_ylabel("validation score")
        ax.legend(loc="lower right")
        ax.set_title("The candidates on the validation set", loc="left")
    parts = [
        f"{c.name}: " + ", ".join(f"{_LABELS[m]} {fmt_rate(c.validation.value(m))}" for m in COMPARED) for c in r.candidates
    ]
    alt = "Grouped bar chart of validation metrics. " + "; ".join(parts) + f". Champion: {r.champion} (chosen on {r.refit_metric})."
    caption = f"Bars: bootstrap 95% intervals on {fmt_int(r.split.n_validation)} validation videos. The y axis starts above 0."
    return FigureInfo(path.name, "Validation comparison", alt, caption)


def shortcuts(r: ClassifierResults, path: Path) -> FigureInfo:
    """ROC AUC on test of the strongest single features, the reduced models and the champion."""
    a = r.audit
    rows = [(f"{feature_name(f.feature)} alone", f.auc_test, PALETTE[1]) for f in a.feature_aucs[:5]]
    rows += [
        (f"model {a.without_strongest_group.name}", a.without_strongest_group.test.value("roc_auc"), PALETTE[2]),
        (f"model {a.text_only.name}", a.text_only.test.value("roc_auc"), PALETTE[2]),
        (f"champion ({r.champion})", a.champion_auc, PALETTE[0]),
    ]
    with _figure(path, (7.0, 1.4 + 0.4 * len(rows))) as ax:
        ys = list(range(len(rows)))[::-1]
        ax.barh(ys, [v for _, v, _ in rows], color=[c for _, _, c in rows])
        ax.set_yticks(ys, [label for label, _, _ in rows])
        ax.axvline(a.champion_auc - a.margin, linestyle="--", color=PALETTE[7], label=f"champion − margin ({fmt_rate(a.margin)})")
        ax.set_xlim(0.5, 1.0)
        ax.set_xlabel("ROC AUC on the test set (0.5 is chance)")
        ax.legend(loc="lower right")
        ax.set_title("Shortcut audit", loc="left")
    alt = "Bar chart of test ROC AUC: " + "; ".join(f"{label} {fmt_rate(v)}" for label, v, _ in rows) + (
        f". The dashed line marks the champion less the margin of {fmt_rate(a.margin)}."
    )
    caption = "A single feature whose bar reaches the dashed line nearly does the champion's work alone."
    return FigureInfo(path.name, "Shortcut audit", alt, caption)


FIGURES: tuple[tuple[str, Callable[[ClassifierResults, Path], FigureInfo]], ...] = (
    ("confusion_matrix.png", confusion),
    ("importance.png", importance),
    ("impurity.png", impurity),
    ("validation.png", validation),
    ("shortcuts.png", shortcuts),
)
