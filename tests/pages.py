"""What a reader of an HTML page gets: its visible text and its images' alt text (no style or script)."""

from __future__ import annotations

from html.parser import HTMLParser


class VisiblePage(HTMLParser):
    """Feed it a page; ``parts`` holds the visible text, ``alts`` the alt text of each image."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.alts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
