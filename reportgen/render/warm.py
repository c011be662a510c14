"""The render worker's warm-up: what a render pays once a process, paid before the first results arrive.

The render worker forks a process for each figure half and each document after
the first, and each inherits what the worker has loaded by then. What the
libraries load lazily (modules, fonts, the C types WeasyPrint declares on first
use, compiled templates, matplotlib's text machinery, python-pptx's XML classes)
would otherwise be loaded again in every one of those processes. The worker
warms up while the main process reads the data, when a core would be idle.
Nothing is written to disk.
"""

from __future__ import annotations

import io

#: A small page with what our documents use: both stylesheets, a table with its headers, a figure, a positioned box.
#: A 1x1 white PNG stands in for a figure (RGB, 8-bit, as figures.py writes them). The summary's template sets the
#: colours executive.css reads; the one a rule here reads is set, so that the warm-up logs no ignored declaration.
WARM_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>warm-up</title>
<link rel="stylesheet" href="report.css"><link rel="stylesheet" href="executive.css">
<style>:root { --text: #000000; }</style></head>
<body><main><h1>Warm-up</h1><h2>A section</h2><p>Text, <strong>bold</strong>, <em>italic</em>, <a href="#t">a link</a>.</p>
<ul><li>a bullet</li></ul>
<table id="t" class="compact"><caption>A table</caption><thead><tr><th scope="col">term</th><th scope="col">value</th></tr></thead>
<tbody><tr><th scope="row">a</th><td class="num">1.00 (0.90 to 1.10)</td></tr></tbody></table>
<figure><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
alt="a white dot"><figcaption>A figure</figcaption></figure>
<div class="box" style="left: 1in; top: 5in; width: 3in; height: 1in"><p>A box placed on the page</p></div></main></body></html>
"""


def warm_up() -> None:
    """Load what every render loads: templates, WeasyPrint on a page like ours, python-pptx, matplotlib, fonts."""
    from reportgen.artifacts import package_versions
    from reportgen.render.exec_layout import metrics

    _templates()
    _weasyprint()
    _pptx()
    _matplotlib()
    metrics()  # the executive summary's measuring fonts
    package_versions()  # every technical report states them


def _templates() -> None:
    """Compile every template (Jinja keeps them in the environment)."""
    from reportgen.render.jinja import environment

    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        env.get_template(name)


def _weasyprint() -> None:
    """Lay out and write ``WARM_PAGE`` as every PDF of ours is written (``pdf.write_pdf``), into memory."""
    from reportgen.render.pdf import write_pdf
    from reportgen.resources import assets_dir

    write_pdf(WARM_PAGE, io.BytesIO(), assets_dir())  # the stylesheets' links resolve among our assets


def _pptx() -> None:
    """A one-slide deck with a title and a text box, saved into memory."""
    from pptx import Presentation
    from pptx.util import Pt

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "warm-up"
    box = slide.shapes.add_textbox(Pt(72), Pt(144), Pt(144), Pt(36)).text_frame
    box.text = "warm-up"
    box.paragraphs[0].runs[0].font.size = Pt(10)
    deck.save(io.BytesIO())


def _matplotlib() -> None:
    """A small bar chart in our style (shipped font, title, labels, ticks), drawn and saved into memory."""
    from reportgen.figures import _figure

    with _figure(io.BytesIO(), (2.0, 1.5)) as ax:
        ax.bar(["a", "b"], [1, 2])
        ax.set_title("warm-up")
        ax.set_ylabel("count")
