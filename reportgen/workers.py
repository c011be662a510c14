"""Processes for one build: the rendering libraries load while the data are analysed.

Importing matplotlib, WeasyPrint and python-pptx costs about as much as
importing pandas, scikit-learn and statsmodels, and a build has two cores. So
a build first starts a render worker (forked before any heavy import, so it is
small and safe to fork). While the main process reads and models the data,
the worker imports the rendering libraries and warms WeasyPrint's font set-up,
then forks a second worker that starts warm; when a study's results arrive,
one of the two draws its figures and renders its documents, each document in
a process of its own. Results travel by pickle; a failure travels back and is
raised in the main process, so errors read the same as in one process.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from reportgen.config import Config


#: Forking is what makes the worker cheap (no re-import); where it is missing, all runs in one process.
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
#: The numerical libraries' own thread pools (OpenBLAS, MKL, OpenMP), read once when each library loads.
LIBRARY_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
#: How much the render workers (and the processes they fork) yield to the analyses once warm: a render waits
#: for an analysis, never the other way, so when both want the two cores the analyses go first. Eight alternating
#: builds of every study: 7.16 s at 0, 7.09 s at 2, 6.90 s at 3, 7.06 s at 5 (median wall).
RENDER_NICENESS = 3


def openmp_threads() -> bool:
    """Whether an OpenMP runtime loaded here may run more than one thread (scikit-learn's boosting uses GNU OpenMP).

    GNU OpenMP's thread pool does not survive a fork: a forked child that enters a parallel region after its
    parent made the pool waits for the pool's threads forever. A runtime that loaded under one thread a
    process (``one_thread_per_process``, as the command line sets it) never makes one; a long-lived caller
    that loaded it first (a test session) may have, so such a process forks no OpenMP work.
    """
    from threadpoolctl import threadpool_info

    return any(lib["user_api"] == "openmp" and lib["num_threads"] > 1 for lib in threadpool_info())


def one_thread_per_process() -> None:
    """Ask the numerical libraries for one thread each, unless the user chose otherwise; call before they load.

    A build already keeps both cores busy with processes of its own (the render worker, a study analysed
    beside the others, one process a document), so a library's second thread only waits for a core: on the
    real data every study's build spent 1.7 s less CPU (18.6 s to 16.9 s, user and system) with one thread a
    library, for the same wall time. It also makes results independent of the machine's core count (a sum
    split across threads is added in another order: the VIF's last digit moved with the thread count). Once
    numpy is loaded (a caller that imported it first) the setting no longer reaches OpenBLAS; that is harmless.
    """
    for name in LIBRARY_THREADS:
        os.environ.setdefault(name, "1")


@dataclass(frozen=True)
class RenderOutcome:
    """What rendering produced: results with their figures, files written, seconds per stage."""

    results: Any  # the study's results, with their figures
    written: tuple[str, ...]
    timings: dict[str, float]
    seconds: float = 0.0  # from the request to the answer, as the build waited for it


def render_outputs(
    study_id: str, results: Any, config: Config, folder: Path, draw_figures: bool, drawn: tuple[Any, ...] = (), spread: bool = True
) -> RenderOutcome:
    """Draw a study's figures (unless reused, or ``drawn`` already) and write each of its documents into ``folder``.

    Spread (``spread``), the figures are drawn in two processes, alternate
    figures in each (a study's slow figures are rarely neighbours), and the
    documents, independent of one another, are written all but the first in
    forked processes while the first is written here. Otherwise all is done
    here, one after another. ``drawn`` holds the records of figures drawn
    earlier from the study's preview (``Jobs.preview``).
    """
    from reportgen.render import DOCUMENTS
    from reportgen.studies import get

    study = get(study_id)
    run = run_in_parallel if spread else run_here
    folder.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    if draw_figures:
        drawers = study.figures()
        infos = {info.file: info for info in drawn}
        left = tuple((name, draw) for name, draw in drawers if name not in infos)
        halves = [left[0::2], left[1::2]] if spread else [left]
        done = run([(f"half {i}", partial(_draw, results, folder / "figures", h)) for i, h in enumerate(halves) if h])
        infos.update({info.file: info for _, part in done.values() for info in part})
        results = dataclasses.replace(results, figures=tuple(infos[name] for name, _ in drawers))
        timings["figures"] = max((seconds for seconds, _ in done.values()), default=0.0)
    documents = [*DOCUMENTS, *getattr(study, "documents", tuple)()]
    calls = [(", ".join(files), partial(render, study, results, config, folder)) for files, render in documents]
    timings.update({f"render {name}": seconds for name, (seconds, _) in run(calls).items()})
    return RenderOutcome(results, tuple(f for files, _ in documents for f in files), timings)


class Jobs:
    """What a render worker does for a build: draw a study's preview figures early, render a study.

    A study with a ``preview`` hook hands its preview over while it goes on analysing; the figures
    named in its ``preview_figures`` are drawn from it at once, and their records go back to the main
    process, which hands them on with the study's results: then only the other figures are drawn,
    by whichever worker renders the study.
    """

    @staticmethod
    def preview(study_id: str, preview: Any, folder: Path) -> tuple[Any, ...]:
        """Draw the study's preview figures into ``folder/figures``; their records."""
        from reportgen.studies import get

        study = get(study_id)
        names = set(getattr(study, "preview_figures", ()))
        return _draw(preview, folder / "figures", tuple((name, draw) for name, draw in study.figures() if name in names))

    @staticmethod
    def render(
        study_id: str, results: Any, config: Config, folder: Path, draw_figures: bool, drawn: tuple[Any, ...] = (), spread: bool = True
    ) -> RenderOutcome:
        """``render_outputs``, with the figures already drawn from the study's preview (``drawn``)."""
        return render_outputs(study_id, results, config, folder, draw_figures, drawn, spread)


def _draw(results: Any, folder: Path, drawers: tuple[tuple[str, Any], ...]) -> tuple[Any, ...]:
    """Draw some of a study's figures into ``folder`` (a share of the work for one process)."""
    folder.mkdir(parents=True, exist_ok=True)
    return tuple(draw(results, folder / name) for name, draw in drawers)


def run_in_parallel(calls: list[tuple[str, Callable[[], Any]]]) -> dict[str, tuple[float, Any]]:
    """Run the first call here and the others in forked children; raise the first failure.

    Returns
    -------
    dict
        Name -> (seconds the call took, what it returned); a child's value comes back pickled.
    """
    if not CAN_FORK:
        return run_here(calls)
    children = [_Child(name, call) for name, call in calls[1:]]
    try:
        outcomes = {calls[0][0]: _timed(calls[0][1])} if calls else {}
        for child in children:
            outcomes[child.name] = child.result()
        return outcomes
    finally:
        for child in children:
            child.stop()


def run_here(calls: list[tuple[str, Callable[[], Any]]]) -> dict[str, tuple[float, Any]]:
    """``run_in_parallel``'s answer, every call run here, one after another."""
    return {name: _timed(call) for name, call in calls}


@contextmanager
def in_background(name: str, call: Callable[[], Any], fork: bool = True) -> Iterator[Callable[[], Any]]:
    """Start ``call`` in a forked process and go on; the ``with`` block gets a function that waits for its value.

    For an analysis that does not need what the caller computes meanwhile: the second core runs it (forked after the
    heavy imports, so it pays for none). Its exception is raised where the value is asked for. Where fork is not
    available, or the caller says not to (``fork=False``: a fork unsafe for a library it uses), ``call`` runs when its
    value is first asked for. Leaving the block ends the process if it still runs.
    """
    if not (CAN_FORK and fork):
        yield functools.cache(call)  # no arguments: runs once, at the first call
        return
    child = _Child(name, call)
    try:
        yield lambda: child.result()[1]
    finally:
        child.stop()


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds ``call`` took, its value)."""
    start = time.perf_counter()
    value = call()
    return round(time.perf_counter() - start, 4), value


class _Child:
    """One call in a forked process; its exception, if any, comes back through a pipe."""

    def __init__(self, name: str, call: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.name = name
        self._answered = False
        self._conn, theirs = context.Pipe(duplex=False)
        # Not a daemon: a child may start children of its own (the classifier's analysis runs its audit's refits
        # beside its test stage); ``stop`` ends it, whatever happens to its owner.
        self._process = context.Process(target=_report, args=(call, theirs), name=f"reportgen {name}")
        _start_frozen(self._process)
        theirs.close()

    def result(self) -> tuple[float, Any]:
        """(seconds, value) of the call, or its exception raised here."""
        if not self._answered:
            self._payload = _answer(self._conn, self._process, f"reportgen's process for {self.name}")
            self._answered = True
        return self._payload

    def stop(self) -> None:
        """Wait for the process; end it if it is still running (after a failure elsewhere)."""
        self._process.join(timeout=5 if self._answered else 0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()


def _start_frozen(process: Any) -> None:
    """Fork ``process`` with this process's objects frozen out of the child's garbage collector.

    A forked child shares the parent's memory until either side writes a page. CPython's collector
    writes into every object it walks, so a child's first full collection copied the whole parent heap
    (and the parent's, every page still shared): 15.2 s to 14.6 s of CPU in one A/B of whole builds. Frozen
    objects (``gc.freeze``) are never walked in the child; the parent unfreezes its own at once, so
    nothing it later drops is kept for good.

    A process that froze for good already (a render worker after its warm-up, and every process forked
    from a frozen one: each lives for one build at most) freezes what it holds now for good too, so its
    own collections never walk its past again; it first collects, so that nothing dead is kept. Rendering
    every study in one simulated worker: 6.6 s to 6.25 s of CPU (median of 4), 10 MB less peak memory.
    """
    if gc.get_freeze_count():
        gc.collect()  # walks only what is not frozen: what this process made since it last froze
        gc.freeze()
        process.start()
        return
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()


def _answer(conn: Any, process: Any, who: str) -> Any:
    """The value a process sent back, or its exception raised here; a silent death is an error too."""
    try:
        ok, payload = conn.recv()
    except EOFError:
        raise _stopped(who, process) from None
    if not ok:
        raise payload
    return payload


def _stopped(who: str, process: Any) -> RuntimeError:
    """The error for a process that died without answering (``process`` None: not ours, so its exit code is unknown)."""
    code = "unknown" if process is None else process.exitcode
    return RuntimeError(f"{who} stopped unexpectedly (exit code {code})")


def _report(call: Callable[[], Any], conn: Any) -> None:
    """Child side: run, then send (True, (seconds, value)) or (False, exception)."""
    _die_with_parent()
    try:
        conn.send((True, _timed(call)))
    except BaseException as exc:  # every failure must reach the parent, whatever its type
        conn.send((False, exc))
    finally:
        conn.close()


class _Renderer:
    """What the build asks of its renderer: a study's preview figures early, then the study; answers come in Futures.

    A study's preview figure records travel with its render, so whoever renders the study draws only the
    other figures. A renderer says how a request runs (``_enqueue``: given a channel that asks ``Jobs``).
    """

    def __init__(self) -> None:
        self._previews: dict[str, Future] = {}

    def render(self, study_id: str, results: Any, config: Config, folder: Path, draw_figures: bool, spread: bool = True) -> RenderOutcome:
        """A study's figures and documents; its failure is raised here."""
        return self.submit(study_id, results, config, folder, draw_figures, spread).result()

    def submit(self, study_id: str, results: Any, config: Config, folder: Path, draw_figures: bool, spread: bool = True) -> Future:
        """``render`` without waiting: the answer comes in a Future, and the caller goes on (analysing the next study).

        ``spread``: over two processes (``render_outputs``), for the build's last render, which nothing else
        needs the second core for. An earlier render shares the cores with the analyses and the other renders
        already, and a forked process only adds its cost.
        """
        start = time.perf_counter()
        preview = self._previews.pop(study_id, None)

        def render(channel: _Channel) -> RenderOutcome:
            # The preview was asked for first, so it is drawn or being drawn by now: its figures are not drawn again.
            drawn = preview.result() if preview is not None else ()
            outcome = channel.ask("render", (study_id, results, config, folder, draw_figures, drawn, spread))
            return dataclasses.replace(outcome, seconds=round(time.perf_counter() - start, 4))

        return self._enqueue(render)

    def preview(self, study_id: str, preview: Any, folder: Path) -> Future:
        """Have a study's preview figures drawn now (``Jobs.preview``); a Future of their records."""
        drawing = self._previews[study_id] = self._enqueue(lambda channel: channel.ask("preview", (study_id, preview, folder)))
        return drawing

    def _enqueue(self, request: Callable[[_Channel], Any]) -> Future:
        """Run ``request`` (a call given a channel to ``Jobs``) as this renderer does; its answer in a Future."""
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to stop."""


class RenderWorker(_Renderer):
    """Two processes that import the rendering stack at once and render studies when their results come.

    The first is forked before any heavy import and warms up; it then forks the second, which starts warm
    (``_serve``). Requests wait in one queue, in the order they came, and the first worker free takes the
    next. Why two: the studies analysed in the main process come one after another, but a study analysed
    in a process of its own (the classifier) finishes at a time of its own; behind the others in one
    worker, its documents came last, with a core idle.
    """

    def __init__(self) -> None:
        import queue
        import threading

        super().__init__()
        context = multiprocessing.get_context("fork")
        first, first_end = context.Pipe()
        second, second_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(first_end, second_end), name="reportgen render")
        _start_frozen(self._process)
        first_end.close()
        second_end.close()
        self._queue: Any = queue.SimpleQueue()
        # The second worker is the first's child: only the first's exit code can be known here. A thread of ours
        # for each waits on its pipe, not the caller (a large answer fills the pipe until someone reads it).
        self._channels = (_Channel(first, "the render worker", self._process), _Channel(second, "the second render worker"))
        self._threads = [threading.Thread(target=self._dispatch, args=(c,), name="reportgen-render", daemon=True) for c in self._channels]
        for thread in self._threads:
            thread.start()

    def _enqueue(self, request: Callable[[_Channel], Any]) -> Future:
        """Queue ``request`` (a call given the free worker's channel); its answer comes in the Future."""
        answer: Future = Future()
        self._queue.put((request, answer))
        return answer

    def _dispatch(self, channel: _Channel) -> None:
        """One worker's thread: take the next request, ask the worker, answer; until the queue says stop."""
        while (item := self._queue.get()) is not None:
            request, answer = item
            if not answer.set_running_or_notify_cancel():
                continue
            try:
                answer.set_result(request(channel))
            except BaseException as exc:  # raised where the caller asks for the answer
                answer.set_exception(exc)

    def close(self) -> None:
        """Tell the workers to stop, after the requests already sent; end them if they do not (after Ctrl-C here)."""
        import queue

        while True:  # requests not yet sent are dropped: nobody waits for them now
            try:
                _, answer = self._queue.get_nowait()
            except queue.Empty:
                break
            answer.cancel()
        for _ in self._threads:
            self._queue.put(None)
        for channel in self._channels:
            channel.stop()
        # The first worker waits for the second before it exits, and the second dies with the first.
        self._process.join(timeout=2)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        for channel in self._channels:
            channel.conn.close()


class _Channel:
    """One render worker's pipe: one request at a time, from one thread."""

    def __init__(self, conn: Any, who: str, process: Any = None) -> None:
        self.conn, self.who, self.process = conn, who, process

    def ask(self, job: str, args: tuple[Any, ...]) -> Any:
        """Send one job and wait for its answer; a worker already dead is the same error as one dying meanwhile."""
        try:
            self.conn.send((job, args))
        except BrokenPipeError:
            raise _stopped(self.who, self.process) from None
        return _answer(self.conn, self.process, self.who)

    def stop(self) -> None:
        """Tell the worker to stop once it has answered what it was asked."""
        try:
            self.conn.send(None)
        except OSError:
            pass


def _serve(conn: Any, second: Any) -> None:
    """First worker: warm up, fork the second worker (on the pipe ``second``), then render until told to stop."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and stops us
    # Ended while still warming up (a bad input fails the build within a second): leave at once. A SystemExit
    # raised inside an import or a weakref callback would print "Exception ignored ..." tracebacks onto the
    # user's terminal; our own children die with us (PR_SET_PDEATHSIG), and a killed render wrote only into
    # the staged folder, which the build discards.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(1))
    _warm_up()
    # What the warm-up loaded (modules, fonts, templates) lives as long as the worker: frozen out of the collector
    # for good (see _start_frozen), the worker's collections no longer walk it, nor copy the pages it shares with
    # the processes it forks. No collection first: the warm-up leaves little garbage, and one would walk all it
    # loaded. The second worker inherits the freeze.
    gc.freeze()
    os.nice(RENDER_NICENESS)  # the second worker, forked next, inherits it
    context = multiprocessing.get_context("fork")
    helper = context.Process(target=_serve_warm, args=(second,), name="reportgen render 2")
    _start_frozen(helper)
    second.close()
    try:
        _listen(conn)
    finally:
        helper.join()


def _serve_warm(conn: Any) -> None:
    """Second worker: forked from the first after its warm-up, so it only renders."""
    _die_with_parent()
    _listen(conn)


def _listen(conn: Any) -> None:
    """Render each job that comes through ``conn`` until told to stop (or the main process is gone)."""
    try:
        while (request := conn.recv()) is not None:
            job, args = request
            try:
                conn.send((True, getattr(Jobs, job)(*args)))
            except Exception as exc:  # sent back and raised in the main process
                conn.send((False, exc))
    except (EOFError, BrokenPipeError):
        pass  # the main process went away: nothing left to render for


def _die_with_parent() -> None:
    """Have Linux end this process when its parent dies, so a killed build leaves no orphan writing files."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _warm_up() -> None:
    """Load the rendering libraries and what every render loads once a process (``render.warm``)."""
    from reportgen.render.warm import warm_up

    warm_up()


class _InProcess(_Renderer):
    """The renderer's interface, rendering in this process (where fork is not available): each request at once."""

    def _enqueue(self, request: Callable[[_Channel], Any]) -> Future:
        """Run ``request`` now, here; its value, or its exception, as a finished Future (raised where the caller asks)."""
        done: Future = Future()
        try:
            done.set_result(request(_HERE))
        except Exception as exc:
            done.set_exception(exc)
        return done


class _Here:
    """A channel to ``Jobs`` in this process."""

    @staticmethod
    def ask(job: str, args: tuple[Any, ...]) -> Any:
        return getattr(Jobs, job)(*args)


_HERE = _Here()


@contextmanager
def render_worker() -> Iterator[_Renderer]:
    """A render worker for the length of a build, always stopped afterwards."""
    worker = RenderWorker() if CAN_FORK else _InProcess()
    try:
        yield worker
    finally:
        worker.close()
