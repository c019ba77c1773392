"""Server-side SVG charts (no JavaScript, no CDN). Each chart comes with its data table in the page."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from vigie.indicators.numbers import format_number

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 48


@dataclass
class Point:
    label: str
    value: Decimal


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value:
            return float(candidate)
    return float(10 * magnitude)


def line_chart(
    points: list[Point],
    *,
    title: str,
    description: str,
    target: Point | None = None,
    baseline: Point | None = None,
    chart_id: str = "graphique",
) -> str:
    """A line chart of a time series, with optional baseline and target markers, as inline SVG."""
    if not points:
        return ""
    values = [float(p.value) for p in points]
    extra = [float(p.value) for p in (target, baseline) if p is not None]
    low = min([0.0, *values, *extra])
    high = _nice_ceiling(max([*values, *extra, 0.0]) * 1.05)
    span = (high - low) or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(i):
        return LEFT + (i * step if len(points) > 1 else inner_w / 2)

    def y(v):
        return TOP + inner_h - (v - low) / span * inner_h

    parts = [
        f'<svg class="vigie-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-titre">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for k in range(5):
        v = low + span * k / 4
        yy = y(v)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" class="vigie-chart__grid"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{yy + 4:.1f}" text-anchor="end" class="vigie-chart__tick">'
            f"{escape(format_number(Decimal(str(round(v, 2)))))}</text>"
        )
    every = max(1, len(points) // 12)
    for i, point in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" class="vigie-chart__tick">'
                f"{escape(point.label)}</text>"
            )
    if target is not None:
        ty = y(float(target.value))
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" class="vigie-chart__target"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{ty - 6:.1f}" text-anchor="end" class="vigie-chart__label">'
            f"Cible {escape(target.label)} : {escape(format_number(target.value))}</text>"
        )
    if baseline is not None:
        by = y(float(baseline.value))
        parts.append(
            f'<line x1="{LEFT}" y1="{by:.1f}" x2="{WIDTH - RIGHT}" y2="{by:.1f}" class="vigie-chart__baseline"/>'
        )
        parts.append(
            f'<text x="{LEFT + 4}" y="{by - 6:.1f}" class="vigie-chart__label">'
            f"Référence {escape(baseline.label)} : {escape(format_number(baseline.value))}</text>"
        )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(float(p.value)):.1f}" for i, p in enumerate(points)
    )
    parts.append(f'<path d="{path}" class="vigie-chart__line"/>')
    for i, point in enumerate(points):
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(float(point.value)):.1f}" r="4" class="vigie-chart__point">'
            f"<title>{escape(point.label)} : {escape(format_number(point.value))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_bar(done: int, total: int, *, label: str) -> str:
    """A horizontal bar (done / total); the same figure is always written next to it as text."""
    ratio = done / total if total else 0
    width = 200
    return (
        f'<svg class="vigie-bar" viewBox="0 0 {width} 12" width="{width}" height="12" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<rect x="0" y="0" width="{width}" height="12" class="vigie-bar__bg"/>'
        f'<rect x="0" y="0" width="{ratio * width:.1f}" height="12" class="vigie-bar__fill"/></svg>'
    )
