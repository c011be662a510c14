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
