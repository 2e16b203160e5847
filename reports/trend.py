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

# Distinguishable colours that keep a 3:1 contrast on white; a department beyond the list reuses them with a dash.
_COLOURS = ("#0b57a4", "#b3261e", "#1e7b34", "#8a5a00", "#5b4bb7", "#0f766e", "#a21caf", "#4a5360")
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 600, 220, 36, 12, 12, 28


@dataclass(frozen=True)
class TrendRow:
    department: str
    colour: str
    dashed: bool
    counts: list[int | None]  # None: the department was not audited in that run (a run of one account, say)

    @property
    def text(self) -> str:
        return " → ".join("–" if c is None else str(c) for c in self.counts)


def trend_rows(history: History) -> list[TrendRow]:
    departments = sorted({d for _, _, counts in history for d in counts}, key=str.lower)
    return [
        TrendRow(d, _COLOURS[n % len(_COLOURS)], n >= len(_COLOURS), [counts.get(d) for _, _, counts in history])
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

    def y(v: int) -> float:
        return _TOP + plot_h - plot_h * v / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" '
        'style="width:100%;max-width:600px;height:auto;display:block;background:#fff" '
        'aria-labelledby="trend-title">',
        '<title id="trend-title">Open problems per department over the last '
        f"{len(history)} audit{'s' if len(history) != 1 else ''}</title>",
    ]
    for tick in sorted({0, top // 2, top}):
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e8ec"/>'
            f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12" fill="#4a5360">{tick}</text>'
        )
    first, last = history[0][1], history[-1][1]
    parts.append(
        f'<text x="{_LEFT}" y="{_H - 8}" font-size="12" fill="#4a5360">{first:%d %b}</text>'
        f'<text x="{_W - _RIGHT}" y="{_H - 8}" text-anchor="end" font-size="12" fill="#4a5360">{last:%d %b}</text>'
    )
    for row in rows:
        dash = ' stroke-dasharray="6 4"' if row.dashed else ""
        parts.append(f"<g><title>{escape(row.department)}: {escape(row.text)}</title>")
        # A run that did not audit the department breaks the line rather than pretending it had no problems.
        segment: list[str] = []
        for i, v in enumerate([*row.counts, None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{row.colour}"/>')
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
