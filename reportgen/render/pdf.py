"""HTML to PDF with WeasyPrint, fetching nothing but our own assets and the build folder."""

from __future__ import annotations

import functools
import io
import struct
from pathlib import Path
from typing import Any, BinaryIO

from reportgen.resources import assets_dir


def _fetcher_class() -> type:
    """A WeasyPrint URL fetcher that allows ``data:`` URIs and files under the allowed roots."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):
        def __init__(self, roots: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("data", "file"))
            self._roots = tuple(r.resolve() for r in roots)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                target = Path(unquote(urlsplit(url).path)).resolve()
                if not any(target.is_relative_to(root) for root in self._roots):
                    raise ValueError(f"reportgen does not fetch files outside its assets and build folder: {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"reportgen fetches nothing from the network: {url}")
            return super().fetch(url, headers)

    return SafeFetcher


def scope_table_headers(_document: Any, pdf: Any) -> None:
    """Give every ``/TH`` structure element its ``/Scope`` (a WeasyPrint finisher).

    WeasyPrint (70) tags ``<th>`` as ``/TH`` and uses the HTML ``scope`` only to
    fill the data cells' ``/Headers``; it writes no ``/Scope`` attribute, which
    PDF/UA checkers (and screen readers without ``/Headers`` support) want. The
    structure tree is still a set of pydyf objects when the finisher runs, so the
    attribute is added there, before the file is written: no second pass over the
    PDF, no extra library, and the bytes stay as reproducible as WeasyPrint's.
    Our tables (``templates/technical/_blocks.html.j2``) put ``scope="col"``
    headers in ``<thead>`` and one ``scope="row"`` header first in each body row,
    so a ``/TH`` under ``/THead`` is a ``/Column`` header and any other a ``/Row``
    header.
    """
    by_reference = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "reference") and isinstance(obj, dict)}

    def tag(obj: Any) -> str:
        return str(obj.get("S", ""))

    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/StructElem" or tag(obj) != "/TH":
            continue
        row = by_reference.get(obj.get("P"))
        group = by_reference.get(row.get("P")) if row is not None else None
        scope = "/Column" if group is not None and tag(group) == "/THead" else "/Row"
        attributes = obj.get("A")
        if attributes is None:
            import pydyf

            attributes = obj["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


#: The rules of WeasyPrint's user-agent stylesheet that style a pseudo-element of every element, for what no
#: document of ours has: footnotes and notes (no stylesheet of ours floats anything to a footnote or note area).
#: Markers are styled on list items only, the one element of ours with markers. Each such rule gave every element
#: a pseudo-element style to compute: a third to a half of the style step (0.18 s to 0.10 s for the regression's
#: technical report), for the same PDF, byte for byte (tests/test_pdf_layout.py).
NARROWED_UA_RULES = {
    "::marker {": "li::marker {",
    "::footnote-call {": None,
    "::footnote-marker {": None,
    "::note-call {": None,
    "::note-marker {": None,
    "::note-callback {": None,
}


@functools.cache
def _html_class() -> type:
    """WeasyPrint's ``HTML``, with its user-agent stylesheet narrowed (``NARROWED_UA_RULES``) when it can be."""
    from weasyprint import HTML

    class NarrowedHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            sheets = super()._ua_stylesheets(forms)
            narrowed = narrowed_user_agent_sheet()
            return [narrowed, *sheets[1:]] if narrowed is not None and sheets and sheets[0] is _weasyprint_ua_sheet() else sheets

    return NarrowedHTML


def _weasyprint_ua_sheet() -> Any:
    """WeasyPrint's own HTML user-agent stylesheet (None in a WeasyPrint that does not expose it)."""
    import weasyprint

    return getattr(weasyprint, "UA_STYLESHEET", None)


@functools.cache
def narrowed_user_agent_sheet() -> Any:
    """WeasyPrint's own HTML user-agent stylesheet without ``NARROWED_UA_RULES``; None where it does not read as expected.

    Made from the very text WeasyPrint made its own from, line by line, so every other rule is its
    own. A WeasyPrint whose text lacks one of the rules (another version), or that takes its
    stylesheets another way, keeps its own sheet: the same PDFs, only slower.
    """
    import weasyprint
    from weasyprint import CSS

    text = getattr(weasyprint.html, "UA", None)
    if _weasyprint_ua_sheet() is None or not hasattr(weasyprint.HTML, "_ua_stylesheets") or not isinstance(text, str):
        return None
    lines, found = [], set()
    for line in text.splitlines(keepends=True):
        rule = next((start for start in NARROWED_UA_RULES if line.startswith(start)), None)
        if rule is None:
            lines.append(line)
            continue
        found.add(rule)
        if NARROWED_UA_RULES[rule] is not None:
            lines.append(NARROWED_UA_RULES[rule] + line[len(rule) :])
    if found != set(NARROWED_UA_RULES):
        return None
    # Its own dictionary of counter styles: WeasyPrint's (from its own parse of the same text) stays untouched.
    return CSS(string="".join(lines), counter_style={})


def write_pdf(html: str, out: Path | BinaryIO, build_dir: Path) -> Path | BinaryIO:
    """Lay out ``html`` (relative links resolve in ``build_dir``) into a tagged PDF at ``out`` (a path or a binary file).

    The PDF is PDF/UA-tagged so screen readers get structure and the images' alt text;
    table header cells get their ``/Scope`` (:func:`scope_table_headers`).
    """
    embed_png_as_is()
    fetcher = _fetcher_class()((assets_dir(), build_dir))
    document = _html_class()(string=html, base_url=str(build_dir.resolve()) + "/", url_fetcher=fetcher)
    document.write_pdf(out, pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=scope_table_headers)
    return out


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_pixels_as_is(png: bytes) -> bytes | None:
    """The compressed pixels (the IDAT chunks, joined) of an 8-bit grey or RGB PNG without interlacing; else None.

    A PDF image with the Flate filter and PNG predictors reads exactly these bytes, so such
    a PNG goes into a PDF without being decoded. Any other PNG (palette, alpha, 16-bit,
    interlaced, or a file that is not a PNG at all) gives None.

    Examples
    --------
    >>> png_pixels_as_is(b"GIF89a") is None
    True
    """
    if png[:8] != PNG_SIGNATURE or png[12:16] != b"IHDR" or len(png) < 33:
        return None
    depth, colour, _compression, _filter, interlace = struct.unpack(">BBBBB", png[24:29])
    if depth != 8 or colour not in (0, 2) or interlace != 0:
        return None
    chunks, at = [], 8
    while at + 8 <= len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        elif kind == b"IEND":
            break
        at += 12 + length  # length, type, data, CRC
    return b"".join(chunks) or None


def embed_png_as_is() -> bool:
    """Have WeasyPrint put a PNG's compressed pixels into the PDF as the file holds them; whether it now does.

    WeasyPrint (62 to 70 at least) decodes every PNG figure and compresses its pixels
    again with Pillow before writing them into the PDF: about 0.35 s of CPU a build
    (eight PDFs, two dozen figures). ``figures.py`` writes 8-bit RGB PNGs with the
    same Pillow at the same settings, so the second compression only made the same
    bytes again: with this hook the PDFs are byte for byte what they were, sooner.

    The hook replaces ``RasterImage._get_png_data``, a private method, so it is
    careful: it reads the PNG WeasyPrint has just opened (Pillow keeps the file
    object of an image it has not decoded yet) and passes on only what
    :func:`png_pixels_as_is` accepts; everything else takes WeasyPrint's own way.
    A WeasyPrint without that method is left alone (the PDFs are then the same,
    only slower); tests/test_pdf_images.py tells which.
    """
    from weasyprint.images import RasterImage

    current = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(current, staticmethod):
        return False  # a WeasyPrint without the method (or with another kind of it): its own way
    if current.__func__ is not _png_data_as_is:
        RasterImage._weasyprint_png_data = current  # kept: every other PNG still goes through it
        RasterImage._get_png_data = staticmethod(_png_data_as_is)
    return True


def _png_data_as_is(pillow_image: Any) -> bytes:
    """``RasterImage._get_png_data`` for :func:`embed_png_as_is`: the file's own IDAT bytes when it can, else WeasyPrint's."""
    from weasyprint.images import RasterImage

    source = getattr(pillow_image, "fp", None)
    if isinstance(source, io.BytesIO) and pillow_image.format == "PNG":
        pixels = png_pixels_as_is(source.getvalue())
        if pixels is not None:
            return pixels
    return RasterImage._weasyprint_png_data(pillow_image)
