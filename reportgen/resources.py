"""Where the shipped templates and assets are, installed editable or not."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def templates_dir() -> Path:
    """The ``templates/`` folder (package ``reportgen.templates``)."""
    return Path(str(files("reportgen.templates")))


def assets_dir() -> Path:
    """The ``assets/`` folder (package ``reportgen.assets``)."""
    return Path(str(files("reportgen.assets")))
