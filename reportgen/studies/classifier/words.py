"""Words both documents of the classifier study share: feature names, the rule, the shortcut finding, the verdict.

Chosen from the numbers in the results, so the technical report, the summary
(both tones), the index page and the e-mail never disagree about whether the
task is nearly solved by a shortcut.
"""

from __future__ import annotations

from reportgen.formatters import fmt_int, fmt_num, fmt_pct, fmt_rate, plain_name
from reportgen.narrative.wording import capital
from reportgen.studies.classifier.results import Ablation, ClassifierResults

#: How a feature group reads in plain words.
GROUP_WORDS = {
    "engagement counts": "views, likes, shares, downloads and comments",
    "video length": "video length",
    "account": "verified and ban status",
    "text": "the words of the transcription",
}


def feature_name(name: str) -> str:
    """A model feature as a reader says it: video_view_count -> views; text: my -> the words "my"."""
    if name.startswith("text: "):
        return f'the words "{name[6:]}"'
    if ": " in name:
        column, level = name.split(": ", 1)
        return f"{plain_name(column)}: {level}"
    return plain_name(name)


def rule_text(r: ClassifierResults, digits: bool = True) -> str:
    """The one-threshold rule: 'views at least 10,031.50 → claim' (whole numbers with ``digits=False``)."""
    rule = r.audit.rule
    value = fmt_num(rule.threshold) if digits else fmt_int(rule.threshold)
    side = "at least" if rule.higher_means_positive else "at most"
    return f"{feature_name(rule.feature)} {side} {value} → {r.features.positive_class}"


def shortcut_found(r: ClassifierResults) -> bool:
    """Whether one feature or one rule comes within the margin of the champion."""
    return r.audit.found


def strongest_auc(r: ClassifierResults) -> float:
    """The strongest single feature's ROC AUC on the test rows."""
    return r.audit.feature_aucs[0].auc_test


def shortcut_finding(r: ClassifierResults) -> str:
    """The audit's answer in one technical paragraph, every number from the results."""
    a = r.audit
    rule_acc = a.rule.test.value("accuracy")
    measured = (
        f"{feature_name(a.strongest)} alone has ROC AUC {fmt_rate(strongest_auc(r))} on the test rows against the champion's "
        f"{fmt_rate(a.champion_auc)} (gap {fmt_rate(a.feature_gap)}); the rule \"{rule_text(r)}\" is right on {fmt_pct(rule_acc)} "
        f"of test videos against {fmt_pct(a.champion_accuracy)} (gap {fmt_pct(a.rule_gap)}). The margin is {fmt_rate(a.margin)}."
    )
    close = [ab for ab in (a.without_strongest_group, a.text_only) if a.champion_auc - ab.test.value("roc_auc") <= a.margin]
    also = (
        " " + capital(" and ".join(f"the model {ab.name} (ROC AUC {fmt_rate(ab.test.value('roc_auc'))})" for ab in close))
        + (" also comes" if len(close) == 1 else " also come") + " within the margin: more than one part of the data gives the label away."
        if close
        else ""
    )
    if a.found:
        which = " and ".join(w for w, hit in (("one feature", a.feature_is_shortcut), ("one rule", a.rule_is_shortcut)) if hit)
        verb = "come" if a.feature_is_shortcut and a.rule_is_shortcut else "comes"
        return f"The task is nearly solved by a shortcut: {which} {verb} within the margin of the champion. " + measured + also
    return "No shortcut: no single feature or one-threshold rule comes within the margin of the champion. " + measured + also


def meaning(r: ClassifierResults) -> str:
    """What the finding means for using the model on new data."""
    a = r.audit
    group = GROUP_WORDS.get(a.strongest_group, a.strongest_group)
    if not a.found:
        return (
            f"The champion combines several signals; its test scores are a fair guide to new data drawn the same way. "
            f"The strongest group ({group}) still matters: without it accuracy is {fmt_pct(a.without_strongest_group.test.value('accuracy'))}."
        )
    return (
        f"The near-perfect test score says more about how these data were gathered than about the model: "
        f"{group} carry the label almost on their own. On new data the model is as good as that pattern: "
        f"if {group} are missing, different or not yet known when a report is filed, the score above does not apply."
    )


def checks(r: ClassifierResults) -> tuple[str, ...]:
    """What to check before the model is used on real reports (the list both documents give)."""
    a = r.audit
    group = GROUP_WORDS.get(a.strongest_group, a.strongest_group)
    out = [
        f"Whether {group} are known at the time a report is filed: a video reported early has few of them yet.",
        f"Whether claims and opinions were sampled the same way: {ablation_line(a.without_strongest_group)}.",
        f"Whether the text alone would do: {ablation_line(a.text_only)}.",
        "Score the model on a fresh sample of reports labelled by moderators after it was trained.",
    ]
    return tuple(out) if a.found else tuple(out[2:])


def ablation_line(ab: Ablation) -> str:
    """'the model without engagement counts finds 98.3% of claims, accuracy 98.2%, ROC AUC 0.999'."""
    t = ab.test
    return (
        f"the model {ab.name} has recall {fmt_pct(t.value('recall'))}, precision {fmt_pct(t.value('precision'))}, "
        f"accuracy {fmt_pct(t.value('accuracy'))} and ROC AUC {fmt_rate(t.value('roc_auc'))}"
    )


def verdict(r: ClassifierResults) -> str:
    """The study's answer in one plain sentence."""
    t, a = r.test, r.audit
    head = (
        f"The {r.champion} finds {fmt_pct(t.value('recall'))} of {r.features.positive_class}s on the test set, "
        f"and {fmt_pct(t.value('precision'))} of its flags are right"
    )
    if a.found:
        return head + f"; but {feature_name(a.strongest)} alone nearly does as well (one rule: {fmt_pct(a.rule.test.value('accuracy'))} right), a shortcut to check before use."
    return head + "; no single feature comes close."


# --- what covers every usable row, when the study analysed a sample -----------------------------------------------


def covers(r: ClassifierResults) -> str | None:
    """The technical clause for ``sample_sentence``: what comes from the sample and what covers every usable row."""
    if r.data.sample is None:
        return None
    base = "the counts of rows, gaps, repeats and labels cover every row"
    if r.held_out_all_rows is None:
        return base + "."
    return (
        f"{base}; the split, the search, the choice of the champion, its test metrics, the importances and the shortcut audit "
        f"come from the sample, and the champion is also scored on all {fmt_int(r.held_out_all_rows.rows)} usable rows not "
        "used to fit or choose it (the sample's test rows and every row outside the sample)."
    )


def covers_plain(r: ClassifierResults) -> str | None:
    """The leadership wording of ``covers``: no statistics' names, no seed."""
    if r.data.sample is None or r.held_out_all_rows is None:
        return None
    return (
        "The model was built and chosen on the sample; it was then also checked on every usable video it had not "
        "learnt from, the sample's and all the others."
    )


def every_row_sentence(r: ClassifierResults) -> str | None:
    """The champion over every held-out row in one plain sentence for leadership (None without a sample's block)."""
    h = r.held_out_all_rows
    if h is None:
        return None
    pos = r.features.positive_class
    return (
        f"On all {fmt_int(h.rows)} videos it had not learnt from, in the sample or outside it, it finds "
        f"{fmt_pct(h.recall)} of the {pos}s, and {fmt_pct(h.precision)} of the videos it calls a {pos} really are."
    )
