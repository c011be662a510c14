"""The title facts, the results at a glance and what changed since the last build."""

from __future__ import annotations

from reportgen.core.document import Fact, Facts, Paragraph, Section, Table
from reportgen.formatters import fmt_ci, fmt_delta, fmt_or, fmt_p, fmt_pct, fmt_rate, fmt_value, term_label
from reportgen.narrative.wording import capital, discrimination_word, in_words
from reportgen.results import AnalysisResults
from reportgen.studies.regression.technical._common import labels


def title_facts(r: AnalysisResults, generated_at: str) -> tuple[Fact, ...]:
    """Data file, date of the data, short sha256, generated-at."""
    d = r.data
    return (
        Fact("Data file", d.source),
        Fact("Date of the data", d.modified),
        Fact("SHA-256 (short)", d.sha256[:12]),
        Fact("Generated", generated_at),
    )


def glance(r: AnalysisResults) -> Section:
    """Five numbers with one line of meaning each, worded from their values."""
    e, m = r.evaluation, r.model
    neg, pos = labels(r)
    prevalence = m.test_positive_share
    majority = neg if prevalence < 0.5 else pos
    accuracy_side = "below" if e.accuracy < e.baseline_accuracy else "above"
    items = [
        Fact(
            "ROC AUC",
            fmt_rate(e.roc_auc),
            f"{discrimination_word(e.roc_auc).capitalize()} discrimination: a random '{pos}' video is scored above a random "
            f"'{neg}' one {fmt_pct(e.roc_auc, 0)} of the time (half the time is chance)"
            + (f"; 95% CI {fmt_rate(iv.low)}–{fmt_rate(iv.high)}." if (iv := r.model_value and r.model_value.interval("roc_auc")) else "."),
        ),
        Fact("Recall", fmt_pct(e.recall), f"The model finds {in_words(e.recall)} {pos} videos in the test set."),
        Fact(
            "Precision",
            fmt_pct(e.precision),
            f"Of the videos it calls {pos}, {in_words(e.precision)} are; {fmt_pct(prevalence)} of test videos are {pos}.",
        ),
        Fact(
            "Accuracy",
            fmt_pct(e.accuracy),
            f"{accuracy_side.capitalize()} the {fmt_pct(e.baseline_accuracy)} of always predicting '{majority}'.",
        ),
    ]
    ranked = m.ranked_effects()
    if ranked:
        top = ranked[0]
        scale = " per SD" if top.kind == "continuous" else ""
        items.append(
            Fact(
                "Strongest effect (odds ratio)",
                fmt_or(top.comparable_or),
                f"{capital(term_label(top.term, m.reference_levels))}{scale}: the odds of a {pos} author are "
                f"{fmt_or(top.comparable_or)} times as high (95% CI {fmt_ci(*top.comparable_ci)}).",
            )
        )
    word = discrimination_word(e.roc_auc)
    cm = e.confusion_matrix
    if e.recall >= 0.5 and cm.fp > cm.tp:
        summary = (
            f"The model's discrimination is {word}: it finds most {pos} videos only by flagging more {neg} ones, "
            f"so {in_words(1 - e.precision)} of its '{pos}' calls are wrong."
        )
    elif e.recall >= 0.5:
        summary = f"The model's discrimination is {word}: it finds most {pos} videos, and {in_words(e.precision)} of its '{pos}' calls are right."
    else:
        summary = f"The model's discrimination is {word} and it misses most {pos} videos at this threshold."
    v = r.model_value
    if v is not None and v.baseline_roc_auc is not None and v.lr_p_value is not None:
        summary += (
            f" Claim status alone reaches ROC AUC {fmt_rate(v.baseline_roc_auc)}; the other predictors "
            + ("add nothing distinguishable from chance" if v.lr_p_value >= 0.05 else "add to it")
            + f" (likelihood-ratio p {fmt_p(v.lr_p_value)})."
        )
    return Section("glance", "Results at a glance", (Facts(tuple(items), css="glance", layout="glance"), Paragraph(summary)))


def changes(r: AnalysisResults) -> Section | None:
    """Then and now for the figures a reader follows from build to build (none on a first build)."""
    p = r.previous
    if p is None:
        return None
    same_data = p.previous_sha256 == r.data.sha256
    intro = (
        f"The output folder held a build of {p.previous_source} (data of {p.previous_modified}, sha256 {p.previous_sha256[:12]}); "
        + ("the data are the same, so only settings can have moved the figures." if same_data else "this build read different data.")
    )
    rows = tuple((c.label, fmt_value(c.before, c.kind), fmt_value(c.after, c.kind), fmt_delta(c.delta, c.kind)) for c in p.changes)
    header = ("Figure", "Previous", "Now", "Change")
    table = Table("Headline figures, previous build and this one", header, rows, numeric=(1, 2, 3))
    return Section("changes", "What changed since the last build", (Paragraph(intro), table))
