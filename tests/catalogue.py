"""The bad-input catalogue of test_bad_inputs.py, as the engine agreement tests read it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def engine_neutral_cases() -> list:
    """The entries every engine must answer alike: not those that set the environment or pin an engine (pandas' size limit)."""
    spec = importlib.util.spec_from_file_location("bad_inputs", Path(__file__).with_name("test_bad_inputs.py"))
    module = sys.modules.setdefault("bad_inputs", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return [c for c in module.CATALOGUE if not c.env and "--engine" not in c.args]
