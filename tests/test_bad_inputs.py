"""The catalogue of bad inputs, each run through the real command line in a subprocess.

Every entry has a deliberate behaviour: refuse (exit 2, one ``error:`` line
naming file, column and rows, the previous build byte-identical) or go on
(exit 0, with the warning results.json records for the report). The builds
run concurrently in one module fixture, so the catalogue costs a few seconds.
"""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from reportgen import schema
from reportgen.synthetic import generate

ROWS = 2_000
#: The model's edge cases are the regression's; every study shares the loader, whose refusals come first.
REGRESSION = ("--study", "regression")
# Builds run side by side here: one BLAS thread each keeps them from fighting over the cores.
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TEXT = schema.TRANSCRIPTION
HOSTILE = (
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "<script>alert('x')</script> <img src=x onerror=alert(1)>",
    "{{ 7 * 7 }} {% for x in range(3) %}{{ x }}{% endfor %}",
    "@SUM(1+1) +1 -1",
)


@dataclass(frozen=True)
class Case:
    """One catalogue entry: how to make the input, and what reportgen must do with it."""

    name: str
    make: Callable[[Path, pd.DataFrame], Path]
    status: int
    message: str = ""  # the exact stderr line ({file} filled in); a trailing "…" means "starts with"
    warning: str = ""  # for exit 0: a substring of one of results.json's data or model warnings
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[dict, dict], None] | None = None  # more assertions on results.json (and the previous one) for exit 0
    # Entries that only the loader sees go through `validate`: the same checks and warnings, without a build's cost.
    command: str = "build"
    args: tuple[str, ...] = ()  # more command-line options


# --- Inputs ---------------------------------------------------------------------


def _csv(frame: pd.DataFrame, folder: Path, **kwargs) -> Path:
    path = folder / "data.csv"
    frame.to_csv(path, index=False, **kwargs)
    return path


def _set(column: str, rows: list[int], value) -> Callable[[Path, pd.DataFrame], Path]:
    """The valid frame with ``value`` at 0-based ``rows`` of ``column``."""

    def make(folder: Path, frame: pd.DataFrame) -> Path:
        frame = frame.copy()
        frame[column] = frame[column].astype(object)
        frame.loc[rows, column] = value
        return _csv(frame, folder)

    return make


def _bytes(data: bytes) -> Callable[[Path, pd.DataFrame], Path]:
    def make(folder: Path, frame: pd.DataFrame) -> Path:
        path = folder / "data.csv"
        path.write_bytes(data)
        return path

    return make


def _directory(folder: Path, frame: pd.DataFrame) -> Path:
    (folder / "data.csv").mkdir()
    return folder / "data.csv"


def _zip(members: dict[str, bytes]) -> Callable[[Path, pd.DataFrame], Path]:
    def make(folder: Path, frame: pd.DataFrame) -> Path:
        path = folder / "data.csv"
        with zipfile.ZipFile(path, "w") as archive:
            for name, payload in members.items():
                archive.writestr(name, payload or frame.to_csv(index=False))
        return path

    return make


def _sparse(size: int) -> Callable[[Path, pd.DataFrame], Path]:
    """A file of ``size`` bytes that takes no disk space: the size check must come before any read."""

    def make(folder: Path, frame: pd.DataFrame) -> Path:
        path = folder / "data.csv"
        with path.open("wb") as fh:
            fh.truncate(size)
        return path

    return make


def _with(transform: Callable[[pd.DataFrame], pd.DataFrame], **to_csv) -> Callable[[Path, pd.DataFrame], Path]:
    return lambda folder, frame: _csv(transform(frame.copy()), folder, **to_csv)


def _sloppy_categories(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("verified_status", "author_ban_status"):
        frame[column] = frame[column].astype(object)
    frame.loc[[2, 9], "verified_status"] = "Verified"
    frame.loc[frame["author_ban_status"] == "banned", "author_ban_status"] = "banned "
    return frame


def _duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    usable = frame.dropna()
    repeats = usable.head(3).copy()
    repeats.iloc[2, repeats.columns.get_loc("video_view_count")] += 1  # same id, other values
    return pd.concat([frame, repeats], ignore_index=True)


def _huge_text(frame: pd.DataFrame) -> pd.DataFrame:
    first = frame.dropna().index[0]
    frame.loc[first, TEXT] = "word " * 2_000_000  # 10 MB in one field
    return frame


def _hostile_text(frame: pd.DataFrame) -> pd.DataFrame:
    for label, texts in (("claim", HOSTILE[:2]), ("opinion", HOSTILE[2:])):
        rows = frame.index[(frame["claim_status"] == label) & frame[TEXT].notna()][: len(texts)]
        frame.loc[rows, TEXT] = texts
    return frame


def _invalid_utf8(folder: Path, frame: pd.DataFrame) -> Path:
    frame = frame.copy()
    frame[TEXT] = frame[TEXT].astype(object)  # an Arrow-backed string column cannot hold the stand-in bytes
    frame.loc[[2, 9], TEXT] = "un caf\udce9 cr\udce8me"  # Windows-1252 bytes 0xe9, 0xe8
    return _csv(frame, folder, errors="surrogateescape")


def _ragged(folder: Path, frame: pd.DataFrame) -> Path:
    path = _csv(frame, folder)
    with path.open("a") as fh:
        fh.write(",".join(["1"] * (len(schema.COLUMNS) + 1)) + "\n")
    return path


def _ten_per_class(frame: pd.DataFrame) -> pd.DataFrame:
    usable = frame.dropna()
    verified = usable[usable["verified_status"] == "verified"]
    return pd.concat([verified.head(10), usable[usable["verified_status"] != "verified"].head(10)])


def _each_row_misses_one(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna().head(4).astype(object)
    for row, column in enumerate(["video_duration_sec", "video_duration_sec", "claim_status", "video_share_count"]):
        frame.iloc[row, frame.columns.get_loc(column)] = None
    return frame


def _nothing_varies(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna().copy()
    frame["claim_status"], frame["author_ban_status"] = "claim", "active"
    for column in schema.COUNTS:
        frame[column] = 5
    return frame


# --- Checks on results.json beyond the warning ------------------------------------


def _truncated_example(results: dict, previous: dict) -> None:
    examples = [t for texts in results["exploration"]["examples"].values() for t in texts]
    assert max(len(t) for t in examples) == 300 and "word word" in examples[0]
    assert results["data"]["rows_used"] == previous["data"]["rows_used"]


def _hostile_kept_verbatim(results: dict, previous: dict) -> None:
    """Data text stays data: stored as it was, never evaluated (a template would have made 49)."""
    examples = results["exploration"]["examples"]
    assert examples["claim"][:2] + examples["opinion"][:2] == list(HOSTILE)


def _fewest_rows_still_model(results: dict, previous: dict) -> None:
    assert results["data"]["rows_used"] == 20
    sample = next(c for c in results["assumptions"] if c["name"].startswith("Sample size"))
    assert sample["status"] == "fail"


def _drops_counted(results: dict, previous: dict) -> None:
    assert results["data"]["dropped_reasons"]["duplicate row"] == 2
    assert results["data"]["dropped_reasons"]["duplicate video_id"] == 1


def _one_value_left_out(results: dict, previous: dict) -> None:
    assert "author_ban_status" not in results["model"]["features"]


PROVENANCE_HINT = "fix the export, or leave the column out of model.predictors and model.extra_candidates in a --config file"
CATALOGUE = [
    Case("missing file", lambda folder, frame: folder / "nope.csv", 2,
         "error: {file}: file not found (check the path passed to --data)"),
    Case("a directory", _directory, 2, "error: {file}: not a file (pass the CSV file itself, not a folder)"),
    Case("empty file", _bytes(b""), 2, "error: {file}: the file is empty"),
    Case("header only", _with(lambda f: f.head(0)), 2, "error: {file}: the file has a header but no data rows"),
    Case("required column missing", _with(lambda f: f.drop(columns=["author_ban_status"])), 2,
         "error: {file}, column 'author_ban_status': required column(s) missing: author_ban_status "
         "(the file's columns are: #, claim_status, video_id, …"),
    Case("terminal escape codes in a column name", _with(lambda f: f.rename(columns={"author_ban_status": "ban\x1b[2J\x07"})), 2,
         "error: {file}, column 'author_ban_status': required column(s) missing: author_ban_status "
         "(the file's columns are: #, claim_status, video_id, …ban\\x1b[2J\\x07…"),
    Case("repeated column name", _with(lambda f: f.rename(columns={"#": "video_id"})), 2,
         "error: {file}, column 'video_id': the header names this column more than once (keep one of them)"),
    Case("extra unknown columns", _with(lambda f: f.assign(notes="x", region="EU")), 0,
         warning="column(s) not in the claims schema were ignored: 'notes', 'region'.", command="validate"),
    Case("columns in another order", _with(lambda f: f[list(reversed(f.columns))]), 0, command="validate"),
    Case("semicolon delimiter", _with(lambda f: f, sep=";"), 2,
         "error: {file}, column 'claim_status': required column(s) missing: " + ", ".join(schema.REQUIRED)
         + " (the header looks separated by semicolons; save the file with commas)"),
    Case("tab delimiter", _with(lambda f: f, sep="\t"), 2, "error: {file}, column 'claim_status': required column(s) missing: …"),
    Case("UTF-8 byte-order mark", lambda folder, frame: _csv(frame, folder, encoding="utf-8-sig"), 0, command="validate"),
    Case("Windows line endings", lambda folder, frame: _csv(frame, folder, lineterminator="\r\n"), 0, command="validate"),
    Case("old Mac line endings", lambda folder, frame: _csv(frame, folder, lineterminator="\r"), 0, command="validate"),
    Case("invalid UTF-8 bytes", _invalid_utf8, 2,
         "error: {file}, column 'video_transcription_text', rows 3, 10: bytes that are not valid UTF-8 "
         "(e.g. b'un caf\\xe9 cr\\xe8me') (re-export it as CSV UTF-8; it looks saved in another encoding, such as Windows-1252)"),
    Case("UTF-16 text", lambda folder, frame: _csv(frame, folder, encoding="utf-16"), 2,
         "error: {file}: this is UTF-16 text, not a CSV (save it as CSV UTF-8)"),
    Case("a row with too many fields", _ragged, 2,
         f"error: {{file}}, row {ROWS + 1}: this row has {len(schema.COLUMNS) + 1} fields where the header has {len(schema.COLUMNS)} "
         "(a value that holds a comma must be in double quotes; re-export the file)"),
    Case("text in a numeric column", _set("video_view_count", [0, 5, 6, 7, 8, 9, 40], "lots"), 2,
         "error: {file}, column 'video_view_count', rows 1, 6, 7, 8, 9 and 2 more: text where a number belongs (e.g. 'lots')"),
    Case("negative counts", _set("video_share_count", [0, 5, 6], -4), 2,
         "error: {file}, column 'video_share_count', rows 1, 6, 7: negative count (e.g. -4)"),
    Case("counts that are not whole", _set("video_comment_count", [11], 2.5), 2,
         "error: {file}, column 'video_comment_count', row 12: count that is not a whole number (e.g. 2.5)"),
    Case("category in other case or with spaces", _with(_sloppy_categories), 0,
         warning="2 value(s) in verified_status differed from the allowed spelling only in case or spaces and were read "
         "as allowed ('Verified' as 'verified').", command="validate"),
    Case("unknown category value", _set("author_ban_status", [3, 4], "suspended"), 2,
         "error: {file}, column 'author_ban_status', rows 4, 5: unknown value(s) 'suspended' "
         "(allowed values: 'active', 'under review', 'banned')"),
    Case("all rows one class", _with(lambda f: f.assign(verified_status="not verified")), 2,
         "error: {file}, column 'verified_status': too few rows to model: 0 'verified' and …"),
    Case("fewer rows than the model needs", _with(lambda f: f.dropna().head(30)), 2,
         "error: {file}, column 'verified_status': too few rows to model: …"),
    Case("ten rows per class, just enough", _with(_ten_per_class), 0, check=_fewest_rows_still_model),
    Case("a predictor with one value only", _with(lambda f: f.assign(author_ban_status="active")), 0,
         warning="'author_ban_status' has one value only in the training rows and was left out", check=_one_value_left_out),
    Case("no predictor varies", _with(_nothing_varies), 2,
         "error: {file}, column 'video_duration_sec': no predictor varies: video_duration_sec, claim_status, …"),
    Case("every row missing a predictor", _with(lambda f: f.assign(video_view_count=pd.NA)), 2,
         f"error: {{file}}, column 'video_view_count': every one of the {ROWS:,} rows is missing a value here ({PROVENANCE_HINT})"),
    Case("no row usable, each missing another value", _with(_each_row_misses_one), 2,
         "error: {file}, column 'video_duration_sec': none of the 4 rows is usable: each misses a value in a column the model "
         "needs (this column alone misses 2; fill the gaps, or leave such columns out of model.predictors)"),
    Case("duplicate video_id", _with(_duplicates), 0,
         warning="1 row(s) repeat an earlier video_id with other values and were dropped.", check=_drops_counted),
    Case("a 10 MB transcription", _with(_huge_text), 0, check=_truncated_example),
    Case("hostile text in the data", _with(_hostile_text), 0, check=_hostile_kept_verbatim),
    # The size limit is the in-memory (pandas) engine's; "auto" would read such a file with DuckDB, out of core.
    Case("a file of several GB", _sparse(3 << 30), 2,
         "error: {file}: the file is 3.0 GiB, above the 1.0 GiB limit for one build (read it out of core with --engine duckdb "
         "(pip install 'reportgen[duckdb]'); or filter or split the export; or, on a "
         "machine with about six times that much free memory, raise the limit, e.g. REPORTGEN_MAX_INPUT_BYTES=3G)",
         args=("--engine", "pandas")),
    # Other data than the previous build's: an unchanged input is reused without being read at all.
    Case("above a lowered size limit", _with(lambda f: f.iloc[1:]), 2, "error: {file}: the file is …, above the 64.0 KiB limit for one build…",
         env={"REPORTGEN_MAX_INPUT_BYTES": "64K"}),
    Case("a size limit that is not a size", _with(lambda f: f.iloc[1:]), 2,
         "error: REPORTGEN_MAX_INPUT_BYTES must be a size such as 2G, 500M or a number of bytes, not 'lots'",
         env={"REPORTGEN_MAX_INPUT_BYTES": "lots"}),
    Case("a ZIP archive named .csv", _zip({"data.csv": b""}), 2,
         "error: {file}: this is a ZIP archive (or an .xlsx workbook), not a CSV (export the sheet as CSV UTF-8)"),
    Case("an .xlsx workbook named .csv", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), 2,
         "error: {file}: this is an Excel .xlsx workbook, not a CSV (export the sheet as CSV UTF-8)"),
    Case("a gzip file named .csv", lambda folder, frame: _csv(frame, folder, compression="gzip"), 2,
         "error: {file}: this is a gzip-compressed file, not a CSV (decompress it first)"),
    Case("an .xls workbook named .csv", _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), 2,
         "error: {file}: this is an Excel .xls workbook, not a CSV (export the sheet as CSV UTF-8)"),
]


# --- Running the catalogue -------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    done: subprocess.CompletedProcess
    data: Path
    out: Path
    before: dict[str, str]
    seconds: float


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=timeout, check=False, env={**os.environ, **_ONE_THREAD, **(env or {})}
    )


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return generate(rows=ROWS, seed=7)


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory, frame: pd.DataFrame) -> Path:
    """A finished build of clean data: what every refused run must leave untouched."""
    folder = tmp_path_factory.mktemp("previous")
    done = cli("build", "--data", str(_csv(frame, folder)), "--out", str(folder / "out"), "--quiet", *REGRESSION)
    assert done.returncode == 0, done.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, frame: pd.DataFrame, previous: Path) -> dict[str, Outcome]:
    """Run every entry at once (each into its own copy of the previous build)."""

    def run(case: Case) -> Outcome:
        folder = tmp_path_factory.mktemp("case")
        out = shutil.copytree(previous, folder / "out")
        data = case.make(folder, frame)
        start = time.perf_counter()
        where = ["--out", str(out), "--quiet", *REGRESSION] if case.command == "build" else []
        done = cli(case.command, "--data", str(data), *where, *case.args, env=case.env)
        return Outcome(done, data, out, checksums(previous), time.perf_counter() - start)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip([c.name for c in CATALOGUE], pool.map(run, CATALOGUE)))


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_catalogue_entry(case: Case, outcomes: dict[str, Outcome], previous: Path) -> None:
    o = outcomes[case.name]
    assert "Traceback" not in o.done.stderr
    assert o.done.returncode == case.status, o.done.stderr
    leftovers = sorted(p.name for p in o.out.parent.iterdir() if p.name.startswith(".out."))
    assert set(leftovers) <= {".out.lock"}  # no stage, no backup
    if case.status == 2:
        _assert_refused(case, o)
    elif case.command == "validate":
        _assert_validated(case, o, json.loads((previous / "regression" / "results.json").read_text()))
    else:
        _assert_went_on(case, o, json.loads((previous / "regression" / "results.json").read_text()))


def _assert_refused(case: Case, o: Outcome) -> None:
    """One error line with the expected wording; the previous build byte-identical."""
    line = o.done.stderr.strip()
    assert "\n" not in line
    expected = case.message.format(file=o.data)
    if expected.endswith("…"):
        head, *middle = expected.removesuffix("…").split("…")
        assert line.startswith(head), line
        assert all(part in line for part in middle), line
    else:
        assert line == expected
    assert checksums(o.out) == o.before


def _assert_validated(case: Case, o: Outcome, previous: dict) -> None:
    """Every row of the clean file still read and used; the warning printed; nothing written."""
    d = previous["data"]
    lines = o.done.stdout.splitlines()
    assert lines[0] == f"{o.data.name}: {d['rows_read']:,} rows read"
    assert f"regression: {d['rows_read']:,} rows read, {d['rows_used']:,} usable, {d['rows_dropped']:,} dropped" in lines
    printed = [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")]
    assert case.warning in printed if case.warning else printed == []
    assert checksums(o.out) == o.before


class _Tags(HTMLParser):
    """Every element name and attribute name in a document, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.names.add(tag)
        self.attributes.update(name for name, _ in attrs)


def _assert_went_on(case: Case, o: Outcome, previous: dict) -> None:
    """A new build from this input, its warnings recorded where the report reads them, not printed (--quiet)."""
    assert o.done.stderr == ""
    results = json.loads((o.out / "regression" / "results.json").read_text())
    assert results["data"]["sha256"] == hashlib.sha256(o.data.read_bytes()).hexdigest()
    recorded = [*results["data"]["warnings"], *results["model"]["warnings"]]
    if case.warning:
        assert case.warning in recorded
    if case.check:
        case.check(results, previous)
    for html in o.out.rglob("*.html"):  # the project page and each study's report: data text arrives escaped
        tags = _Tags()
        tags.feed(html.read_text())
        assert "script" not in tags.names
        assert not [a for a in tags.attributes if a.startswith("on")]


def test_a_clean_file_records_no_data_warning(previous: Path) -> None:
    """The warnings above are caused by their inputs: a clean export has none."""
    assert json.loads((previous / "regression" / "results.json").read_text())["data"]["warnings"] == []


def test_a_huge_file_is_refused_before_it_is_read(outcomes: dict[str, Outcome]) -> None:
    o = outcomes["a file of several GB"]
    assert o.data.stat().st_size == 3 << 30
    assert o.seconds < 10  # reading 3 GiB, even of zeros, would take far longer than starting Python


def test_validate_refuses_like_build(tmp_path: Path, frame: pd.DataFrame) -> None:
    data = _set("video_share_count", [0], -1)(tmp_path, frame)
    done = cli("validate", "--data", str(data))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {data}, column 'video_share_count', row 1: negative count (e.g. -1)"


def test_jinja_environment_escapes_and_never_evaluates_data_text() -> None:
    """The one environment every HTML renderer uses: data text is escaped, template syntax inside it is inert."""
    from reportgen.render.jinja import environment

    html = environment().from_string("<p>{{ text }}</p>").render(text=HOSTILE[1] + HOSTILE[2])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ 7 * 7 }}" in html and "49" not in html



# --- Nothing outside the assets and the build folder is fetched into a PDF --------------


@pytest.fixture()
def web_server():
    """A local HTTP server that records every request it gets (none is the right number)."""
    import http.server
    import threading

    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_the_pdf_fetcher_reads_only_the_build_folder_and_never_the_network(tmp_path, monkeypatch, web_server):
    from weasyprint.urls import URLFetcher

    from reportgen.render.pdf import write_pdf

    base, requests = web_server
    build_dir = tmp_path / "build"
    (build_dir / "figures").mkdir(parents=True)
    png = (tmp_path / "pixel.png")
    from PIL import Image

    Image.new("RGB", (2, 2), "white").save(png)
    (build_dir / "figures" / "ok.png").write_bytes(png.read_bytes())
    (build_dir / "figures" / "link.png").symlink_to("/etc/passwd")  # inside by name, outside in fact
    fetched: list[str] = []
    real_fetch = URLFetcher.fetch
    monkeypatch.setattr(URLFetcher, "fetch", lambda self, url, headers=None: fetched.append(url) or real_fetch(self, url, headers))
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="file:///etc/passwd"><link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}</style></head>
      <body><img src="file:///etc/passwd" alt="a"><img src="{base}/x.png" alt="b">
      <img src="../../../../../../etc/passwd" alt="c"><img src="file:///build/%2e%2e/%2e%2e/etc/passwd" alt="d">
      <img src="figures/link.png" alt="e"><img src="figures/ok.png" alt="f"></body></html>"""
    write_pdf(html, tmp_path / "t.pdf", build_dir)
    assert requests == []  # the server never heard from WeasyPrint
    assert [Path(u.removeprefix("file://")).name for u in fetched] == ["ok.png"]  # the one allowed file, nothing else
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
