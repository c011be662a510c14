"""The one Jinja2 environment: templates from ``templates/``, autoescaping on, number filters."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportgen.formatters import FILTERS
from reportgen.resources import templates_dir


@lru_cache(maxsize=1)
def environment() -> Any:
    """A sandboxed environment: data text is escaped and can never run as template code."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.filters["data_uri"] = data_uri
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)


def data_uri(path: Path | str, mime: str = "image/png") -> str:
    """A file as a ``data:`` URI, so the HTML needs nothing beside it."""
    payload = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:{mime};base64,{payload}"
