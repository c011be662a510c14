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
