"""The classifier's champion scored over every usable row it was neither fitted on nor chosen with (issue 18).

When an out-of-core engine handed the study a sample, the champion (a forest
or gradient boosting over the ``Encoder``'s features: no SQL expression) is
still scored over every honest held-out row: the sample's test rows and every
usable row outside the sample, with the real class mix. Only the sample's
training rows (fitted and tuned on) and validation rows (the champion chosen
on them) are left out, by their ``_row`` (``AllRows.sample_keys`` names the row
of the file behind each row of the study's frame, so no id column rides in the
frame). The rows come out of the engine in chunks, are encoded and scored, and
only a histogram of scores per class is kept (``engines.scoring``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.engines.allrows import CHUNK_ROWS

if TYPE_CHECKING:
    import numpy as np

    from reportgen.engines.allrows import AllRows
    from reportgen.results import HeldOutAllRows
    from reportgen.studies.classifier.analysis import Encoder
    from reportgen.studies.classifier.settings import ClassifierSettings


def held_out_all_rows(
    all_rows: AllRows, encoder: Encoder, champion: Any, fitted: np.ndarray, settings: ClassifierSettings, chunk_rows: int = CHUNK_ROWS
) -> HeldOutAllRows:
    """The champion's metrics over every usable row but the sample's ``fitted`` rows (training and validation).

    Parameters
    ----------
    all_rows : AllRows
    encoder : analysis.Encoder
        Fitted on the sample's training rows.
    champion : estimator
        Any fitted scikit-learn classifier over ``encoder``'s features (``predict_proba``).
    fitted : array of bool
        One per row of the study's frame, True for a row the model was fitted or chosen on.
    settings : ClassifierSettings
    chunk_rows : int
        Rows scored at once (``AllRows.chunks``).

    Returns
    -------
    results.HeldOutAllRows
    """
    import numpy as np

    from reportgen.engines.scoring import held_out_metrics, predicted_histogram
    from reportgen.studies.classifier.analysis import columns

    keys = all_rows.sample_keys
    fitted = np.asarray(fitted, dtype=bool)
    if keys is None or len(keys) != fitted.size:
        # The frame's rows must be the sample's, one for one: a row dropped after sampling would name the wrong rows.
        raise ValueError(f"the frame's {fitted.size} rows do not match the sample's {None if keys is None else len(keys)} keys")

    def predict(frame: Any) -> np.ndarray:
        return champion.predict_proba(encoder.transform(frame))[:, 1]

    hist = predicted_histogram(
        all_rows,
        predict,
        columns(settings),
        settings.target,
        settings.positive_class,
        settings.threshold,
        exclude=keys[fitted],
        chunk_rows=chunk_rows,
    )
    return held_out_metrics(hist, all_rows, settings.seed)
