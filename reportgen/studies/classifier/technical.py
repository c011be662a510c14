"""The classifier study's technical report, written from the results as a format-neutral ``Document``.

Every number comes from ``ClassifierResults`` through ``reportgen.formatters``;
the shortcut finding's words come from ``words`` so that the summary says the
same.
"""

from __future__ import annotations

from reportgen.config import Config
from reportgen.core.document import BulletList, Document, Fact, Facts, FigureBlock, Paragraph, Section, Table
from reportgen.core.summary import sample_sentence
from reportgen.formatters import fmt_delta, fmt_int, fmt_num, fmt_pct, fmt_rate, fmt_value, plain_name
from reportgen.results import FigureInfo
from reportgen.stats.intervals import Interval
from reportgen.studies.classifier import words
from reportgen.studies.classifier.results import ClassifierResults, Scored

__all__ = ["technical_report"]

#: Metrics in table order, with their display names; rates as percentages, scores to three decimals.
METRICS = (("accuracy", "Accuracy"), ("precision", "Precision"), ("recall", "Recall"), ("f1", "F1"), ("roc_auc", "ROC AUC"), ("average_precision", "Average precision"))
_SCORES = {"roc_auc", "average_precision", "f1"}


def value(iv: Interval) -> str:
    """A metric as shown: rates as percentages, scores to three decimals."""
    return fmt_rate(iv.estimate) if iv.metric in _SCORES else fmt_pct(iv.estimate)


def interval(iv: Interval) -> str:
    """A metric's bootstrap 95 % interval as shown."""
    f = fmt_rate if iv.metric in _SCORES else fmt_pct
    return f"{f(iv.low)}–{f(iv.high)}"


def technical_report(r: ClassifierResults, config: Config, *, generated_at: str, versions: dict[str, str]) -> Document:
    """The technical report's content.

    Sections: glance, changes (after an earlier build), related (another study's
    answer, when in the same build), data, features, candidates, test,
    importance, shortcuts, reproducibility.
    """
    figures = {f.file: f for f in r.figures}
    sections = [
        _glance(r),
        *_changes(r),
        *_related(r),
        _data(r),
        _features(r),
        _candidates(r, figures),
        _test(r, figures),
        _importance(r, figures),
        _shortcuts(r, figures),
        _reproducibility(r, generated_at, versions),
    ]
    facts = (
        Fact("Data", r.data.source),
        Fact("Data date", r.data.modified),
        Fact("Generated", generated_at),
    )
    return Document(
        title=f"{config.report.project}: classifier technical report",
        subtitle="Claims vs opinions: the final model, chosen on validation, scored on test, with a shortcut audit",
        sections=tuple(sections),
        facts=facts,
    )


def _figure(figures: dict[str, FigureInfo], name: str) -> tuple[FigureBlock, ...]:
    """The figure's block, or nothing when it was not drawn."""
    return (FigureBlock(figures[name]),) if name in figures else ()


def _glance(r: ClassifierResults) -> Section:
    t = r.test
    items = tuple(
        Fact(label, value(t.interval(m)), f"95% CI {interval(t.interval(m))}")
        for m, label in METRICS
        if m in ("recall", "precision", "accuracy", "roc_auc")
    )
    return Section(
        "glance",
        "Results at a glance",
        (
            Paragraph(words.verdict(r), css="lead"),
            Facts(items, layout="glance"),
            Paragraph(words.shortcut_finding(r)),
        ),
    )


def _changes(r: ClassifierResults) -> tuple[Section, ...]:
    if r.previous is None:
        return ()
    p = r.previous
    rows = tuple((c.label, fmt_value(c.before, c.kind), fmt_value(c.after, c.kind), fmt_delta(c.delta, c.kind)) for c in p.changes)
    return (
        Section(
            "changes",
            "What changed since the last build",
            (
                Paragraph(f"The last build read {p.previous_source} (data date {p.previous_modified})."),
                Table("Headline figures then and now", ("Figure", "Before", "Now", "Change"), rows, numeric=(1, 2, 3)),
            ),
        ),
    )


def _related(r: ClassifierResults) -> tuple[Section, ...]:
    if not r.related:
        return ()
    items = tuple(f"{a.title}: {a.verdict}" for a in r.related)
    return (Section("related", "Answers of the other studies in this build", (BulletList(items),)),)


def _data(r: ClassifierResults) -> Section:
    d, s, f = r.data, r.split, r.features
    reasons = "; ".join(f"{k}: {fmt_int(v)}" for k, v in d.dropped_reasons.items()) or "none"
    counts = ", ".join(f"{k} {fmt_int(v)}" for k, v in d.target_counts.items())
    rows = (
        ("Train", fmt_int(s.n_train), fmt_pct(s.train_share), fmt_int(s.positive_train)),
        ("Validation", fmt_int(s.n_validation), fmt_pct(s.validation_share), fmt_int(s.positive_validation)),
        ("Test", fmt_int(s.n_test), fmt_pct(s.test_share), fmt_int(s.positive_test)),
    )
    return Section(
        "data",
        "Data and split",
        (
            Paragraph(
                f"{fmt_int(d.rows_used)} of {fmt_int(d.rows_read)} rows {'used' if d.sample is None else 'usable'} (dropped: {reasons}). "
                f"Target {plain_name(f.target)}, positive class {f.positive_class}: {counts}."
                + (f" {sample_sentence(d, words.covers(r)).capitalize()}" if d.sample else "")
            ),
            Table(
                f"Stratified split (seed {r.settings['seed']}): rows and {f.positive_class}s in each part",
                ("Part", "Rows", "Share", f"{f.positive_class.capitalize()}s"),
                rows,
                numeric=(1, 2, 3),
            ),
            Paragraph("The split is made first, from the labels and the seed only; every transform is then fitted on the training rows."),
        ),
    )


def _features(r: ClassifierResults) -> Section:
    f = r.features
    rows = tuple((g, fmt_int(f.group_sizes[g]), ", ".join(words.feature_name(n) for n in names)) for g, names in f.groups.items())
    kind = "TF-IDF weights" if f.text_features == "tfidf" else "counts"
    vocabulary = ", ".join(f'"{v}"' for v in f.vocabulary) or "none"
    return Section(
        "features",
        "Features",
        (
            Paragraph(
                f"{fmt_int(f.n_features)} features in {fmt_int(f.n_groups)} groups. Video ids and row numbers are never used. "
                f"The transcription gives its length in characters and the {kind} of the {fmt_int(f.n_vocabulary)} most frequent "
                f"{f.ngram_min}- to {f.ngram_max}-word n-grams of the training rows (asked for: {fmt_int(f.vocabulary_size)})."
            ),
            Table("Feature groups", ("Group", "Features", "Which"), rows, numeric=(1,)),
            Paragraph(f"N-grams learnt from the training rows only: {vocabulary}."),
        ),
    )


def _candidates(r: ClassifierResults, figures: dict[str, FigureInfo]) -> Section:
    search_rows = tuple(
        (
            c.name,
            c.estimator,
            "; ".join(f"{k}: {', '.join(str(v) for v in vs)}" for k, vs in c.grid.items()),
            fmt_int(c.n_candidates),
            "; ".join(f"{k} = {v}" for k, v in c.best_params.items()),
            f"{fmt_rate(c.cv_score)} ± {fmt_rate(c.cv_score_std)}",
        )
        for c in r.candidates
    )
    header = ("Metric", *(c.name for c in r.candidates))
    rows = tuple(
        (label, *(f"{value(c.validation.interval(m))} ({interval(c.validation.interval(m))})" for c in r.candidates))
        for m, label in METRICS
    )
    folds = r.settings["cv_folds"]
    return Section(
        "candidates",
        "Candidates, tuned on training rows and compared on validation",
        (
            Paragraph(
                f"Each candidate is tuned by a grid search with {folds}-fold stratified cross-validation on "
                f"{_search_rows(r)}, refitted on {r.refit_metric}; the chosen parameters are then fitted on all "
                f"{fmt_int(r.split.n_train)} training rows.{_sizes(r)} The champion is the better on "
                f"validation by {r.refit_metric} (ties: ROC AUC, then average precision): the {r.champion}."
            ),
            Table("Search", ("Candidate", "Estimator", "Grid", "Candidates", "Chosen", f"CV {r.refit_metric} (mean ± SD)"), search_rows, numeric=(3, 5)),
            Table(f"Validation metrics ({fmt_int(r.split.n_validation)} rows; bootstrap 95% intervals)", header, rows, numeric=tuple(range(1, len(header)))),
            *_figure(figures, "validation.png"),
        ),
    )


SIZE_WORDS = {"n_estimators": "trees", "max_iter": "boosting iterations"}


def _sizes(r: ClassifierResults) -> str:
    """A sentence on each candidate's size (trees, iterations), and where the search's models were smaller."""
    said = []
    for c in r.candidates:
        for key, fitted in c.size.items():
            searched = c.search_size.get(key, fitted)
            smaller = "" if searched == fitted else f" (the search ranked its grid with {fmt_int(searched)})"
            said.append(f"the {c.name} has {fmt_int(fitted)} {SIZE_WORDS.get(key, key)}{smaller}")
    return f" Sizes: {'; '.join(said)}." if said else ""


def _search_rows(r: ClassifierResults) -> str:
    """The rows the searches ran on: all training rows, or a stratified sample of them."""
    sizes = sorted({c.search_rows for c in r.candidates})
    if sizes == [r.split.n_train]:
        return f"the {fmt_int(r.split.n_train)} training rows"
    return f"a stratified sample of {' and '.join(fmt_int(n) for n in sizes)} of the {fmt_int(r.split.n_train)} training rows"


def _test(r: ClassifierResults, figures: dict[str, FigureInfo]) -> Section:
    t = r.test
    cm = t.confusion
    rows = tuple((label, value(t.interval(m)), interval(t.interval(m))) for m, label in METRICS)
    per_class = tuple((c.label, fmt_pct(c.precision), fmt_pct(c.recall), fmt_rate(c.f1), fmt_int(c.support)) for c in r.per_class)
    return Section(
        "test",
        "The champion on the test set",
        (
            Paragraph(
                f"The {r.champion} is scored once on {fmt_int(t.n)} test rows at threshold {fmt_num(t.threshold)}: "
                f"{fmt_int(cm.tp)} true positives, {fmt_int(cm.fp)} false positives, {fmt_int(cm.fn)} false negatives, "
                f"{fmt_int(cm.tn)} true negatives. Calling every video the majority class would be right on {fmt_pct(r.baseline_accuracy)}.",
                css="lead",
            ),
            Table(
                f"Test metrics, {r.features.positive_class} positive (stratified bootstrap, {fmt_int(t.intervals[0].resamples)} resamples)",
                ("Metric", "Value", "95% interval"),
                rows,
                numeric=(1, 2),
            ),
            *_zero_errors(r),
            *_every_row(r),
            Table("Per class (each class taken as positive)", ("Class", "Precision", "Recall", "F1", "Support"), per_class, numeric=(1, 2, 3, 4)),
            *_figure(figures, "confusion_matrix.png"),
        ),
    )


def _every_row(r: ClassifierResults) -> tuple[Paragraph | Table, ...]:
    """The sample's test metrics beside the same metrics over every usable row not used to fit or choose the model (a sample only)."""
    h, s, t = r.held_out_all_rows, r.split, r.test
    if h is None:
        return ()
    cm, pos, neg = h.confusion_matrix, r.features.positive_class, r.features.negative_class
    intro = (
        f"On every usable row not used to fit or choose the model: {fmt_int(h.rows)} rows, {fmt_int(h.positives)} of them {pos}s "
        f"(the sample's {fmt_int(s.n_test)} test rows and every usable row outside the sample; the sample's {fmt_int(s.n_train)} "
        f"training and {fmt_int(s.n_validation)} validation rows, {fmt_int(h.training_rows_excluded)} in all, left out). The "
        f"{h.engine} engine hands the rows over in chunks; each is encoded and scored by the same {r.champion} at the same threshold, "
        f"and only the counts are kept. {fmt_int(cm.tp)} of the {fmt_int(h.positives)} {pos} rows found, with {fmt_int(cm.fp)} "
        f"{neg} rows called {pos} and {fmt_int(cm.fn)} {pos} rows missed (exact counts). ROC AUC and average precision count the "
        f"scores over {fmt_int(h.bins)} equal bins, a tie within a bin counting half: {_binning_bound(h.roc_auc_error_bound)}. "
        "Intervals: multinomial bootstrap of each class's "
        f"bin counts, {fmt_int(h.intervals[0].resamples) if h.intervals else 0} resamples, seed {h.seed}. The figures, the "
        "importances and the shortcut audit use the sample's test set."
    )

    def ci(source: object, metric: str) -> str:
        iv = source.interval(metric)
        return interval(iv) if iv is not None else "–"

    rows = tuple((label, value(t.interval(m)), ci(t, m), value(h.interval(m)) if h.interval(m) else "–", ci(h, m)) for m, label in METRICS)
    table = Table(
        "The sample's test set beside every usable row not used to fit or choose the model (bootstrap 95% intervals)",
        ("Metric", f"Sample test set ({fmt_int(s.n_test)} rows)", "95% CI", f"Every held-out row ({fmt_int(h.rows)} rows)", "95% CI"),
        rows,
        numeric=(1, 2, 3, 4),
    )
    return (Paragraph(intro), table)


def _binning_bound(bound: float) -> str:
    """How far the binned ROC AUC can be from the exact scores' (``roc_auc_error_bound``), in the three decimals shown."""
    if fmt_rate(bound) == fmt_rate(0.0):  # below half the last digit shown: the AUC shown is the exact scores' AUC
        return "the ROC AUC is within half its last shown digit of its value on the exact scores"
    return f"the ROC AUC is within {fmt_rate(bound)} of its value on the exact scores"


def _zero_errors(r: ClassifierResults) -> tuple[Paragraph, ...]:
    """A rate without a single error on test has a bootstrap interval of no width: say what it does and does not show."""
    if not r.rule_of_three:
        return ()
    bounds = "; ".join(f"{m} at least {fmt_pct(b)} (n = {fmt_int(n)})" for m, (b, n) in r.rule_of_three.items())
    return (
        Paragraph(
            "No error of that kind on the test rows, so no resample has one and the bootstrap interval has no width; it does not "
            f"mean the rate is certainly perfect. The rule of three gives one-sided 95% lower bounds: {bounds}."
        ),
    )


def _importance(r: ClassifierResults, figures: dict[str, FigureInfo]) -> Section:
    perm = tuple((words.feature_name(i.feature), i.group, fmt_rate(i.mean), fmt_rate(i.std)) for i in r.permutation_importance[: r.top_shown])
    imp = tuple((words.feature_name(i.feature), i.group, fmt_rate(i.mean)) for i in r.impurity_importance[: r.top_shown])
    return Section(
        "importance",
        "Feature importance",
        (
            Paragraph(
                f"Permutation importance: the drop in test {r.permutation_scoring} when one feature's test values are shuffled "
                f"({r.permutation_repeats} shuffles). Features that carry the same signal share it, so a small drop can hide a useful feature."
            ),
            Table(f"Permutation importance of the {r.champion}, test rows ({r.top_shown} largest)", ("Feature", "Group", "Mean drop", "SD"), perm, numeric=(2, 3)),
            *_figure(figures, "importance.png"),
            Paragraph("Impurity importance (mean decrease in impurity) of the random forest candidate, from its training rows; it favours features with many values."),
            Table(f"Impurity importance, random forest ({r.top_shown} largest)", ("Feature", "Group", "Importance"), imp, numeric=(2,)),
            *_figure(figures, "impurity.png"),
        ),
    )


def _scored_row(name: str, s: Scored) -> tuple[str, ...]:
    return (name, *(value(s.interval(m)) for m in ("accuracy", "precision", "recall", "roc_auc")))


def _shortcuts(r: ClassifierResults, figures: dict[str, FigureInfo]) -> Section:
    a = r.audit
    auc_rows = tuple(
        (words.feature_name(f.feature), f.group, "higher" if f.higher_means_positive else "lower", fmt_rate(f.auc_train), fmt_rate(f.auc_test))
        for f in a.feature_aucs[: r.top_shown]
    )
    rule = a.rule
    rule_rows = tuple((label, value(rule.test.interval(m)), interval(rule.test.interval(m))) for m, label in METRICS)
    compared = (
        _scored_row(f"champion ({r.champion})", r.test),
        _scored_row(f'rule "{words.rule_text(r)}"', rule.test),
        _scored_row(f"model {a.without_strongest_group.name} ({fmt_int(a.without_strongest_group.n_features)} features)", a.without_strongest_group.test),
        _scored_row(f"model {a.text_only.name} ({fmt_int(a.text_only.n_features)} features)", a.text_only.test),
    )
    return Section(
        "shortcuts",
        "Shortcut audit",
        (
            Paragraph(words.shortcut_finding(r), css="lead"),
            *_audit_rows(r),
            Paragraph(words.meaning(r)),
            Paragraph("Before the model is used on real reports, check:"),
            BulletList(words.checks(r)),
            Table(
                f"Each feature alone: ROC AUC, direction set on the training rows ({r.top_shown} strongest by training AUC)",
                ("Feature", "Group", f"{r.features.positive_class} when", "ROC AUC train", "ROC AUC test"),
                auc_rows,
                numeric=(3, 4),
            ),
            Table(
                f'The best one-threshold rule on the strongest feature: "{words.rule_text(r)}" (threshold from the training rows, '
                f"training accuracy {fmt_pct(rule.train_accuracy)}), on the test rows",
                ("Metric", "Value", "95% interval"),
                rule_rows,
                numeric=(1, 2),
            ),
            Table(
                "The champion beside the shortcut and the reduced models (test rows; the reduced models reuse the champion's family and parameters)",
                ("Model", "Accuracy", "Precision", "Recall", "ROC AUC"),
                compared,
                numeric=(1, 2, 3, 4),
            ),
            *_figure(figures, "shortcuts.png"),
        ),
    )


def _audit_rows(r: ClassifierResults) -> tuple[Paragraph, ...]:
    """Under a sample: the audit compares on the sample's test rows, and the champion's every-row figures are beside it."""
    h = r.held_out_all_rows
    if h is None:
        return ()
    return (
        Paragraph(
            f"The audit compares on the sample's {fmt_int(r.split.n_test)} test rows (rule and reduced models fitted on its training "
            f"rows). Over all {fmt_int(h.rows)} usable rows not used to fit or choose it, the champion's accuracy is "
            f"{fmt_pct(h.accuracy)} and its ROC AUC {fmt_rate(h.roc_auc)} (see the test section)."
        ),
    )


def _reproducibility(r: ClassifierResults, generated_at: str, versions: dict[str, str]) -> Section:
    settings = tuple((k, str(v)) for k, v in r.settings.items())
    packages = tuple((k, v) for k, v in versions.items())
    return Section(
        "reproducibility",
        "Reproducibility",
        (
            Paragraph(
                f"Input digest {r.data.sha256}. Generated {generated_at}. The same data, settings and seed give the same numbers."
            ),
            Table("Settings ([studies.classifier])", ("Setting", "Value"), settings),
            Table("Packages", ("Package", "Version"), packages),
        ),
    )
