"""The studies: a lazy registry of id -> study, so naming one imports nothing heavy.

Built-in studies live in ``reportgen/studies/<id>/`` and are found by id; a
study written elsewhere (a plug-in, a test) joins with :func:`register`. To
add a study: write an object that follows ``reportgen.core.study.Study`` in a
module of its own, and add one line to ``BUILT_IN`` (or call ``register``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from reportgen.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reportgen.config import Config
    from reportgen.core.study import Study

__all__ = ["BUILT_IN", "available", "chosen", "get", "register", "unregister"]

#: Study id -> "module:attribute" of its study object, in the order a project runs them.
BUILT_IN: dict[str, str] = {
    "exploration": "reportgen.studies.exploration.study:STUDY",
    "hypothesis": "reportgen.studies.hypothesis.study:STUDY",
    "regression": "reportgen.studies.regression.study:STUDY",
    "classifier": "reportgen.studies.classifier.study:STUDY",
}

_registered: dict[str, Study] = {}


def available() -> tuple[str, ...]:
    """Every study id, built-in first (in project order), then registered ones; imports nothing."""
    return (*BUILT_IN, *(k for k in _registered if k not in BUILT_IN))


def get(study_id: str) -> Study:
    """The study object of ``study_id``.

    Raises
    ------
    InputError
        No study has that id (the message lists those that exist).
    """
    if study_id in _registered:
        return _registered[study_id]
    if study_id not in BUILT_IN:
        raise InputError(f"no study is called '{study_id}'", hint="studies: " + ", ".join(available()))
    module, attribute = BUILT_IN[study_id].split(":")
    return getattr(importlib.import_module(module), attribute)


def register(study: Study) -> None:
    """Make ``study`` available by its id (replacing an earlier registration of that id)."""
    _registered[study.id] = study


def unregister(study_id: str) -> None:
    """Forget a registered study (tests use this to clean up)."""
    _registered.pop(study_id, None)


def chosen(requested: Sequence[str] | None, config: Config) -> tuple[Study, ...]:
    """The studies a build runs: ``requested`` (``--study``), else the config's ``[project] studies``, else all.

    Raises
    ------
    InputError
        An id names no study.
    """
    ids = requested or config.project.studies or available()
    return tuple(get(study_id) for study_id in dict.fromkeys(ids))
