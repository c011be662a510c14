"""Plain JSON back into the frozen result dataclasses, guided by their type hints.

Lets an unchanged or re-rendered build reuse ``results.json`` without
re-fitting anything (and without importing a heavy library).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any


def from_plain(kind: Any, value: Any) -> Any:
    """Convert ``value`` (parsed JSON) to an instance of the type ``kind``."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, value)
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(kind), value)
    if origin is tuple:
        return _tuple(typing.get_args(kind), value)
    if origin is dict:
        _, item = typing.get_args(kind)
        return {k: from_plain(item, v) for k, v in value.items()}
    if origin is typing.Literal or kind is Any:
        return value
    if kind is float and isinstance(value, str):
        return float(value)  # "inf" and "nan" were written as strings
    return value


def _dataclass(kind: Any, value: dict[str, Any]) -> Any:
    """A dataclass from its JSON object; unknown keys (derived extras) are ignored."""
    hints = typing.get_type_hints(kind)
    fields = {f.name for f in dataclasses.fields(kind) if f.init}
    return kind(**{name: from_plain(hints[name], value[name]) for name in fields if name in value})


def _union(options: tuple[Any, ...], value: Any) -> Any:
    """The first option the value fits: None, a dataclass, then plain values."""
    if value is None:
        return None
    for option in options:
        if dataclasses.is_dataclass(option) and isinstance(value, dict):
            return from_plain(option, value)
    if float in options and isinstance(value, str) and value in ("inf", "-inf", "nan"):
        return float(value)
    return value


def _tuple(args: tuple[Any, ...], value: list[Any]) -> tuple[Any, ...]:
    """tuple[X, ...] or a fixed tuple[X, Y]."""
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(from_plain(args[0], v) for v in value)
    return tuple(from_plain(a, v) for a, v in zip(args, value))
