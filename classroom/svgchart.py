"""A small line chart as inline SVG (no scripts, no fonts fetched): the debrief's charts."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 260
PAD_L, PAD_R, PAD_T, PAD_B = 52, 16, 28, 36


def line_chart(title: str, weeks: Sequence[int], series: Sequence[tuple[str, str, Sequence[float]]],
               percent: bool = False) -> str:
    """``series``: (name, colour, values per week). The y axis starts at 0."""
    values = [v for _, _, vs in series for v in vs]
    top = max(values + [1e-9]) * 1.1
    if percent:
        top = min(1.0, max(top, 0.05))
    last = max(weeks[-1] if weeks else 1, 1)
    first = weeks[0] if weeks else 0

    def x(w: float) -> float:
        span = max(last - first, 1)
        return PAD_L + (w - first) / span * (WIDTH - PAD_L - PAD_R)

    def y(v: float) -> float:
        return HEIGHT - PAD_B - v / top * (HEIGHT - PAD_T - PAD_B)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
             'font-family="sans-serif" font-size="13">',
             f'<text x="{PAD_L}" y="18" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{PAD_L}" y1="{HEIGHT - PAD_B}" x2="{WIDTH - PAD_R}" '
             f'y2="{HEIGHT - PAD_B}" stroke="#999"/>',
             f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{HEIGHT - PAD_B}" stroke="#999"/>']
    for q in (0, 0.5, 1):
        v = top * q
        label = f"{100 * v:.0f}%" if percent else f"{v:.2g}"
        parts.append(f'<text x="{PAD_L - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{label}</text>')
    for w in sorted({first, (first + last) // 2, last}):
        parts.append(f'<text x="{x(w):.1f}" y="{HEIGHT - PAD_B + 16}" '
                     f'text-anchor="middle">{w}</text>')
    for i, (name, colour, vs) in enumerate(series):
        dash = ' stroke-dasharray="6 4"' if i else ""
        if len(vs) == 1:
            parts.append(f'<circle cx="{x(weeks[0]):.1f}" cy="{y(vs[0]):.1f}" r="3" '
                         f'fill="{colour}"/>')
        points = " ".join(f"{x(w):.1f},{y(v):.1f}" for w, v in zip(weeks, vs, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.2"{dash} '
                     f'points="{points}"><title>{escape(name)}</title></polyline>')
        lx = PAD_L + 10 + i * 240
        parts.append(f'<line x1="{lx}" y1="{HEIGHT - 8}" x2="{lx + 24}" y2="{HEIGHT - 8}" '
                     f'stroke="{colour}" stroke-width="2.2"{dash}/>'
                     f'<text x="{lx + 30}" y="{HEIGHT - 4}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
