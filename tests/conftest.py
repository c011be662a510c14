"""Shared fixtures: the real dataset (beside the project, never inside it) and small frames."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = Path(os.environ.get("REPORTGEN_REAL_DATA", ROOT.parent / "shared" / "data" / "tiktok_dataset.csv"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real claims CSV; CI sets REPORTGEN_REQUIRE_REAL_DATA so its absence fails there."""
    if not REAL_DATA.is_file():
        if os.environ.get("REPORTGEN_REQUIRE_REAL_DATA"):
            pytest.fail(f"the real dataset is required but missing: {REAL_DATA}")
        pytest.skip(f"real dataset not found at {REAL_DATA}")
    return REAL_DATA


@dataclass(frozen=True)
class StudyBuild:
    """One study of a finished build: its folder, its results, and the whole build's report."""

    out: Path
    results: object
    report: object


def study_build(report, study_id: str = "regression") -> StudyBuild:
    """The folder and results of one study of ``report`` (a ``BuildReport``)."""
    return StudyBuild(report.out / study_id, report.study(study_id).results, report)


@pytest.fixture(scope="session")
def real_build(real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> StudyBuild:
    """The regression study of one full build of the real data, shared by every test that reads its outputs."""
    from reportgen.builder import build
    from reportgen.config import Config

    return study_build(build(real_data, tmp_path_factory.mktemp("real") / "out", Config(), studies=["regression"]))


def write_csv(path: Path, frame) -> Path:
    """Write a frame as the claims CSV (no index)."""
    frame.to_csv(path, index=False)
    return path


@pytest.fixture()
def small_frame():
    """A valid 2,000-row frame from the synthetic generator (seeded)."""
    from reportgen.synthetic import generate

    return generate(rows=2_000, seed=7)


@pytest.fixture(scope="module")
def spark():
    """One local Spark session for a test module, stopped after it (the Spark test modules skip where Spark cannot run)."""
    from reportgen.engines import spark as spark_engine

    yield spark_engine.session()
    spark_engine.stop()
