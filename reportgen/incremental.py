"""Reuse what an earlier build in the output folder already computed, study by study.

Two keys a study decide: the *analysis key* (input bytes, the study's own
settings, reportgen version) says whether its results.json and figures still
hold; the *render key* (analysis key, report settings, the shipped templates
and assets) says whether its documents do. Both are cheap: hashing, no heavy
import. The build's manifest records each study's keys and files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reportgen import __version__
from reportgen.artifacts import MANIFEST, RESULTS, read_json, written_by_reportgen
from reportgen.config import Config
from reportgen.data import sha256_of
from reportgen.resources import assets_dir, templates_dir

if TYPE_CHECKING:
    from reportgen.core.study import Study

#: What a build does with one study: copy it as it is, re-render it from its saved results, or analyse anew.
Plan = Literal["unchanged", "re-render", "analyse"]


@dataclass(frozen=True)
class BuildKeys:
    """Fingerprints of what a study's analyses and documents depend on."""

    analysis: str
    render: str


def _digest(value: Any) -> str:
    """sha256 of a JSON-able value."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


@cache
def _shipped_files_digest() -> str:
    """sha256 over every template and asset file (names and bytes); computed once a process."""
    digest = hashlib.sha256()
    for root in (templates_dir(), assets_dir()):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def study_keys(study: Study, input_sha256: str, config: Config, engine: str = "pandas") -> BuildKeys:
    """The keys of ``study`` built from these input bytes with this config and this version.

    An engine other than pandas analyses a sample of ``[data] sample_rows`` rows,
    so the engine and that size are part of its analysis key (not of pandas', so
    that the keys of every earlier pandas build still hold).
    """
    facts = {"input": str(input_sha256), "study": study.id, "settings": study.analysis_settings(config), "version": __version__}
    if engine != "pandas":
        facts["data"] = {"engine": engine, "sample_rows": config.data.sample_rows, "seed": config.model.seed}
    analysis = _digest(facts)
    render = _digest({"analysis": analysis, "report": asdict(config.report), "shipped": _shipped_files_digest()})
    return BuildKeys(analysis, render)


@dataclass(frozen=True)
class PreviousBuild:
    """The build found in the output folder: its manifest and where it lives."""

    folder: Path
    manifest: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> PreviousBuild | None:
        """The earlier build in ``folder``, or None when there is none of this layout (one folder a study)."""
        manifest = read_json(folder / MANIFEST)
        if not written_by_reportgen(manifest) or not isinstance(manifest.get("studies"), dict):
            return None
        return cls(folder, manifest)

    @property
    def study_ids(self) -> tuple[str, ...]:
        """The studies it holds, in the order it built them."""
        return tuple(self.manifest["studies"])

    def keys(self, study_id: str) -> BuildKeys | None:
        """The keys ``study_id`` was built with (None when it is not in this build)."""
        keys = (self.manifest["studies"].get(study_id) or {}).get("keys") or {}
        return BuildKeys(keys["analysis"], keys["render"]) if {"analysis", "render"} <= set(keys) else None

    def files(self, study_id: str) -> list[str]:
        """Every file of a study, relative to the build folder."""
        return [name for name in self.manifest["outputs"] if name.startswith(f"{study_id}/")]

    def analysis_files(self, study_id: str) -> list[str]:
        """A study's results.json and figures: what a re-render reuses."""
        return [n for n in self.files(study_id) if n == f"{study_id}/{RESULTS}" or n.startswith(f"{study_id}/figures/")]

    def intact(self, names: list[str] | None = None) -> bool:
        """Every listed output (all by default) is present with the sha256 the manifest recorded."""
        outputs = self.manifest["outputs"]
        wanted = outputs if names is None else {n: outputs.get(n) for n in names}
        return bool(wanted) and all(sha and (self.folder / n).is_file() and sha256_of(self.folder / n) == sha for n, sha in wanted.items())

    def plan(self, study_id: str, keys: BuildKeys) -> Plan:
        """What a build with ``keys`` must do for ``study_id``, given what this build holds."""
        before = self.keys(study_id)
        if before == keys and self.intact(self.files(study_id)):
            return "unchanged"
        if before and before.analysis == keys.analysis and self.intact(self.analysis_files(study_id)):
            return "re-render"
        return "analyse"
