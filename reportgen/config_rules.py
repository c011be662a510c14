"""Checks of config values, driven by the config dataclasses themselves.

The type of every value comes from its field's annotation; its range, choices
and length limit are declared beside the field with :func:`checked`. One walk
over the dataclasses (:func:`build`) turns the TOML tables into frozen
sections and refuses the first bad value with one line that names the key, the
value given (escaped, shortened) and what to do. A new section or key needs a
field and its declaration, never a new hand-written check.

Kept to the standard library on purpose: pydantic would do the walk, but
importing it and building its schemas costs about 0.1 s on every command,
including the unchanged-rebuild path, and its messages would still need
rewriting into ours (key, value, hint, "did you mean").
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

#: How much of a bad value a message quotes.
SHOWN_CHARS = 60

Choices = tuple[str, ...] | Callable[[Mapping[str, Any]], tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    """What a value must satisfy beyond its type.

    ``low``/``high`` are numbers, or the name of a sibling field whose value is
    the bound. ``choices`` may be a function of the section's values (for
    choices that depend on another key). For a list, ``choices`` applies to
    each item; ``exclude`` pairs a sibling field whose values the list may
    not repeat with the reason why.
    """

    low: float | str | None = None
    high: float | str | None = None
    low_open: bool = False
    high_open: bool = False
    choices: Choices = ()
    noun: str = ""  # what an item of ``choices`` is, for messages ("column the model can use")
    max_len: int | None = None
    min_items: int = 0
    unique: bool = False
    exclude: tuple[tuple[str, str], ...] = ()
    why: str = ""  # the reason behind the rule, said in the hint when it is broken


def checked(default: Any = dataclasses.MISSING, *, factory: Callable[[], Any] | None = None, **rule: Any) -> Any:
    """A dataclass field with its default and its :class:`Rule`."""
    metadata = {"rule": Rule(**rule)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def build(kind: type, raw: Any, source: Path | str, key: str = "") -> Any:
    """One frozen dataclass from a TOML table, every value checked.

    Parameters
    ----------
    kind : type
        The dataclass to build; nested dataclass fields are built the same way.
    raw : Any
        The table as parsed (a dict); missing keys keep their defaults.
    source : Path or str
        The file (or command-line option) the values came from, for messages.
    key : str
        The dotted key of this table ("" for the whole file).

    Raises
    ------
    InputError
        The first unknown key, wrong type or value out of range, by key.
    """
    if not isinstance(raw, dict):
        raise _wrong_type(source, key, raw, "a table", "")
    fields = {f.name: f for f in dataclasses.fields(kind)}
    types = typing.get_type_hints(kind)
    for name, value in raw.items():
        if name not in fields:
            raise _unknown(source, key, name, value, fields, types)
    values = {name: _typed(types[name], value, source, _join(key, name), _default(fields[name])) for name, value in raw.items()}
    known = {name: values[name] if name in values else _default(f) for name, f in fields.items()}
    for name, f in fields.items():
        if "rule" in f.metadata:
            _check(f.metadata["rule"], known[name], known, source, key, name, _default(f), raw.get(name, known[name]))
    return kind(**values)


# --- types ----------------------------------------------------------------------


def _typed(kind: Any, value: Any, source: Path | str, key: str, default: Any = dataclasses.MISSING) -> Any:
    """The value as ``kind`` (tuples for lists, floats for numbers), or the error naming ``key``."""
    if dataclasses.is_dataclass(kind):
        return build(kind, value, source, key)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _wrong_type(source, key, value, _TYPE_NAMES[tuple], _example(kind, value, default))
        return tuple(_typed(args[0], item, source, f"{key}[{i}]") for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong_type(source, key, value, "a table", "")
        return {name: _typed(args[1], item, source, _join(key, name)) for name, item in value.items()}
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise _refuse(source, key, f"must be a finite number, not {_shown(value)}", _default_hint(key.rsplit(".", 1)[-1], default))
        return float(value)  # an int is a fine float: alpha = 1 means 1.0
    if kind in (int, str, bool) and type(value) is kind:  # exact type: a bool is not an int here
        if kind is str and not value.isprintable():
            raise _refuse(source, key, f"must be printable text on one line, not {_shown(value)}", "remove line breaks, tabs and other control characters")
        return value
    if kind in _TYPE_NAMES:
        raise _wrong_type(source, key, value, _TYPE_NAMES[kind], _example(kind, value, default))
    raise TypeError(f"config field {key} has a type the checks do not know: {kind!r}")  # a programming error


_TYPE_NAMES: dict[Any, str] = {
    float: "a number",
    int: "a whole number",
    str: "text in quotes",
    bool: "true or false",
    tuple: "a list of text in brackets",
}


def _example(kind: Any, value: Any, default: Any) -> str:
    """The given value written as ``kind`` would be when that is obvious (``"0.3"`` -> ``0.3``), else the default."""
    fallback = f"{_shown(default)}, the default" if default is not dataclasses.MISSING else ""
    if typing.get_origin(kind) is tuple and isinstance(value, str):
        return _shown([value])
    if kind in (int, float) and isinstance(value, str):
        try:
            number = kind(value.strip())
        except ValueError:
            return fallback
        return _shown(number) if math.isfinite(number) else fallback
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _shown(str(value))
    return fallback


# --- rules ----------------------------------------------------------------------


def _check(rule: Rule, value: Any, section: Mapping[str, Any], source: Path | str, table: str, name: str, default: Any, given: Any) -> None:
    """Refuse ``value`` (``given`` as written) when it breaks ``rule``; ``section`` holds its siblings' values."""
    key = _join(table, name)
    hint = _default_hint(name, default)
    if isinstance(value, tuple):
        _check_items(rule, value, section, source, table, key)
        return
    if isinstance(value, str):
        if rule.max_len is not None and len(value) > rule.max_len:
            raise _refuse(source, key, f"is {len(value):,} characters long, over the limit of {rule.max_len}: {_shown(value)}", f"shorten it; {rule.why}" if rule.why else "shorten it")
        choices = _choices(rule, section)
        if choices and value not in choices:
            raise _refuse(source, key, f"must be one of {', '.join(_shown(c) for c in choices)}, not {_shown(value)}", _did_you_mean(value, choices) or hint)
        return
    if isinstance(value, (int, float)):
        low, high = _bound(rule.low, section, table), _bound(rule.high, section, table)
        too_low = low is not None and (value <= low[0] if rule.low_open else value < low[0])
        too_high = high is not None and (value >= high[0] if rule.high_open else value > high[0])
        if too_low or too_high:
            raise _refuse(source, key, f"must be {_range_phrase(rule, low, high)}, not {_shown(given)}", f"{rule.why}; {hint}" if rule.why else hint)


def _check_items(rule: Rule, items: tuple[Any, ...], section: Mapping[str, Any], source: Path | str, table: str, key: str) -> None:
    """The rules of a list: length, allowed items, no repeats, nothing a sibling already names."""
    if len(items) < rule.min_items:
        needs = f"it needs at least {rule.min_items} item{'s' if rule.min_items > 1 else ''}"
        raise _refuse(source, key, f"is empty; {needs}" if not items else f"has {len(items)}; {needs}", f"list at least {rule.min_items}")
    choices = _choices(rule, section)
    seen: set[Any] = set()
    for item in items:
        if choices and item not in choices:
            what = f"which is not a {rule.noun}" if rule.noun else "which is not one of " + ", ".join(_shown(c) for c in choices)
            raise _refuse(source, key, f"names {_shown(item)}, {what}", _did_you_mean(item, choices) or "choose from " + ", ".join(choices))
        if rule.unique and item in seen:
            raise _refuse(source, key, f"names {_shown(item)} twice", "list each one once")
        seen.add(item)
        for other, why in rule.exclude:
            taken = section[other]
            if item == taken or (isinstance(taken, tuple) and item in taken):
                which = "which is" if item == taken else "which is already in"
                raise _refuse(source, key, f"names {_shown(item)}, {which} {_join(table, other)}", f"remove it from {key}; {why}")


def _choices(rule: Rule, section: Mapping[str, Any]) -> tuple[str, ...]:
    """The allowed values, worked out from the siblings when they depend on them."""
    return tuple(rule.choices(section)) if callable(rule.choices) else rule.choices


def _bound(bound: float | str | None, section: Mapping[str, Any], table: str) -> tuple[float, str] | None:
    """(value, how to say it): a number, or a sibling's value with its key."""
    if bound is None:
        return None
    if isinstance(bound, str):
        return section[bound], f"{_join(table, bound)} ({_shown(section[bound])})"
    return bound, _shown(bound)


def _range_phrase(rule: Rule, low: tuple[float, str] | None, high: tuple[float, str] | None) -> str:
    """'above 0 and at most 0.5', 'at least 1', ..."""
    parts = []
    if low is not None:
        parts.append(("above " if rule.low_open else "at least ") + low[1])
    if high is not None:
        parts.append(("below " if rule.high_open else "at most ") + high[1])
    return " and ".join(parts)


# --- messages -------------------------------------------------------------------


def _refuse(source: Path | str, key: str, problem: str, hint: str = "") -> InputError:
    """The one-line error: file, key, what is wrong with the value, what to do."""
    return InputError(f"{key} {problem}", file=source, hint=hint)


def _wrong_type(source: Path | str, key: str, value: Any, expected: str, example: str) -> InputError:
    """A value of the wrong kind, with the value as it should be written when that is obvious."""
    leaf = key.rsplit(".", 1)[-1]
    if "[" in leaf:  # an item of a list
        hint = f"write every item as {expected}"
    elif expected == "a table":
        hint = f"write it as a [{key}] section of key = value lines"
    else:
        hint = f"write it as {leaf} = {example}" if example else f"write it as {expected}"
    where = key or "the file"
    return _refuse(source, where, f"must be {expected}, not {_kind(value)} {_shown(value)}", hint)


def _unknown(source: Path | str, table: str, name: str, value: Any, fields: Mapping[str, Any], types: Mapping[str, Any]) -> InputError:
    """An unknown key or section, with the nearest known name, or the section a known key belongs in."""
    is_table = isinstance(value, dict)
    tables = [n for n in fields if dataclasses.is_dataclass(types[n]) or typing.get_origin(types[n]) is dict]
    candidates = tables if is_table and tables else list(fields)
    what = f"section [{_join(table, name)}]" if is_table else f"key {_join(table, name)}"
    near = _did_you_mean(name, candidates, lambda n: f"[{_join(table, n)}]" if is_table else _join(table, n))
    homes = [_join(table, n) for n in tables if dataclasses.is_dataclass(types[n]) and name in {f.name for f in dataclasses.fields(types[n])}]
    if not near and homes:
        near = f"did you mean {homes[0]}.{name}? put it under [{homes[0]}]"
    label = "sections" if not table else "keys"
    hint = near or f"known {label}" + (f" in [{table}]" if table else "") + ": " + ", ".join(candidates)
    return InputError(f"unknown {what}", file=source, hint=hint)


def _did_you_mean(given: Any, choices: typing.Iterable[str], show: Callable[[str], str] = lambda c: _shown(c)) -> str:
    """'did you mean X?' for a near miss, else ''."""
    if not isinstance(given, str):
        return ""
    import difflib  # only on the way to an error

    choices = list(choices)
    near = difflib.get_close_matches(given, choices, n=1, cutoff=0.6)
    near = near or [c for c in choices if len(given) >= 3 and given in c]  # a shortened name: min_events
    return f"did you mean {show(near[0])}?" if near else ""


def _default_hint(name: str, default: Any) -> str:
    """'the default is seed = 42'."""
    return f"the default is {name} = {_shown(default)}" if default is not dataclasses.MISSING else ""


def _default(f: dataclasses.Field) -> Any:
    """A field's default value."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _join(table: str, name: str) -> str:
    """'model' + 'seed' -> 'model.seed'."""
    return f"{table}.{name}" if table else name


def _kind(value: Any) -> str:
    """What the user wrote, in words."""
    if isinstance(value, bool):
        return "the boolean"
    if isinstance(value, (int, float)):
        return "the number"
    if isinstance(value, str):
        return "the text"
    if isinstance(value, (list, tuple)):
        return "the list"
    if isinstance(value, dict):
        return "the table"
    return f"the {type(value).__name__}"


def _shown(value: Any) -> str:
    """A value as TOML would write it, escaped, cut to SHOWN_CHARS."""
    text = _toml(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _toml(value: Any) -> str:
    """TOML-ish literal of a parsed value (strings quoted with escapes, so a control character shows as one)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        body = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in body[: SHOWN_CHARS * 2]) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value[:SHOWN_CHARS]) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in list(value.items())[:SHOWN_CHARS]) + "}"
    return repr(value)
