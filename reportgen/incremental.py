"""Reuse what an earlier build in the output folder already computed.

Two keys decide: the *analysis key* (input bytes, model and check settings,
reportgen version) says whether results.json and the figures still hold; the
*render key* (analysis key, report settings, the shipped templates and assets)
says whether the documents do. Both are cheap: hashing, no heavy import.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.artifacts import MANIFEST, RESULTS, read_json
from reportgen.config import Config
from reportgen.io import sha256_of
from reportgen.resources import assets_dir, templates_dir


@dataclass(frozen=True)
class BuildKeys:
    """Fingerprints of what the analyses and the documents depend on."""

    analysis: str
    render: str


def _digest(value: Any) -> str:
    """sha256 of a JSON-able value."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _shipped_files_digest() -> str:
    """sha256 over every template and asset file (names and bytes)."""
    digest = hashlib.sha256()
    for root in (templates_dir(), assets_dir()):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def build_keys(input_sha256: str, config: Config) -> BuildKeys:
    """The keys of a build of these input bytes with this config and this version."""
    from dataclasses import asdict

    analysis = _digest({"input": input_sha256, "model": asdict(config.model), "checks": asdict(config.checks), "version": __version__})
    render = _digest({"analysis": analysis, "report": asdict(config.report), "shipped": _shipped_files_digest()})
    return BuildKeys(analysis, render)


@dataclass(frozen=True)
class PreviousBuild:
    """The build found in the output folder: its manifest and where it lives."""

    folder: Path
    manifest: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> PreviousBuild | None:
        """The earlier build in ``folder``, or None when there is none readable."""
        manifest = read_json(folder / MANIFEST)
        return cls(folder, manifest) if isinstance(manifest, dict) and "outputs" in manifest else None

    @property
    def keys(self) -> BuildKeys | None:
        """The keys it was built with (None for a manifest without them)."""
        keys = self.manifest.get("keys") or {}
        return BuildKeys(keys["analysis"], keys["render"]) if {"analysis", "render"} <= set(keys) else None

    def intact(self, names: list[str] | None = None) -> bool:
        """Every listed output (all by default) is present with the sha256 the manifest recorded."""
        outputs = self.manifest["outputs"]
        wanted = outputs if names is None else {n: outputs.get(n) for n in names}
        return all(sha and (self.folder / n).is_file() and sha256_of(self.folder / n) == sha for n, sha in wanted.items())

    def analysis_files(self) -> list[str]:
        """results.json and the figures: what a re-render reuses."""
        return [n for n in self.manifest["outputs"] if n == RESULTS or n.startswith("figures/")]
