"""The ordered analyses: data -> exploration -> split -> checks -> model -> evaluation."""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

from reportgen import schema
from reportgen.config import Config
from reportgen.data import Dataset, load_dataset
from reportgen.progress import Progress
from reportgen.results import AnalysisResults, Overview


def overview(dataset: Dataset, config: Config, progress: Progress | None = None) -> Overview:
    """The exploration of every usable row: the first stage, and all that the first three figures read."""
    from reportgen.analysis.eda import explore

    with (progress or Progress(quiet=True)).stage("explore", dataset.summary.rows_used):
        # Every usable row's statistics when the frame is a sample (``dataset.all_rows``).
        return Overview(dataset.summary, explore(dataset.frame, config, dataset.all_rows), config.model.target)


def gvif_all_rows(all_rows, spec, config: Config) -> dict[str, float]:
    """The GVIF of each of ``spec``'s predictors over every usable row an engine holds (the correlation matrix by SQL)."""
    from reportgen.analysis.assumptions import gvif_from_correlation
    from reportgen.analysis.design import LOG1P_COLUMNS
    from reportgen.engines.describe import design_correlation

    log1p = LOG1P_COLUMNS if config.model.log1p_counts else ()
    return {f: g for f, (g, _) in gvif_from_correlation(design_correlation(all_rows, spec, log1p), spec).items()}


def analyse(dataset: Dataset, config: Config, progress: Progress | None = None, preview: Overview | None = None) -> AnalysisResults:
    """Run every analysis once, in order, on a loaded dataset.

    Parameters
    ----------
    dataset : Dataset
        From ``io.load_dataset``.
    config : Config
    progress : Progress, optional
        Stage reporting and timings.
    preview : Overview, optional
        ``overview(dataset, config)`` when the caller has it already (the build draws its figures meanwhile).

    Returns
    -------
    AnalysisResults
        Without figures: those are drawn from these results afterwards.
    """
    from reportgen.analysis.assumptions import CheckContext, box_tidwell, run_checks, screen_collinearity
    from reportgen.analysis.design import design_spec, log1p_counts
    from reportgen.analysis.evaluation import evaluate
    from reportgen.analysis.influence import influence
    from reportgen.analysis.logit import fit_logit
    from reportgen.analysis.method_note import compare_methods, refit_shortcuts
    from reportgen.analysis.model import fit_classifier, fit_inference
    from reportgen.analysis.split import split_data
    from reportgen.analysis.value import cv_threshold, model_value
    from reportgen.workers import in_background

    progress = progress or Progress(quiet=True)
    m, rows = config.model, dataset.summary.rows_used
    exploration = (preview or overview(dataset, config, progress)).exploration
    with progress.stage("split", rows):
        # The model never reads the transcriptions: leave the largest column out of every copy.
        modelled = dataset.frame.drop(columns=[schema.TRANSCRIPTION], errors="ignore")
        if m.log1p_counts:
            modelled = log1p_counts(modelled)
        split = split_data(modelled, config, str(dataset.path or dataset.summary.source))
    with progress.stage("assumptions", len(split.y_train)):
        candidates = tuple(dict.fromkeys((*m.predictors, *m.extra_candidates)))
        wide = design_spec(split.train, candidates)
        X_wide = wide.matrix(split.train)
        collinearity = screen_collinearity(X_wide, wide, config)
        if dataset.all_rows is not None:  # a sample: the same GVIF over every usable row, beside the screen's
            collinearity = dataclasses.replace(collinearity, gvif_all_rows=gvif_all_rows(dataset.all_rows, wide, config))
        spec = wide.restrict(tuple(f for f in wide.features if f not in collinearity.dropped))
        X_train = wide.select(X_wide, spec)
        fit = fit_logit(split.y_train, X_train, spec.column_names())  # one fit: the model table, influence and the LR test
        context = CheckContext(
            data=dataset.summary,
            y_train=split.y_train,
            spec=spec,
            collinearity=collinearity,
            box_tidwell_p=box_tidwell(split.y_train, X_train, spec),
            influence=influence(split.y_train, X_train, spec.column_names(), spec.sds, config.checks.alpha, fit=fit),
        )
        assumptions = run_checks(context, config)
    # The method note's refits read only the rows and the design: a second process runs them meanwhile.
    with in_background("the method note", partial(refit_shortcuts, modelled, spec, config)) as shortcut_refits:
        with progress.stage("model", len(split.y_train)):
            # An engine that holds every row (Spark) fits the model table over all usable training rows; the
            # influence check, the LR test and the rest of the study stay on the analysed rows (the sample).
            table_fit, fitted_on = dataset.fit_all(split, spec, config) if dataset.fit_all else (fit, None)
            model = fit_inference(split, spec, X_train, config, table_fit, fitted_on)
            classifier = fit_classifier(split, spec, config)
            cv_f1 = None
            if m.operating_point == "cv":  # chosen on the training rows only; the test rows are read after
                threshold, cv_f1 = cv_threshold(split, spec, config)
                config = dataclasses.replace(config, model=dataclasses.replace(m, threshold=threshold))
        with progress.stage("evaluate", len(split.y_test)):
            scores = classifier.predict_proba(split.test)[:, 1]
            evaluation = evaluate(split.y_test, scores, config.model.threshold)
            value = model_value(split, spec, X_train, scores, config, cv_f1, fit)
        held_out = None
        if dataset.all_rows is not None:  # a sample: score every usable row outside its training rows, in the engine
            from reportgen.engines.scoring import held_out_all_rows

            with progress.stage("score every row", dataset.all_rows.rows):
                held_out = held_out_all_rows(dataset.all_rows, classifier, split.train, config)
        with progress.stage("method note", rows):
            method_comparison = compare_methods(split, scores, evaluation, config, shortcut_refits())
    return AnalysisResults(
        dataset.summary,
        exploration,
        assumptions,
        model,
        evaluation,
        method_comparison=method_comparison,
        model_value=value,
        influence=context.influence,
        held_out_all_rows=held_out,
    )


def analyse_file(path: Path | str, config: Config, progress: Progress | None = None, sha256: str | None = None) -> AnalysisResults:
    """Load the CSV (``sha256`` when already known), then ``analyse`` it."""
    progress = progress or Progress(quiet=True)
    with progress.stage("load"):
        dataset = load_dataset(path, config, sha256)
    return analyse(dataset, config, progress)
