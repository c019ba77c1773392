import re
from decimal import Decimal

from vigie.core.charts import Line, Reference, _nice_max, line_chart, small_multiple


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
