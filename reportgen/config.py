"""Typed, frozen configuration: defaults live here and nowhere else.

A ``reportgen.toml`` may override any field; with no file the defaults hold.
Each field declares its range or choices beside its default (``checked``); its
type is its annotation. ``reportgen.config_rules`` checks a whole file against
them before any work. Change a config by copy (``dataclasses.replace``, then
``validate``), never in place.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen import schema
from reportgen.config_rules import build, checked
from reportgen.errors import InputError

BALANCING_CHOICES = ("class_weight", "upsample", "none")
AUDIENCES = ("leadership", "technical")

#: A config is a few hundred bytes; the cap stops /dev/zero or a log file
#: passed by mistake from being read into memory.
MAX_CONFIG_BYTES = 1 << 20
_GIVE_A_FILE = "give the path of a reportgen.toml, or leave out --config for the defaults"

#: Columns a model can use: the categories and counts (ids and free text cannot be predictors).
MODEL_COLUMNS = (*schema.CATEGORIES, *schema.COUNTS)
#: Targets: a category column, so that the positive class is one of its labels.
TARGETS = tuple(schema.CATEGORIES)

COURSE_PREDICTORS = (
    "video_duration_sec",
    "claim_status",
    "author_ban_status",
    "video_view_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)


def _study_ids(_section: Any) -> tuple[str, ...]:
    """Every study id there is (the registry imports nothing heavy)."""
    from reportgen.studies import available

    return available()


@dataclass(frozen=True)
class ProjectConfig:
    """Which studies a build runs when ``--study`` does not say."""

    #: Study ids in the order to build them; empty means every study that exists.
    studies: tuple[str, ...] = checked((), choices=_study_ids, noun="study", unique=True)


@dataclass(frozen=True)
class ReportConfig:
    """Titles and tone of the documents."""

    # The caps come from the one-page summary's title box: the title must fit
    # two lines at its smallest size (16 pt across the 6.8 in page, checked
    # with 120 wide capitals), the subtitle two lines at 11 pt; the project
    # heads the technical report's title page as "<project>: technical report".
    # They are checked before any work, because fitting text to the box costs
    # more the longer it is (100,000 characters took minutes, then failed).
    title: str = checked(
        "Executive Summary: Predicting Verified Authors", max_len=120, why="the one-page summary's title box holds 120 characters"
    )
    subtitle: str = checked(
        "Logistic regression on video features, to speed up claim moderation",
        max_len=200,
        why="the one-page summary's title box holds 200 characters of subtitle",
    )
    project: str = checked("Claims classification", max_len=80, why="it heads the technical report's title page")
    audience: str = checked("leadership", choices=AUDIENCES)


@dataclass(frozen=True)
class ModelConfig:
    """What is modelled and how it is split, balanced and judged."""

    target: str = checked("verified_status", choices=TARGETS)
    positive_class: str = checked("verified", choices=lambda model: schema.CATEGORIES.get(model["target"], ()))
    predictors: tuple[str, ...] = checked(
        COURSE_PREDICTORS, choices=MODEL_COLUMNS, noun="column a model can use", min_items=1, unique=True,
        exclude=(("target", "a model that predicts its target from itself proves nothing"),),
    )
    #: Candidates screened for multicollinearity beside the predictors; the
    #: screening rule decides from the data which of all of them stay.
    extra_candidates: tuple[str, ...] = checked(
        ("video_like_count",), choices=MODEL_COLUMNS, noun="column a model can use", unique=True,
        exclude=(
            ("target", "a model that predicts its target from itself proves nothing"),
            ("predictors", "every predictor is screened already"),
        ),
    )
    test_size: float = checked(0.25, low=0.05, high=0.5)
    seed: int = checked(42, low=0, high=2**32, high_open=True, why="scikit-learn takes seeds below 2**32")
    balancing: str = checked("class_weight", choices=BALANCING_CHOICES)
    threshold: float = checked(0.5, low=0, high=1, low_open=True, high_open=True)
    #: "fixed": classify at ``threshold``; "cv": choose the cut-off on the training rows by cross-validation
    #: (the one that maximises out-of-fold F1), never on the test rows.
    operating_point: str = checked("fixed", choices=("fixed", "cv"))
    #: Model every count column (views, likes, shares, downloads, comments) as log(1 + count): it tames their skew.
    log1p_counts: bool = checked(False)
    #: How many seeds the method note repeats the upsampled-first and split-first comparison over.
    method_note_seeds: int = checked(10, low=1, high=100)


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds of the assumption checks."""

    vif_limit: float = checked(5.0, low=1, low_open=True, why="every VIF is at least 1, so a limit of 1 or less flags every predictor")
    vif_severe: float = checked(10.0, low="vif_limit")
    correlation_limit: float = checked(0.7, low=0, high=1, low_open=True, high_open=True)
    alpha: float = checked(0.05, low=0, high=0.5, low_open=True)
    min_events_per_predictor: int = checked(10, low=1)
    good_events_per_predictor: int = checked(20, low="min_events_per_predictor")
    imbalance_warn_share: float = checked(0.2, low=0, high=0.5, low_open=True)


#: The engines a build can read and check the data with (``reportgen.engines``); "auto" picks by file size.
ENGINES = ("auto", "pandas", "duckdb", "spark")


@dataclass(frozen=True)
class DataConfig:
    """Which engine reads and checks the data, and how many rows the model fits see when it samples."""

    engine: str = checked("auto", choices=ENGINES)
    #: Rows the studies analyse in memory when an out-of-core engine reads more usable rows than this:
    #: a seeded sample, stratified on the study's target; the data-quality counts still cover every row.
    sample_rows: int = checked(
        100_000, low=1_000, why="a fit on fewer rows than this says little; the pandas path has no sample at all"
    )


@dataclass(frozen=True)
class DeliveryConfig:
    """Where the summary goes: audience name -> addresses."""

    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """All settings of one build."""

    project: ProjectConfig = ProjectConfig()
    report: ReportConfig = ReportConfig()
    model: ModelConfig = ModelConfig()
    checks: CheckConfig = CheckConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    data: DataConfig = DataConfig()
    #: Each study's own settings, from its ``[studies.<id>]`` table, typed by the study's ``settings_type``.
    #: The regression's settings are ``[model]`` and ``[checks]`` above (as before studies existed).
    studies: dict[str, Any] = field(default_factory=dict)

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
        """Build a config from nested dicts; every key known, every value of its type and in its range.

        Raises
        ------
        InputError
            The first unknown key or bad value, naming ``source`` and the key.
        """
        raw = dict(raw)
        tables = raw.pop(STUDIES_KEY, {})
        config = build(cls, raw, source)
        return dataclasses.replace(config, studies=_study_settings(tables, source))

    def study_settings(self, study_id: str) -> Any:
        """The settings of a study with a ``settings_type``: its table's values, else its defaults."""
        from reportgen.studies import get

        return self.studies.get(study_id) or get(study_id).settings_type()

    def with_overrides(self, *, seed: int | None = None, audience: str | None = None, engine: str | None = None) -> Config:
        """A copy with the command-line overrides applied, checked like the file's values."""
        config = self
        if engine is not None:
            config = config._override("data", "engine", engine, "--engine")
        if seed is not None:
            config = config._override("model", "seed", seed, "--seed")
        if audience is not None:
            config = config._override("report", "audience", audience, "--audience")
        return config

    def _override(self, section: str, name: str, value: Any, option: str) -> Config:
        """This config with one value replaced, checked with the option named as its source."""
        current = getattr(self, section)
        raw = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
        raw[name] = value
        return dataclasses.replace(self, **{section: build(type(current), raw, option, section)})

    def validate(self, source: Path | str) -> None:
        """Check a config made in code (``dataclasses.replace``) as a file would be checked."""
        Config.from_dict(self.to_dict(), source=source)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest."""
        return dataclasses.asdict(self)


STUDIES_KEY = "studies"


def _study_settings(tables: Any, source: Path | str) -> dict[str, Any]:
    """Each ``[studies.<id>]`` table built into its study's settings type, every value checked."""
    from reportgen.studies import get

    if not isinstance(tables, dict):
        raise InputError(f"{STUDIES_KEY} must be a table of [studies.<id>] tables", file=source)
    settings = {}
    for study_id, table in tables.items():
        try:
            study = get(study_id)
        except InputError as exc:
            raise InputError(f"[{STUDIES_KEY}.{study_id}]: {exc.problem}", file=source, hint=exc.hint) from None
        kind = getattr(study, "settings_type", None)
        if kind is None:
            raise InputError(
                f"the {study_id} study takes no [studies.{study_id}] table", file=source,
                hint="the regression's settings are [model] and [checks]" if study_id == "regression" else "remove the table",
            )
        settings[study_id] = build(kind, table, source, f"{STUDIES_KEY}.{study_id}")
    return settings


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
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")
