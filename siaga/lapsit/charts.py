"""Small server-side SVG bar charts for the Lapsit page and PDF: no JavaScript, no CDN, no plotting library.

Colours are presentation attributes (not `style=`), so the page's CSP (no inline style) lets them through.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

BLUE, ORANGE, GREY = "#0d6efd", "#fd7e14", "#adb5bd"


def bars(title: str, rows: Sequence[tuple[str, int]], *, width: int = 520, color: str = BLUE) -> str:
    """A horizontal bar chart: one labelled bar per row, its count at the end."""
    row_h, label_w, top = 18, 190, 24
    height = top + row_h * max(len(rows), 1) + 6
    peak = max((n for _label, n in rows), default=0) or 1
    span = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lapsit-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold" fill="#212529">{escape(title)}</text>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + i * row_h
        w = round(span * n / peak)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="10" text-anchor="end" fill="#212529">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{w}" height="{row_h - 5}" fill="{color}"/>'
            f'<text x="{label_w + w + 4}" y="{y + 12}" font-size="10" fill="#212529">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    title: str, rows: Sequence[tuple[str, int, int]], legend: tuple[str, str], *, width: int = 520
) -> str:
    """Two bars per row (e.g. available vs required, done vs planned), with a legend."""
    row_h, label_w, top = 24, 190, 40
    height = top + row_h * max(len(rows), 1) + 6
    peak = max((max(a, b) for _label, a, b in rows), default=0) or 1
    span = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lapsit-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold" fill="#212529">{escape(title)}</text>',
        f'<rect x="0" y="22" width="10" height="10" fill="{BLUE}"/>'
        f'<text x="14" y="31" font-size="10" fill="#212529">{escape(legend[0])}</text>'
        f'<rect x="180" y="22" width="10" height="10" fill="{GREY}"/>'
        f'<text x="194" y="31" font-size="10" fill="#212529">{escape(legend[1])}</text>',
    ]
    for i, (label, a, b) in enumerate(rows):
        y = top + i * row_h
        wa, wb = round(span * a / peak), round(span * b / peak)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="10" text-anchor="end" fill="#212529">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{wa}" height="9" fill="{BLUE}"/>'
            f'<text x="{label_w + wa + 4}" y="{y + 10}" font-size="9" fill="#212529">{a}</text>'
            f'<rect x="{label_w}" y="{y + 12}" width="{wb}" height="9" fill="{GREY}"/>'
            f'<text x="{label_w + wb + 4}" y="{y + 20}" font-size="9" fill="#212529">{b}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
