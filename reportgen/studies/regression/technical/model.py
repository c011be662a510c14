"""The assumption checks, the model and its evaluation on the test set."""

from __future__ import annotations

import math

from reportgen.core.document import Block, BulletList, Fact, Facts, FigureBlock, Group, Paragraph, Section, Table
from reportgen.formatters import fmt_ci, fmt_int, fmt_num, fmt_or, fmt_p, fmt_pct, fmt_rate, plain_name, term_label
from reportgen.narrative.wording import STATUS_LABELS, discrimination_word
from reportgen.results import AnalysisResults, FigureInfo, FitRows
from reportgen.studies.regression.technical._common import check_value, labels


def assumptions(r: AnalysisResults) -> Section:
    """The checks with symbol-and-word status, and the per-predictor screening numbers."""
    checks = r.assumptions.checks
    counts = {s: sum(c.status == s for c in checks) for s in STATUS_LABELS}
    intro = f"{len(checks)} checks: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail."
    col, bt = r.assumptions.collinearity, r.assumptions.box_tidwell_p
    every_row = col.gvif_all_rows or {}  # set when the study analysed a sample: the same GVIF over every usable row
    rows = tuple(
        (
            plain_name(name),
            check_value(v),
            check_value(col.vif_after[name]) if name in col.vif_after else "left out",
            f"{check_value(col.gvif[name])} ({col.gvif_df.get(name, 1)})" if name in col.gvif else "–",
            check_value(col.gvif_adjusted[name]) if name in col.gvif_adjusted else "–",
            *((check_value(every_row[name]) if name in every_row else "–",) if every_row else ()),
            fmt_p(bt[name]) if name in bt and not math.isnan(bt[name]) else "–",
        )
        for name, v in col.vif.items()
    )
    every_row_header = (f"GVIF, all {fmt_int(r.exploration.rows or 0)} usable rows",) if every_row else ()
    note = (
        f"Left out by the VIF rule: {', '.join(plain_name(c) for c in col.dropped)}. "
        if col.dropped
        else "No predictor was left out by the VIF rule. "
    ) + (
        "VIF of a design column: 1/(1 − R²) from regressing that column (a standardised count or a 0/1 dummy) on all the "
        "other candidate columns with an intercept; a category's VIF is its largest over its dummy columns. GVIF (generalised "
        "VIF, Fox & Monette 1992; df = its design columns): det(R₁₁)·det(R₂₂)/det(R) over the correlation matrix of the design "
        "columns; it equals the VIF for one column, and GVIF^(1/(2·df)) compares predictors with different df (compare it with "
        "the square root of the VIF limit). On a tie the rule leaves out an extra candidate before a configured predictor. "
        "Box-Tidwell p-values test each continuous predictor's x·ln(x) term; categories have none."
    )
    return Section(
        "assumptions",
        "Assumption checks",
        (
            Paragraph(intro, css="lead"),
            Table(
                "Assumption checks: status as a symbol and a word",
                ("Check", "Status", "Value", "Detail"),
                tuple((c.name, STATUS_LABELS[c.status], check_value(c.value), c.detail) for c in checks),
                numeric=(2,),
                css="checks",
                status=tuple(c.status for c in checks),
                status_column=1,
                tight=True,
            ),
            Table(
                "Collinearity and linearity by candidate predictor",
                ("Predictor", "VIF (all candidates)", "VIF (model)", "GVIF (df)", "GVIF^(1/(2·df))", *every_row_header, "Box-Tidwell p"),
                rows,
                tuple(range(1, 6 + len(every_row_header))),
            ),
            Paragraph(note),
            *_influence_blocks(r),
        ),
    )


def _influence_blocks(r: AnalysisResults) -> tuple[Block, ...]:
    """Cook's distance and every term before and after the refit without the most influential rows."""
    inf = r.influence
    if inf is None:
        return (Paragraph("Influence diagnostics were not computed: the inference fit or its refit did not converge."),)
    m = r.model
    rows = tuple(
        (
            term_label(t.term, m.reference_levels) + (" per SD" if t.per_sd else ""),
            fmt_or(t.or_before),
            fmt_p(t.p_before),
            fmt_or(t.or_after),
            fmt_p(t.p_after),
            "reverses" if t.direction_changes else "changes" if t.significance_changes else "holds",
        )
        for t in inf.terms
    )
    flagged = inf.flagged()
    verdict = (
        "; ".join(
            f"{term_label(t.term, m.reference_levels)}: "
            + ("its direction reverses" if t.direction_changes else "its significance at α = " + fmt_num(inf.alpha, 2) + " changes")
            + f" (p {fmt_p(t.p_before)} → {fmt_p(t.p_after)})"
            for t in flagged
        )
        + (". Such an effect depends on a few rows and is not read as a finding." if flagged else "")
        if flagged
        else f"no term changes significance at α = {fmt_num(inf.alpha, 2)} or direction without these rows."
    )
    text = (
        f"Influence: Cook's distance of the unweighted inference fit (Pearson residual² · leverage / (p · (1 − leverage)²), "
        f"p = {inf.parameters} parameters). {fmt_int(inf.above_cutoff)} of {fmt_int(inf.n)} training rows lie above 4/n = "
        f"{fmt_num(inf.cutoff, 6)}, the largest distance is {fmt_num(inf.max_cooks, 4)}. The same fit without the "
        f"{fmt_int(inf.dropped_rows)} most influential rows ({fmt_int(inf.dropped_positives)} of them {labels(r)[1]}): {verdict}"
    )
    table = Table(
        f"Each slope with all training rows and without the {inf.dropped_rows} most influential (odds ratios per SD for counts)",
        ("Term", "OR (all rows)", "p (all rows)", f"OR (without {inf.dropped_rows})", f"p (without {inf.dropped_rows})", "Significance"),
        rows,
        (1, 2, 3, 4),
        tight=True,
    )
    return (Paragraph(text), table)


def model(r: AnalysisResults, figures: dict[str, FigureInfo]) -> Section:
    """The term table, reference levels, fit statistics and the forest plot."""
    m = r.model
    neg, pos = labels(r)
    balancing = {
        "class_weight": "the prediction pipeline weights the classes to balance them (training rows only)",
        "upsample": "the prediction pipeline upsamples the minority class (training rows only)",
        "none": "no balancing is applied",
    }.get(m.balancing, m.balancing)
    intro = (
        f"Logistic regression of {plain_name(m.target)} = {pos} on {len(m.features)} predictors, fitted by maximum likelihood "
        + (_fitted_on(m.fitted_on) if m.fitted_on else f"on {fmt_int(m.n_train)} training rows")
        + f" without weights, so standard errors and p-values are valid; {balancing}. "
        + (
            f"Counts entered as log(1 + count) ([model] log1p_counts = true): {', '.join(plain_name(c) for c in m.log1p_columns)}; "
            "their odds ratios are per unit and per SD of log(1 + count)."
            if m.log1p_columns
            else "Counts entered untransformed ([model] log1p_counts = false): odds ratios are per view, share, ... and per SD of the raw count."
        )
    )
    references = "; ".join(f"{plain_name(c)}: {lvl}" for c, lvl in m.reference_levels.items())
    rows = []
    for t in m.terms:
        per_sd = t.kind == "continuous" and t.or_per_sd is not None
        rows.append(
            (
                "Intercept (baseline odds)" if t.kind == "intercept" else term_label(t.term, m.reference_levels),
                fmt_or(t.odds_ratio),
                fmt_ci(t.or_ci_low, t.or_ci_high),
                fmt_p(t.p_value),
                fmt_p(t.p_holm) if t.p_holm is not None else "–",
                fmt_num(t.sd, 1) if per_sd and t.sd is not None else "–",
                fmt_or(t.or_per_sd) if per_sd else "–",
                fmt_ci(t.or_per_sd_ci_low, t.or_per_sd_ci_high) if per_sd else "–",
            )
        )
    near_one = [t for t in m.terms if t.kind == "continuous" and fmt_or(t.odds_ratio) == fmt_or(1.0)]
    terms_note = (
        f"Per-unit odds ratios of {', '.join(plain_name(t.term) for t in near_one)} round to {fmt_or(1.0)} because one unit "
        "(one view, one share) is a tiny change; the per-SD columns put every continuous predictor on a comparable scale."
        if near_one
        else "The per-SD columns put every continuous predictor on a comparable scale."
    )
    fit = (
        Fact("Training rows", fmt_int(m.n_train)),
        Fact("Test rows", fmt_int(m.n_test)),
        Fact("Converged", "yes" if m.converged else "no"),
        Fact("McFadden pseudo R²", fmt_num(m.pseudo_r2, 3)),
        Fact("Likelihood-ratio test p", fmt_p(m.llr_p_value)),
    )
    blocks: list[Block] = [
        Paragraph(intro),
        Paragraph(f"Reference levels: {references}." if references else "The model has no categorical predictor."),
        Facts(fit, css="facts inline"),
        Table(
            "Model terms: odds ratios per unit, 95% confidence intervals, p-values (raw and Holm-adjusted over the slopes) and odds ratios per standard deviation",
            ("Term", "Odds ratio", "95% CI", "p-value", "Holm p", "SD", "OR per SD", "95% CI per SD"),
            tuple(rows),
            (1, 2, 3, 4, 5, 6, 7),
            css="compact terms",
        ),
        Paragraph(terms_note),
        Paragraph(
            "Each odds ratio holds the other predictors fixed. Holm-adjusted p-values control the chance of any false "
            "finding over all the slopes; read an effect as a finding only when its Holm p is below 0.05."
        ),
    ]
    if m.warnings:
        blocks.append(BulletList(m.warnings, css="warnings"))
    if "odds_ratios.png" in figures:
        blocks.append(FigureBlock(figures["odds_ratios.png"]))
    return Section("model", "The model", tuple(blocks))


def evaluation(r: AnalysisResults, figures: dict[str, FigureInfo]) -> Section:
    """Confusion counts, metrics beside the majority-class baseline, the curves."""
    e, m = r.evaluation, r.model
    cm = e.confusion_matrix
    neg, pos = labels(r)
    positives, negatives = cm.tp + cm.fn, cm.tn + cm.fp
    n = positives + negatives
    intro = (
        f"On the {fmt_int(n)} held-out test videos ({fmt_pct(m.test_positive_share)} {pos}, the real class mix), "
        f"a video is called {pos} when its predicted probability is at least {fmt_num(e.threshold, 2)}"
        + (
            f" ({fmt_num(e.threshold, 4)}, chosen on the training rows by {r.model_value.cv_folds}-fold cross-validation as the "
            f"cut-off that maximises out-of-fold F1, {fmt_pct(r.model_value.cv_threshold_f1)}; the test rows played no part)."
            if r.model_value is not None and r.model_value.threshold_source == "cv" and r.model_value.cv_threshold_f1 is not None
            else " (the configured threshold)."
        )
    )
    confusion = Table(
        "Confusion matrix on the test set (rows: actual class; columns: predicted class)",
        ("Actual \\ predicted", neg, pos, "Total"),
        (
            (neg, fmt_int(cm.tn), fmt_int(cm.fp), fmt_int(negatives)),
            (pos, fmt_int(cm.fn), fmt_int(cm.tp), fmt_int(positives)),
        ),
        (1, 2, 3),
    )
    says_negative = positives < negatives
    majority = neg if says_negative else pos
    baseline = {
        "precision": "– (never predicts " + pos + ")" if says_negative else fmt_pct(positives / n),
        "recall": f"0 of {fmt_int(positives)}" if says_negative else f"all {fmt_int(positives)}",
        "specificity": f"all {fmt_int(negatives)}" if says_negative else f"0 of {fmt_int(negatives)}",
    }
    v = r.model_value

    def ci(metric: str, shown=fmt_pct) -> str:
        i = v.interval(metric) if v else None
        return f"{shown(i.low)}–{shown(i.high)}" if i else "–"

    metrics = Table(
        f"Test-set metrics with bootstrap 95% intervals, beside the majority-class baseline (always '{majority}')",
        ("Metric", "Model", "95% CI", "Baseline", "What it measures"),
        (
            ("Accuracy", fmt_pct(e.accuracy), ci("accuracy"), fmt_pct(e.baseline_accuracy), "share of all videos classified correctly"),
            ("Precision", fmt_pct(e.precision), ci("precision"), baseline["precision"], f"share of '{pos}' calls that are right"),
            ("Recall", fmt_pct(e.recall), ci("recall"), baseline["recall"], f"share of {pos} videos found"),
            ("Specificity", fmt_pct(e.specificity), "–", baseline["specificity"], f"share of {neg} videos recognised"),
            ("F1", fmt_pct(e.f1), ci("f1"), "–", "harmonic mean of precision and recall"),
            ("ROC AUC", fmt_rate(e.roc_auc), ci("roc_auc", fmt_rate), "chance level", "ranking quality over all thresholds"),
            ("Average precision", fmt_rate(e.average_precision), ci("average_precision", fmt_rate), fmt_rate(m.test_positive_share), "area under the precision-recall curve; chance = prevalence"),
        ),
        (1, 2, 3),
    )
    if e.accuracy < e.baseline_accuracy:
        metrics_text = (
            f"Accuracy ({fmt_pct(e.accuracy)}) is below the baseline ({fmt_pct(e.baseline_accuracy)}): the balanced model trades "
            f"{fmt_int(cm.fp)} false '{pos}' calls for finding {fmt_int(cm.tp)} of the {fmt_int(positives)} {pos} videos, "
            "which the baseline never finds. Judge it by recall, precision and ROC AUC, not accuracy."
        )
    else:
        metrics_text = (
            f"Accuracy ({fmt_pct(e.accuracy)}) is at or above the baseline ({fmt_pct(e.baseline_accuracy)}); "
            f"the model finds {fmt_int(cm.tp)} of the {fmt_int(positives)} {pos} videos with {fmt_int(cm.fp)} false '{pos}' calls."
        )
    matrix = tuple(FigureBlock(figures[f], "small") for f in ("confusion_matrix.png",) if f in figures)
    curves = tuple(FigureBlock(figures[f], "half") for f in ("roc_curve.png", "precision_recall.png") if f in figures)
    blocks: list[Block] = [
        Paragraph(intro, css="lead"),
        Group((confusion, *matrix), css="pair"),
        metrics,
        Paragraph(metrics_text),
    ]
    if r.held_out_all_rows is not None:
        blocks += _all_rows_blocks(r)
    if v is not None:
        blocks += _value_blocks(r)
    if curves:
        blocks.append(Group(curves, css="pair figures"))
    return Section("evaluation", "Evaluation", tuple(blocks))


def _all_rows_blocks(r: AnalysisResults) -> list[Block]:
    """The sample's test-set metrics beside the same metrics over every usable row not used for training (a sample only)."""
    e, h, v, m = r.evaluation, r.held_out_all_rows, r.model_value, r.model
    neg, pos = labels(r)
    cm = h.confusion_matrix
    outside = h.rows - m.n_test

    def ci(source, metric: str, shown=fmt_pct) -> str:
        i = source.interval(metric) if source is not None else None
        return f"{shown(i.low)}–{shown(i.high)}" if i else "–"

    rows = tuple(
        (name, shown(getattr(e, metric)), ci(v, metric, shown), shown(getattr(h, metric)), ci(h, metric, shown))
        for name, metric, shown in (
            ("Accuracy", "accuracy", fmt_pct),
            ("Precision", "precision", fmt_pct),
            ("Recall", "recall", fmt_pct),
            ("F1", "f1", fmt_pct),
            ("ROC AUC", "roc_auc", fmt_rate),
            ("Average precision", "average_precision", fmt_rate),
        )
    )
    intro = (
        f"On every usable row not used for training: {fmt_int(h.rows)} rows (the sample's {fmt_int(m.n_test)} test rows and "
        f"{fmt_int(outside)} usable rows outside the sample, {fmt_pct(h.positives / h.rows)} {pos}; the sample's "
        f"{fmt_int(h.training_rows_excluded)} training rows left out), scored by the same model in the {h.engine} engine at the "
        f"same threshold. {fmt_int(cm.tp)} of the {fmt_int(cm.tp + cm.fn)} {pos} rows found, with {fmt_int(cm.fp)} false '{pos}' "
        f"calls among the {fmt_int(cm.tn + cm.fp)} {neg} rows (exact counts). ROC AUC and average precision count the scores "
        f"over {fmt_int(h.bins)} equal bins, a tie within a bin counting half: the ROC AUC is within "
        f"{fmt_num(h.roc_auc_error_bound, 6)} of its value on the exact scores. Intervals: multinomial bootstrap of each "
        f"class's bin counts, {fmt_int(h.intervals[0].resamples) if h.intervals else 0} resamples, seed {h.seed}. "
        "The figures show the sample's test set."
    )
    table = Table(
        "The sample's test set beside every usable row not used for training (bootstrap 95% intervals)",
        ("Metric", f"Sample test set ({fmt_int(m.n_test)} rows)", "95% CI", f"Every held-out row ({fmt_int(h.rows)} rows)",
         "95% CI"),
        rows,
        (1, 2, 3, 4),
    )
    return [Paragraph(intro), table]


def _value_blocks(r: AnalysisResults) -> list[Block]:
    """Intervals' method, cross-validation, the claim-status-only baseline, the LR test, scores and the threshold table."""
    e, v, m = r.evaluation, r.model_value, r.model
    neg, pos = labels(r)
    iv = v.intervals[0] if v.intervals else None
    method = (
        f"Intervals: stratified percentile bootstrap of the test rows, {fmt_int(iv.resamples)} resamples, seed {v.seed}."
        if iv
        else ""
    )
    cv = (
        f" On the training rows{_sampled(v.cv_rows, r.model.n_train)}, {v.cv_folds}-fold stratified cross-validation of the same pipeline gives ROC AUC "
        f"{fmt_rate(v.cv_roc_auc_mean)}" + (f" ± {fmt_rate(v.cv_roc_auc_sd)} (SD over folds)" if v.cv_roc_auc_sd is not None else "")
        + f" against {fmt_rate(e.roc_auc)} on the test set."
        if v.cv_roc_auc_mean is not None
        else ""
    )
    blocks: list[Block] = [Paragraph(f"{discrimination_word(e.roc_auc).capitalize()} discrimination. {method}{cv}")]
    if v.baseline_roc_auc is not None and v.lr_p_value is not None:
        added = ", ".join(plain_name(x) for x in v.added_features)
        blocks.append(
            Table(
                "What the other predictors add over claim status alone",
                ("Model", "Test ROC AUC", "95% CI"),
                (
                    ("All predictors", fmt_rate(e.roc_auc), f"{fmt_rate(_iv(v, 'roc_auc').low)}–{fmt_rate(_iv(v, 'roc_auc').high)}" if _iv(v, "roc_auc") else "–"),
                    ("Claim status alone", fmt_rate(v.baseline_roc_auc), f"{fmt_rate(v.baseline_roc_auc_low)}–{fmt_rate(v.baseline_roc_auc_high)}"),
                ),
                (1, 2),
                tight=True,
            )
        )
        verdict = (
            "jointly they add nothing distinguishable from chance"
            if v.lr_p_value >= 0.05
            else "jointly they add to claim status"
        )
        blocks.append(
            Paragraph(
                f"Likelihood-ratio test of {added} beside claim status (unweighted fits on the training rows): χ² "
                f"{fmt_num(v.lr_statistic)} on {v.lr_df} df, p {fmt_p(v.lr_p_value)}; {verdict}. The same classifier "
                f"with claim status alone reaches ROC AUC {fmt_rate(v.baseline_roc_auc)} against {fmt_rate(e.roc_auc)}."
            )
        )
    if m.balancing != "none":
        blocks.append(
            Paragraph(
                f"The classifier's outputs are class-weighted scores, not probabilities: on the test set they average "
                f"{fmt_pct(v.mean_score)} where {fmt_pct(v.train_positive_share)} of training videos are {pos}."
                + (
                    f" With balanced weights, the threshold {fmt_num(e.threshold, 2)} corresponds roughly to a probability of at "
                    f"least the base rate ({fmt_pct(v.train_positive_share)})."
                    if e.threshold == 0.5 and m.balancing == "class_weight"
                    else ""
                )
            )
        )
    blocks.append(
        Table(
            "Other cut-offs on the score, test set (read only: an operating point is chosen on training rows, never here)",
            ("Threshold", "Share flagged", "Precision", "Recall"),
            tuple((fmt_num(t.threshold, 2), fmt_pct(t.share_flagged), fmt_pct(t.precision), fmt_pct(t.recall)) for t in v.thresholds),
            (1, 2, 3),
            tight=True,
        )
    )
    return blocks


def _iv(v, metric: str):
    """The interval of ``metric`` or None."""
    return v.interval(metric)


def _fitted_on(rows: FitRows) -> str:
    """Which rows an engine's fit over every usable training row used (the Spark engine), in words."""
    outside = rows.rows - rows.sampled
    detail = (
        f"the {fmt_int(rows.sampled)} training rows of the analysed rows and {fmt_int(outside)} usable rows outside them, "
        f"each assigned to training with probability {fmt_num(1 - rows.test_size, 2)} by a hash of its row number "
        f"(seed {rows.seed}); the analysed test rows are never fitted, the scaling and reference levels are those of the "
        "analysed training rows, and the influence check and the rest of this report use the analysed rows"
        if outside
        else "here every usable row was analysed, so these are the split's training rows"
    )
    return f"by Spark's binomial GLM on {fmt_int(rows.rows)} training rows (every usable row the split calls training: {detail})"


def _sampled(used: int, total: int) -> str:
    """' (a stratified sample of N of them)' when a refit used a bounded sample of the rows, else ''."""
    return f" (a stratified sample of {fmt_int(used)} of them)" if 0 < used < total else ""
