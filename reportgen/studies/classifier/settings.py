"""The classifier study's settings: the ``[studies.classifier]`` table of reportgen.toml.

Every field is checked (type from the annotation, range or choices beside the
default) before any work; ``config.study_settings("classifier")`` gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen import schema
from reportgen.config_rules import checked

#: What a search can refit on (scikit-learn scorer names).
REFIT_METRICS = ("recall", "precision", "f1", "accuracy", "roc_auc", "average_precision")
VECTORIZERS = ("counts", "tfidf")


@dataclass(frozen=True)
class ClassifierSettings:
    """Target, split, text features, search and the shortcut audit's margin."""

    target: str = checked("claim_status", choices=tuple(schema.CATEGORIES))
    positive_class: str = checked("claim", choices=lambda s: schema.CATEGORIES.get(s["target"], ()))
    #: Shares of the usable rows held out for validation and for test; the rest trains.
    validation_size: float = checked(0.2, low=0.05, high=0.4)
    test_size: float = checked(0.2, low=0.05, high=0.4)
    seed: int = checked(42, low=0, high=2**32, high_open=True, why="scikit-learn takes seeds below 2**32")
    #: How the transcription's n-grams are counted: raw counts or TF-IDF weights.
    text_features: str = checked("counts", choices=VECTORIZERS)
    ngram_min: int = checked(1, low=1, high=3)
    ngram_max: int = checked(3, low="ngram_min", high=3)
    #: The most frequent n-grams of the training rows kept as features (0: no n-gram features).
    vocabulary_size: int = checked(20, low=0, high=500, why="each n-gram is a column; hundreds slow the search and the audit")
    refit_metric: str = checked("recall", choices=REFIT_METRICS)
    cv_folds: int = checked(3, low=2, high=10)
    #: The search runs on a stratified sample of at most this many training rows; the chosen parameters are refitted on all of them.
    search_rows: int = checked(3000, low=100, why="each fold needs rows of both classes")
    #: Parallel jobs for the search (2 cores are the machine the targets assume).
    n_jobs: int = checked(2, low=1, high=64)
    #: A single feature (ROC AUC) or a single-threshold rule (accuracy) this close to the champion is a shortcut.
    shortcut_margin: float = checked(0.02, low=0, high=0.5)
    permutation_repeats: int = checked(3, low=1, high=50)
    threshold: float = checked(0.5, low=0, high=1, low_open=True, high_open=True)
