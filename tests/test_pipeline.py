"""The full pipeline on the real dataset: SPEC's keys, sound numbers, determinism."""

from __future__ import annotations

import hashlib
import json

import pytest

from reportgen.config import Config
from reportgen.pipeline import analyse_file

SPEC_KEYS = {
    "data": {"source", "sha256", "rows_read", "rows_used", "rows_dropped", "dropped_reasons", "target_counts"},
    "model": {"target", "positive_class", "features", "n_train", "n_test", "balancing", "terms"},
    "evaluation": {"threshold", "confusion_matrix", "accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "baseline_accuracy"},
}
TERM_KEYS = {"term", "coef", "std_err", "p_value", "ci_low", "ci_high", "odds_ratio", "or_ci_low", "or_ci_high"}


@pytest.fixture(scope="module")
def results(real_build):
    return json.loads((real_build.out / "results.json").read_text())


def test_results_json_has_every_spec_key(results):
    assert results["schema_version"] == 1
    for section, keys in SPEC_KEYS.items():
        assert keys <= set(results[section]), section
    assert all(TERM_KEYS <= set(t) for t in results["model"]["terms"])
    assert all({"name", "status", "value", "detail"} <= set(c) for c in results["assumptions"])
    assert all(c["status"] in {"pass", "warn", "fail"} for c in results["assumptions"])
    assert set(results["evaluation"]["confusion_matrix"]) == {"tn", "fp", "fn", "tp"}
    assert all({"file", "title", "alt"} <= set(f) and f["alt"] for f in results["figures"])


def test_real_data_rows_and_the_test_class_mix(results):
    d, m = results["data"], results["model"]
    assert (d["rows_read"], d["rows_dropped"], d["rows_used"]) == (19_382, 298, 19_084)
    share = d["target_counts"]["verified"] / d["rows_used"]
    assert m["test_positive_share"] == pytest.approx(share, abs=0.002)
    assert m["n_train"] + m["n_test"] == d["rows_used"]
    assert "video_like_count" not in m["features"]
    assert results["collinearity"]["dropped"] == ["video_like_count"]


def test_every_rate_follows_from_the_confusion_matrix(results):
    e = results["evaluation"]
    cm = e["confusion_matrix"]
    n = sum(cm.values())
    precision, recall = cm["tp"] / (cm["tp"] + cm["fp"]), cm["tp"] / (cm["tp"] + cm["fn"])
    assert e["accuracy"] == (cm["tp"] + cm["tn"]) / n
    assert e["precision"] == precision
    assert e["recall"] == recall
    assert e["f1"] == pytest.approx(2 * precision * recall / (precision + recall), rel=1e-12)
    assert e["baseline_accuracy"] == (cm["tn"] + cm["fp"]) / n


def _files(folder):
    """sha256 of every file under ``folder``, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_outputs_and_manifest(real_build):
    out = real_build.out  # the study's folder: DIR/regression
    results = json.loads((out / "results.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())  # the study's
    assert manifest["input"]["sha256"] == results["data"]["sha256"]
    assert manifest["rows"] == {"read": 19_382, "used": 19_084, "dropped": 298}
    assert manifest["seed"] == 42
    assert {"model", "figures"} <= set(manifest["timings_sec"])
    study_files = _files(out)
    assert manifest["outputs"] == {name: sha for name, sha in study_files.items() if name != "manifest.json"}
    assert len(list((out / "figures").glob("*.png"))) == 7

    build_dir = out.parent
    build_manifest = json.loads((build_dir / "manifest.json").read_text())  # the build's: every file of DIR
    assert build_manifest["written_by"]["tool"] == "reportgen" and build_manifest["layout"] == 2
    assert build_manifest["input"]["sha256"] == results["data"]["sha256"]
    assert build_manifest["seed"] == 42
    assert {"load", "regression: model"} <= set(build_manifest["timings_sec"])
    assert build_manifest["studies"]["regression"]["status"] == "analysed"
    assert set(build_manifest["studies"]["regression"]["keys"]) == {"analysis", "render"}
    build_files = _files(build_dir)
    assert build_manifest["outputs"] == {name: sha for name, sha in build_files.items() if name != "manifest.json"}
    assert "index.html" in build_manifest["outputs"]
    assert {f"regression/{name}" for name in study_files} <= set(build_manifest["outputs"])  # the study's manifest too


def test_two_runs_give_identical_numbers(real_data, results):
    from reportgen.artifacts import clean

    again = clean(analyse_file(real_data, Config()).to_json())
    again.pop("figures")
    assert again == {k: v for k, v in results.items() if k != "figures"}


def test_package_versions_are_read_once_a_process_and_each_caller_gets_its_own_copy(monkeypatch):
    from importlib import metadata

    from reportgen import artifacts

    reads = []
    monkeypatch.setattr(metadata, "version", lambda name: reads.append(name) or "1.0")
    artifacts._installed_versions.cache_clear()
    try:
        first = artifacts.package_versions()
        first["pandas"] = "changed by a caller"
        assert artifacts.package_versions()["pandas"] == "1.0"
        assert reads == list(artifacts.PACKAGES)  # the second call read nothing
    finally:
        artifacts._installed_versions.cache_clear()  # the next caller reads the real versions
