"""The trend of open findings per department over the last runs, drawn as inline SVG from the run history.

Inline SVG needs no script, font or remote image, and scales to the width of a phone. Some mail programs drop SVG, so
every page that shows the chart also shows the same numbers as text (`trend_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

History = Sequence[tuple[str, dt.datetime, dict[str, int]]]

# Distinguishable colours that keep a 3:1 contrast on white. Colour is never the only difference: each line also has its
# own dash pattern and marker shape, so two departments stay apart in grey print and for a reader who cannot tell red
# from green.
_COLOURS = ("#0b57a4", "#b3261e", "#1e7b34", "#8a5a00", "#5b4bb7", "#0f766e", "#a21caf", "#4a5360")
_DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 4", "6 2 2 2")
_MARKERS = ("circle", "square", "triangle", "diamond")
# A narrow drawing (360 units wide) is scaled down little on a phone, so its 13-unit text stays about 12 px there; on a
# desktop it is shown at most 480 px wide.
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 360, 200, 30, 10, 16, 30
_FONT = 13
_SPREAD = 3.0  # units between lines that would otherwise lie on top of each other (equal counts)


@dataclass(frozen=True)
class TrendRow:
    department: str
    colour: str
    dash: str  # an SVG stroke-dasharray, "" for a solid line
    marker: str  # circle, square, triangle or diamond
    counts: list[int | None]  # None: the department was not audited in that run (a run of one account, say)

    @property
    def dashed(self) -> bool:
        return bool(self.dash)

    @property
    def text(self) -> str:
        return " → ".join("–" if c is None else str(c) for c in self.counts)

    @property
    def key(self) -> Markup:
        """A sample of the line, its dash and its marker, for the legend beside the department's name."""
        dash = f' stroke-dasharray="{self.dash}"' if self.dash else ""
        return Markup(  # noqa: S704 - numbers and fixed strings only
            '<svg width="34" height="14" viewBox="0 0 34 14" aria-hidden="true">'
            f'<line x1="1" y1="7" x2="33" y2="7" stroke="{self.colour}" stroke-width="2.5"{dash}/>'
            f"{_marker(self.marker, 17, 7, self.colour)}</svg> "
        )


def _marker(shape: str, cx: float, cy: float, colour: str, r: float = 4.0) -> str:
    if shape == "square":
        return f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        pts = f"{cx:.1f},{cy - r - 1:.1f} {cx + r + 0.5:.1f},{cy + r:.1f} {cx - r - 0.5:.1f},{cy + r:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{cx:.1f},{cy - r - 1:.1f} {cx + r + 1:.1f},{cy:.1f} {cx:.1f},{cy + r + 1:.1f} {cx - r - 1:.1f},{cy:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}"/>'


def trend_rows(history: History) -> list[TrendRow]:
    departments = sorted({d for _, _, counts in history for d in counts}, key=str.lower)
    return [
        TrendRow(
            d,
            _COLOURS[n % len(_COLOURS)],
            _DASHES[n % len(_DASHES)],
            _MARKERS[n % len(_MARKERS)],
            [counts.get(d) for _, _, counts in history],
        )
        for n, d in enumerate(departments)
    ]


def trend_svg(history: History) -> Markup:
    """The chart, or nothing when there is no history yet. Every text in it is escaped."""
    if not history:
        return Markup("")
    rows = trend_rows(history)
    top = max([1, *(c for r in rows for c in r.counts if c is not None)])
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    steps = max(1, len(history) - 1)

    def x(i: int) -> float:
        return _LEFT + (plot_w * i / steps if len(history) > 1 else plot_w / 2)

    def y(v: int, n: int = 0) -> float:
        # Each department is drawn a little apart from the next, centred on the true value, so equal lines are all
        # seen; the spread is small beside the distance between two counts.
        offset = (n - (len(rows) - 1) / 2) * _SPREAD if len(rows) > 1 else 0.0
        return _TOP + plot_h - plot_h * v / top + offset

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" '
        'style="width:100%;max-width:480px;height:auto;display:block;background:#fff" '
        'aria-labelledby="trend-title">',
        '<title id="trend-title">Open problems per department over the last '
        f"{len(history)} audit{'s' if len(history) != 1 else ''}</title>",
    ]
    for tick in sorted({0, top // 2, top}):
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e8ec"/>'
            f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="{_FONT}" '
            f'fill="#4a5360">{tick}</text>'
        )
    first, last = history[0][1], history[-1][1]
    parts.append(
        f'<text x="{_LEFT}" y="{_H - 8}" font-size="{_FONT}" fill="#4a5360">{first:%d %b}</text>'
        f'<text x="{_W - _RIGHT}" y="{_H - 8}" text-anchor="end" font-size="{_FONT}" fill="#4a5360">{last:%d %b}</text>'
    )
    for n, row in enumerate(rows):
        dash = f' stroke-dasharray="{row.dash}"' if row.dash else ""
        parts.append(f"<g><title>{escape(row.department)}: {escape(row.text)}</title>")
        # A run that did not audit the department breaks the line rather than pretending it had no problems.
        segment: list[str] = []
        for i, v in enumerate([*row.counts, None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v, n):.1f}")
                parts.append(_marker(row.marker, x(i), y(v, n), row.colour))
            elif segment:
                if len(segment) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{row.colour}" '
                        f'stroke-width="2.5"{dash}/>'
                    )
                segment = []
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built above from numbers and escaped names only
