"""``reportgen.Project``: the studies of one claims file, for a notebook.

    >>> project = reportgen.Project("claims.csv")       # nothing is read yet
    >>> project                                           # in Jupyter: each study's verdict, numbers and figures
    >>> project.results["regression"].model_value         # analysed once, on first use, then kept
    >>> project.to_folder("outputs/claims")               # the documents: what ``reportgen build`` writes

The analyses are the build's own: the data is loaded by the build's loader
and each study's ``analyse`` runs on it, so the numbers are those of the
documents. Errors speak of the arguments a Python caller gave ("the data
argument"), not of the command line's options (see :func:`python_words`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reportgen.config import Config
from reportgen.errors import InputError

__all__ = ["Project", "python_words"]

#: The command line's words in InputError problems and hints, and what a Python caller of Project passed instead.
#: One table, applied in one place (python_words), so no message of the library needs a second wording.
_CLI_TO_PYTHON: tuple[tuple[str, str], ...] = (
    (r"'?reportgen build --force'?", "project.to_folder(force=True)"),
    (r"passed to --data\b", "given as the data argument"),
    (r"--data\b", "the data argument"),
    (r"--out\b", "the out argument of to_folder"),
    (r"--config\b", "the config argument"),
    (r"--study\b", "the studies argument"),
    (r"--force\b", "force=True"),
    (r"--seed\b", "the config's [model] seed"),
    (r"--audience\b", "the config's [report] audience"),
)


def _in_python_words(text: str | None) -> str | None:
    if not text:
        return text
    for pattern, words in _CLI_TO_PYTHON:
        text = re.sub(pattern, words, text)
    return text


@contextmanager
def python_words() -> Iterator[None]:
    """Re-raise an InputError with the command line's option names replaced by the Python arguments."""
    try:
        yield
    except InputError as exc:
        problem, hint = _in_python_words(exc.problem), _in_python_words(exc.hint)
        if (problem, hint) == (exc.problem, exc.hint):
            raise
        raise InputError(problem or "", file=exc.file, column=exc.column, rows=exc.rows, hint=hint or "") from None


class Project:
    """The studies of one claims CSV: results on demand, documents on request, a summary inline.

    Parameters
    ----------
    data : str or os.PathLike
        The claims CSV.
    config : Config, str or os.PathLike, optional
        A ``Config``, or the path of a ``reportgen.toml``; the defaults when None.
    studies : str or sequence of str, optional
        Study ids; by default the config's ``[project] studies``, else all, in project order.

    Raises
    ------
    InputError
        A bad argument: not a path, an unreadable or invalid config, an unknown study.
        The data file itself is read only when results or documents are asked for.
    """

    def __init__(
        self,
        data: str | os.PathLike,
        config: Config | str | os.PathLike | None = None,
        studies: str | Sequence[str] | None = None,
    ) -> None:
        if not isinstance(data, (str, os.PathLike)):
            raise InputError(f"the data argument must be the path of the claims CSV, not {type(data).__name__}")
        self.data = Path(data)
        with python_words():
            if config is None or isinstance(config, Config):
                self.config = config or Config()
            elif isinstance(config, (str, os.PathLike)):
                self.config = Config.from_file(config)
            else:
                kind = type(config).__name__
                raise InputError(f"the config argument must be a Config or the path of a reportgen.toml, not {kind}")
            if isinstance(studies, str):
                studies = [studies]
            from reportgen.studies import chosen

            self._studies = chosen(list(studies) if studies else None, self.config)
        self._results: dict[str, Any] | None = None
        self._html: str | None = None

    @property
    def studies(self) -> tuple[str, ...]:
        """The ids of the project's studies, in project order."""
        return tuple(study.id for study in self._studies)

    @property
    def results(self) -> dict[str, Any]:
        """Study id -> its results (the data of ``results.json``, figures not drawn): analysed on first use, then kept."""
        if self._results is None:
            with python_words():
                self._results = self._analyse()
        return self._results

    def to_folder(self, out: str | os.PathLike | None = None, force: bool = False) -> Path:
        """Build the documents of every study into ``out`` (``outputs/<data file stem>/`` when None); return it.

        This is ``reportgen build``: reports, summaries, figures, ``results.json``
        and the project page, each study rebuilt only when its input changed
        (``force=True`` rebuilds them all).
        """
        from reportgen.builder import build
        with python_words():
            report = build(self.data, out, self.config, force=force, studies=list(self.studies))
        return report.out

    def _analyse(self) -> dict[str, Any]:
        """Load the data once with the build's loader, then each study's ``analyse`` (and its related studies)."""
        from reportgen.data import check_file, fingerprint, load_studies
        from reportgen.progress import Progress

        progress = Progress(quiet=True)
        check_file(self.data)
        datasets = load_studies(self.data, self._studies, self.config, fingerprint(self.data))
        results: dict[str, Any] = {}
        for study in self._studies:
            found = study.analyse(datasets[study.id], self.config, progress)
            uses = {i: r for i, r in results.items() if i in getattr(study, "uses", ())}
            results[study.id] = study.with_related(found, uses) if uses else found
        return results

    def _repr_html_(self) -> str:
        """Each study's verdict, headline numbers and figures (drawn once, embedded with their alt text)."""
        if self._html is None:
            self._html = self._render_html()
        return self._html

    def __repr__(self) -> str:
        return f"Project({str(self.data)!r}, studies={list(self.studies)!r})"

    def _render_html(self) -> str:
        import base64
        import tempfile
        from html import escape

        from reportgen.formatters import fmt_value

        parts = [f'<div class="reportgen-project" lang="en"><h2>{escape(self.data.name)}: {len(self._studies)} '
                 f"{'study' if len(self._studies) == 1 else 'studies'}</h2>"]
        results = self.results
        with tempfile.TemporaryDirectory(prefix="reportgen-figures-") as tmp:
            for study in self._studies:
                r = results[study.id]
                parts.append(f'<section class="reportgen-study" id="reportgen-{escape(study.id)}">')
                parts.append(f"<h3>{escape(study.title)}</h3>")
                parts.append(f'<p class="question"><em>{escape(study.question)}</em></p>')
                parts.append(f'<p class="verdict"><strong>{escape(study.verdict(r))}</strong></p>')
                parts.append("<ul class=\"headline\">")
                for label, kind, value in study.headline(r):
                    parts.append(f"<li>{escape(label)}: {escape(fmt_value(value, kind))}</li>")
                parts.append("</ul>")
                folder = Path(tmp) / study.id
                folder.mkdir()
                for name, draw in study.figures():
                    info = draw(r, folder / name)
                    data = base64.b64encode((folder / info.file).read_bytes()).decode("ascii")
                    parts.append(
                        f'<figure style="margin:0.6em 0"><img src="data:image/png;base64,{data}" alt="{escape(info.alt)}" '
                        f'style="max-width:100%;height:auto"><figcaption><strong>{escape(info.title)}.</strong> '
                        f"{escape(info.caption)}</figcaption></figure>"
                    )
                parts.append("</section>")
        parts.append("</div>")
        return "\n".join(parts)
