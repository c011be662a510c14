"""results.json and manifest.json: the machine-readable record of a build."""

from __future__ import annotations

import functools
import json
import math
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from reportgen.config import Config
from reportgen.data import sha256_of
from reportgen.results import AnalysisResults

RESULTS = "results.json"
MANIFEST = "manifest.json"
#: What a manifest says about its writer: a folder counts as a reportgen build only when
#: its manifest carries this mark (``staging`` refuses to replace anything else).
TOOL = "reportgen"
MANIFEST_VERSION = 1
#: The output folder's layout (SPEC.md): 2 = index.html, the build's manifest.json and one folder a study.
LAYOUT = 2
PACKAGES = ("reportgen", "pandas", "numpy", "scikit-learn", "statsmodels", "scipy", "matplotlib", "jinja2", "weasyprint", "python-pptx")


def clean(value: Any) -> Any:
    """JSON-safe copy: tuples as lists, non-finite floats as strings ('inf', 'nan')."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Stable, human-readable JSON (sorted keys stay out: SPEC order reads better)."""
    path.write_text(json.dumps(clean(document), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_results(folder: Path, results: Any) -> Path:
    """Write a study's ``results.json`` (its ``to_json``)."""
    path = folder / RESULTS
    write_json(path, results.to_json())
    return path


def package_versions() -> dict[str, str]:
    """Installed versions, read from metadata (imports nothing heavy); a new dict each call, read once a process."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of Python and each of PACKAGES.

    Read once: each lookup lists every folder on ``sys.path``, about 15 ms for the ten packages,
    and a build asks for them in every manifest and every technical report. The render worker
    reads them while it warms up, so the processes it forks for documents have them already.
    """
    versions = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return tuple(versions)


def _outputs(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` but its own manifest, by relative path, with its sha256."""
    return {p.relative_to(folder).as_posix(): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file() and p != folder / MANIFEST}


def _mark() -> dict[str, Any]:
    """The field that tells a manifest reportgen wrote from any other tool's."""
    return {"tool": TOOL, "manifest_version": MANIFEST_VERSION}


def write_study_manifest(folder: Path, results: Any, config: Config, timings: dict[str, float], extra: dict[str, Any] | None = None) -> Path:
    """Write a study folder's ``manifest.json``: input, rows, config, seed, versions, timings, every file's sha256."""
    d = getattr(results, "data", None)
    manifest = {
        "written_by": _mark(),
        **({"input": {"source": d.source, "sha256": d.sha256, "modified": d.modified},
            "rows": {"read": d.rows_read, "used": d.rows_used, "dropped": d.rows_dropped}} if d else {}),
        "seed": config.model.seed,
        "config": config.to_dict(),
        "versions": package_versions(),
        "timings_sec": timings,
        "outputs": _outputs(folder),
        **(extra or {}),
    }
    path = folder / MANIFEST
    write_json(path, manifest)
    return path


def write_build_manifest(
    folder: Path,
    source: dict[str, str],
    config: Config,
    timings: dict[str, float],
    studies: dict[str, dict[str, Any]],
    engine: str = "pandas",
) -> Path:
    """Write the build's ``manifest.json``: the input, config, versions, timings, each study's keys, every file's sha256.

    ``source`` is this build's input (source, sha256, modified); a study carried
    over from an earlier build names its own input in its folder's manifest.
    The study folders' own manifests are listed like any file, so one check of
    this manifest covers the whole build. ``engine`` is the one that read the
    data (``reportgen.engines``).
    """
    manifest = {
        "written_by": _mark(),
        "layout": LAYOUT,
        "input": source,
        "engine": engine,
        "seed": config.model.seed,
        "config": config.to_dict(),
        "versions": package_versions(),
        "timings_sec": timings,
        "studies": studies,
        "outputs": _outputs(folder),
    }
    path = folder / MANIFEST
    write_json(path, manifest)
    return path


def written_by_reportgen(manifest: Any) -> bool:
    """Whether a manifest's content says reportgen wrote it (any schema version) and lists its outputs."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), dict):
        return False
    mark = manifest.get("written_by")
    return isinstance(mark, dict) and mark.get("tool") == TOOL and type(mark.get("manifest_version")) is int


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON file's content, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_results(path: Path) -> AnalysisResults:
    """Rebuild the typed results from a ``results.json`` this version wrote."""
    return AnalysisResults.from_json(read_json(path) or {})
