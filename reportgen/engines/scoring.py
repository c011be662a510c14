"""The prediction model scored over every usable row an engine holds, as one aggregate query.

When a study analysed a sample, the rows outside the sample's training rows
were never fitted: each is an honest held-out row. The model's score is a
plain SQL expression (the design's standardised columns and dummies times the
coefficients, plus the intercept, then the logistic), so the engine scores
every such row where it lies and hands back only a histogram: each class's
rows over ``BINS`` equal bins of [0, 1], and each class's exact count at or
above the threshold. ``reportgen.stats.histogram`` turns those counts into
metrics. One query text serves DuckDB and Spark SQL. A model that is no SQL
expression (the classifier's forest) is scored in Python instead, over the
rows read in chunks (``predicted_histogram``), into the same bins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.engines import sql
from reportgen.engines.allrows import CHUNK_ROWS, AllRows

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Equal bins of [0, 1] over which each class's scores are counted. The bootstrap of the metrics reads every
#: non-empty bin once a resample, so its time grows with them: on 1.9M held-out rows of the synthetic data, 2**14
#: bins (11,820 non-empty) took 3.9 s and bound the ROC AUC's binning error by 2.3e-4 (below the 5e-4 of its
#: three-decimal display), 2**16 took 9.4 s for a bound of 5.7e-5, the two AUCs 1.6e-6 apart. The confusion
#: matrix is exact whatever the bins.
BINS = 2**14
#: The linear predictor is clipped here before the logistic: exp() of more overflows in SQL, and the score is 0 or 1 anyway.
CLIP = 700.0


@dataclass(frozen=True)
class ScoreHistogram:
    """Each class's held-out rows over ``bins`` equal score bins, and at or above the threshold."""

    bins: int
    positives: np.ndarray  # rows of the positive class in each bin (int64)
    negatives: np.ndarray
    positives_above: int  # rows of the positive class scored at or above the threshold
    negatives_above: int
    threshold: float

    @property
    def rows(self) -> int:
        """Rows scored."""
        return int(self.positives.sum() + self.negatives.sum())


def score_expression(model: Any, log1p_columns: Sequence[str] = ()) -> str:
    """The model's score of the positive class as SQL over the study's columns (scikit-learn's ``predict_proba[:, 1]``).

    Parameters
    ----------
    model : analysis.model.BalancedLogit
        ``spec`` (means, SDs, levels) and ``fitted`` (coefficients over ``spec.matrix(...)[:, 1:]``, and intercept).
    log1p_columns : sequence of str
        Continuous columns the study read as log(1 + count) (``[model] log1p_counts``).

    Returns
    -------
    str
        An expression of DOUBLE type, in plain SQL both engines accept.
    """
    spec, fitted = model.spec, model.fitted
    coefficients = [float(c) for c in fitted.coef_.ravel()]
    columns = [_standardised(c, spec.means[c], spec.sds[c], c in log1p_columns) for c in spec.continuous]
    dummies = [(c, level) for c in spec.categorical for level in spec.levels[c]]
    columns += [f"CASE WHEN {sql.quote(c)} = {sql.literal(level)} THEN 1.0 ELSE 0.0 END" for c, level in dummies]
    if len(columns) != len(coefficients):
        raise ValueError("the model's coefficients do not match its design")
    eta = " + ".join([_double(float(fitted.intercept_[0])), *(f"{_double(b)} * ({x})" for b, x in zip(coefficients, columns))])
    clipped = f"LEAST(GREATEST({eta}, {_double(-CLIP)}), {_double(CLIP)})"
    return f"1.0 / (1.0 + exp(-({clipped})))"


def _standardised(column: str, mean: float, sd: float, log1p: bool) -> str:
    """A continuous column as the design holds it: (value - training mean) / training SD, after log(1 + x) when asked."""
    value = f"CAST({sql.quote(column)} AS DOUBLE)"
    if log1p:
        value = f"ln(1.0 + {value})"
    return f"({value} - {_double(mean)}) / {_double(sd)}"


def _double(x: float) -> str:
    """A float as an exact DOUBLE literal: a bare 0.1 is a DECIMAL in both engines, and repr round-trips."""
    return f"CAST('{x!r}' AS DOUBLE)"


def _excluded(values: Sequence[Any], dialect: sql.Dialect) -> str:
    """The values left out, as a one-column table ``k`` (an array unnested: an IN list of thousands is slow to plan)."""
    items = ", ".join(sql.literal(str(v)) for v in values)
    if dialect is sql.SPARK:
        return f"SELECT explode(array({items})) AS k"
    return f"SELECT unnest([{items}]) AS k"


def score_histogram(
    all_rows: AllRows,
    model: Any,
    target: str,
    positive_class: str,
    threshold: float,
    exclude: Sequence[Any] = (),
    key: str = "_row",
    log1p_columns: Sequence[str] = (),
    bins: int = BINS,
) -> ScoreHistogram:
    """Score every row of ``all_rows`` but those excluded, in the engine, and count the scores of each class.

    Parameters
    ----------
    all_rows : AllRows
        Every usable row of the study (DuckDB or Spark).
    model : analysis.model.BalancedLogit
        The fitted prediction model.
    target, positive_class : str
        The label column and the label counted as positive.
    threshold : float
        A row scored at or above it is called positive.
    exclude : sequence
        Values of ``key`` whose rows are not scored: the training rows.
    key : str
        The column ``exclude`` names: ``_row``, or any column unique among the usable rows (the video id).
        Compared as text, so the values are given as the engine spells them.
    log1p_columns : sequence of str
        As in ``score_expression``.
    bins : int

    Returns
    -------
    ScoreHistogram
    """
    import numpy as np

    score = score_expression(model, log1p_columns)
    label = f"CASE WHEN {sql.quote(target)} = {sql.literal(positive_class)} THEN 1 ELSE 0 END"
    where = ""
    if exclude:
        text = "STRING" if all_rows.dialect is sql.SPARK else "VARCHAR"
        excluded = _excluded(exclude, all_rows.dialect)
        where = f"WHERE NOT EXISTS (SELECT 1 FROM ({excluded}) AS ex WHERE ex.k = CAST(r.{sql.quote(key)} AS {text}))"
    scored = f"SELECT {label} AS y, {score} AS score FROM (SELECT * FROM {{rows}}) AS r {where}"
    bin_of = f"LEAST(CAST(floor(score * {bins}) AS BIGINT), {bins - 1})"
    query = (
        f"SELECT y, {bin_of} AS bin, COUNT(*) AS n, SUM(CASE WHEN score >= {_double(threshold)} THEN 1 ELSE 0 END) AS above "
        f"FROM ({scored}) AS s GROUP BY y, {bin_of}"
    )
    counts = {1: np.zeros(bins, dtype=np.int64), 0: np.zeros(bins, dtype=np.int64)}
    above = {1: 0, 0: 0}
    for y, b, n, a in all_rows.query(query):
        counts[int(y)][int(b)] += int(n)
        above[int(y)] += int(a)
    return ScoreHistogram(bins, counts[1], counts[0], above[1], above[0], float(threshold))


def predicted_histogram(
    all_rows: AllRows,
    predict: Callable[[pd.DataFrame], np.ndarray],
    columns: Sequence[str],
    target: str,
    positive_class: str,
    threshold: float,
    exclude: np.ndarray | Sequence[int] = (),
    chunk_rows: int = CHUNK_ROWS,
    bins: int = BINS,
) -> ScoreHistogram:
    """Score every row of ``all_rows`` but those excluded with a model that is not SQL, chunk by chunk, and count.

    The rows come out of the engine ``chunk_rows`` at a time (``AllRows.chunks``);
    each chunk is scored by ``predict`` and only its counts are kept, in the
    same bins, and with the same exact counts at the threshold, as ``score_histogram``.

    Parameters
    ----------
    all_rows : AllRows
        Every usable row of the study (DuckDB or Spark).
    predict : callable
        A frame of ``columns`` (as the engine types them: counts float, categories text) -> the positive class's
        score of each row, in [0, 1].
    columns : sequence of str
        The study's columns ``predict`` reads (the target among them or not).
    target, positive_class : str
        The label column and the label counted as positive.
    threshold : float
        A row scored at or above it is called positive.
    exclude : array of int
        ``_row`` values whose rows are not scored (the rows the model was fitted on or chosen with). Left out
        here, not in SQL: a list of thousands of keys is slow for Spark to plan, a sorted array is quick to search.
    chunk_rows : int
        The most rows in memory at once.
    bins : int

    Returns
    -------
    ScoreHistogram
    """
    import numpy as np

    names = ", ".join(sql.quote(c) for c in dict.fromkeys(("_row", *columns, target)))
    excluded = np.unique(np.asarray(exclude, dtype=np.int64))
    counts = {True: np.zeros(bins, dtype=np.int64), False: np.zeros(bins, dtype=np.int64)}
    above = {True: 0, False: 0}
    for chunk in all_rows.chunks(f"SELECT {names} FROM {{rows}}", chunk_rows):
        keys = chunk["_row"].to_numpy(dtype=np.int64)
        at = np.minimum(np.searchsorted(excluded, keys), max(excluded.size - 1, 0))
        held = ~(excluded[at] == keys) if excluded.size else np.ones(keys.size, dtype=bool)
        rows = chunk.loc[held].reset_index(drop=True)
        if rows.empty:
            continue
        y = (rows[target].astype(str) == positive_class).to_numpy()
        scores = np.asarray(predict(rows[list(columns)]), dtype=float)
        at_bin = np.minimum(np.floor(scores * bins).astype(np.int64), bins - 1)  # as ``score_histogram``'s SQL bins
        for label in (True, False):
            counts[label] += np.bincount(at_bin[y == label], minlength=bins)
            above[label] += int((scores[y == label] >= threshold).sum())
    return ScoreHistogram(bins, counts[True], counts[False], above[True], above[False], float(threshold))


def held_out_all_rows(all_rows: AllRows, model: Any, train: Any, config: Any) -> Any:
    """The model's metrics over every usable row but the sample's training rows: ``results.HeldOutAllRows``.

    Parameters
    ----------
    all_rows : AllRows
        Every usable row of the study.
    model : analysis.model.BalancedLogit
    train : pandas.DataFrame
        The sample's training rows; their video ids name them (ids are unique among usable rows: repeats are dropped).
    config : Config
        ``[model]``: target, positive class, threshold (the one evaluated), ``log1p_counts`` and the seed of the bootstrap.

    Returns
    -------
    results.HeldOutAllRows
    """
    from reportgen import schema
    from reportgen.analysis.design import LOG1P_COLUMNS

    m = config.model
    ids = [str(v) for v in train[schema.VIDEO_ID].tolist()]  # as the engines key ids: the digits, no leading zeros
    logged = [c for c in model.spec.continuous if c in LOG1P_COLUMNS] if m.log1p_counts else []
    hist = score_histogram(all_rows, model, m.target, m.positive_class, m.threshold, ids, schema.VIDEO_ID, logged)
    return held_out_metrics(hist, all_rows, m.seed)


def held_out_metrics(hist: ScoreHistogram, all_rows: AllRows, seed: int) -> Any:
    """A histogram of held-out scores as ``results.HeldOutAllRows``: its metrics and bootstrap intervals (seeded).

    ``training_rows_excluded`` counts the rows of ``all_rows`` the histogram left out (the rows used to fit,
    and for the classifier also to choose, the model).
    """
    from reportgen.results import ConfusionMatrix, HeldOutAllRows, MetricInterval
    from reportgen.stats.histogram import cells_from_bins, histogram_metrics

    cells = cells_from_bins(hist.positives, hist.negatives, hist.positives_above, hist.negatives_above, hist.threshold)
    h = histogram_metrics(cells, seed)
    # The histogram's metrics under the same names, its intervals as result records, its four counts as one matrix.
    same = {f.name: getattr(h, f.name) for f in dataclasses.fields(h) if f.name in HeldOutAllRows.__dataclass_fields__}
    return HeldOutAllRows(
        **same | {"intervals": tuple(MetricInterval.of(i) for i in h.intervals)},
        engine="spark" if all_rows.dialect is sql.SPARK else "duckdb",
        rows=hist.rows,
        positives=int(hist.positives.sum()),
        training_rows_excluded=all_rows.rows - hist.rows,
        bins=hist.bins,
        threshold=hist.threshold,
        confusion_matrix=ConfusionMatrix(tn=h.tn, fp=h.fp, fn=h.fn, tp=h.tp),
        seed=seed,
    )
