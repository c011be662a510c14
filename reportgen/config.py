"""Typed, frozen configuration: defaults live here and nowhere else.

A ``reportgen.toml`` may override any field; with no file the defaults hold.
Change a config by copy (``dataclasses.replace``), never in place.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

BALANCING_CHOICES = ("class_weight", "upsample", "none")
AUDIENCES = ("leadership", "technical")

#: A config is a few hundred bytes; the cap stops /dev/zero or a log file
#: passed by mistake from being read into memory.
MAX_CONFIG_BYTES = 1 << 20
_GIVE_A_FILE = "give the path of a reportgen.toml, or leave out --config for the defaults"

COURSE_PREDICTORS = (
    "video_duration_sec",
    "claim_status",
    "author_ban_status",
    "video_view_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)


@dataclass(frozen=True)
class ReportConfig:
    """Titles and tone of the documents."""

    title: str = "Executive Summary: Predicting Verified Authors"
    subtitle: str = "Logistic regression on video features, to speed up claim moderation"
    project: str = "Claims classification"
    audience: str = "leadership"


@dataclass(frozen=True)
class ModelConfig:
    """What is modelled and how it is split, balanced and judged."""

    target: str = "verified_status"
    positive_class: str = "verified"
    predictors: tuple[str, ...] = COURSE_PREDICTORS
    #: Candidates screened for multicollinearity beside the predictors; the
    #: screening rule decides from the data which of all of them stay.
    extra_candidates: tuple[str, ...] = ("video_like_count",)
    test_size: float = 0.25
    seed: int = 42
    balancing: str = "class_weight"
    threshold: float = 0.5


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds of the assumption checks."""

    vif_limit: float = 5.0
    vif_severe: float = 10.0
    correlation_limit: float = 0.7
    alpha: float = 0.05
    min_events_per_predictor: int = 10
    good_events_per_predictor: int = 20
    imbalance_warn_share: float = 0.2


@dataclass(frozen=True)
class DeliveryConfig:
    """Where the summary goes: audience name -> addresses."""

    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """All settings of one build."""

    report: ReportConfig = ReportConfig()
    model: ModelConfig = ModelConfig()
    checks: CheckConfig = CheckConfig()
    delivery: DeliveryConfig = DeliveryConfig()

    @classmethod
    def from_file(cls, path: Path | str | None) -> Config:
        """Read a ``reportgen.toml``; ``None`` gives the defaults.

        Raises
        ------
        InputError
            The file is missing, unreadable, not a regular file, over
            ``MAX_CONFIG_BYTES``, not UTF-8 TOML, or has an unknown key or a
            bad value.
        """
        if path is None:
            return cls()
        text = _read_text(Path(path))
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"config file is not valid TOML: {exc}", file=path, hint="see https://toml.io for the syntax") from None
        except RecursionError:  # tomllib recurses once per nested bracket
            raise InputError("config file is not valid TOML: nested too deeply", file=path, hint="a reportgen.toml nests two tables at most") from None
        return cls.from_dict(raw, source=path)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: Path | str = "config") -> Config:
        """Build a config from nested dicts, rejecting unknown keys."""
        sections = {f.name: f.type for f in dataclasses.fields(cls)}
        unknown = set(raw) - set(sections)
        if unknown:
            raise InputError(f"unknown section(s) {sorted(unknown)}", file=source)
        delivery = raw.get("delivery", {})
        parts = {
            "report": _section(ReportConfig, "report", raw, source),
            "model": _section(ModelConfig, "model", raw, source),
            "checks": _section(CheckConfig, "checks", raw, source),
            "delivery": DeliveryConfig(
                audiences={k: tuple(v) for k, v in delivery.get("audiences", {}).items()}
            ),
        }
        config = cls(**parts)
        config.validate(source)
        return config

    def with_overrides(self, *, seed: int | None = None, audience: str | None = None) -> Config:
        """A copy with the command-line overrides applied."""
        config = self
        if seed is not None:
            config = dataclasses.replace(config, model=dataclasses.replace(config.model, seed=seed))
        if audience is not None:
            config = dataclasses.replace(
                config, report=dataclasses.replace(config.report, audience=audience)
            )
        config.validate("command line")
        return config

    def validate(self, source: Path | str) -> None:
        """Refuse values no analysis could use."""
        m = self.model
        if m.balancing not in BALANCING_CHOICES:
            raise InputError(f"model.balancing must be one of {BALANCING_CHOICES}", file=source)
        if not 0.05 <= m.test_size <= 0.5:
            raise InputError("model.test_size must be between 0.05 and 0.5", file=source)
        if not 0.0 < m.threshold < 1.0:
            raise InputError("model.threshold must be between 0 and 1", file=source)
        if not m.predictors:
            raise InputError("model.predictors must name at least one column", file=source)
        if m.target in m.predictors:
            raise InputError("the target cannot also be a predictor", file=source)
        if self.report.audience not in AUDIENCES:
            raise InputError(f"report.audience must be one of {AUDIENCES}", file=source)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest."""
        return dataclasses.asdict(self)


def _section(kind: type, name: str, raw: dict[str, Any], source: Path | str) -> Any:
    """One frozen section from a TOML table, with tuples for lists."""
    values = raw.get(name, {})
    unknown = set(values) - {f.name for f in dataclasses.fields(kind)}
    if unknown:
        raise InputError(f"unknown key(s) {sorted(unknown)} in [{name}]", file=source)
    clean = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return kind(**clean)


def _read_text(path: Path) -> str:
    """The text of a config file: a regular file under the size cap, UTF-8, or the error naming it."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"config file is {_file_kind(info.st_mode)}, not a regular file", file=path, hint=_GIVE_A_FILE)
        if info.st_size > MAX_CONFIG_BYTES:
            raise _too_big(path, info.st_size)
        # O_NONBLOCK: should the path become a FIFO after the stat, opening it still returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError("config file is not a regular file", file=path, hint=_GIVE_A_FILE)
            data = fh.read(MAX_CONFIG_BYTES + 1)  # never more than the cap, even if the file grows meanwhile
    except FileNotFoundError:
        raise InputError("config file not found", file=path, hint=_GIVE_A_FILE) from None
    except PermissionError:
        raise InputError("config file cannot be read: permission denied", file=path, hint="check its permissions") from None
    except NotADirectoryError:
        raise InputError("config file cannot be read: a folder in its path is a file", file=path, hint=_GIVE_A_FILE) from None
    except (OSError, ValueError) as exc:  # too long a name, a NUL byte, an I/O error
        raise InputError(f"config file cannot be read: {getattr(exc, 'strerror', None) or exc}", file=path, hint=_GIVE_A_FILE) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise _too_big(path, len(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"config file is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}", file=path, hint="save it as UTF-8") from None


def _too_big(path: Path, size: int) -> InputError:
    """The size-cap refusal."""
    return InputError(f"config file is {size:,} bytes, over the limit of {MAX_CONFIG_BYTES:,}", file=path, hint="a reportgen.toml is a few hundred bytes; check the path")


def _file_kind(mode: int) -> str:
    """'a directory', 'a FIFO', ... for a non-regular file."""
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")
