"""With the Spark engine, the regression's model table comes from Spark's GLM over every usable training row (issue 18).

Spark runs in local mode; skipped, saying why, where PySpark or Java is missing.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reportgen import engines
from reportgen.config import Config
from reportgen.pipeline import analyse
from reportgen.studies import get
from reportgen.studies.regression.technical.model import model as model_section
from reportgen.synthetic import write_csv

spark_engine = pytest.importorskip("reportgen.engines.spark")
_missing = spark_engine.available()
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"the Spark engine cannot run here: {_missing}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo CSV: 3,000 rows, every one of them within the sample."""
    return write_csv(tmp_path_factory.mktemp("spark-fit") / "claims.csv", rows=3_000, seed=11)


def _regression(engine: str, path, config: Config):
    """The regression's dataset and its analysis with ``engine``."""
    study = get("regression")
    dataset = engines.load_studies(engine, path, (study,), config)["regression"]
    return dataset, analyse(dataset, config)


def _table(fit) -> np.ndarray:
    """The model table's numbers: per-unit and per-SD estimates, SEs, p-values, odds ratios and their intervals."""
    keys = ("coef", "std_err", "p_value", "p_holm", "ci_low", "ci_high", "odds_ratio", "or_ci_low", "or_ci_high", "or_per_sd")
    return np.array([[np.nan if getattr(t, k) is None else getattr(t, k) for k in keys] for t in fit.terms], dtype=float)


def test_model_table_from_spark_equals_the_pandas_one_when_every_row_is_analysed(spark, demo):
    config = Config()
    ours, spark_results = _regression("spark", demo, config)
    theirs, pandas_results = _regression("pandas", demo, config)
    assert ours.summary.sample is None and theirs.fit_all is None  # pandas fits the frame, as before
    s, p = spark_results.model, pandas_results.model
    assert [t.term for t in s.terms] == [t.term for t in p.terms]
    np.testing.assert_allclose(_table(s), _table(p), rtol=1e-6, atol=1e-9)
    assert (s.pseudo_r2, s.llr_p_value) == pytest.approx((p.pseudo_r2, p.llr_p_value), rel=1e-6, abs=1e-12)
    assert p.fitted_on is None and "fitted_on" not in pandas_results.to_json()["model"]
    assert s.fitted_on.engine == "spark" and s.fitted_on.rows == s.fitted_on.sampled == s.n_train
    assert s.fitted_on.positives == round(s.train_positive_share * s.n_train)
    assert spark_results.to_json()["model"]["fitted_on"]["rows"] == s.n_train
    intro = model_section(spark_results, {}).blocks[0].text
    assert f"by Spark's binomial GLM on {s.n_train:,} training rows" in intro and "every usable row was analysed" in intro


def test_over_a_sample_spark_fits_every_usable_training_row_and_no_test_row(spark, demo):
    config = Config()
    config = dataclasses.replace(config, data=dataclasses.replace(config.data, sample_rows=1_000))
    dataset = engines.load_studies("spark", demo, (get("regression"),), config)["regression"]
    assert len(dataset.frame) < dataset.summary.rows_used  # below sample_rows' floor? then the table sampled nothing
    results = analyse(dataset, config)
    m, rows = results.model, results.model.fitted_on
    outside = dataset.summary.rows_used - len(dataset.frame)
    assert rows.sampled == m.n_train and rows.rows > m.n_train
    # Each row outside the sample is a training row with probability 1 - test_size: within four SDs of that.
    share = 1 - config.model.test_size
    assert abs((rows.rows - rows.sampled) - share * outside) < 4 * (outside * share * (1 - share)) ** 0.5
    again = analyse(dataset, config).model
    assert again.fitted_on == rows and _table(again) == pytest.approx(_table(m), nan_ok=True)  # seeded
    intro = model_section(results, {}).blocks[0].text
    assert f"{rows.rows - rows.sampled:,} usable rows outside them" in intro and f"seed {config.model.seed}" in intro
