"""reportgen: statistical reports on the claims data, from one command.

The public surface is small and loads lazily, so importing the package (and
starting the CLI) pulls in no heavy library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Config", "InputError", "Project", "analyse_file", "build"]

if TYPE_CHECKING:
    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.errors import InputError
    from reportgen.pipeline import analyse_file
    from reportgen.project import Project

_HOMES = {"Config": "reportgen.config", "InputError": "reportgen.errors", "analyse_file": "reportgen.pipeline", "build": "reportgen.builder", "Project": "reportgen.project"}


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    import importlib

    if name not in _HOMES:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
