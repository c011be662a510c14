"""The render worker's warm-up: it loads what the renders use, and writes nothing."""

from __future__ import annotations

import os


def test_the_warm_up_compiles_every_template_and_loads_the_measuring_fonts(tmp_path, monkeypatch):
    from reportgen.render import exec_layout
    from reportgen.render.jinja import environment
    from reportgen.render.warm import warm_up

    env = environment()
    env.cache.clear()
    exec_layout.metrics.cache_clear()
    monkeypatch.chdir(tmp_path)
    warm_up()
    templates = set(env.list_templates(filter_func=lambda name: name.endswith(".j2")))
    assert {"executive/summary.html.j2", "technical/base.html.j2"} <= templates
    assert {name for _, name in env.cache.keys()} == templates
    assert exec_layout.metrics.cache_info().currsize == 1


def test_the_warm_up_writes_no_file(tmp_path, monkeypatch):
    from reportgen.render.warm import warm_up
    from reportgen.resources import assets_dir, templates_dir

    def files() -> set[str]:
        return {os.path.join(d, f) for root in (assets_dir(), templates_dir()) for d, _, names in os.walk(root) for f in names}

    before = files()
    monkeypatch.chdir(tmp_path)
    warm_up()
    assert files() == before and not any(tmp_path.iterdir())


def test_the_warm_up_page_loads_both_stylesheets_and_its_figure(monkeypatch):
    """Its links resolve among our assets: a broken one would only be logged, and the warm-up would warm less."""
    from weasyprint.urls import URLFetcher

    from reportgen.render.warm import _weasyprint

    fetched = []
    original = URLFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", recording)
    _weasyprint()
    assert {"report.css", "executive.css", "LiberationSans-Regular.ttf"} <= {url.rsplit("/", 1)[-1] for url in fetched if url.startswith("file:")}
    assert any(url.startswith("data:image/png") for url in fetched)
