"""The classifier study's one-page executive summary, in words, for either tone.

Both tones say the same four things, chosen from the results: the variables
used, how accurate the model is on videos it had not seen, the shortcut audit's
finding (and what to check before use when a shortcut was found), and, when the
hypothesis study is in the same build, its answer as that study gives it.

* ``leadership``: plain words, numbers as people use them, one recommendation.
* ``technical``: the metrics with their bootstrap 95 % intervals, the audit's
  numbers and the checks.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section, sample_blocks, SummaryFigure
from reportgen.formatters import fmt_int, fmt_pct, fmt_rate, fmt_value, fmt_delta
from reportgen.narrative.wording import join_words
from reportgen.studies.classifier import words
from reportgen.studies.classifier.results import ClassifierResults
from reportgen.studies.classifier.technical import interval, value

__all__ = ["build_summary"]

_FIGURE = "confusion_matrix.png"
#: Plain words for the feature groups, for the leadership tone.
_LEAD_GROUPS = {
    "engagement counts": "views, likes, shares, downloads and comments",
    "video length": "how long the video is",
    "account": "whether the author is verified or banned",
    "text": "the words spoken in the video",
}


def build_summary(r: ClassifierResults, config: Config, audience: str | None = None) -> ExecutiveSummary:
    """The executive summary of ``r`` in the configured (or given) tone."""
    audience = audience or config.report.audience
    writer = _TECHNICAL if audience == "technical" else _LEADERSHIP
    sections = tuple(
        Section(key, SECTION_TITLES[key], (*writer[key](r), *sample_blocks(key, r.data, audience, words.covers(r), words.covers_plain(r))))
        for key in SECTION_TITLES
    )
    title = "Executive Summary: Telling Claims from Opinions"
    subtitle = "The final classifier for the report backlog, and what it really learnt"
    return ExecutiveSummary(audience, title, subtitle, sections, _figure(r, audience))


def _related(r: ClassifierResults, lead: str) -> list[Block]:
    return [Block(a.verdict, lead=lead, optional=True) for a in r.related]


def _since_last(r: ClassifierResults) -> list[Block]:
    if r.previous is None:
        return []
    moved = [c for c in r.previous.changes if fmt_delta(c.delta, c.kind) != "no change"]
    text = "; ".join(f"{c.label} {fmt_value(c.before, c.kind)} → {fmt_value(c.after, c.kind)}" for c in moved)
    return [Block(f"{text}." if moved else "the same figures.", lead="Since the last build:", optional=True)]


# --- leadership -------------------------------------------------------------


def _lead_overview(r: ClassifierResults) -> list[Block]:
    used = join_words([_LEAD_GROUPS.get(g, g) for g in r.features.groups])
    return [
        Block(
            "Moderators have a backlog of reported videos. This step builds the tool that tells claims from opinions, "
            "so that claims can be checked first."
        ),
        Block(f"We used {fmt_int(r.data.rows_used) if r.data.sample is None else f'a sample of {fmt_int(r.data.sample.rows)}'} videos. For each one the model looks at {used}."),
        *_related(r, "Earlier step:"),
    ]


def _lead_status(r: ClassifierResults) -> list[Block]:
    t = r.test
    pos = r.features.positive_class
    return _since_last(r) + [
        Block(f"The model is built. We tested it once on {fmt_int(t.n)} videos it had not seen."),
        Block(f"It finds {fmt_pct(t.value('recall'))} of the {pos}s.", bullet=True),
        Block(f"Of the videos it calls a {pos}, {fmt_pct(t.value('precision'))} really are.", bullet=True),
        Block(f"In all, it is right on {fmt_pct(t.value('accuracy'))} of videos.", bullet=True),
        *([Block(every)] if (every := words.every_row_sentence(r)) else []),
    ]


def _lead_insights(r: ClassifierResults) -> list[Block]:
    a = r.audit
    rule_acc = a.rule.test.value("accuracy")
    name = words.feature_name(a.strongest)
    if a.found:
        blocks = [
            Block(
                f"One number does almost all the work: {name}. A simple rule, \"{words.rule_text(r, digits=False)}\", "
                f"is right on {fmt_pct(rule_acc)} of the test videos. The model is right on {fmt_pct(a.champion_accuracy)}.",
                lead="A shortcut:",
            ),
        ]
    else:
        blocks = [
            Block(
                f"No one fact does the job alone. The best single rule, on {name}, is right on {fmt_pct(rule_acc)} of videos; "
                f"the model, which uses them all, on {fmt_pct(a.champion_accuracy)}.",
                lead="No shortcut:",
            ),
        ]
    without, text = a.without_strongest_group, a.text_only
    blocks += [
        Block(f"Without {_LEAD_GROUPS.get(a.strongest_group, a.strongest_group)}, the model is right on {fmt_pct(without.test.value('accuracy'))}.", bullet=True),
        Block(f"From the words alone, it is right on {fmt_pct(text.test.value('accuracy'))}.", bullet=True, optional=True),
    ]
    return blocks


def _lead_next(r: ClassifierResults) -> list[Block]:
    a = r.audit
    group = _LEAD_GROUPS.get(a.strongest_group, a.strongest_group)
    if a.found:
        return [
            Block(
                f"Before we use the model, check that {group} are known when a report comes in. A new video has few of them yet.",
                lead="Recommendation:",
            ),
            Block(f"Test it on new reports that moderators have checked by hand.", bullet=True),
            Block(
                "The score is so high because one fact gives the answer away in this data. It may not hold for new reports.",
                lead="Limitation:",
            ),
        ]
    return [
        Block("Try the model on part of the backlog, with moderators checking what it sorts.", lead="Recommendation:"),
        Block("Test it on new reports that moderators have checked by hand.", bullet=True),
        Block(f"It still misses {fmt_pct(1 - r.test.value('recall'))} of claims on the test videos.", lead="Limitation:"),
    ]


# --- technical ---------------------------------------------------------------


def _tech_overview(r: ClassifierResults) -> list[Block]:
    f, s = r.features, r.split
    groups = "; ".join(f"{g} ({fmt_int(f.group_sizes[g])})" for g in f.groups)
    names = ", ".join(c.name for c in r.candidates)
    return [
        Block(f"{f.target} = {f.positive_class}; {fmt_int(f.n_features)} features: {groups}. Ids never used; n-grams fit on training rows only."),
        Block(
            f"Split {fmt_int(s.n_train)} / {fmt_int(s.n_validation)} / {fmt_int(s.n_test)} (stratified, seed {r.settings['seed']}). "
            f"Candidates {names}, grid-searched by CV, refit on {r.refit_metric}; champion on validation: {r.champion}."
        ),
        *_related(r, "Hypothesis study:"),
    ]


def _tech_status(r: ClassifierResults) -> list[Block]:
    t = r.test
    blocks = _since_last(r)
    for metric, label in (("recall", "Recall"), ("precision", "Precision"), ("accuracy", "Accuracy"), ("roc_auc", "ROC AUC")):
        iv = t.interval(metric)
        blocks.append(Block(f"{value(iv)} (95% CI {interval(iv)}).", lead=f"{label}:", bullet=True, optional=metric == "roc_auc"))
    h = r.held_out_all_rows
    if h is not None:
        blocks.append(
            Block(
                f"on all {fmt_int(h.rows)} usable rows not used to fit or choose the model (the sample's test rows and every row "
                f"outside it), recall {fmt_pct(h.recall)}, precision {fmt_pct(h.precision)}, accuracy {fmt_pct(h.accuracy)}, "
                f"ROC AUC {fmt_rate(h.roc_auc)} (95% CI {fmt_rate(h.interval('roc_auc').low)}–{fmt_rate(h.interval('roc_auc').high)}).",
                lead="Every held-out row:",
                bullet=True,
            )
        )
    blocks.append(
        Block(
            "; ".join(f"{c.name} {r.refit_metric} {value(c.validation.interval(r.refit_metric))}" for c in r.candidates) + ".",
            lead="Validation:",
            optional=True,
        )
    )
    return blocks


def _tech_insights(r: ClassifierResults) -> list[Block]:
    a = r.audit
    lead = "Shortcut found:" if a.found else "No shortcut:"
    return [
        Block(
            f"{words.feature_name(a.strongest)} alone: ROC AUC {fmt_rate(words.strongest_auc(r))} vs champion {fmt_rate(a.champion_auc)}; "
            f"rule \"{words.rule_text(r)}\": accuracy {fmt_pct(a.rule.test.value('accuracy'))} vs {fmt_pct(a.champion_accuracy)} "
            f"(margin {fmt_rate(a.margin)}).",
            lead=lead,
        ),
        Block(f"accuracy {fmt_pct(a.without_strongest_group.test.value('accuracy'))}, ROC AUC {fmt_rate(a.without_strongest_group.test.value('roc_auc'))}.", lead=f"Model {a.without_strongest_group.name}:", bullet=True),
        Block(f"accuracy {fmt_pct(a.text_only.test.value('accuracy'))}, ROC AUC {fmt_rate(a.text_only.test.value('roc_auc'))}.", lead="Text only:", bullet=True, optional=True),
    ]


def _tech_next(r: ClassifierResults) -> list[Block]:
    checks = words.checks(r)
    return [Block(c, bullet=True, optional=i >= 2) for i, c in enumerate(checks)]


_LEADERSHIP = {"overview": _lead_overview, "status": _lead_status, "insights": _lead_insights, "next": _lead_next}
_TECHNICAL = {"overview": _tech_overview, "status": _tech_status, "insights": _tech_insights, "next": _tech_next}


def _figure(r: ClassifierResults, audience: str) -> SummaryFigure | None:
    """The confusion matrix, when it was drawn, with each cell in words."""
    info = next((x for x in r.figures if x.file == _FIGURE), None)
    if info is None:
        return None
    cm, pos, neg = r.test.confusion, r.features.positive_class, r.features.negative_class
    if audience == "technical":
        caption = f"Confusion matrix, {r.champion}, test set (n = {fmt_int(r.test.n)})"
        texts = (f"true negatives ({neg}).", f"false positives ({neg} called {pos}).", f"false negatives ({pos} called {neg}).", f"true positives ({pos}).")
    else:
        caption = f"How the model sorted {fmt_int(r.test.n)} test videos (rows: the truth; columns: the model's call)"
        texts = (f"{neg}s, rightly not flagged.", f"{neg}s, flagged by mistake.", f"{pos}s the model missed.", f"{pos}s the model found.")
    cells = tuple(
        Block(text, lead=f"{where} ({fmt_int(n)}):")
        for where, n, text in zip(("Top left", "Top right", "Bottom left", "Bottom right"), (cm.tn, cm.fp, cm.fn, cm.tp), texts)
    )
    return SummaryFigure(_FIGURE, info.alt, caption, cells)
