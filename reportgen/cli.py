"""Command line: parse, call one function, map failures to exit codes. No logic here.

Exit status (SPEC.md): 0 done; 2 bad input or usage, one ``error:`` line on
stderr naming file, column and rows; 1 anything unexpected. A file-system
failure the user's paths or machine cause (permission, a full or read-only
disk, a name too long: ``errors.ENVIRONMENT_ERRORS``) is bad input too, naming
the path. Every line printed goes through ``_say``, which escapes control
characters. This module imports nothing heavy, so ``reportgen --help`` starts
at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from reportgen.errors import InputError, explain, printable, unexpected_line

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors read like every other bad input: ``error: ...``, exit 2.

    Flags are never abbreviated (``--dat`` is not taken for ``--data``: a
    typo must not pass as another option), and a misspelt command or flag gets
    a "did you mean".
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _DefaultsFormatter)
        super().__init__(*args, **kwargs)
        self._given: list[str] = []

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        self._given = list(sys.argv[1:] if args is None else args)  # for "did you mean" when a required flag is missing
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{message}{_suggestion(message, self)} (see '{self.prog} --help')")


class _DefaultsFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, when it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


def _flags(parser: argparse.ArgumentParser) -> list[str]:
    """Every flag of a parser and of its commands (the top level reports a command's unknown flags)."""
    flags = []
    for action in parser._actions:
        flags += action.option_strings
        if isinstance(action, argparse._SubParsersAction):
            flags += [f for command in action.choices.values() for f in _flags(command)]
    return list(dict.fromkeys(flags))


def _suggestion(message: str, parser: _Parser) -> str:
    """'; did you mean ...?' for the misspelt command or flag behind an argparse message, or ''."""
    import difflib
    import re

    flags = _flags(parser)
    if match := re.search(r"invalid choice: '([^']*)'", message):
        given, known = [match.group(1)], [str(c) for a in parser._actions if a.choices for c in a.choices]
    elif match := re.search(r"unrecognized arguments: (.*)", message):
        given, known = [w.split("=")[0] for w in match.group(1).split() if w.startswith("-")], flags
    elif "arguments are required" in message:  # argparse says so before it names the misspelt flag
        given, known = [w.split("=")[0] for w in parser._given if w.startswith("--") and w.split("=")[0] not in flags], flags
    else:
        return ""
    for word in given:
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
        if close:
            return f"; did you mean '{close[0]}' for '{word}'?"
    return ""


def _parser() -> argparse.ArgumentParser:
    from reportgen import __version__

    parser = _Parser(prog="reportgen", description="Statistical reports on the claims data: technical report, executive summary, results.")
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = sub.add_parser("build", help="run the whole pipeline and write every deliverable")
    build.add_argument("--data", type=Path, required=True, help="the claims CSV")
    _add_build_options(build)
    build.add_argument("--config", type=Path, help="a reportgen.toml (defaults hold without one)")
    build.add_argument("--force", action="store_true", help="rebuild everything even when the last build still holds")

    demo = sub.add_parser("demo", help="write a synthetic dataset with the real schema, then build from it")
    demo.add_argument("--rows", type=_demo_rows, default=20_000, help="rows to generate")
    _add_build_options(demo, default_out="outputs/demo")

    email = sub.add_parser("email", help="mail the executive summary PDF of a finished build")
    email.add_argument("--out", type=Path, required=True, help="the build folder")
    email.add_argument("--to", action="append", required=True, metavar="ADDR", help="one recipient address, or an audience name from the config (repeatable)")
    _add_study_option(email, "study whose summary to send (repeatable; default: every study in the build)")
    email.add_argument("--config", type=Path, help="a reportgen.toml with [delivery.audiences]")
    email.add_argument("--smtp-host", default="localhost", help="the mail server")
    email.add_argument("--smtp-port", type=int, help="default 25, 587 with --starttls; 465 means implicit TLS")
    email.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS (a login needs it, or port 465)")
    email.add_argument("--eml", type=Path, help="write the message to this file instead of sending")
    email.add_argument("--quiet", action="store_true", help="print errors only")

    watch = sub.add_parser("watch", help="rebuild when the data file changes")
    watch.add_argument("--data", type=Path, required=True, help="the claims CSV")
    watch.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    _add_build_options(watch)
    watch.add_argument("--config", type=Path, help="a reportgen.toml")

    validate = sub.add_parser("validate", help="data checks only; prints what it found")
    validate.add_argument("--data", type=Path, required=True, help="the claims CSV")
    validate.add_argument("--config", type=Path, help="a reportgen.toml")
    _add_engine_option(validate)
    validate.add_argument("--quiet", action="store_true", help="print errors only")
    return parser


def _add_study_option(cmd: argparse.ArgumentParser, help_text: str) -> None:
    """``--study ID``, repeatable; the ids are checked against the registry when the command runs."""
    cmd.add_argument("--study", action="append", metavar="ID", help=help_text)


def _add_build_options(cmd: argparse.ArgumentParser, default_out: str | None = None) -> None:
    """Options shared by build, demo and watch."""
    cmd.add_argument("--out", type=Path, default=default_out, help="output folder" + ("" if default_out else " (default: outputs/<data file stem>/)"))
    _add_study_option(cmd, "study to build (repeatable; default: the config's [project] studies, else all)")
    cmd.add_argument("--audience", choices=("leadership", "technical"), help="tone of the executive summary (default: leadership, or the config's)")
    cmd.add_argument("--seed", type=int, help="random seed of the split and the demo data")
    _add_engine_option(cmd)
    cmd.add_argument("--quiet", action="store_true", help="print errors only")


def _add_engine_option(cmd: argparse.ArgumentParser) -> None:
    """``--engine``: what reads and checks the data (default: the config's [data] engine, else auto)."""
    cmd.add_argument(
        "--engine",
        choices=("auto", "pandas", "duckdb", "spark"),
        help="what reads and checks the data: pandas in memory, duckdb out of core, spark; auto picks by file size (default: the config's, else auto)",
    )


def _demo_rows(text: str) -> int:
    """``--rows`` of demo: a whole number, refused at once when the build would not fit in memory."""
    from reportgen.capacity import check_demo_rows

    try:
        rows = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if rows >= 1:  # fewer is refused by _demo itself
        check_demo_rows(rows)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` command; returns the exit status."""
    args = None
    try:
        args = _parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _say("error: interrupted; the output folder is as it was before this run", sys.stderr)
        return _interrupted()
    except Exception as exc:  # the last line of defence: say what, keep the trace for debugging
        debug = bool(os.environ.get("REPORTGEN_DEBUG"))
        bad_input = explain(exc, _written(args))
        if bad_input is None:
            if debug:
                raise
            _say(f"{unexpected_line(exc)} (set REPORTGEN_DEBUG=1 for the traceback)", sys.stderr)
            return EXIT_UNEXPECTED
        if debug and not isinstance(exc, InputError):  # where in reportgen a file-system error came from
            _say(traceback.format_exc().rstrip("\n"), sys.stderr)
        _say(bad_input.message(), sys.stderr)
        return EXIT_BAD_INPUT


def run() -> None:
    """The ``reportgen`` command (and ``python -m reportgen``): ``main``, then leave without the interpreter's teardown.

    After a build, CPython's shutdown frees pandas, scikit-learn, statsmodels, SciPy and every object they
    hold one by one: about 0.2 s of CPU after the last file is written, which the user waits for. The exit
    handlers still run first (the DuckDB folder's removal, Spark's stop, logging's flush) and the output is
    flushed; only the teardown is skipped. Where the interpreter offers no way to run the handlers, it exits
    the ordinary way.
    """
    import atexit

    status = main()
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:
        sys.exit(status)
    run_handlers()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` line by line, control characters escaped: nothing from a file name, title or data drives the terminal."""
    print("\n".join(printable(line) for line in text.split("\n")), file=stream or sys.stdout, flush=True)


def _interrupted() -> int:
    """Exit 130 now: everything was cleaned up on the way out (stage removed, worker stopped).

    Returning 130 normally is not enough: when Ctrl-C lands while the
    classifier's libraries (scikit-learn's OpenMP and thread pools) are loading,
    CPython sometimes raises a second KeyboardInterrupt during the shutdown of
    ``python -m``, and the process dies by SIGINT (-2) instead of exiting 130.
    Nothing is left to finalise, so the process leaves without finalising.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _written(args: argparse.Namespace | None) -> Path | None:
    """The path the command writes, named when a full disk reports none."""
    if args is None:
        return None
    if getattr(args, "eml", None) is not None:
        return args.eml
    if getattr(args, "out", None) is not None:
        return Path(args.out)
    if getattr(args, "data", None) is not None and args.command in ("build", "watch"):
        from reportgen.builder import default_out

        return default_out(args.data)
    return None


#: The config read when --config is not given, from the folder the command runs in.
LOCAL_CONFIG = Path("reportgen.toml")


def _config(args: argparse.Namespace):
    """The config file (``--config``, else ``./reportgen.toml`` when there is one), then the command-line overrides."""
    from reportgen.config import Config

    path = _config_path(args)
    config = Config.from_file(path)
    return config.with_overrides(seed=getattr(args, "seed", None), audience=getattr(args, "audience", None), engine=getattr(args, "engine", None))


def _config_path(args: argparse.Namespace) -> Path | None:
    """Which config file a command reads, if any."""
    given = getattr(args, "config", None)
    if given is not None:
        return given
    return LOCAL_CONFIG if LOCAL_CONFIG.is_file() else None


def _build(args: argparse.Namespace) -> int:
    from reportgen.builder import build
    from reportgen.progress import Progress

    config = _config(args)
    report = build(args.data, args.out, config, Progress(quiet=args.quiet), force=getattr(args, "force", False), studies=args.study)
    if not args.quiet:
        _say(f"config: {_config_path(args) or 'defaults (no reportgen.toml here)'}")
        _say_built(report)
    return EXIT_OK


def _say_built(report) -> None:
    """What the build did, then each study's answer in a sentence, its headline numbers below it."""
    if report.unchanged:
        count = len(report.studies)
        _say(f"unchanged: {report.out} already holds this build ({count} {'study' if count == 1 else 'studies'} kept; --force rebuilds)")
        return
    _say(f"wrote {report.out}: index.html, manifest.json, and a folder a study (data read by the {report.engine} engine)")
    for outcome in report.studies:
        study = _study(outcome.id)
        _say(f"{outcome.id} ({outcome.status}): {study.verdict(outcome.results)}")
        _say(f"  {_headline(study, outcome.results)}")


def _study(study_id: str):
    """The study object of an id (the registry imports nothing heavy)."""
    from reportgen.studies import get

    return get(study_id)


def _headline(study, results) -> str:
    """A study's headline figures in one line."""
    from reportgen.formatters import fmt_value

    return ", ".join(f"{label} {fmt_value(value, kind)}" for label, kind, value in study.headline(results))


def _demo(args: argparse.Namespace) -> int:
    from reportgen import synthetic
    from reportgen.staging import check_target

    if args.rows < 1:
        raise InputError("--rows must be at least 1")
    out = Path(args.out)
    data = out.parent / f"{out.name}.csv"
    # Only a demo CSV of ours is replaced (told from its content): `demo --out claims` must not eat claims.csv.
    if (data.exists() or data.is_symlink()) and not synthetic.is_demo_csv(data):
        raise InputError(
            "this file is not a demo CSV that reportgen wrote, and demo would replace it with synthetic rows",
            file=data,
            hint="choose another --out; demo writes its data beside the folder as <out>.csv",
        )
    check_target(out.resolve())  # a refused --out is refused before any CSV is written
    seed = args.seed if args.seed is not None else 0
    synthetic.write_csv(data, rows=args.rows, seed=seed)
    if not args.quiet:
        _say(f"wrote synthetic data: {data} ({args.rows:,} rows, seed {seed})")
    args.data = data
    return _build(args)


def _email(args: argparse.Namespace) -> int:
    from reportgen.delivery.addresses import recipients
    from reportgen.delivery.mail import SmtpSettings, mail_summary

    to = recipients(args.to, _config(args).delivery.audiences)
    line = mail_summary(args.out, to, SmtpSettings.from_env(args.smtp_host, args.smtp_port, args.starttls), args.eml, args.study)
    if not args.quiet:
        _say(line)
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from reportgen.builder import build
    from reportgen.delivery.watch import watch
    from reportgen.progress import Progress

    config = _config(args)

    def rebuild() -> str:
        # each rebuild's stages on the terminal, their time counting while they run (silent when quiet or piped)
        return _change_line(build(args.data, args.out, config, Progress(quiet=args.quiet), studies=args.study))

    watch(args.data, rebuild, args.interval, say=(lambda _line: None) if args.quiet else _say, out=_written(args))
    return EXIT_OK


def _change_line(report) -> str:
    """What a rebuild changed, in one line: each study's headline figures that moved."""
    if report.unchanged:
        return f"{report.out}: unchanged"
    return f"{report.out}: " + "; ".join(f"{o.id} {_moved(o)}" for o in report.studies)


def _moved(outcome) -> str:
    """A study's headline figures that moved since the last build, or what else happened to it."""
    from reportgen.formatters import fmt_delta, fmt_value

    if outcome.status in ("unchanged", "carried over"):
        return outcome.status
    previous = getattr(outcome.results, "previous", None)
    changes = previous.changes if previous else ()
    moved = [f"{c.label} {fmt_value(c.before, c.kind)} → {fmt_value(c.after, c.kind)}" for c in changes if fmt_delta(c.delta, c.kind) != "no change"]
    return ", ".join(moved) if moved else "first build" if not previous else "same figures"


def _validate(args: argparse.Namespace) -> int:
    """Read and check the file as a build of the chosen studies would, without analysing: every check, once."""
    from reportgen import engines
    from reportgen.data import check_file, columns_for
    from reportgen.studies import chosen

    config = _config(args)
    studies = chosen(None, config)
    engine = engines.choose(config.data.engine, args.data)
    check_file(Path(args.data), engines.size_limit(engine))
    table = engines.read_table(engine, args.data, columns_for(studies, config), None, config)
    datasets = {study.id: engines.study_dataset(study, table, config) for study in studies}
    if not args.quiet:
        _say(_validation_text(table, {i: d.summary for i, d in datasets.items()}) + f"\nengine: {engine}")
    return EXIT_OK


def _validation_text(table, summaries: dict) -> str:
    """What the data checks found, one fact a line: the file, then each study's rows."""
    lines = [f"{table.path.name}: {table.rows_read:,} rows read"]
    for study_id, s in summaries.items():
        lines += [
            f"{study_id}: {s.rows_read:,} rows read, {s.rows_used:,} usable, {s.rows_dropped:,} dropped",
            *[f"  dropped for {reason}: {n:,}" for reason, n in s.dropped_reasons.items()],
            *(["  classes: " + ", ".join(f"{k} {v:,}" for k, v in s.target_counts.items())] if s.target_counts else []),
            *[f"  warning: {w}" for w in s.warnings if w not in table.warnings],  # its own drops
        ]
    lines += [
        "missing values: " + (", ".join(f"{c} {n:,}" for c, n in table.missing_by_column.items() if n) or "none"),
        f"duplicate rows: {table.duplicate_rows:,}; repeated video_id: {table.duplicate_ids:,}",
        *[f"warning: {w}" for w in table.warnings],  # the file's, whichever study reads it
        f"sha256 {table.sha256}",
    ]
    return "\n".join(lines)


_COMMANDS = {"build": _build, "demo": _demo, "validate": _validate, "email": _email, "watch": _watch}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
