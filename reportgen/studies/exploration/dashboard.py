"""``dashboard.html``: claims against opinions for management, readable with a screen reader and a keyboard.

One self-contained page, no script and no request: plain HTML and CSS laid out
by ``templates/exploration/dashboard.html.j2``. Why no charting library: the
page has two kinds of chart (a count and stacked bars), which HTML bars draw
in a few lines of CSS that scale to any width, while the text, the tables and
the filters a screen reader needs are HTML anyway; a library would add some
hundreds of kilobytes of inlined script and its own accessibility quirks for
nothing a reader gains.

Accessibility by design:

- Filters are native radio buttons in labelled fieldsets (arrow keys move,
  Tab leaves); the chosen view is shown by CSS (``:has``), so they work with
  scripting off too.
- Every chart is a labelled image whose text description is written from its
  numbers, followed by a data table with a caption and header cells.
- Claims are striped blue and opinions solid vermillion (Okabe-Ito), every bar
  labelled with its numbers in text beside it: colour is never the only cue.
  Text is near-black on white (over 15:1); the bars' colours are at least 3:1
  against the page.
- A Content-Security-Policy forbids every request (no fonts, scripts, images
  or frames from anywhere).

This module only lays the results out (bar widths in per cent of the widest
bar, the words for a filter choice); every number comes from results.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.formatters import fmt_int, fmt_pct
from reportgen.studies.exploration.words import band_label, name

if TYPE_CHECKING:
    from reportgen.config import Config
    from reportgen.studies.exploration.results import BandChart, DashboardView, ExplorationResults

FILE = "dashboard.html"


@dataclass(frozen=True)
class Row:
    """One bar: its label, the widths of its two parts (per cent of the chart) and its numbers as text."""

    label: str
    claims: str
    opinions: str
    total: str
    share: str
    claim_width: float
    opinion_width: float


@dataclass(frozen=True)
class Chart:
    """One chart of a view: heading, description from its numbers, bars (also its table's rows)."""

    id: str
    heading: str
    description: str
    rows: tuple[Row, ...]
    band_header: str


@dataclass(frozen=True)
class Panel:
    """Everything shown for one filter choice."""

    key: str
    verified: str
    ban: str
    heading: str
    count: Chart
    charts: tuple[Chart, ...]


def _ident(text: str) -> str:
    return text.replace(" ", "-")


def _who(verified: str, ban: str) -> str:
    """'all videos', 'videos by verified authors', 'videos by banned, not verified authors'."""
    parts = [p for p in ((ban if ban != "all" else ""), (verified if verified != "all" else "")) if p]
    return f"videos by {', '.join(parts)} authors" if parts else "all videos"


def _share(x: float | None) -> str:
    return fmt_pct(x) if x is not None else "–"


def _row(label: str, claims: int, opinions: int, share: float | None, widest: int) -> Row:
    scale = 100.0 / widest if widest else 0.0
    return Row(label, fmt_int(claims), fmt_int(opinions), fmt_int(claims + opinions), _share(share), round(claims * scale, 2), round(opinions * scale, 2))


def _band_chart(chart: BandChart, key: str, who: str) -> Chart:
    """Stacked bars of one count's bands, and the words for them."""
    widest = max((b.claims + b.opinions for b in chart.bands), default=0)
    rows = tuple(_row(band_label(b, chart.column), b.claims, b.opinions, b.claim_share, widest) for b in chart.bands)
    unit = name(chart.column)
    filled = [(b, r) for b, r in zip(chart.bands, rows) if b.claims + b.opinions]
    if not filled:
        description = f"No {who} have a number of {unit}."
    else:
        (low, low_row), (high, high_row) = filled[0], filled[-1]
        biggest, biggest_row = max(filled, key=lambda f: f[0].claims + f[0].opinions)
        description = (
            f"Among {who}, claims are {low_row.share} of videos with {low_row.label} ({low_row.claims} claims, {low_row.opinions} opinions) "
            f"and {high_row.share} of videos with {high_row.label} ({high_row.claims} claims, {high_row.opinions} opinions). "
            f"The largest band is {biggest_row.label}, with {biggest_row.total} videos."
        )
    return Chart(f"{key}-{_ident(chart.column)}", f"Claims and opinions by {unit}", description, rows, f"Band of {unit}")


def panel(view: DashboardView) -> Panel:
    """The page's content for one filter choice."""
    who = _who(view.verified, view.ban)
    key = _ident(view.key)
    total = view.claims + view.opinions
    if total:
        count_text = (
            f"Among {who}, {fmt_int(view.claims)} are claims ({_share(view.claim_share)}) and "
            f"{fmt_int(view.opinions)} are opinions ({_share(None if view.claim_share is None else 1 - view.claim_share)})."
        )
    else:
        count_text = f"No video matches: there are no {who}."
    rows = (
        Row("Claims", fmt_int(view.claims), "0", fmt_int(view.claims), _share(view.claim_share), 100.0 * view.claims / max(view.claims, view.opinions, 1), 0.0),
        Row("Opinions", "0", fmt_int(view.opinions), fmt_int(view.opinions), _share(None if view.claim_share is None else 1 - view.claim_share), 0.0,
            100.0 * view.opinions / max(view.claims, view.opinions, 1)),
    )
    count = Chart(f"{key}-count", "Claims and opinions", count_text, rows, "Claim status")
    return Panel(key, _ident(view.verified), _ident(view.ban), who[0].upper() + who[1:], count, tuple(_band_chart(c, key, who) for c in view.charts))


def render_dashboard(results: ExplorationResults, config: Config) -> str:
    """The page as HTML text."""
    from reportgen.render.jinja import render_template

    d = results.dashboard
    return render_template(
        "exploration/dashboard.html.j2",
        title=f"{config.report.project}: claims and opinions dashboard",
        source=results.data.source,
        rows_read=fmt_int(results.data.rows_read),
        verified=tuple((_ident(v), v) for v in ("all", *d.verified_levels)),
        ban=tuple((_ident(b), b) for b in ("all", *d.ban_levels)),
        panels=tuple(panel(v) for v in d.views),
        banding="powers of ten" if d.banding == "decades" else "quartiles of each count",
    )


def write_dashboard(results: ExplorationResults, config: Config, folder: Path) -> Path:
    """Write ``dashboard.html`` into ``folder``."""
    out = Path(folder) / FILE
    out.write_text(render_dashboard(results, config), encoding="utf-8")
    return out
