"""``reportgen.Project``, the notebook facade: lazy cached results, the build, inline HTML, errors in Python words.

The notebook test runs a real notebook in a kernel of this environment (nbclient,
ipykernel) and reads the HTML the notebook shows; skipped, saying why, where those
packages are absent.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

import pytest

import reportgen
from reportgen.errors import InputError
from reportgen.formatters import fmt_value
from reportgen.studies import get
from reportgen.synthetic import write_csv

STUDY = "exploration"  # the quickest study: every test here is about the facade, not the statistics


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("project") / "claims.csv", rows=1_200, seed=4)


@pytest.fixture(scope="module")
def project(csv: Path):
    return reportgen.Project(csv, studies=[STUDY])


def test_the_data_is_read_once_and_only_when_results_are_asked_for(csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reportgen.data

    loads = []
    real_load = reportgen.data.load_studies
    monkeypatch.setattr(reportgen.data, "load_studies", lambda *a, **k: loads.append(1) or real_load(*a, **k))
    project = reportgen.Project(csv, studies=STUDY)
    assert loads == []  # nothing read yet
    first = project.results
    assert set(first) == {STUDY} and loads == [1]
    assert project.results is first and project.results[STUDY] is first[STUDY] and loads == [1]  # cached


def test_results_are_the_builds_numbers(project, tmp_path: Path) -> None:
    import json

    out = project.to_folder(tmp_path / "out")
    assert out == tmp_path / "out" and (out / "index.html").is_file()
    built = json.loads((out / STUDY / "results.json").read_text(encoding="utf-8"))
    analysed = json.loads(json.dumps(project.results[STUDY].to_json()))
    built.pop("figures"), analysed.pop("figures")  # the build draws them; results are analysed without
    assert analysed == built
    assert get(STUDY).headline(project.results[STUDY]) == get(STUDY).headline(get(STUDY).results_from_json(built))


def test_the_inline_html_shows_verdict_headline_and_every_figure_with_alt(project) -> None:
    html = project._repr_html_()
    study, results = get(STUDY), project.results[STUDY]
    assert escape(study.verdict(results)) in html
    for label, kind, value in study.headline(results):
        assert f"{escape(label)}: {escape(fmt_value(value, kind))}" in html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', html)
    assert len(images) == len(study.figures())
    for data, alt in images:
        assert base64.b64decode(data).startswith(b"\x89PNG") and len(alt) > 20
    assert project._repr_html_() is html  # figures drawn once


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda csv: reportgen.Project(csv.parent / "missing.csv").results, "the data argument"),
        (lambda csv: reportgen.Project(csv, config=csv.parent / "missing.toml"), "the config argument"),
        (lambda csv: reportgen.Project(42), "the data argument"),
        (lambda csv: reportgen.Project(csv, config=3.5), "the config argument"),
    ],
)
def test_errors_speak_of_arguments_not_options(csv: Path, make, says: str) -> None:
    with pytest.raises(InputError) as caught:
        make(csv)
    assert says in str(caught.value) and "--" not in str(caught.value)


def test_a_hint_naming_options_is_translated_in_one_place() -> None:
    from reportgen.project import python_words

    with pytest.raises(InputError) as caught, python_words():
        raise InputError("bad", file="x", hint="rebuild with 'reportgen build --force', or choose another --out")
    assert caught.value.hint == "rebuild with project.to_folder(force=True), or choose another the out argument of to_folder"
    assert caught.value.file == "x"


def test_a_notebook_shows_the_project_inline(csv: Path, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[test]')")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[test]')")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install -e '.[test]')")
    cells = [
        f"import reportgen\nproject = reportgen.Project({str(csv)!r}, studies=[{STUDY!r}])\nproject",
        "from reportgen.studies import get\nprint(get('exploration').verdict(project.results['exploration']))",
        "try:\n    reportgen.Project('no-such-file.csv').results\nexcept reportgen.InputError as e:\n    print(e)",
        "reportgen.Project",  # a second access gives the same class, not a module
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown, verdict, error, again = (cell.outputs for cell in nb.cells)
    html = next(o["data"]["text/html"] for o in shown if o.get("output_type") == "execute_result")
    assert verdict[0]["text"].strip() and escape(verdict[0]["text"].strip()) in html
    assert html.count('<img src="data:image/png;base64,') == len(get(STUDY).figures())
    assert all(alt.strip() for alt in re.findall(r'alt="([^"]*)"', html))
    assert "the data argument" in error[0]["text"] and "--data" not in error[0]["text"]
    assert "reportgen.project.Project" in again[0]["data"]["text/plain"]
