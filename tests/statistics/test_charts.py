from decimal import Decimal

from vigie.statistics.charts import Line, _nice_max, line_chart


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
        line_chart(
            chart_id="c2",
            title="t",
            description="d",
            x_labels=["2020"],
            lines=[Line("A", [None])],
            compact=True,
        )
    )
    assert "vigie-chart--compact" in svg


def test_nice_max():
    assert _nice_max(0) == 1.0
    assert _nice_max(4.2) == 5
    assert _nice_max(0.017) == 0.02
    assert _nice_max(648) == 800
