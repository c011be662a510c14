"""Figures go into the PDFs as their PNG files hold them (``render.pdf.embed_png_as_is``).

The hook must change nothing but the time: the PDFs are byte for byte those of
WeasyPrint's own way, every image reads back (pypdf) with the pixels of its
file, and a PNG the hook cannot pass on as it is (alpha, palette, 16-bit,
interlaced) still goes WeasyPrint's way.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reportgen.render import pdf as pdf_module
from reportgen.render.pdf import PNG_SIGNATURE, embed_png_as_is, png_pixels_as_is, write_pdf


def _png(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def _picture(mode: str, size: tuple[int, int] = (37, 23)) -> Image.Image:
    """A small image with varied pixels (so compression and filters have something to do)."""
    rng = np.random.default_rng(7)
    bands = len(mode) if mode in ("RGB", "RGBA", "LA") else 1
    pixels = rng.integers(0, 256, (size[1], size[0], bands), dtype=np.uint8)
    pixels[: size[1] // 2] //= 64  # flat areas, as in a chart
    image = Image.fromarray(pixels.squeeze(-1) if bands == 1 else pixels)
    return image.convert(mode) if image.mode != mode else image


def _with_interlace_flag(png: bytes) -> bytes:
    """The same file with its header saying "interlaced" (the CRC is not read by either side)."""
    return png[:28] + b"\x01" + png[29:]


def test_rgb_and_grey_pixels_are_the_files_idat_data() -> None:
    for mode, bands in (("RGB", 3), ("L", 1)):
        png = _png(_picture(mode))
        pixels = png_pixels_as_is(png)
        assert pixels is not None
        # Filtered scanlines: one filter byte and the row's samples, for every row.
        assert len(zlib.decompress(pixels)) == 23 * (1 + 37 * bands)


def test_other_pngs_are_not_passed_on() -> None:
    assert png_pixels_as_is(_png(_picture("RGBA"))) is None
    assert png_pixels_as_is(_png(_picture("RGB").convert("P"))) is None
    assert png_pixels_as_is(_png(Image.new("I;16", (9, 9)))) is None
    assert png_pixels_as_is(_with_interlace_flag(_png(_picture("RGB")))) is None
    assert png_pixels_as_is(b"not a png at all") is None
    assert png_pixels_as_is(PNG_SIGNATURE) is None


def _html(folder: Path, files: dict[str, bytes]) -> str:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    images = "".join(f'<img src="{name}" alt="figure {name}" style="width: 40mm">' for name in files)
    return f"<!doctype html><html lang='en'><head><title>t</title></head><body><h1>Images</h1><p>{images}</p></body></html>"


@pytest.fixture
def weasyprint_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's own way for every PNG (the hook undone for the test)."""
    from weasyprint.images import RasterImage

    embed_png_as_is()
    monkeypatch.setattr(RasterImage, "_get_png_data", RasterImage.__dict__["_weasyprint_png_data"])
    monkeypatch.setattr(pdf_module, "embed_png_as_is", lambda: False)


FILES = {
    # What figures.py writes (an RGB PNG at the figures' DPI), and the kinds the hook leaves to WeasyPrint.
    "rgb.png": _png(_picture("RGB"), dpi=(150, 150)),
    "grey.png": _png(_picture("L")),
    "alpha.png": _png(_picture("RGBA")),
    "palette.png": _png(_picture("RGB").convert("P")),
}


def _pdf_bytes(folder: Path) -> bytes:
    out = folder / "out.pdf"
    write_pdf(_html(folder, FILES), out, folder)
    return out.read_bytes()


def test_the_hook_is_active_with_this_weasyprint() -> None:
    from weasyprint.images import RasterImage

    if "_get_png_data" not in RasterImage.__dict__:
        pytest.skip("this WeasyPrint has no RasterImage._get_png_data: figures are compressed twice (same PDFs, slower)")
    assert embed_png_as_is()
    assert RasterImage._get_png_data is pdf_module._png_data_as_is


def test_pdf_is_byte_for_byte_weasyprints_own(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with_hook = _pdf_bytes(tmp_path)  # the same folder both times: WeasyPrint names each image after its URL
    request.getfixturevalue("weasyprint_way")
    assert _pdf_bytes(tmp_path) == with_hook


def test_only_eligible_pngs_skip_weasyprints_compression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.images import RasterImage

    assert embed_png_as_is()
    original = RasterImage.__dict__["_weasyprint_png_data"].__func__
    recompressed: list[tuple[str, tuple[int, int]]] = []

    def counting(image):
        recompressed.append((image.mode, image.size))
        return original(image)

    monkeypatch.setattr(RasterImage, "_weasyprint_png_data", staticmethod(counting))
    _pdf_bytes(tmp_path)
    # Only the alpha file's colour and mask are compressed again. The RGB and grey files pass as they are, and so
    # does the palette file: WeasyPrint rewrote it as an RGB PNG when it read it.
    assert sorted(mode for mode, _ in recompressed) == ["L", "RGB"]


def test_images_read_back_with_their_files_pixels(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_pdf_bytes(tmp_path)))
    found = [image.image for page in reader.pages for image in page.images]
    expected = {name: Image.open(io.BytesIO(data)) for name, data in FILES.items()}
    assert len(found) == len(expected)
    for image in found:
        match = [
            name
            for name, source in expected.items()
            if source.size == image.size and np.array_equal(np.asarray(source.convert(image.mode)), np.asarray(image))
        ]
        assert match, f"an image of the PDF ({image.mode}, {image.size}) has no file with its pixels"


def test_figure_files_are_what_the_hook_passes_on(tmp_path: Path) -> None:
    """The figures module writes PNGs the hook takes as they are (else the build would pay for nothing)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reportgen.figures import _save_opaque

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [1, 0])
    try:
        _save_opaque(fig, tmp_path / "figure.png")
    finally:
        plt.close(fig)
    data = (tmp_path / "figure.png").read_bytes()
    assert struct.unpack(">BB", data[24:26]) == (8, 2)  # 8-bit RGB
    assert png_pixels_as_is(data) is not None
