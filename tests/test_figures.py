"""Figures share the summary's face: the charts read like the slide and the PDF around them."""

from __future__ import annotations

from pathlib import Path

from reportgen.figures import _figure
from reportgen.resources import assets_dir


def test_charts_are_set_in_the_shipped_font_whatever_the_machine_has(tmp_path: Path) -> None:
    from matplotlib import font_manager, pyplot

    with _figure(tmp_path / "f.png") as ax:
        ax.set_title("A title")
        assert pyplot.rcParams["font.family"] == ["Liberation Sans"]
        used = Path(font_manager.findfont(font_manager.FontProperties(family="Liberation Sans"), fallback_to_default=False))
    assert used.parent == assets_dir() / "fonts" or used.name.startswith("LiberationSans")
    assert (tmp_path / "f.png").stat().st_size > 0


def test_figures_are_opaque_rgb_pngs_at_the_set_resolution(tmp_path: Path) -> None:
    """No alpha channel: WeasyPrint embeds an RGB image once, where an RGBA one is split and compressed twice."""
    import numpy as np
    from PIL import Image

    from reportgen.figures import DPI

    with _figure(tmp_path / "f.png", (4.0, 2.0)) as ax:
        ax.bar(["a", "b"], [1, 2])
    image = Image.open(tmp_path / "f.png")
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.size == (4 * DPI, 2 * DPI) and round(image.info["dpi"][0]) == DPI
    pixels = np.asarray(image)
    assert (pixels[0, 0] == 255).all() and (pixels < 255).any()  # a white page with ink on it


def test_compact_axis_numbers() -> None:
    from reportgen.formatters import fmt_compact

    values = [0, 1, 10, 500, 1_000, 25_000, 100_000, 1_000_000, 2_500_000, 3e9, -1_000]
    assert [fmt_compact(v) for v in values] == ["0", "1", "10", "500", "1k", "25k", "100k", "1M", "2.5M", "3B", "-1k"]


def test_a_log_axis_reads_in_plain_numbers_and_never_starts_mathematical_typesetting(tmp_path: Path) -> None:
    """Powers of ten as 1k and 1M: plainer to read, and matplotlib's mathtext parser (slow to start) stays idle."""
    from matplotlib.mathtext import MathTextParser

    from reportgen.figures import log_axis

    parses = MathTextParser._parse_cached.cache_info()
    with _figure(tmp_path / "f.png") as ax:
        ax.plot([0, 5, 20_000, 900_000], [0, 1, 2, 3])
        log_axis(ax, linthresh=1)
        ax.figure.canvas.draw()
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
    assert labels[:3] == ["0", "1", "10"] and "1k" in labels and "1M" in labels
    assert MathTextParser._parse_cached.cache_info() == parses
