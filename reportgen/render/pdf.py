"""HTML to PDF with WeasyPrint, fetching nothing but our own assets and the build folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def write_pdf(html: str, out: Path, build_dir: Path) -> Path:
    """Lay out ``html`` (relative links resolve in ``build_dir``) into a tagged PDF at ``out``.

    The PDF is PDF/UA-tagged so screen readers get structure and the images' alt text;
    table header cells get their ``/Scope`` (:func:`scope_table_headers`).
    """
    from weasyprint import HTML

    fetcher = _fetcher_class()((assets_dir(), build_dir))
    document = HTML(string=html, base_url=str(build_dir.resolve()) + "/", url_fetcher=fetcher)
    document.write_pdf(out, pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=scope_table_headers)
    return out
