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


def test_the_warm_up_page_uses_both_stylesheets_and_what_our_documents_hold():
    from reportgen.render.warm import WARM_PAGE

    for part in ('href="report.css"', 'href="executive.css"', "<table", '<th scope="col">', '<th scope="row">', "<img", 'class="box"'):
        assert part in WARM_PAGE
