"""
Charts as inline SVG, drawn on the server: no script, nothing fetched.

Each chart is an image with a title and a description (`role="img"`, `aria-labelledby`); the
page puts the same figures in a table beside it, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import count

from markupsafe import Markup

# Colours with 3:1 contrast or more on white (WCAG 2.1, non-text contrast).
COLOURS = ("#0a4d8c", "#b34700", "#2e7d32", "#7b1fa2", "#c62828")
_ids = count(1)


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bars(title: str, items: Sequence[tuple[str, int]], unit: str = "") -> Markup:
    """
    Horizontal bars, one per item, longest first as given.

    Args:
        title: what the chart shows.
        items: (label, value).
        unit: after each value, e.g. "recherches".
    """
    label_w, bar_w, row_h = 230, 330, 26
    height = max(1, len(items)) * row_h + 10
    top = max((value for _, value in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        width = round(bar_w * value / top)
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="{row_h - 8}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{label_w + width + 6}" y="{y + 17}" font-size="13">{value}</text>'
        )
    if not items:
        body.append('<text x="10" y="20" font-size="13">Aucune donnée sur la période.</text>')
    desc = "; ".join(f"{label} : {value} {unit}".strip() for label, value in items) or "vide"
    return _frame(label_w + bar_w + 60, height, title, desc, body)


def series(title: str, days: Sequence[str], lines: Sequence[tuple[str, Sequence[int]]]) -> Markup:
    """
    A time series: one line per series over the days, with a legend.

    Args:
        title: what the chart shows.
        days: ISO dates, the x axis.
        lines: (name, one value per day).
    """
    left, top, width, height = 40, 10, 600, 180
    peak = max((max(values, default=0) for _, values in lines), default=0) or 1
    step = width / max(1, len(days) - 1)

    def point(i: int, value: int) -> str:
        return f"{left + i * step:.1f},{top + height - height * value / peak:.1f}"

    body = [
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" '
        'stroke="#555"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}" stroke="#555"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="12">{peak}</text>',
        f'<text x="{left - 6}" y="{top + height}" text-anchor="end" font-size="12">0</text>',
    ]
    if days:
        body.append(
            f'<text x="{left}" y="{top + height + 16}" font-size="12">{_fr(days[0])}</text>'
        )
        body.append(
            f'<text x="{left + width}" y="{top + height + 16}" text-anchor="end" font-size="12">'
            f"{_fr(days[-1])}</text>"
        )
    for n, (name, values) in enumerate(lines):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(point(i, v) for i, v in enumerate(values))
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        if len(values) == 1:
            body.append(f'<circle cx="{left}" cy="{point(0, values[0]).split(",")[1]}" r="4" '
                        f'fill="{colour}"/>')  # fmt: skip
        y = top + height + 36 + 18 * n
        body.append(
            f'<rect x="{left}" y="{y - 10}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{left + 20}" y="{y - 4}" font-size="12">{escape(name)} '
            f"(total {sum(values)})</text>"
        )
    desc = f"Du {_fr(days[0])} au {_fr(days[-1])} : " if days else ""
    desc += "; ".join(f"{name}, total {sum(values)}" for name, values in lines)
    return _frame(left + width + 20, top + height + 40 + 18 * len(lines), title, desc, body)


def _fr(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
