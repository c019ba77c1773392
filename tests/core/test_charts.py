import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from vigie.core.charts import (
    Bars,
    Line,
    Reference,
    _nice_max,
    _value_ticks,
    bar_chart,
    line_chart,
    small_multiple,
)
from vigie.core.formatting import number

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_an_accessible_image_with_gaps_for_missing_values():
    svg = str(
        line_chart(
            chart_id="c1",
            title="Titre <avec> balise",
            description="Description",
            x_labels=["2016", "2017", "2018"],
            lines=[
                Line("Lot", [Decimal("1.5"), None, Decimal("2")], 0),
                Line("France", [Decimal(3), Decimal(3), None], 1),
            ],
            value_suffix=" ‰",
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Titre &lt;avec&gt; balise</title>' in svg
    assert "<title>Lot 2016 : 1,50 ‰</title>" in svg
    assert svg.count("<polyline") == 1  # Lot has no two consecutive values; France has one segment
    assert 'stroke-dasharray="6 4"' in svg


def test_empty_and_compact_charts():
    svg = str(
        small_multiple(
            chart_id="c2",
            title="t",
            description="d",
            x_labels=["2020"],
            lines=[Line("A", [None])],
        )
    )
    assert "vigie-chart--compact" in svg


def test_nice_max():
    assert _nice_max(0) == 1.0
    assert _nice_max(4.2) == 5
    assert _nice_max(0.017) == 0.02
    assert _nice_max(648) == 800


def test_references_are_dashed_lines_written_in_words():
    svg = str(
        line_chart(
            chart_id="c3",
            title="t",
            description="d",
            x_labels=["2024", "2025"],
            lines=[Line("Département", [Decimal("10"), Decimal("12.5")])],
            references=[
                Reference("target", "Cible 2026", Decimal("20")),
                Reference("baseline", "Référence 2023", Decimal("8")),
            ],
            decimals=None,
        )
    )
    assert "Cible 2026 : 20</text>" in svg and "Référence 2023 : 8</text>" in svg
    assert svg.count('stroke-dasharray="6 4"') == 1 and svg.count('stroke-dasharray="2 3"') == 1
    assert "<title>Département 2025 : 12,5</title>" in svg
    # The y axis reaches the target: 20 is the top tick.
    assert ">20</text>" in svg


def test_negative_values_stay_inside_the_chart_with_a_minus_sign():
    svg = str(
        line_chart(
            chart_id="c4",
            title="t",
            description="d",
            x_labels=["a", "b"],
            lines=[Line("Écart", [Decimal("-4"), Decimal("4")])],
        )
    )
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([-\d.]+)"', svg)]
    assert ys and all(10 <= y <= 300 for y in ys)
    assert "<title>Écart a : \u22124,00</title>" in svg


def test_long_series_show_some_x_labels_only():
    labels = [f"m{i}" for i in range(36)]
    svg = str(
        line_chart(
            chart_id="c5",
            title="t",
            description="d",
            x_labels=labels,
            lines=[Line("A", [Decimal(i) for i in range(36)])],
        )
    )
    shown = [label for label in labels if f">{label}</text>" in svg]
    assert shown[0] == "m0" and shown[-1] == "m35" and len(shown) < 20


def _bars_of(svg: str) -> tuple[list[dict], float]:
    """The bars of a bar chart (x, width, fill, title of their group) and the x of its zero line."""
    root = ET.fromstring(svg)
    bars = []
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        bars.append(
            {
                "x": float(rect.get("x")),
                "width": float(rect.get("width")),
                "fill": rect.get("fill"),
                "title": group.find(f"{SVG}title").text,
                "text": group.find(f"{SVG}text").text,
            }
        )
    zero = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "vigie-chart-zero")
    return bars, float(zero.get("x1"))


def test_bar_chart_is_an_accessible_image_with_one_bar_per_present_value():
    svg = str(
        bar_chart(
            chart_id="b1",
            title="Taux <2024>",
            description="Gers & France",
            categories=["Coups et blessures volontaires", "Homicides", "Vols <violents>"],
            series=[
                Bars("Gers", [Decimal("3.691"), None, Decimal("12345.5")], 0),
                Bars("France", [Decimal("4.2"), Decimal("0.013"), None], 1),
            ],
            value_suffix=" ‰",
        )
    )
    root = ET.fromstring(svg)  # well-formed: every text is escaped
    assert root.get("role") == "img" and root.get("aria-labelledby") == "b1-title b1-desc"
    assert '<title id="b1-title">Taux &lt;2024&gt;</title>' in svg
    assert '<desc id="b1-desc">Gers &amp; France</desc>' in svg
    assert "Vols &lt;violents&gt;" in svg and "<violents>" not in svg
    bars, _zero = _bars_of(svg)
    assert len(bars) == 4  # two values of six are missing: no bar, not even a zero one
    assert [b["text"] for b in bars] == [
        f"{number(Decimal('3.691'), 2)} ‰",
        f"{number(Decimal('4.2'), 2)} ‰",
        f"{number(Decimal('0.013'), 2)} ‰",
        f"{number(Decimal('12345.5'), 2)} ‰",
    ]
    assert bars[3]["text"] == "12\u202f345,50 ‰"
    assert bars[0]["title"] == "Gers, Coups et blessures volontaires : 3,69 ‰"
    # The missing values are written in words, with their series.
    assert ">Gers : non diffusé</text>" in svg and ">France : non diffusé</text>" in svg
    # Gers and France differ by more than colour: a solid fill, and a pattern, within an outline.
    assert bars[0]["fill"] == "#000091" and bars[1]["fill"] == "url(#b1-fill-1)"
    assert '<pattern id="b1-fill-1"' in svg
    # A legend names both series.
    assert ">Gers</text>" in svg and ">France</text>" in svg


def test_negative_bars_go_left_of_the_zero_line_with_a_minus_sign():
    svg = str(
        bar_chart(
            chart_id="b2",
            title="t",
            description="d",
            categories=["Lot (46)", "Gers (32)"],
            series=[Bars("Évolution", [Decimal("-4.5"), Decimal("2")])],
            value_suffix=" %",
            decimals=1,
        )
    )
    (lot, gers), zero = _bars_of(svg)
    assert lot["x"] + lot["width"] == pytest.approx(zero, abs=0.2) and lot["x"] < zero
    assert gers["x"] == pytest.approx(zero, abs=0.2) and gers["width"] > 0
    assert lot["width"] > gers["width"] * 2  # 4.5 against 2, on one scale
    assert lot["text"] == "\u22124,5 %" and gers["text"] == "2,0 %"
    assert "<title>Lot (46) : \u22124,5 %</title>" in svg  # one series: no series name
    assert ">Évolution</text>" not in svg and "url(#" not in svg  # no legend, a solid fill


def test_bar_chart_without_values_writes_them_missing():
    svg = str(
        bar_chart(
            chart_id="b3",
            title="t",
            description="d",
            categories=["France (calculé)"],
            series=[Bars("Taux", [None])],
            missing_text="non disponible",
        )
    )
    bars, _zero = _bars_of(svg)
    assert bars == [] and ">non disponible</text>" in svg


def test_value_ticks_are_round_and_include_zero():
    assert _value_ticks([Decimal("4.65"), Decimal("3.2")]) == (
        [Decimal(0), Decimal(2), Decimal(4), Decimal(6)],
        0,
    )
    ticks, decimals = _value_ticks([Decimal("-1.2"), Decimal("0.5")])
    assert Decimal(0) in ticks and ticks[0] <= Decimal("-1.2") and ticks[-1] >= Decimal("0.5")
    assert decimals == 1
    ticks, decimals = _value_ticks([])
    assert (ticks[0], ticks[-1], len(ticks), decimals) == (0, 1, 5, 2)
