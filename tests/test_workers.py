"""The render worker and parallel documents: results come back, failures are raised in the caller."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from reportgen.errors import InputError
from reportgen.workers import run_in_parallel


def _fail():
    raise InputError("refused in a child", file="x.csv", column="c", rows=[3])


def test_parallel_calls_run_in_other_processes_and_report_their_time(tmp_path):
    marker = tmp_path / "pid"
    outcomes = run_in_parallel([("here", lambda: 1), ("there", lambda: marker.write_text(str(os.getpid())) and os.getpid())])
    assert set(outcomes) == {"here", "there"}
    assert outcomes["here"][1] == 1
    assert outcomes["there"][1] == int(marker.read_text()) != os.getpid()


def test_a_failure_in_a_child_is_raised_in_the_caller_unchanged():
    with pytest.raises(InputError) as caught:
        run_in_parallel([("here", lambda: None), ("there", _fail)])
    assert caught.value.message() == "error: x.csv, column 'c', row 3: refused in a child"


def test_a_child_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        run_in_parallel([("here", lambda: None), ("there", lambda: os._exit(3))])


def test_without_fork_everything_runs_in_this_process(monkeypatch, tmp_path):
    from reportgen import workers

    monkeypatch.setattr(workers, "CAN_FORK", False)
    marker = tmp_path / "pid"
    outcomes = run_in_parallel([("here", lambda: 1), ("there", lambda: marker.write_text(str(os.getpid())) and os.getpid())])
    assert outcomes["there"][1] == os.getpid()
    with workers.render_worker() as worker:
        assert isinstance(worker, workers._InProcess)


def test_a_build_without_fork_writes_the_same_files(monkeypatch, tmp_path):
    from reportgen import workers
    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.synthetic import write_csv

    data = write_csv(tmp_path / "d.csv", rows=2_000, seed=3)
    forked = build(data, tmp_path / "forked", Config())
    monkeypatch.setattr(workers, "CAN_FORK", False)
    single = build(data, tmp_path / "single", Config())
    assert single.study("regression").written == forked.study("regression").written
    files = {p.relative_to(tmp_path / "forked").as_posix() for p in (tmp_path / "forked").rglob("*") if p.is_file()}
    assert files == {p.relative_to(tmp_path / "single").as_posix() for p in (tmp_path / "single").rglob("*") if p.is_file()}
    results = "regression/results.json"
    assert (tmp_path / "single" / results).read_text() == (tmp_path / "forked" / results).read_text()


def test_a_child_is_forked_with_the_parents_objects_frozen_and_the_parent_keeps_collecting_its_own():
    import gc

    from reportgen.workers import in_background

    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(10)]  # objects of the parent's, tracked by its collector
    with in_background("count frozen", gc.get_freeze_count) as frozen:
        # the child's collector never walks (and so never copies) what it inherited
        assert frozen() >= len(kept)
    assert gc.get_freeze_count() == 0  # nothing the parent drops later is kept for good


def _fork_after_dropping_a_cycle() -> tuple[bool, bool, bool]:
    """In a process forked frozen: drop a reference cycle, fork once; (was frozen, cycle collected, more frozen)."""
    import gc
    import weakref

    from reportgen import workers

    class Node:
        pass

    dead = Node()
    dead.self = dead  # only the collector frees a cycle
    gone = weakref.ref(dead)
    del dead
    frozen = gc.get_freeze_count()
    workers.run_in_parallel([("here", lambda: None), ("there", lambda: None)])  # forks once
    return frozen > 0, gone() is None, gc.get_freeze_count() > frozen


def test_a_process_frozen_for_good_collects_its_garbage_before_it_freezes_more():
    from reportgen.workers import in_background

    with in_background("probe", _fork_after_dropping_a_cycle) as probe:
        assert probe() == (True, True, True)


def test_what_the_render_worker_loaded_while_warming_up_is_frozen_when_it_renders(quick_workers, monkeypatch, tmp_path):
    import gc

    loaded = []
    monkeypatch.setattr(quick_workers, "_warm_up", lambda: loaded.append(type("Loaded", (), {})()))

    def render(study_id, results, config, folder, draw_figures, drawn=(), spread=True):
        walked = {id(o) for o in gc.get_objects()}  # the collector's generations: frozen objects are not among them
        return quick_workers.RenderOutcome(id(loaded[0]) in walked, (), {})

    monkeypatch.setattr(quick_workers.Jobs, "render", staticmethod(render))
    with quick_workers.render_worker() as worker:
        answers = [worker.submit(name, None, None, tmp_path, True) for name in ("first", "second")]
        assert [a.result().results for a in answers] == [False, False]


def test_a_background_call_runs_in_another_process_and_its_value_comes_back():
    from reportgen.workers import in_background

    with in_background("a sum", lambda: (os.getpid(), sum(range(10)))) as value:
        pid, total = value()
        assert value() == (pid, total)  # asked twice, computed once
    assert total == 45 and pid != os.getpid()


def test_a_background_failure_is_raised_where_its_value_is_asked_for():
    from reportgen.workers import in_background

    with in_background("a refusal", _fail) as value:
        with pytest.raises(InputError) as caught:
            value()
    assert caught.value.message() == "error: x.csv, column 'c', row 3: refused in a child"


def test_without_fork_a_background_call_runs_here_once_when_asked(monkeypatch):
    from reportgen import workers

    monkeypatch.setattr(workers, "CAN_FORK", False)
    calls = []
    with workers.in_background("a count", lambda: calls.append(os.getpid()) or len(calls)) as value:
        assert calls == []  # nothing runs before its value is asked for
        assert value() == 1 and value() == 1
    assert calls == [os.getpid()]


def test_a_studys_preview_figures_are_drawn_early_and_not_again_with_its_results(tmp_path, monkeypatch):
    from reportgen import figures
    from reportgen.config import Config
    from reportgen.engines import load_studies
    from reportgen.pipeline import analyse, overview
    from reportgen.studies import get
    from reportgen.synthetic import write_csv
    from reportgen.workers import Jobs

    config, study = Config(), get("regression")
    dataset = load_studies("pandas", write_csv(tmp_path / "d.csv", rows=2_000, seed=3), [study], config)["regression"]
    preview = overview(dataset, config)
    results = analyse(dataset, config, preview=preview)
    assert results.exploration == preview.exploration  # computed once, handed on
    folder = tmp_path / "regression"
    drawn = Jobs.preview("regression", preview, folder)
    assert [f.file for f in drawn] == [n for n, _ in figures.FIGURES if n in figures.PREVIEW_FIGURES]
    assert sorted(p.name for p in (folder / "figures").iterdir()) == sorted(figures.PREVIEW_FIGURES)

    def drawn_twice(*_):
        raise AssertionError("a preview figure was drawn again")

    monkeypatch.setattr(figures, "FIGURES", tuple((n, drawn_twice if n in figures.PREVIEW_FIGURES else d) for n, d in figures.FIGURES))
    outcome = Jobs.render("regression", results, config, folder, True, drawn)
    assert [f.file for f in outcome.results.figures] == [n for n, _ in figures.FIGURES]  # every figure, in the report's order
    assert outcome.results.figures[0].alt.startswith("Bar chart of class balance")
    assert len(list((folder / "figures").iterdir())) == len(figures.FIGURES)


def test_a_failed_analysis_leaves_no_stage_even_while_the_worker_draws_its_preview(tmp_path, monkeypatch):
    """The worker is stopped before the stage is thrown away: a preview still being drawn must not recreate it."""
    import time

    from reportgen import figures
    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.synthetic import generate

    frame = generate(rows=1_000, seed=2)
    frame["verified_status"] = "not verified"  # one class: the regression refuses it after its preview is handed over
    data = tmp_path / "one_class.csv"
    frame.to_csv(data, index=False)

    def slow(draw):
        def drawn_late(r, path):
            time.sleep(1.0)  # still drawing when the analysis fails
            return draw(r, path)

        return drawn_late

    monkeypatch.setattr(figures, "FIGURES", tuple((n, slow(d) if n in figures.PREVIEW_FIGURES else d) for n, d in figures.FIGURES))
    out = tmp_path / "out"
    with pytest.raises(InputError, match="too few rows to model"):
        build(data, out, Config(), studies=["regression"])
    time.sleep(1.5)  # a worker left running would have written by now
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) in ([], [".out.lock"])
    assert not out.exists()


@pytest.fixture
def quick_workers(monkeypatch):
    """Render workers whose jobs only say which process ran them (no warm-up, no documents): forked, they keep the patch."""
    import time

    from reportgen import workers

    test_process = os.getpid()

    def render(study_id, results, config, folder, draw_figures, drawn=(), spread=True):
        if study_id == "dies in the second worker" and os.getppid() != test_process:  # the second is the first's child
            os._exit(3)
        time.sleep(results)  # how long the study takes to render
        return workers.RenderOutcome((os.getpid(), os.nice(0), drawn), (study_id,), {})

    def preview(study_id, preview, folder):
        time.sleep(preview)
        return (f"{study_id} preview, drawn by {os.getpid()}",)

    monkeypatch.setattr(workers, "_warm_up", lambda: None)
    monkeypatch.setattr(workers.Jobs, "render", staticmethod(render))
    monkeypatch.setattr(workers.Jobs, "preview", staticmethod(preview))
    return workers


def test_two_warm_workers_take_requests_in_order_as_each_is_free(quick_workers, tmp_path):
    with quick_workers.render_worker() as worker:
        slow = worker.submit("slow", 0.6, None, tmp_path, True)
        quick = worker.submit("quick", 0.0, None, tmp_path, True)  # the first worker is busy: the second takes it
        after = worker.submit("after", 0.0, None, tmp_path, True)  # the second is free again before the first
        answers = {name: future.result().results for name, future in (("slow", slow), ("quick", quick), ("after", after))}
    pids = {name: pid for name, (pid, _, _) in answers.items()}
    assert pids["slow"] != pids["quick"] == pids["after"] and os.getpid() not in pids.values()
    # Both yield to the analyses: the main process's niceness plus RENDER_NICENESS (at most 19, the lowest priority).
    assert {niceness for _, niceness, _ in answers.values()} == {min(os.nice(0) + quick_workers.RENDER_NICENESS, 19)}
    for pid in pids.values():  # both workers are gone once the build's block is left
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_preview_drawn_by_one_worker_reaches_the_render_in_the_other(quick_workers, tmp_path):
    with quick_workers.render_worker() as worker:
        first = worker.submit("first", 0.4, None, tmp_path, True)  # the first worker, busy until 0.4 s
        drawing = worker.preview("regression", 0.0, tmp_path)  # the second, at once
        second = worker.submit("second", 0.9, None, tmp_path, True)  # the second again, busy until 0.9 s
        outcome = worker.render("regression", 0.0, None, tmp_path, True)  # the first, free again at 0.4 s
        first.result(), second.result()
    records = drawing.result()
    render_pid, _, drawn = outcome.results
    assert drawn == records  # the preview's figures are handed on, not drawn again
    assert records == (f"regression preview, drawn by {second.result().results[0]}",)
    assert render_pid == first.result().results[0] != second.result().results[0]


def test_a_second_worker_that_dies_is_an_error_that_names_it_not_a_hang(quick_workers, tmp_path):
    # Which worker's thread takes a request first is the threads' race, so both requests may die, and at least one
    # reaches the second worker: the first worker holds the other for 0.3 s.
    with quick_workers.render_worker() as worker:
        requests = [worker.submit("dies in the second worker", 0.3, None, tmp_path, True) for _ in range(2)]
        failures = [error for error in (request.exception(timeout=60) for request in requests) if error is not None]
    assert failures
    assert {(type(error), str(error)) for error in failures} == {(RuntimeError, "the second render worker stopped unexpectedly (exit code unknown)")}


def test_a_request_to_a_worker_already_dead_is_the_same_error(quick_workers):
    import multiprocessing

    ours, theirs = multiprocessing.Pipe()
    theirs.close()
    with pytest.raises(RuntimeError, match=r"^the second render worker stopped unexpectedly \(exit code unknown\)$"):
        quick_workers._Channel(ours, "the second render worker").ask("render", ())


def test_the_numerical_libraries_get_one_thread_each_unless_the_user_chose(monkeypatch):
    from reportgen import workers

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    workers.one_thread_per_process()
    assert (os.environ["OPENBLAS_NUM_THREADS"], os.environ["OMP_NUM_THREADS"], os.environ["MKL_NUM_THREADS"]) == ("1", "1", "4")


def test_a_build_from_the_command_line_sets_the_limit_before_numpy_loads(tmp_path):
    """OpenBLAS reads its thread count once, when numpy loads: the build must ask before its first heavy import."""
    import subprocess
    import sys

    from reportgen.synthetic import write_csv

    data = write_csv(tmp_path / "claims.csv", rows=300, seed=0)
    script = (
        "import sys; from reportgen.cli import main; "
        f"code = main(['build', '--data', {str(data)!r}, '--out', {str(tmp_path / 'out')!r}, '--study', 'hypothesis', '--quiet']); "
        "from threadpoolctl import threadpool_info; "
        "print(code, sorted({p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas'}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "0 [1]"


def _classifier_json(folder) -> dict:
    """The classifier's results.json without its search timings (seconds differ from run to run)."""
    import json

    doc = json.loads((folder / "classifier" / "results.json").read_text())
    for candidate in doc["candidates"]:
        candidate.pop("search_seconds")
    return doc


def _command_line_build(tmp_path, out: str, before: str = ""):
    """``reportgen build`` of the hypothesis and classifier studies in a fresh process (as a user runs it), ``before`` run first."""
    import subprocess
    import sys

    from reportgen.synthetic import write_csv

    data = write_csv(tmp_path / "d.csv", rows=2_000, seed=3)
    argv = ["build", "--data", str(data), "--out", str(tmp_path / out), "--study", "hypothesis", "--study", "classifier", "--quiet"]
    script = f"import os, sys\n{before}\nfrom reportgen.cli import main\nsys.exit(main({argv!r}))"
    return data, subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)


def test_the_classifier_is_analysed_in_a_process_of_its_own_with_the_same_results(monkeypatch, tmp_path):
    import json

    from reportgen import workers
    from reportgen.builder import build
    from reportgen.config import Config

    record_pid = (
        "from reportgen.studies.classifier.study import ClassifierStudy\n"
        "analyse = ClassifierStudy.analyse\n"
        f"def recorded(self, *a):\n    open({str(tmp_path)!r} + f'/pid-{{os.getpid()}}-{{os.getppid()}}', 'w').close()\n    return analyse(self, *a)\n"
        "ClassifierStudy.analyse = recorded\n"
        f"open({str(tmp_path)!r} + f'/main-{{os.getpid()}}', 'w').close()"
    )
    data, done = _command_line_build(tmp_path, "apart", record_pid)
    assert done.returncode == 0, done.stderr
    (main,) = [p.name.split("-")[1] for p in tmp_path.glob("main-*")]
    (analysed,) = [p.name.split("-")[1:] for p in tmp_path.glob("pid-*")]
    assert analysed[0] != main and analysed[1] == main  # a child of the build's process
    timings = json.loads((tmp_path / "apart" / "classifier" / "manifest.json").read_text())["timings_sec"]
    assert {"analysis, in a process of its own", "classifier: search", "classifier: shortcut audit"} <= set(timings)
    monkeypatch.setattr(workers, "CAN_FORK", False)
    build(data, tmp_path / "here", Config(), studies=["hypothesis", "classifier"])
    assert _classifier_json(tmp_path / "apart") == _classifier_json(tmp_path / "here")
    assert _classifier_json(tmp_path / "apart")["related"]  # the hypothesis answer is added after the analysis


def test_a_failure_of_an_analysis_apart_is_the_builds_bad_input_and_writes_nothing(tmp_path):
    refuse = (
        "from reportgen.errors import InputError\n"
        "from reportgen.studies.classifier.study import ClassifierStudy\n"
        "def refuse(self, *a):\n    raise InputError('refused apart', column='claim_status', rows=[7])\n"
        "ClassifierStudy.analyse = refuse"
    )
    _, done = _command_line_build(tmp_path, "out", refuse)
    assert (done.returncode, done.stderr.strip()) == (2, "error: column 'claim_status', row 7: refused apart")
    assert sorted(p.name for p in tmp_path.iterdir()) in (["d.csv"], [".out.lock", "d.csv"])  # no stage, no output


def test_no_analysis_is_forked_once_openmp_has_threads_here(monkeypatch, tmp_path):
    """GNU OpenMP's pool does not survive a fork: a child predicting with gradient boosting would wait forever."""
    import json

    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.synthetic import write_csv

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(400, 3)), rng.integers(0, 2, 400)
    data = write_csv(tmp_path / "d.csv", rows=1_000, seed=3)
    from reportgen.studies.classifier import analysis

    ablations = analysis._ablations

    def recorded(*args):  # notes the process the audit's refits run in
        (tmp_path / f"refits-{os.getpid()}").touch()
        return ablations(*args)

    monkeypatch.setattr(analysis, "_ablations", recorded)
    with threadpool_limits(2, user_api="openmp"):  # two threads even on a one-core machine
        HistGradientBoostingClassifier(max_iter=5).fit(x, y).predict(x)  # this process has an OpenMP pool now
        build(data, tmp_path / "out", Config(), studies=["hypothesis", "classifier"])
    timings = json.loads((tmp_path / "out" / "classifier" / "manifest.json").read_text())["timings_sec"]
    assert "classifier: search" in timings and "analysis, in a process of its own" not in timings
    assert [p.name for p in tmp_path.glob("refits-*")] == [f"refits-{os.getpid()}"]  # nor the shortcut audit's refits


def test_the_audits_refits_run_beside_the_test_stage_in_a_process_of_their_own(tmp_path):
    """In a fresh process, as a user runs a build (this session's OpenMP pool may have threads: no fork here)."""
    import json

    record = (
        "from reportgen.studies.classifier import analysis\n"
        "ablations, analyse = analysis._ablations, analysis.analyse\n"
        f"def refits(*a):\n    open({str(tmp_path)!r} + f'/refits-{{os.getpid()}}', 'w').close()\n    return ablations(*a)\n"
        f"def analysed(*a, **k):\n    open({str(tmp_path)!r} + f'/analysis-{{os.getpid()}}', 'w').close()\n    return analyse(*a, **k)\n"
        "analysis._ablations, analysis.analyse = refits, analysed\n"
    )
    _, done = _command_line_build(tmp_path, "out", record)
    assert done.returncode == 0, done.stderr
    (refits,) = [p.name for p in tmp_path.glob("refits-*")]
    (analysis,) = [p.name for p in tmp_path.glob("analysis-*")]
    assert refits.split("-")[1] != analysis.split("-")[1]
    audit = json.loads((tmp_path / "out" / "classifier" / "results.json").read_text())["audit"]
    assert audit["text_only"]["groups"] == ["text"] and audit["strongest_group"] not in audit["without_strongest_group"]["groups"]


def test_a_render_not_spread_forks_nothing_and_writes_every_file(tmp_path, monkeypatch):
    from reportgen import workers
    from reportgen.config import Config
    from reportgen.engines import load_studies
    from reportgen.pipeline import analyse
    from reportgen.studies import get
    from reportgen.synthetic import write_csv

    config, study = Config(), get("regression")
    dataset = load_studies("pandas", write_csv(tmp_path / "d.csv", rows=2_000, seed=3), [study], config)["regression"]
    results = analyse(dataset, config)

    def no_fork(*_args, **_kwargs):
        raise AssertionError("a render not spread forked a process")

    monkeypatch.setattr(workers._Child, "__init__", no_fork)
    outcome = workers.render_outputs("regression", results, config, tmp_path / "regression", True, spread=False)
    assert all((tmp_path / "regression" / name).is_file() for name in outcome.written)
    assert len(outcome.results.figures) == len(study.figures())
    with pytest.raises(AssertionError, match="forked"):
        workers.render_outputs("regression", results, config, tmp_path / "spread", True, spread=True)


def test_only_the_builds_last_render_is_spread(tmp_path, monkeypatch):
    from reportgen import workers
    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.synthetic import write_csv

    spreads: dict[str, bool] = {}

    class Recording(workers._InProcess):
        def submit(self, study_id, results, config, folder, draw_figures, spread=True):
            spreads[study_id] = spread
            return super().submit(study_id, results, config, folder, draw_figures, spread)

    @contextmanager
    def recording():
        yield Recording()

    monkeypatch.setattr(workers, "render_worker", recording)
    data = write_csv(tmp_path / "d.csv", rows=1_500, seed=4)
    build(data, tmp_path / "out", Config(), studies=["hypothesis", "regression"])
    assert spreads == {"hypothesis": False, "regression": True}
