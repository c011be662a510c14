"""What the effects mean and where that stops, why the test set is not balanced, and how to get the numbers again."""

from __future__ import annotations

import math

from reportgen.config import Config
from reportgen.core.document import BulletList, Heading, Paragraph, Section, Table, build_record
from reportgen.core.summary import of_sample
from reportgen.formatters import fmt_ci, fmt_int, fmt_num, fmt_or, fmt_p, fmt_pct, fmt_rate, plain_name, term_label
from reportgen.narrative.wording import STATUS_LABELS, capital, discrimination_word, effect_direction, in_words, share
from reportgen.results import AnalysisResults, ScenarioMetrics, SeedRepeats, Term
from reportgen.studies.regression.coverage import covers
from reportgen.studies.regression.reliability import few_rows_effects, fragile_effects, model_problems
from reportgen.studies.regression.technical._common import labels


def interpretation(r: AnalysisResults) -> Section:
    """Effects ranked on comparable scales, then the limits of what they say."""
    e, m = r.evaluation, r.model
    neg, pos = labels(r)
    ranked = m.ranked_effects()
    clear = [t for t in ranked if effect_direction(*t.comparable_ci) != "unclear"]
    problems = model_problems(r)
    intro = (
        f"Effects ranked by size on comparable scales (per standard deviation for counts, against the reference level for "
        f"categories), each holding the other predictors fixed. {len(clear)} of {len(ranked)} have a 95% interval that excludes 1"
        f"; {sum(1 for t in ranked if t.p_holm is not None and t.p_holm < 0.05)} stay below 0.05 after Holm adjustment."
    )
    if problems:
        intro = (
            "No effect below is a finding: " + "; ".join(p.technical for p in problems) + ". The estimates are shown only "
            "to make the failure visible. " + intro
        )
    word = discrimination_word(e.roc_auc)
    explains = "little" if e.roc_auc < 0.7 else "a fair part" if e.roc_auc < 0.8 else "much"
    limits = [
        f"Discrimination is {word} (ROC AUC {fmt_rate(e.roc_auc)}; McFadden pseudo R² "
        f"{fmt_num(m.pseudo_r2, 3)}): the predictors tell apart {explains} of who is {pos}.",
        f"At the real prevalence of {fmt_pct(m.test_positive_share)}, precision is {fmt_pct(e.precision)}: "
        f"of the videos flagged as {pos}, {in_words(e.precision)} truly are. A flag is a prompt to look, not a finding.",
    ]
    limits += [f"{c.name} — {STATUS_LABELS[c.status]}: {c.detail}." for c in r.assumptions.checks if c.status != "pass"]
    limits += _linearity_caveat(r)
    fragile = fragile_effects(r)
    few = few_rows_effects(r)
    leaning = [t for t in ranked if t.term in fragile and effect_direction(*t.comparable_ci) != "unclear"]
    if leaning:
        limits.append(
            "; ".join(
                f"{capital(plain_name(t.term))} is {fragile[t.term]}" + (f", and {few[t.term]}" if t.term in few else "")
                for t in leaning
            )
            + ": adjusted for each other the two can trade effect (a suppression pattern), so neither is read as a finding alone."
        )
    moved = [t for t in ranked if t.term in few and t.term not in fragile]
    if moved:
        limits.append(
            "; ".join(f"{capital(term_label(t.term, m.reference_levels))} {few[t.term]}" for t in moved)
            + ": such an effect is not read as a finding."
        )
    limits.append(
        "These are associations in this sample of videos, not causes: verification is a property of the author's account, "
        "and nothing here says that changing a video would change it."
    )
    return Section(
        "interpretation",
        "Interpretation",
        (
            Paragraph(intro),
            BulletList(tuple(_effect_sentence(t, r) for t in ranked), css="effects", ordered=True),
            Heading("Limits"),
            BulletList(tuple(limits), css="limits"),
        ),
    )


def _effect_sentence(t: Term, r: AnalysisResults) -> str:
    """One ranked effect in words, its direction read from the interval."""
    m = r.model
    _, pos = labels(r)
    low, high = t.comparable_ci
    value = t.comparable_or
    holm = f", Holm p {fmt_p(t.p_holm)}" if t.p_holm is not None else ""
    stats = f"(OR {fmt_or(value)}, 95% CI {fmt_ci(low, high)}, p {fmt_p(t.p_value)}{holm})"
    if t.kind == "continuous":
        subject = f"Each standard deviation more {plain_name(t.term)} (about {fmt_num(t.sd or 0.0, 0)})"
    else:
        column, level = t.term[:-1].split("[", 1)
        subject = f"{capital(plain_name(column))} '{level}' rather than '{m.reference_levels.get(column, 'the reference')}'"
    direction = effect_direction(low, high)
    if direction == "up":
        verb = f"multiplies the odds of a {pos} author by {fmt_or(value)}"
    elif direction == "down":
        verb = f"lowers the odds of a {pos} author to {fmt_or(value)} times"
    else:
        verb = "goes with no effect distinguishable from none at the 5% level"
    return f"{subject} {verb} {stats}."


def _linearity_caveat(r: AnalysisResults) -> list[str]:
    """When Box-Tidwell passed, say how close it came and what per-SD odds ratios still average over."""
    check = next((c for c in r.assumptions.checks if "Box-Tidwell" in c.name), None)
    p = {k: v for k, v in r.assumptions.box_tidwell_p.items() if not math.isnan(v)}
    if check is None or check.status != "pass" or not p:
        return []
    closest = min(p, key=p.get)
    return [
        f"Box-Tidwell finds no departure from a linear logit after correction (smallest p {fmt_p(p[closest])}, "
        f"{plain_name(closest)}); each odds ratio is still one average slope on the log-odds scale across a very skewed range of values."
    ]


def method_note(r: AnalysisResults, config: Config) -> Section:
    """Our numbers beside a re-balanced test set and upsampling before the split, and why we do neither."""
    heading = "Method note: why the test set is not balanced"
    mc = r.method_comparison
    neg, pos = labels(r)
    if mc is None:
        return Section("method_note", heading, (Paragraph("The comparison was not computed for this build.", css="lead"),))
    h, b, u = mc.honest, mc.rebalanced, mc.upsampled_first
    test = config.model.test_size
    intro = (
        "Two common shortcuts, computed on this data: (a) the same classifier scored on the same test rows, each class weighted "
        f"to half the total weight (a 50/50 test set); (b) the course notebook's order: {_upsampled_rows(mc)}"
        f"{of_sample(r.data)} upsampled to {fmt_int(mc.rows_after_upsampling)} by copying {pos} rows (seed {mc.seed}), then split "
        f"{fmt_pct(1 - test, 0)}/{fmt_pct(test, 0)} stratified, the same kind of pipeline refitted and scored on that test set."
    )
    table = Table(
        "The report's evaluation beside the two shortcuts",
        ("", "This report (real mix)", "(a) Test re-balanced to 50/50", "(b) Upsampled before the split"),
        (
            ("Test rows", fmt_int(h.n_test), fmt_int(b.n_test), fmt_int(u.n_test)),
            (f"{pos.capitalize()} share of the test set", fmt_pct(h.positive_share), fmt_pct(b.positive_share), fmt_pct(u.positive_share)),
            *_scenario_rows(h, b, u),
            ("Test rows that are copies of training rows", "none (split first)", "none (same rows)", fmt_int(mc.test_copies)),
        ),
        (1, 2, 3),
        css="compare",
        tight=True,
    )
    upsampled_positives = round(u.positive_share * u.n_test)
    leak = (
        f"In (b), {fmt_int(mc.test_copies)} of the {fmt_int(u.n_test)} test rows ({share(mc.test_copies, u.n_test)}) are copies "
        f"of a video that is also in the training rows, {fmt_int(mc.test_positive_copies)} of them among the "
        f"{fmt_int(upsampled_positives)} {pos} test rows. The test set then partly grades the model on videos it was trained on, "
        f"so it no longer estimates performance on new videos. With seed {mc.seed}, ROC AUC reads {fmt_rate(u.roc_auc)} there against "
        f"{fmt_rate(h.roc_auc)} on untouched test rows, and recall {fmt_pct(u.recall)} against {fmt_pct(h.recall)}."
    )
    repeated = _repeats_text(mc.repeats)
    prevalence = (
        f"A balanced test set states the metrics for a world in which half the videos are {pos}. Recall does not depend on the "
        f"class mix ({fmt_pct(h.recall)} in both), but precision does: at the real {fmt_pct(h.positive_share)} prevalence the "
        f"classifier's precision is {fmt_pct(h.precision)}, on a 50/50 mix it would read {fmt_pct(b.precision)}. Accuracy moves "
        f"from {fmt_pct(h.accuracy)} to {fmt_pct(b.accuracy)} and the majority-class baseline from {fmt_pct(h.baseline_accuracy)} "
        f"to {fmt_pct(b.baseline_accuracy)}"
        + (
            ", hiding that the model is less accurate than always predicting '" + neg + "'."
            if h.accuracy < h.baseline_accuracy and b.accuracy >= b.baseline_accuracy
            else "."
        )
    )
    why = (
        "So the report splits first, balances only the training rows ("
        + {"class_weight": "class weights", "upsample": "upsampling after the split", "none": "here: not at all"}.get(
            config.model.balancing, config.model.balancing
        )
        + "), and evaluates on untouched test rows with the real class mix: those are the numbers a moderator will see."
    )
    return Section(
        "method_note", heading, (Paragraph(intro, css="lead"), table, Paragraph(leak), *repeated, Paragraph(prevalence), Paragraph(why))
    )


def _repeats_text(rep: SeedRepeats | None) -> tuple[Paragraph, ...]:
    """The comparison over several seeds, claiming only what the repeated numbers show."""
    if rep is None:
        return ()
    n = len(rep.seeds)
    seeds = f"seeds {rep.seeds[0]}–{rep.seeds[-1]}" if n > 1 else f"seed {rep.seeds[0]}"
    copies = (
        f"{fmt_int(rep.copies_min)} test rows are leaked copies in every seed"
        if rep.copies_min == rep.copies_max
        else f"{fmt_int(rep.copies_min)}–{fmt_int(rep.copies_max)} test rows are leaked copies"
    )
    if 0 < rep.rows_per_seed < rep.rows_total:  # large data: the refits run on a bounded sample (stats.sampling)
        copies += f" (each seed on a stratified sample of {fmt_int(rep.rows_per_seed)} of the {fmt_int(rep.rows_total)} rows)"
    if n > 1 and rep.gap_min > 0:
        verdict = (
            f"upsampling first reads higher in every seed (by {fmt_rate(rep.gap_min)}–{fmt_rate(rep.gap_max)}): on this data the leak "
            "inflates ROC AUC."
        )
    elif n > 1 and rep.gap_max < 0:
        verdict = "upsampling first reads lower in every seed: on this data the leak does not inflate ROC AUC, it only makes the test set meaningless."
    else:
        verdict = (
            f"upsampling first reads higher in {rep.upsampled_higher} of {n} seeds (difference {fmt_rate(rep.gap_min)} to "
            f"{fmt_rate(rep.gap_max)}, mean {fmt_rate(rep.gap_mean)}): the repeated numbers do not show that the leak changes ROC AUC here, "
            "and one seed's gap is split noise. The reason to split first is the principle: copies of a video on both sides of the "
            "split grade the model on rows it was trained on."
        )
    return (
        Paragraph(
            f"Repeated over {n} {seeds} (each seed its own split, its own copies and its own refit): ROC AUC split first averages "
            f"{fmt_rate(rep.honest_mean)} (range {fmt_rate(rep.honest_min)}–{fmt_rate(rep.honest_max)}), upsampled first "
            f"{fmt_rate(rep.upsampled_mean)} (range {fmt_rate(rep.upsampled_min)}–{fmt_rate(rep.upsampled_max)}); {copies}. "
            + capital(verdict)
        ),
    )


def _upsampled_rows(mc) -> str:
    """The rows the course's order upsampled: every usable row, or a stratified sample of them on large data."""
    total = mc.repeats.rows_total if mc.repeats and mc.repeats.rows_total else mc.rows_before_upsampling
    if mc.rows_before_upsampling < total:
        return f"a stratified sample of {fmt_int(mc.rows_before_upsampling)} of the {fmt_int(total)} usable rows"
    return f"the {fmt_int(mc.rows_before_upsampling)} usable rows"


def _scenario_rows(*scenarios: ScenarioMetrics) -> tuple[tuple[str, ...], ...]:
    """Metric rows of the method-note table, one column a scenario."""
    return (
        ("Accuracy", *(fmt_pct(s.accuracy) for s in scenarios)),
        ("Majority-class baseline accuracy", *(fmt_pct(s.baseline_accuracy) for s in scenarios)),
        ("Precision", *(fmt_pct(s.precision) for s in scenarios)),
        ("Recall", *(fmt_pct(s.recall) for s in scenarios)),
        ("F1", *(fmt_pct(s.f1) for s in scenarios)),
        ("ROC AUC", *(fmt_rate(s.roc_auc) for s in scenarios)),
        ("Average precision", *(fmt_rate(s.average_precision) for s in scenarios)),
    )


def reproducibility(r: AnalysisResults, config: Config, generated_at: str, versions: dict[str, str]) -> Section:
    """What it takes to get the same numbers again."""
    m, c = r.model, config.model
    balancing = {
        "class_weight": "class weights on the training rows (scikit-learn 'balanced'); inference unweighted",
        "upsample": "minority class upsampled in the training rows only; inference unweighted",
        "none": "none",
    }.get(m.balancing, m.balancing)
    settings = (
        ("Split", f"{fmt_pct(1 - c.test_size, 0)} train / {fmt_pct(c.test_size, 0)} test, stratified on {c.target}"),
        ("Training / test rows", f"{fmt_int(m.n_train)} / {fmt_int(m.n_test)}"),
        ("Balancing", balancing),
        ("Seed", str(c.seed)),
        ("Threshold", f"{fmt_num(r.evaluation.threshold, 4)}, chosen by cross-validation on the training rows (operating_point = cv)"
         if r.model_value is not None and r.model_value.threshold_source == "cv" else fmt_num(c.threshold, 2)),
        ("Count transform", "log(1 + count): " + ", ".join(m.log1p_columns) if m.log1p_columns else "none (log1p_counts = false)"),
        ("Predictors", ", ".join(m.features)),
    )
    return Section(
        "reproducibility",
        "Reproducibility",
        build_record(settings, r.data, generated_at, versions, covers(r)),
    )
