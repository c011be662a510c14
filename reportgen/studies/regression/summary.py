"""The regression's one-page executive summary, in words, for either tone.

``build_summary`` turns the results and the config into the shared, format-neutral
``reportgen.core.summary.ExecutiveSummary`` (title, subtitle, four sections of
paragraphs and bullets, and the confusion-matrix figure with its captions),
which the shared renderers lay out; ``summary_text`` and ``summary_html`` give
it as an e-mail's plain-text and HTML bodies.

Every number is taken from the results and formatted with
``reportgen.formatters``; every judgement ("weak", "far more likely", which
effects matter) is decided from the results too, so the page changes with the
data. Blocks marked ``optional`` may be dropped, last first, to fit the page.

Two tones (``config.report.audience``):

* ``leadership``: plain words, numbers as people use them, what it means for
  the report backlog, one recommendation and one honest limitation.
* ``technical``: the metrics, the strongest effects as odds ratios with 95 %
  intervals, the assumption verdicts and the method choices.
"""

from __future__ import annotations

import math
from functools import partial

from reportgen.config import Config
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section, of_sample, sample_blocks, SummaryFigure
from reportgen.formatters import (
    fmt_ci,
    fmt_delta,
    fmt_int,
    fmt_num,
    fmt_or,
    fmt_p,
    fmt_pct,
    fmt_rate,
    fmt_value,
    plain_name,
    term_label,
)
from reportgen.narrative.wording import capital, discrimination_word, in_words, join_words, odds_range_words
from reportgen.results import AnalysisResults, DataSummary, Term
from reportgen.studies.regression.coverage import covers, covers_plain
from reportgen.studies.regression.reliability import few_rows_effects, fragile_effects, model_problems, nonlinear_effects

__all__ = ["build_summary", "summary_html", "summary_text"]

#: An odds ratio at least this far from 1 (either way) reads as "far", then as plain, else "a little".
_STRONG, _CLEAR = math.log(2.0), math.log(1.25)
#: Below this ROC AUC the model is too weak to sort reports alone (the "weak" band of ``discrimination_word``).
_WEAK_BELOW = 0.7
#: A gain in ROC AUC over claim status alone below this reads as "little".
_LITTLE_AUC = 0.02
#: A cut-off "helps" when its precision beats the configured one's by this much.
_BETTER_PRECISION = 0.05
#: Below this share of the positive class, "rare" is the honest word.
_RARE_BELOW = 0.2
_FIGURE = "confusion_matrix.png"


def build_summary(results: AnalysisResults, config: Config, audience: str | None = None) -> ExecutiveSummary:
    """Build the executive summary of ``results`` in the configured tone.

    Parameters
    ----------
    results : AnalysisResults
        A finished analysis, with its figures drawn (the confusion matrix's alt text is used).
    config : Config
        Gives the title, subtitle and the default audience.
    audience : {"leadership", "technical"}, optional
        Overrides ``config.report.audience``.

    Returns
    -------
    ExecutiveSummary

    Examples
    --------
    >>> summary = build_summary(results, Config())          # doctest: +SKIP
    >>> [s.title for s in summary.sections]                 # doctest: +SKIP
    ['OVERVIEW', 'PROJECT STATUS', 'KEY INSIGHTS', 'NEXT STEPS']
    """
    audience = audience or config.report.audience
    writer = _TECHNICAL if audience == "technical" else _LEADERSHIP
    facts = _Facts(results, config)
    sample = partial(sample_blocks, data=results.data, audience=audience, covers=covers(results), plain=covers_plain(results))
    sections = tuple(Section(key, SECTION_TITLES[key], (*writer[key](facts), *sample(key))) for key in SECTION_TITLES)
    return ExecutiveSummary(audience, config.report.title, config.report.subtitle, sections, _figure(facts, audience))


def summary_html(results: AnalysisResults, config: Config, audience: str | None = None) -> str:
    """The executive summary as a small HTML document, for an e-mail's HTML body.

    Parameters
    ----------
    results : AnalysisResults
    config : Config
    audience : {"leadership", "technical"}, optional
        Overrides ``config.report.audience``.

    Returns
    -------
    str
        Escaped, self-contained HTML (no images, scripts or external links).
    """
    return build_summary(results, config, audience).to_html()


def summary_text(results: AnalysisResults, config: Config, audience: str | None = None) -> str:
    """The executive summary as plain text, for an e-mail body.

    Parameters
    ----------
    results : AnalysisResults
    config : Config
    audience : {"leadership", "technical"}, optional
        Overrides ``config.report.audience``.

    Returns
    -------
    str
    """
    return build_summary(results, config, audience).to_text()


class _Facts:
    """Names for what the writers read, so each sentence stays short."""

    def __init__(self, r: AnalysisResults, config: Config) -> None:
        self.r, self.config = r, config
        self.e, self.m, self.d = r.evaluation, r.model, r.data
        self.v = r.model_value
        self.pos = r.model.positive_class
        self.neg = next((k for k in r.exploration.class_balance if k != self.pos), "other")
        self.prevalence = r.exploration.class_shares.get(self.pos, 0.0)
        self.effects = r.model.ranked_effects()
        self.word = discrimination_word(r.evaluation.roc_auc)
        self.weak = r.evaluation.roc_auc < _WEAK_BELOW
        self.problems = model_problems(r)
        self.fragile = fragile_effects(r)
        self.nonlinear = nonlinear_effects(r, config.checks.alpha)
        self.few_rows = few_rows_effects(r)

    @property
    def reliable(self) -> bool:
        """No failed check stops the effects from being findings."""
        return not self.problems

    def matters(self, t: Term) -> bool:
        """The 95 % interval of the comparable odds ratio leaves out 1."""
        low, high = t.comparable_ci
        return not (low <= 1.0 <= high)

    def insight(self, t: Term) -> bool:
        """An effect the leadership page may present: clear, from a reliable fit, not leaning on a correlated partner or on a few rows."""
        return self.reliable and self.matters(t) and t.term not in self.fragile and t.term not in self.few_rows

    def interval(self, metric: str) -> str:
        """' (95% CI a–b)' of a test metric as percentages, or nothing when not computed."""
        i = self.v.interval(metric) if self.v else None
        if i is None:
            return ""
        shown = fmt_rate if metric in ("roc_auc", "average_precision") else fmt_pct
        return f" (95% CI {shown(i.low)}–{shown(i.high)})"

    def adds(self) -> str | None:
        """'nothing we can measure', 'little' or 'something': what the other predictors add over claim status alone."""
        v = self.v
        if v is None or v.baseline_roc_auc is None or v.lr_p_value is None:
            return None
        if v.lr_p_value >= self.config.checks.alpha:
            return "nothing we can measure"
        return "little" if self.e.roc_auc - v.baseline_roc_auc < _LITTLE_AUC else "something"

    def threshold_helps(self) -> bool:
        """Some other cut-off of the table flags fewer videos at a clearly better precision."""
        if self.v is None:
            return True
        e = self.e
        return any(row.precision >= e.precision + _BETTER_PRECISION and row.recall > 0 for row in self.v.thresholds)


def _plain_term(t: Term) -> str:
    """A term in plain words: the count's name, or a category's level."""
    if t.kind == "continuous":
        return plain_name(t.term)
    column, level = t.term[:-1].split("[", 1)
    return f"{level} ({plain_name(column)})"


def _how_much(odds_ratio: float) -> str:
    """'far more', 'more' or 'a little more' (or less), from the size of the effect."""
    size = abs(math.log(odds_ratio))
    way = "more" if odds_ratio > 1 else "less"
    return f"far {way}" if size >= _STRONG else way if size >= _CLEAR else f"a little {way}"


def _label(f: _Facts, t: Term) -> str:
    """A term as the technical reader reads it, with 'per SD' where it applies."""
    label = term_label(t.term, f.m.reference_levels)
    return label + (" per SD" if t.kind == "continuous" else "")


def _lead_name(f: _Facts, t: Term) -> str:
    """A term as a plain reader says it."""
    if t.kind == "continuous":
        return "Longer videos" if t.term.endswith("_sec") else "More " + plain_name(t.term)
    column, level = t.term[:-1].split("[", 1)
    return f"{level.capitalize()} vs {f.m.reference_levels.get(column, 'the rest')} ({plain_name(column)})"


# --- leadership: plain words -------------------------------------------------


def _lead_overview(f: _Facts) -> list[Block]:
    shares = f.r.exploration.crosstab_row_shares
    blocks = [
        Block(
            "The data team is building a tool to help moderators clear the backlog of reported videos. "
            f"This step asks first: can facts about a video tell us if its author is {f.pos}?"
        ),
        Block(f"We looked at {_videos(f.d)}. Only {in_words(f.prevalence, 100)} come from a {f.pos} author."),
    ]
    if "opinion" in shares and "claim" in shares:
        op, cl = shares["opinion"].get(f.pos, 0.0), shares["claim"].get(f.pos, 0.0)
        more = "more" if op > cl else "less"
        blocks.append(Block(f"Opinion videos come from {f.pos} authors {more} often than claims do ({fmt_pct(op)} against {fmt_pct(cl)}).", optional=True))
    if f.d.rows_dropped:
        blocks.append(Block(f"We left out {fmt_int(f.d.rows_dropped)} videos with missing details.", optional=True))
    return blocks


#: The figures the "since the last build" line follows, with the words each tone uses for them.
_LEAD_CHANGES = {"rows used": "videos", "recall": "verified authors found", "precision": "flags that were right"}
_TECH_CHANGES = {"rows used": "rows", "accuracy": "accuracy", "precision": "precision", "recall": "recall", "ROC AUC": "ROC AUC"}


def _since_last(f: _Facts, names: dict[str, str]) -> list[Block]:
    """One line of what moved since the build that was in the folder before (none on a first build)."""
    previous = f.r.previous
    if previous is None:
        return []
    changes = [c for c in previous.changes if c.label in names]
    moved = [c for c in changes if fmt_delta(c.delta, c.kind) != "no change"]
    text = "; ".join(f"{names[c.label]} {fmt_value(c.before, c.kind)} → {fmt_value(c.after, c.kind)}" for c in moved)
    return [Block(f"{text}." if moved else "the same figures.", lead="Since the last build:")]


def _lead_status(f: _Facts) -> list[Block]:
    e = f.e
    found = "finds" if e.recall >= 0.5 else "finds only"
    right = "less often" if e.accuracy < e.baseline_accuracy else "more often"
    blocks = _since_last(f, _LEAD_CHANGES) + [
        Block(f"The model is built. We tested it on {fmt_int(f.m.n_test)} videos{of_sample(f.d, ' of the sample')} it had not seen."),
        *_lead_all_rows(f),
        Block(f"It {found} {in_words(e.recall)} {f.pos} authors ({fmt_pct(e.recall)}).", bullet=True),
        Block(f"{capital(in_words(e.precision))} videos it flags is really from a {f.pos} author ({fmt_pct(e.precision)}).", bullet=True),
    ]
    adds = f.adds()
    if adds is not None and f.v is not None:
        blocks.append(
            Block(
                f"A model that only knows if a video is a claim or an opinion ranks videos almost as well "
                f"(a score of {fmt_rate(f.v.baseline_roc_auc)} against {fmt_rate(e.roc_auc)}, where a coin toss scores one half). "
                f"The other facts add {adds}.",
                bullet=True,
            )
            if adds != "something"
            else Block(
                f"The other facts add to what claim or opinion alone tells us (a ranking score of {fmt_rate(e.roc_auc)} "
                f"against {fmt_rate(f.v.baseline_roc_auc)}, where a coin toss scores one half).",
                bullet=True,
            )
        )
    blocks.append(
        Block(
            f"It is right on {fmt_pct(e.accuracy)} of videos, {right} than calling every author {f.neg} "
            f"({fmt_pct(e.baseline_accuracy)}).",
            bullet=True,
            optional=True,
        )
    )
    return blocks


def _lead_all_rows(f: _Facts) -> list[Block]:
    """One plain sentence on the model over every video it did not learn from (a sample only)."""
    h = f.r.held_out_all_rows
    if h is None:
        return []
    return [
        Block(
            f"On all {fmt_int(h.rows)} videos it did not learn from, it finds {fmt_pct(h.recall)} of {f.pos} authors, "
            f"and {fmt_pct(h.precision)} of the videos it flags are theirs."
        )
    ]


def _lead_insights(f: _Facts) -> list[Block]:
    if not f.reliable:
        return [
            Block("We cannot yet say which facts go with a " + f.pos + " author. A check on the model failed:"),
            *(Block(capital(p.plain) + ".", bullet=True) for p in f.problems),
            Block("So this page draws no lesson from any single fact."),
        ]
    shown = [t for t in f.effects if f.insight(t)][:3]
    blocks = [Block(f"What goes with a {f.pos} author, strongest first, other facts held the same:" if shown else f"No single fact clearly goes with a {f.pos} author.")]
    for i, t in enumerate(shown):
        low, high = t.comparable_ci
        rise = " for each typical rise" if t.kind == "continuous" else ""
        what = f"{_how_much(t.comparable_or)} likely from a {f.pos} author ({odds_range_words(low, high)}{rise})."
        if t.term in f.nonlinear:
            what += " The effect is not the same at every level."
        blocks.append(Block(what, lead=_lead_name(f, t) + ":", bullet=True, optional=i >= 2))
    leaning = [t for t in f.effects if f.matters(t) and t.term in f.fragile]
    if leaning:
        names = join_words([plain_name(t.term) for t in leaning])
        blocks.append(Block(f"{capital(names)} seem to matter, but only next to a closely linked fact, so we do not count them.", optional=True))
    few = [t for t in f.effects if f.matters(t) and t.term in f.few_rows and t.term not in f.fragile]
    if few:
        names = join_words([_plain_term(t) for t in few])
        blocks.append(Block(f"{capital(names)} seem to matter, but that rests on a handful of videos, so we do not count them.", optional=True))
    unclear = [plain_name(t.term.split("[", 1)[0]) for t in f.effects if not f.matters(t)]
    unclear = list(dict.fromkeys(unclear))
    if unclear:
        blocks.append(Block(f"{capital(join_words(unclear))} made no clear difference.", optional=True))
    return blocks


def _lead_next(f: _Facts) -> list[Block]:
    e = f.e
    if not f.reliable:
        problem = f.problems[0].plain
        return [
            Block(f"Do not use this model to sort reports, and do not act on its effects. First fix this: {problem}.", lead="Recommendation:"),
            Block(f"The model is {f.word}. A failed check means its effects may not hold on new videos.", lead="Limitation:"),
            Block("The data team will review this page before it goes further.", optional=True),
        ]
    top = next((t for t in f.effects if f.insight(t)), None)
    hint = "."
    if top is not None and top.kind == "category":
        column, level = top.term[:-1].split("[", 1)
        lean = "lean toward" if top.comparable_or > 1 else "lean away from"
        hint = f", and feed it what we learned: {level} videos {lean} {f.pos} authors."
    if f.weak or e.precision < 0.5:
        recommend = "Do not use this model alone to sort reports. Next, build the tool that tells claims from opinions" + hint
    else:
        recommend = "Try the model as one signal when sorting reports, with people checking what it flags."
    if e.precision >= 0.5:
        why = f"It still misses some {f.pos} authors and flags some others; check it again when new data come in."
    elif f.prevalence < _RARE_BELOW:
        why = f"{f.pos.capitalize()} authors are rare ({in_words(f.prevalence, 100)} videos), so most of the videos it flags are not theirs."
    else:
        why = f"Most of the videos it flags are not from {f.pos} authors."
    limit = f"The model is {f.word}. {why}"
    wrongly = 1 - e.specificity
    few = wrongly <= 0.1
    backlog = (
        f"moving flagged videos down the queue would be {'fairly safe' if few else 'risky'}. The model also flags "
        f"{in_words(wrongly)} videos by {f.neg} authors, so {'few' if few else 'many'} videos "
        "that need a close look would move down too."
    )
    return [
        Block(recommend, lead="Recommendation:"),
        Block(backlog, lead="For the backlog:"),
        Block(limit, lead="Limitation:"),
        Block("The data team will review this page before it goes further.", optional=True),
    ]


# --- technical: concise and specific --------------------------------------


def _tech_overview(f: _Facts) -> list[Block]:
    m, d = f.m, f.d
    names = join_words([plain_name(x) for x in m.features])
    reasons = "; ".join(f"{k}: {fmt_int(v)}" for k, v in d.dropped_reasons.items()) or "none"
    balancing = {
        "class_weight": "balanced class weights",
        "upsample": "upsampling the minority class",
        "none": "no rebalancing",
    }.get(m.balancing, m.balancing)
    blocks = [
        Block(f"Binary logistic regression (statsmodels Logit) of {m.target} = {m.positive_class} on {names}."),
        Block(
            f"{fmt_int(d.rows_used)} of {fmt_int(d.rows_read)} rows {'used' if d.sample is None else 'usable'} (dropped: {reasons})"
            f"{'' if d.sample is None else f', a sample of {fmt_int(d.sample.rows)} of them analysed'}. Stratified split: "
            f"{fmt_int(m.n_train)} train, {fmt_int(m.n_test)} test; {fmt_pct(f.prevalence)} {f.pos}, handled by {balancing}; "
            f"threshold {fmt_num(f.e.threshold)} on the score."
        ),
    ]
    if f.v is not None and m.balancing != "none":
        blocks.append(
            Block(
                f"Scores are class-weighted, not probabilities: they average {fmt_pct(f.v.mean_score)} against a "
                f"{fmt_pct(f.v.train_positive_share)} base rate"
                + ("; threshold 0.50 on balanced scores reads roughly as probability ≥ the base rate." if f.e.threshold == 0.5 and f.m.balancing == "class_weight" else "."),
                optional=True,
            )
        )
    dropped = f.r.assumptions.collinearity.dropped
    if dropped:
        blocks.append(Block(f"Left out by the VIF rule: {join_words([plain_name(x) for x in dropped])}. Continuous effects are per SD.", optional=True))
    return blocks


def _tech_status(f: _Facts) -> list[Block]:
    e = f.e
    blocks = _since_last(f, _TECH_CHANGES) + [
        Block(f"{fmt_pct(e.accuracy)}{f.interval('accuracy')} on the test set{of_sample(f.d, ' of the sample')} (baseline, all {f.neg}: {fmt_pct(e.baseline_accuracy)}).", lead="Accuracy:", bullet=True),
        Block(
            f"precision {fmt_pct(e.precision)}{f.interval('precision')}, recall {fmt_pct(e.recall)}{f.interval('recall')}, "
            f"F1 {fmt_pct(e.f1)}{f.interval('f1')}.",
            lead=f"Class {f.pos}:",
            bullet=True,
        ),
    ]
    auc = f"{fmt_rate(e.roc_auc)}{f.interval('roc_auc')}, {f.word}"
    v = f.v
    if v is not None and v.cv_roc_auc_mean is not None:
        auc += f"; {v.cv_folds}-fold CV on training rows {fmt_rate(v.cv_roc_auc_mean)}"
        if v.cv_roc_auc_sd is not None:
            auc += f" ± {fmt_rate(v.cv_roc_auc_sd)}"
    blocks.append(Block(auc + ".", lead="ROC AUC:", bullet=True))
    h = f.r.held_out_all_rows
    if h is not None:
        blocks.append(
            Block(
                f"on all {fmt_int(h.rows)} usable rows not used for training (the sample's test rows and every row outside it), "
                f"precision {fmt_pct(h.precision)}, recall {fmt_pct(h.recall)}, ROC AUC {fmt_rate(h.roc_auc)} "
                f"(95% CI {fmt_rate(h.interval('roc_auc').low)}–{fmt_rate(h.interval('roc_auc').high)}).",
                lead="Every held-out row:",
                bullet=True,
            )
        )
    if v is not None and v.baseline_roc_auc is not None and v.lr_p_value is not None:
        blocks.append(
            Block(
                f"ROC AUC {fmt_rate(v.baseline_roc_auc)} (95% CI {fmt_rate(v.baseline_roc_auc_low)}–{fmt_rate(v.baseline_roc_auc_high)}); "
                f"LR test of the other predictors χ² {fmt_num(v.lr_statistic)} on {v.lr_df} df, p {fmt_p(v.lr_p_value)}: they add {f.adds()}.",
                lead="Claim status alone:",
                bullet=True,
            )
        )
    for status, word in (("fail", "Fail:"), ("warn", "Warn:"), ("pass", "Pass:")):
        names = [c.name for c in f.r.assumptions.checks if c.status == status]
        if names:
            blocks.append(Block("; ".join(names) + ".", lead=word, bullet=True, optional=status == "pass"))
    return blocks


def _tech_insights(f: _Facts) -> list[Block]:
    if not f.reliable:
        blocks = [Block("No effect is a finding: " + "; ".join(p.technical for p in f.problems) + ".")]
    else:
        blocks = [Block("Ranked by comparable odds ratio (per SD, or per level vs reference), holding the other predictors fixed:")]
    for i, t in enumerate(f.effects[:4]):
        low, high = t.comparable_ci
        note = ""
        if t.term in f.fragile:
            note = f"; {f.fragile[t.term]}: not a finding alone"
        elif t.term in f.few_rows:
            note = f"; {f.few_rows[t.term]}: not a finding"
        elif t.term in f.nonlinear:
            note = "; logit not linear (Box-Tidwell): an average slope"
        holm = f", Holm p {fmt_p(t.p_holm)}" if t.p_holm is not None else ""
        blocks.append(Block(f"OR {fmt_or(t.comparable_or)} (95% CI {fmt_ci(low, high)}), p {fmt_p(t.p_value)}{holm}{note}.", lead=_label(f, t) + ":", bullet=True, optional=i >= 2))
    blocks.append(Block(f"McFadden pseudo R² {fmt_num(f.m.pseudo_r2, 3)}.", optional=True))
    return blocks


def _tech_next(f: _Facts) -> list[Block]:
    e = f.e
    warned = [c.name for c in f.r.assumptions.checks if c.status != "pass"]
    blocks = []
    if not f.reliable:
        blocks.append(Block("Resolve the failed check (" + f.problems[0].technical + ") before reading any effect.", bullet=True))
    if f.threshold_helps():
        blocks.append(Block(f"Choose the threshold by cross-validation on training rows (now precision {fmt_pct(e.precision)} at recall {fmt_pct(e.recall)}), never on the test set.", bullet=True))
    elif f.v is not None:
        ps = [r.precision for r in f.v.thresholds if r.share_flagged > 0]
        blocks.append(Block(f"Moving the threshold cannot help: over the table's cut-offs precision stays {fmt_pct(min(ps))}–{fmt_pct(max(ps))}; add predictors that separate {f.pos} authors within claims and opinions.", bullet=True))
    blocks.append(Block(f"Use {f.m.target} as a predictor in the claim classifier, the project's goal.", bullet=True))
    if "video_transcription_text" not in f.m.features:
        blocks.append(Block("Add transcript text features, not used here.", bullet=True, optional=True))
    if warned:
        blocks.append(Block(f"Revisit the {len(warned)} warned checks before any use.", bullet=True, optional=True))
    return blocks


_LEADERSHIP = {"overview": _lead_overview, "status": _lead_status, "insights": _lead_insights, "next": _lead_next}
_TECHNICAL = {"overview": _tech_overview, "status": _tech_status, "insights": _tech_insights, "next": _tech_next}


def _figure(f: _Facts, audience: str) -> SummaryFigure:
    """The confusion matrix with its alt text, a caption above and each cell in words."""
    cm = f.e.confusion_matrix
    info = next((x for x in f.r.figures if x.file == _FIGURE), None)
    alt = info.alt if info else "Confusion matrix of the test set."
    pos, neg = f.pos, f.neg
    if audience == "technical":
        caption = f"Confusion matrix, test set (n = {fmt_int(f.m.n_test)}), threshold {fmt_num(f.e.threshold)}"
        words = (
            f"true negatives (actual and predicted {neg}).",
            f"false positives ({neg}, predicted {pos}).",
            f"false negatives ({pos}, predicted {neg}).",
            f"true positives (actual and predicted {pos}).",
        )
    else:
        caption = f"How the model sorted {fmt_int(f.m.n_test)} test videos (rows: the truth; columns: the model's call)"
        words = (
            f"{neg} authors, rightly not flagged.",
            f"{neg} authors, flagged by mistake.",
            f"{pos} authors the model missed.",
            f"{pos} authors the model found.",
        )
    cells = tuple(
        Block(text, lead=f"{where} ({fmt_int(n)}):")
        for where, n, text in zip(("Top left", "Top right", "Bottom left", "Bottom right"), (cm.tn, cm.fp, cm.fn, cm.tp), words)
    )
    return SummaryFigure(_FIGURE, alt, caption, cells)


def _videos(d: DataSummary) -> str:
    """The videos the study looked at: every usable one, or the sample of them it analysed."""
    return f"{fmt_int(d.rows_used)} videos" if d.sample is None else f"a sample of {fmt_int(d.sample.rows)} of the {fmt_int(d.rows_used)} usable videos"

