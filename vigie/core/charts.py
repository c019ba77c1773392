"""Charts as inline SVG, drawn on the server (no JavaScript, no CDN): line charts, their small multiples, bar charts.

Each chart is an image with a title and a description (role="img" + aria-labelledby); the page shows its data
in a table right beside it. Lines differ by colour, dash pattern and marker shape, so they can be told apart
without colour; reference lines (a target, a baseline) are dashed and written out in words. Bars are horizontal,
their figure written at their end; the bars of a group differ by colour and fill pattern (solid, hatched,
dotted) within an outline; a missing value is written in words, never drawn as a zero bar. Every number is
written by `vigie.core.formatting`. Maps are drawn by `vigie.governance.svgmap`.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from vigie.core.formatting import number, to_decimal

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


def _open(
    width: int, height: int, chart_id: str, title: str, description: str, kind: str
) -> list[str]:
    """The svg element (an image named by its title and description); kind adds a class ("compact", "bars")."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vigie-chart{f" vigie-chart--{kind}" if kind else ""}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" focusable="false" '
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
    parts = _open(
        frame.width, frame.height, chart_id, title, description, "compact" if compact else ""
    )
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


# ------------------------------------------------------------------------------------------ bar charts


@dataclass
class Bars:
    """One series of a bar chart: one value (Decimal | None) per category; style picks colour and pattern."""

    label: str
    values: list
    style: int = 0


BAR_PATTERNS = ["solid", "hatched", "dotted"]
_CHAR_WIDTH = 0.6  # mean width of a character, in font sizes, to size the margins
_LABEL_CHARS = 34  # a category label longer than this is written on two lines


def _value_ticks(values: list[Decimal]) -> tuple[list[Decimal], int]:
    """Round ticks (a step of 1, 2, 2.5 or 5 × 10^k) from at or below the lowest value (or 0) to at or
    above the highest (or 0), zero among them; and the number of decimals their labels need."""
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    if low == high:
        high = Decimal(1)
    raw = (high - low) / 4
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(s * magnitude for s in (1, 2, Decimal("2.5"), 5, 10) if s * magnitude >= raw)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks = [first + step * i for i in range(int((last - first) / step) + 1)]
    return ticks, max(0, -step.normalize().as_tuple().exponent)


def _wrap(label: str) -> list[str]:
    """A category label on one line, or on two cut at a space."""
    if len(label) <= _LABEL_CHARS or " " not in label:
        return [label]
    cut = label.rfind(" ", 0, _LABEL_CHARS + 1)
    if cut <= 0:
        cut = label.find(" ")
    return [label[:cut], label[cut + 1 :]]


@dataclass
class _BarFrame:
    """The plotting area of a bar chart: values along x (low…high), categories down y in bands."""

    width: int
    left: int
    right: int
    top: int
    band: int
    bar: int
    low: float
    high: float
    font: int = 12

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    def x_at(self, v) -> float:
        return self.left + (float(v) - self.low) / ((self.high - self.low) or 1.0) * self.plot_w

    def band_top(self, i: int) -> float:
        return self.top + self.band * i


def _bar_defs(chart_id: str, series: list[Bars]) -> list[str]:
    """One fill per series: solid colour, or colour hatching or dots on white (told apart without colour)."""
    parts = ["<defs>"]
    for bars in {bars.style % len(PALETTE): bars for bars in series}.values():
        color = PALETTE[bars.style % len(PALETTE)]
        kind = BAR_PATTERNS[bars.style % len(BAR_PATTERNS)]
        pid = escape(f"{chart_id}-fill-{bars.style}")
        if kind == "hatched":
            parts.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{color}" stroke-width="3"/></pattern>'
            )
        elif kind == "dotted":
            parts.append(
                f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
                f'<rect width="5" height="5" fill="#ffffff"/>'
                f'<circle cx="2.5" cy="2.5" r="1.5" fill="{color}"/></pattern>'
            )
    parts.append("</defs>")
    return parts if len(parts) > 2 else []


def _bar_fill(chart_id: str, bars: Bars) -> str:
    if BAR_PATTERNS[bars.style % len(BAR_PATTERNS)] == "solid":
        return PALETTE[bars.style % len(PALETTE)]
    return f"url(#{escape(f'{chart_id}-fill-{bars.style}')})"


def _bar_frame(
    categories: list[str], series: list[Bars], texts: list[list[str]], missing_text: str, ticks
):
    """Margins wide enough for the category labels (left) and for what is written beyond the bars' ends:
    a negative value's figure on the left, a positive one's and a missing value's words on the right."""
    font = 12
    several = len(series) > 1
    label_chars = max((len(line) for c in categories for line in _wrap(c)), default=0)
    left_chars, right_chars = [0], [0]
    for bars, row in zip(series, texts, strict=True):
        for value, text in zip(bars.values, row, strict=True):
            if value is None:
                right_chars.append(len(missing_text) + (len(bars.label) + 3 if several else 0))
            else:
                (left_chars if value < 0 else right_chars).append(len(text))
    bar = 16 if len(series) <= 2 else 12
    return _BarFrame(
        width=720,
        left=int(min(label_chars, _LABEL_CHARS) * font * _CHAR_WIDTH)
        + 12
        + int(max(left_chars) * font * _CHAR_WIDTH)
        + 8,
        right=int(max(right_chars) * font * _CHAR_WIDTH) + 12,
        top=12 + 18 * ((len(series) + 2) // 3 if several else 0),
        band=bar * len(series) + 14,
        bar=bar,
        low=float(ticks[0]),
        high=float(ticks[-1]),
        font=font,
    )


def _bar_axis(frame: _BarFrame, ticks: list[Decimal], decimals: int, bottom: float) -> list[str]:
    """Vertical grid lines with their values underneath."""
    parts = []
    for tick in ticks:
        x = frame.x_at(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top - 4}" y2="{bottom:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + frame.font + 4:.1f}" text-anchor="middle" '
            f'font-size="{frame.font}" fill="#3a3a3a">{escape(number(tick, decimals))}</text>'
        )
    return parts


def _category_label(frame: _BarFrame, i: int, label: str) -> str:
    lines = _wrap(label)
    middle = frame.band_top(i) + (frame.band - 14) / 2
    first = middle + 4 - (frame.font + 2) / 2 * (len(lines) - 1)
    spans = "".join(
        format_html(
            '<tspan x="{}" y="{}">{}</tspan>', 4, f"{first + k * (frame.font + 2):.1f}", line
        )
        for k, line in enumerate(lines)
    )
    return f'<text font-size="{frame.font}" fill="#161616">{spans}</text>'


def _bar(frame, chart_id, bars, i, k, value, text, category, missing_text, several) -> str:
    """The bar of series k in category i with its figure at its end, or the missing value in words."""
    y = frame.band_top(i) + k * frame.bar
    middle = y + frame.bar / 2 + frame.font / 3
    zero = frame.x_at(0)
    if value is None:
        words = f"{bars.label} : {missing_text}" if several else missing_text
        return format_html(
            '<text x="{}" y="{}" font-size="{}" font-style="italic" fill="#3a3a3a">{}</text>',
            f"{zero + 4:.1f}",
            f"{middle:.1f}",
            frame.font,
            words,
        )
    end = frame.x_at(value)
    negative = value < 0
    tooltip = format_html(
        "<title>{}{} : {}</title>", f"{bars.label}, " if several else "", category, text
    )
    color = PALETTE[bars.style % len(PALETTE)]
    return (
        '<g class="vigie-bar-group">'
        + tooltip
        + f'<rect class="vigie-bar" x="{min(zero, end):.1f}" y="{y + 1:.1f}" '
        f'width="{abs(end - zero):.1f}" height="{frame.bar - 2}" fill="{_bar_fill(chart_id, bars)}" '
        f'stroke="{color}" stroke-width="1.5"/>'
        + format_html(
            '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="#161616">{}</text>',
            f"{end - 4 if negative else end + 4:.1f}",
            f"{middle:.1f}",
            "end" if negative else "start",
            frame.font,
            text,
        )
        + "</g>"
    )


def _bar_legend(chart_id: str, series: list[Bars]) -> list[str]:
    """Above the plot, three entries a row: the series' fill in its outline, then its label."""
    parts = []
    for k, bars in enumerate(series):
        x, y = 4 + (k % 3) * 236, 14 + 18 * (k // 3)
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="24" height="12" fill="{_bar_fill(chart_id, bars)}" '
            f'stroke="{PALETTE[bars.style % len(PALETTE)]}" stroke-width="1.5"/>'
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>', x + 30, y, bars.label
            )
        )
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Bars],
    value_suffix: str = "",
    decimals: int | None = 2,
    missing_text: str = "non diffusé",
) -> SafeString:
    """Horizontal bars, one row per category, grouped when there are several series (with a legend).

    Each bar starts at the zero line (to the right for a positive value, to the left for a negative one) and
    has its figure written at its end; a missing value is written as missing_text where its bar would start.
    """
    present = [to_decimal(v) for bars in series for v in bars.values if v is not None]
    ticks, tick_decimals = _value_ticks(present)
    texts = [
        [f"{number(v, decimals)}{value_suffix}" if v is not None else "" for v in bars.values]
        for bars in series
    ]
    frame = _bar_frame(categories, series, texts, missing_text, ticks)
    bottom = frame.band_top(len(categories)) - 6
    height = int(bottom + frame.font + 12)
    parts = _open(frame.width, height, chart_id, title, description, "bars")
    parts += _bar_defs(chart_id, series)
    parts += _bar_axis(frame, ticks, tick_decimals, bottom)
    several = len(series) > 1
    for i, category in enumerate(categories):
        parts.append(_category_label(frame, i, category))
        for k, bars in enumerate(series):
            value = bars.values[i]
            value = None if value is None else to_decimal(value)
            parts.append(
                _bar(
                    frame, chart_id, bars, i, k, value, texts[k][i], category, missing_text, several
                )
            )
    zero = frame.x_at(0)
    parts.append(
        f'<line class="vigie-chart-zero" x1="{zero:.1f}" x2="{zero:.1f}" y1="{frame.top - 4}" '
        f'y2="{bottom:.1f}" stroke="#3a3a3a" stroke-width="1.5"/>'
    )
    if several:
        parts += _bar_legend(chart_id, series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
