"""The exploration's dashboard and the technical reports in a real browser: axe-core finds nothing, no request leaves.

Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs it) is
driven by Playwright from PyPI with ``executable_path``: no browser is
downloaded. axe-core's script comes bundled in the ``axe-playwright-python``
package. Skipped, saying why, where the browser or those packages are absent.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from reportgen.builder import build
from reportgen.config import Config
from reportgen.synthetic import write_csv

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it as root)")


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        yield p


def _launch(playwright, profile: str, **options):
    """Debian's chromium with a new empty profile, nothing fetched in the background."""
    return playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True, **options)


@pytest.fixture(scope="module")
def browser(playwright):
    """For axe: its script is injected into the page, so the page's CSP is bypassed here (and only here)."""
    with tempfile.TemporaryDirectory() as profile:
        context = _launch(playwright, profile, bypass_csp=True)
        yield context
        context.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (which bundles axe-core) is not installed")
    from importlib import resources

    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exploration and the regression built on synthetic data with the real schema."""
    tmp = tmp_path_factory.mktemp("a11y")
    build(write_csv(tmp / "claims.csv", rows=1_500, seed=11), tmp / "out", Config(), studies=["exploration", "regression"])
    return tmp / "out"


@pytest.fixture(scope="module")
def folder(built: Path) -> Path:
    return built / "exploration"


def _violations(browser, axe_script: str, path: Path, width: tuple[int, int]) -> list[str]:
    page = browser.new_page()
    page.set_viewport_size({"width": width[0], "height": width[1]})
    try:
        page.goto(path.as_uri())
        page.add_script_tag(content=axe_script)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_has_no_axe_violation(browser, axe_script, folder: Path, width: str) -> None:
    assert _violations(browser, axe_script, folder / "dashboard.html", WIDTHS[width]) == []


@pytest.mark.parametrize("study", ["exploration", "regression"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_technical_report_has_no_axe_violation(browser, axe_script, built: Path, study: str, width: str) -> None:
    assert _violations(browser, axe_script, built / study / "technical_report.html", WIDTHS[width]) == []


@pytest.mark.parametrize("study", ["exploration", "regression"])
def test_every_scrolling_table_is_a_labelled_focusable_region(built: Path, study: str) -> None:
    html = (built / study / "technical_report.html").read_text(encoding="utf-8")
    wrappers = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert wrappers, "no table in the report"
    for tag in wrappers:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and re.search(r'aria-label="[^"]+"', tag), tag
    assert not re.search(r"<th[^>]*>\s*</th>", html), "an empty header cell"


def test_the_dashboard_makes_no_request(playwright, folder: Path) -> None:
    page_url = (folder / "dashboard.html").as_uri()
    with tempfile.TemporaryDirectory() as profile:
        context = _launch(playwright, profile)  # the page's CSP enforced
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        context.route("**/*", lambda route: route.continue_() if route.request.url == page_url else route.abort())
        page = context.new_page()
        page.goto(page_url)
        page.wait_for_load_state("networkidle")
        context.close()
    assert requests == [page_url]


def test_the_filters_work_from_the_keyboard(browser, folder: Path) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto((folder / "dashboard.html").as_uri())
        assert page.is_visible("#view-all--all") and not page.is_visible("#view-verified--all")
        page.keyboard.press("Tab")  # the first control: the verification filter
        assert page.evaluate("document.activeElement.id") == "verified-all"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # focus is visible
        page.keyboard.press("ArrowRight")  # radios: arrows move the choice
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == "verified-verified"
        page.keyboard.press("Tab")  # into the ban-status filter
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == "ban-banned"
        assert page.is_visible("#view-verified--banned") and not page.is_visible("#view-all--all")
    finally:
        page.close()
