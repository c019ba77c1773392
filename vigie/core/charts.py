"""Charts as inline SVG, drawn on the server (no JavaScript, no CDN): line charts and their small multiples.

Each chart is an image with a title and a description (role="img" + aria-labelledby); the page shows its data
in a table right beside it. Lines differ by colour, dash pattern and marker shape, so they can be told apart
without colour; reference lines (a target, a baseline) are dashed and written out in words. Every number is
written by `vigie.core.formatting`. Maps are drawn by `vigie.governance.svgmap`.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from vigie.core.formatting import number

PALETTE = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#3a3a3a"]
DASHES = ["", "6 4", "2 3", "9 3 2 3", "4 2", "1 2"]
MARKERS = ["circle", "square", "triangle", "diamond", "circle", "square"]
REFERENCE_STYLES = {"target": ("#18753c", "6 4"), "baseline": ("#666666", "2 3")}


@dataclass
class Line:
    label: str
    values: list  # Decimal | None, one per x label
    style: int = 0


@dataclass
class Reference:
    """A horizontal line across the chart: kind "target" (on the right) or "baseline" (on the left)."""

    kind: str
    label: str  # "Cible 2026"
    value: Decimal


def _nice_max(value: float) -> float:
    """The smallest "round" number (1, 1.2, 1.5, 2, 2.5… × 10^k) at or above value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value * 0.999999:
            return round(step * magnitude, 10)
    return 10 * magnitude


@dataclass
class _Frame:
    """The plotting area of a chart and its scales (x: index of a label; y: a value)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    count: int  # number of x labels
    y_min: float
    y_max: float
    font: int

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    def x_at(self, i: int) -> float:
        n = max(self.count, 1)
        return self.left + (self.plot_w * i / (n - 1) if n > 1 else self.plot_w / 2)

    def y_at(self, v) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.top + self.plot_h - (float(v) - self.y_min) / span * self.plot_h


def _frame(lines: list[Line], references: list[Reference], count: int, compact: bool) -> _Frame:
    values = [float(v) for line in lines for v in line.values if v is not None]
    values += [float(r.value) for r in references]
    y_min = min([0.0, *values])
    y_max = _nice_max(max(values) if values else 0)
    if compact:
        return _Frame(280, 120, 34, 8, 10, 22, count, y_min, y_max, 10)
    top = 18 + 18 * ((len(lines) + 2) // 3)
    return _Frame(720, 300, 64, 16, top, 34, count, y_min, y_max, 12)


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


def _open(frame: _Frame, chart_id: str, title: str, description: str, compact: bool) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vigie-chart{" vigie-chart--compact" if compact else ""}" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="100%" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
    ]


def _y_axis(frame: _Frame, ticks: int) -> list[str]:
    """Horizontal grid lines with their values on the left."""
    parts = []
    low, high = Decimal(str(frame.y_min)), Decimal(str(frame.y_max))
    step = ((high - low) / ticks).normalize()
    tick_decimals = max(0, -step.as_tuple().exponent)
    for t in range(ticks + 1):
        value = low + (high - low) * t / ticks
        y = frame.y_at(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{frame.left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="{frame.font}" '
            f'fill="#3a3a3a">{escape(number(value, tick_decimals))}</text>'
        )
    return parts


def _x_axis(frame: _Frame, x_labels: list[str], compact: bool) -> list[str]:
    """The labels under the plot (every one that fits; first and last only in a small multiple) and the axis."""
    parts = []
    n = len(x_labels)
    every = max(1, n // 12)
    for i, label in enumerate(x_labels):
        if compact and i not in (0, n - 1):
            continue
        if not compact and i % every and i != n - 1:
            continue
        anchor = "middle"
        if compact:
            anchor = "start" if i == 0 else "end"
        parts.append(
            f'<text x="{frame.x_at(i):.1f}" y="{frame.height - frame.bottom + frame.font + 6}" '
            f'text-anchor="{anchor}" font-size="{frame.font}" fill="#3a3a3a">{escape(label)}</text>'
        )
    axis_y = frame.y_at(0)
    parts.append(
        f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{axis_y:.1f}" y2="{axis_y:.1f}" '
        f'stroke="#666666"/>'
    )
    return parts


def _segments(frame: _Frame, values: list) -> list[list[str]]:
    """Runs of consecutive known values: a missing value breaks the line."""
    segments, segment = [], []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{frame.x_at(i):.1f},{frame.y_at(v):.1f}")
    if segment:
        segments.append(segment)
    return segments


def _series(
    frame: _Frame, line: Line, x_labels: list[str], value_suffix: str, decimals, compact: bool
) -> list[str]:
    """One line: its segments, then one marker per known value with its figure as a tooltip."""
    color = PALETTE[line.style % len(PALETTE)]
    dash = DASHES[line.style % len(DASHES)]
    marker = MARKERS[line.style % len(MARKERS)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" '
        f'stroke-width="{1.5 if compact else 2.5}"{dash_attr}/>'
        for seg in _segments(frame, line.values)
        if len(seg) > 1
    ]
    for i, v in enumerate(line.values):
        if v is None:
            continue
        tooltip = format_html(
            "<title>{} {} : {}{}</title>",
            line.label,
            x_labels[i],
            number(v, decimals),
            value_suffix,
        )
        parts.append(
            "<g>"
            + tooltip
            + _marker(marker, frame.x_at(i), frame.y_at(v), color, 2.2 if compact else 3.5)
            + "</g>"
        )
    return parts


def _references(frame: _Frame, references: list[Reference], value_suffix: str) -> list[str]:
    """Dashed horizontal lines, each labelled in words ("Cible 2026 : 120")."""
    parts = []
    for reference in references:
        color, dash = REFERENCE_STYLES.get(reference.kind, REFERENCE_STYLES["baseline"])
        y = frame.y_at(reference.value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        x, anchor = (
            (frame.width - frame.right, "end")
            if reference.kind == "target"
            else (frame.left + 4, "start")
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="#3a3a3a">{} : {}{}</text>',
                x,
                f"{y - 6:.1f}",
                anchor,
                frame.font,
                reference.label,
                number(reference.value),
                value_suffix,
            )
        )
    return parts


def _legend(lines: list[Line]) -> list[str]:
    """Above the plot, three entries a row: the line's dash and marker, then its label."""
    parts = []
    for k, line in enumerate(lines):
        color = PALETTE[line.style % len(PALETTE)]
        dash = DASHES[line.style % len(DASHES)]
        x, y = 64 + (k % 3) * 220, 14 + 18 * (k // 3)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{color}" stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(_marker(MARKERS[line.style % len(MARKERS)], x + 14, y - 4, color, 3.5))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>', x + 34, y, line.label
            )
        )
    return parts


def _chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    lines: list[Line],
    references: list[Reference] | None,
    value_suffix: str,
    decimals: int | None,
    compact: bool,
) -> SafeString:
    references = references or []
    frame = _frame(lines, references, len(x_labels), compact)
    parts = _open(frame, chart_id, title, description, compact)
    parts += _y_axis(frame, 2 if compact else 4)
    parts += _x_axis(frame, x_labels, compact)
    parts += _references(frame, references, value_suffix)
    for line in lines:
        parts += _series(frame, line, x_labels, value_suffix, decimals, compact)
    if not compact:
        parts += _legend(lines)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    lines: list[Line],
    references: list[Reference] | None = None,
    value_suffix: str = "",
    decimals: int | None = 2,
) -> SafeString:
    """A line chart of one or more series over x_labels, with a legend and optional reference lines."""
    return _chart(
        chart_id=chart_id,
        title=title,
        description=description,
        x_labels=x_labels,
        lines=lines,
        references=references,
        value_suffix=value_suffix,
        decimals=decimals,
        compact=False,
    )


def small_multiple(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    lines: list[Line],
    value_suffix: str = "",
    decimals: int | None = 2,
) -> SafeString:
    """One chart of a grid of small ones (the department page's cards): no legend, first and last x labels only.

    Lines keep their styles from one small chart to the next, so the table beside them serves as legend.
    """
    return _chart(
        chart_id=chart_id,
        title=title,
        description=description,
        x_labels=x_labels,
        lines=lines,
        references=None,
        value_suffix=value_suffix,
        decimals=decimals,
        compact=True,
    )
