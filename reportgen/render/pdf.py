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


def write_pdf(html: str, out: Path, build_dir: Path) -> Path:
    """Lay out ``html`` (relative links resolve in ``build_dir``) into a tagged PDF at ``out``.

    The PDF is PDF/UA-tagged so screen readers get structure and the images' alt text.
    """
    from weasyprint import HTML

    fetcher = _fetcher_class()((assets_dir(), build_dir))
    document = HTML(string=html, base_url=str(build_dir.resolve()) + "/", url_fetcher=fetcher)
    document.write_pdf(out, pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return out
