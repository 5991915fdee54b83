"""Read a rendered form back the way a browser submits it (for round-trip tests of what the page shows)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Form(HTMLParser):
    def __init__(self, index: int) -> None:
        super().__init__()
        self.index, self.seen, self.inside = index, -1, False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.seen += 1
            self.inside = self.seen == self.index
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            # A browser drops a value an <input type="date"> cannot read (it shows an empty field).
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind == "date" and value and not ISO_DATE.fullmatch(value):
                value = ""
            self.data.setdefault(name, []).append(value)
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.data.setdefault(self.select, []).append(value)
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.data.setdefault(self.select, []).append(self.select_first)
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.data[self.textarea][-1] += data.lstrip("\n") if not self.data[self.textarea][-1] else data


def form_data(html: str, index: int = 0) -> dict[str, list[str]]:
    """The name -> values a browser would post for the `index`-th <form> on the page."""
    parser = _Form(index)
    parser.feed(html)
    return parser.data


def form_index(html: str, marker: str) -> int:
    """The index of the first <form> whose opening tag or body contains `marker` (an action URL, say)."""
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    for i, body in enumerate(forms):
        if marker in body:
            return i
    raise AssertionError(f"no form containing {marker!r}")
