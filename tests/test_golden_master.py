"""Golden master of the regression study on the real data, for both audiences.

It pins what the regression writes while the code around it moves: results.json
(floats to nine significant digits: see ``_close``) and the technical HTML byte for byte (embedded figures stood in for by their
sha256, so the stored copy stays small and a failure diffs as text), the
executive-summary PDF byte for byte, the PPTX part by part, and the technical
PDF by its text. The generation time is fixed (``SOURCE_DATE_EPOCH``) and so
is the data file's date (a copy with a set mtime).

A deliberate change of wording or numbers updates the stored copy in its own
commit: ``REPORTGEN_UPDATE_GOLDEN=1 pytest tests/test_golden_master.py``.
Byte comparisons of rendered binaries hold only with the library versions they
were recorded with (``versions.json``); under other versions those comparisons
are skipped with the reason, and the text comparisons still run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "regression"
EPOCH = "1767225600"  # 2026-01-01 00:00 UTC
UPDATE = bool(os.environ.get("REPORTGEN_UPDATE_GOLDEN"))
AUDIENCES = ("leadership", "technical")
#: Libraries whose versions decide the bytes of PNGs, PDFs and the PPTX.
RENDERING = ("matplotlib", "weasyprint", "pydyf", "fonttools", "pillow", "python-pptx", "numpy")


def _versions() -> dict[str, str]:
    from importlib import metadata

    found = {name: metadata.version(name) for name in RENDERING}
    found["harfbuzz-subset"] = "yes" if _has_harfbuzz_subset() else "no"
    return found


def _has_harfbuzz_subset() -> bool:
    import ctypes.util

    return ctypes.util.find_library("harfbuzz-subset") is not None


def _data_uris_as_hashes(html: str) -> str:
    """Each embedded image replaced by the sha256 of its bytes: same bytes in, same text out."""

    def digest(match: re.Match) -> str:
        return "sha256:" + hashlib.sha256(base64.b64decode(match.group(1))).hexdigest()

    return re.sub(r"data:image/png;base64,([A-Za-z0-9+/=]+)", digest, html)


def _close(a, b, rel: float = 1e-9) -> bool:
    """Equal JSON values, floats within a relative ``rel``.

    The last digits of a float depend on the CPU's BLAS kernel (OpenBLAS picks
    SkylakeX, Haswell... at run time), so two correct machines differ in the
    12th-16th digit of a coefficient, more in a p-value of 1e-95. Nine digits
    still pin every figure a document shows, and every change of method.
    """
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b))
    return a == b


def _pptx_parts(path: Path) -> dict[str, str]:
    """sha256 of every part of the package (the zip's own timestamps aside)."""
    with zipfile.ZipFile(path) as package:
        return {name: hashlib.sha256(package.read(name)).hexdigest() for name in sorted(package.namelist())}


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n\f\n".join(page.extract_text() for page in PdfReader(path).pages)


def _snapshot(out: Path) -> dict[str, str]:
    """The comparable form of every pinned output, by name."""
    return {
        "results.json": (out / "results.json").read_text(encoding="utf-8"),
        "technical_report.html": _data_uris_as_hashes((out / "technical_report.html").read_text(encoding="utf-8")),
        "technical_report.pdf.txt": _pdf_text(out / "technical_report.pdf"),
        "executive_summary.pdf.sha256": hashlib.sha256((out / "executive_summary.pdf").read_bytes()).hexdigest() + "\n",
        "executive_summary.pdf.txt": _pdf_text(out / "executive_summary.pdf"),
        "executive_summary.pptx.json": json.dumps(_pptx_parts(out / "executive_summary.pptx"), indent=1) + "\n",
    }


#: Outputs whose comparable form depends on rendering-library bytes, not only on our code.
#: Each with the libraries whose versions decide its bytes: a difference elsewhere leaves it compared.
_BINARY_BOUND = {
    "executive_summary.pdf.sha256": RENDERING + ("harfbuzz-subset",),  # WeasyPrint subsets fonts with HarfBuzz when present
    "executive_summary.pptx.json": ("matplotlib", "pillow", "python-pptx", "numpy"),
    "technical_report.html": ("matplotlib", "pillow", "numpy"),  # the embedded PNGs
}


@pytest.fixture(scope="module")
def builds(real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The real data built once per audience, with a fixed clock and a fixed data date."""
    folder = tmp_path_factory.mktemp("golden")
    data = Path(shutil.copy(real_data, folder / real_data.name))
    os.utime(data, (int(EPOCH), int(EPOCH)))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    snapshots = {}
    for audience in AUDIENCES:
        out = folder / audience
        done = subprocess.run(
            [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--audience", audience, "--quiet"],
            capture_output=True, text=True, env=env, check=False,
        )
        assert done.returncode == 0, done.stderr
        snapshots[audience] = _snapshot(out / "regression")
    if UPDATE:
        _store(snapshots)
    return snapshots


def _store(snapshots: dict[str, dict[str, str]]) -> None:
    for audience, files in snapshots.items():
        (GOLDEN / audience).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (GOLDEN / audience / name).write_text(text, encoding="utf-8")
    (GOLDEN / "versions.json").write_text(json.dumps(_versions(), indent=1) + "\n", encoding="utf-8")


def _recorded_versions() -> dict[str, str]:
    return json.loads((GOLDEN / "versions.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("name", sorted({*_BINARY_BOUND, "results.json", "technical_report.pdf.txt", "executive_summary.pdf.txt"}))
def test_regression_outputs_match_the_golden_master(builds: dict, audience: str, name: str) -> None:
    now, then = _versions(), _recorded_versions()
    differ = [lib for lib in _BINARY_BOUND.get(name, ()) if now.get(lib) != then.get(lib)]
    if differ:
        pytest.skip(f"{name} depends on libraries that differ from the recorded ones: " + ", ".join(f"{lib} {now.get(lib)} (recorded {then.get(lib)})" for lib in differ))
    expected = (GOLDEN / audience / name).read_text(encoding="utf-8")
    if name == "results.json" and _close(json.loads(builds[audience][name]), json.loads(expected)):
        return  # the same up to the last digits of floats (see _close); otherwise the text diff below shows where
    assert builds[audience][name] == expected, f"{audience}/{name} differs from tests/golden/regression (see the module docstring)"


def test_the_audiences_share_the_technical_report_but_not_the_summary() -> None:
    """The stored copies themselves: the tone changes the summary only (a check that the two builds differ where they should)."""
    same = [(GOLDEN / a / "technical_report.html").read_text(encoding="utf-8") for a in AUDIENCES]
    summaries = [(GOLDEN / a / "executive_summary.pdf.txt").read_text(encoding="utf-8") for a in AUDIENCES]
    assert same[0] == same[1]
    assert summaries[0] != summaries[1]
