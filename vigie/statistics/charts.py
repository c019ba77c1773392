"""Line charts as inline SVG, drawn on the server (no JavaScript, no CDN).

Each chart is an image with a title and a description (role="img" + aria-labelledby); the page shows
its data in a table right after it. Lines differ by colour, dash pattern and marker shape, so they can
be told apart without colour.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from vigie.statistics.formatting import number

PALETTE = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#3a3a3a"]
DASHES = ["", "6 4", "2 3", "9 3 2 3", "4 2", "1 2"]
MARKERS = ["circle", "square", "triangle", "diamond", "circle", "square"]


@dataclass
class Line:
    label: str
    values: list  # Decimal | None, one per x label
    style: int = 0


def _nice_max(value: float) -> float:
    """The smallest "round" number (1, 1.2, 1.5, 2, 2.5… × 10^k) at or above value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value * 0.999999:
            return round(step * magnitude, 10)
    return 10 * magnitude


def _marker(kind: str, x: float, y: float, color: str, r: float) -> str:
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{color}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - r * 1.2:.1f} {x - r * 1.1:.1f},{y + r:.1f} {x + r * 1.1:.1f},{y + r:.1f}" '
            f'fill="{color}"/>'
        )
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - r * 1.3:.1f} {x + r * 1.3:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} '
            f'{x - r * 1.3:.1f},{y:.1f}" fill="{color}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{color}"/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    lines: list[Line],
    value_suffix: str = "",
    decimals: int | None = 2,
    compact: bool = False,
) -> SafeString:
    width, height = (280, 120) if compact else (720, 300)
    left, right = (34, 8) if compact else (64, 16)
    top = 10 if compact else (18 + 18 * ((len(lines) + 2) // 3))
    bottom = 22 if compact else 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for line in lines for v in line.values if v is not None]
    y_max = _nice_max(max(values) if values else 0)
    n = max(len(x_labels), 1)

    def x_at(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_at(v) -> float:
        return top + plot_h - (float(v) / y_max) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vigie-chart{" vigie-chart--compact" if compact else ""}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
    ]
    ticks = 2 if compact else 4
    font = 10 if compact else 12
    step = (Decimal(str(y_max)) / ticks).normalize()
    tick_decimals = max(0, -step.as_tuple().exponent)
    for t in range(ticks + 1):
        value = Decimal(str(y_max)) * t / ticks
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd" stroke-width="1"/>'
        )
        label = number(value, tick_decimals)
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="{font}" fill="#3a3a3a">'
            f"{escape(label)}</text>"
        )
    for i, label in enumerate(x_labels):
        if compact and i not in (0, n - 1):
            continue
        anchor = "middle"
        if compact:
            anchor = "start" if i == 0 else "end"
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{height - bottom + font + 6}" text-anchor="{anchor}" font-size="{font}" '
            f'fill="#3a3a3a">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#666666"/>'
    )
    for line in lines:
        color = PALETTE[line.style % len(PALETTE)]
        dash = DASHES[line.style % len(DASHES)]
        marker = MARKERS[line.style % len(MARKERS)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(line.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" '
                    f'stroke-width="{1.5 if compact else 2.5}"{dash_attr}/>'
                )
        for i, v in enumerate(line.values):
            if v is None:
                continue
            parts.append(
                "<g>"
                + format_html(
                    "<title>{} {} : {}{}</title>",
                    line.label,
                    x_labels[i],
                    number(v, decimals),
                    value_suffix,
                )
                + _marker(marker, x_at(i), y_at(v), color, 2.2 if compact else 3.5)
                + "</g>"
            )
    if not compact:
        for k, line in enumerate(lines):
            color = PALETTE[line.style % len(PALETTE)]
            dash = DASHES[line.style % len(DASHES)]
            x = left + (k % 3) * 220
            y = 14 + 18 * (k // 3)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" x2="{x + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{color}" stroke-width="2.5"{dash_attr}/>'
            )
            parts.append(_marker(MARKERS[line.style % len(MARKERS)], x + 14, y - 4, color, 3.5))
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>',
                    x + 34,
                    y,
                    line.label,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
