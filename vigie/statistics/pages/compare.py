"""Several departments side by side for one indicator (counts or rates)."""

from vigie.core.charts import Bars, Line, bar_chart, line_chart
from vigie.core.formatting import NNBSP
from vigie.statistics import selectors
from vigie.statistics.derived import (
    annual_average_change,
    percent_change,
)
from vigie.statistics.pages.common import (
    COMPUTED_NOTE,
    MAX_COMPARED,
    base_label,
    change_cell,
    count_cell,
    rate_cell,
    rate_decimals,
    source_line,
)
from vigie.statistics.tables import Cell, Table


def build_compare(params) -> dict:
    editions = list(selectors.ssmsi_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    context = {
        "page_title": "Comparer des départements",
        "editions": editions,
        "edition": edition,
        "tables": [],
    }
    if edition is None:
        return context
    indicators = selectors.edition_indicators(edition)
    available = selectors.department_codes_with_data(edition)
    names = selectors.names_of_departments(available)
    context.update(
        indicators=indicators,
        department_choices=[(c, f"{names.get(c, 'Département ' + c)} ({c})") for c in available],
    )
    slug = params.get("indicateur") or (indicators[0].slug if indicators else "")
    indicator = next((i for i in indicators if i.slug == slug), None)
    codes = [c for c in params.getlist("departements") if c in set(available)][:MAX_COMPARED]
    measure = "nombre" if params.get("mesure") == "nombre" else "taux"
    context.update(indicator=indicator, selected=codes, measure=measure)
    if indicator is None or not codes:
        return context
    by_code = {
        code: selectors.department_points(edition, code, indicator).get(indicator.pk, {})
        for code in codes
    }
    france = selectors.computed_totals(edition, indicator=indicator).get(indicator.pk, {})
    years = sorted({y for points in by_code.values() for y in points} | set(france))
    source = source_line(edition, computed=True)
    lines = _lines(indicator, measure, codes, names, by_code, france, years)
    what = f"taux {base_label(indicator)}" if measure == "taux" else "nombre"
    table = _comparison_table(indicator, measure, what, lines, years, source)
    evolution = _evolution_table(indicator, codes, names, by_code, years, source)
    context.update(
        years=years,
        source_text=source,
        chart=line_chart(
            chart_id="chart-compare",
            title=f"{indicator.name} : {what}, {', '.join(line.label for line in lines)}, {years[0]}-{years[-1]}",
            description="Valeurs dans le tableau qui suit.",
            x_labels=[str(y) for y in years],
            lines=lines,
            value_suffix=" ‰" if measure == "taux" else "",
            decimals=2 if measure == "taux" else None,
        ),
        latest_chart=_latest_chart(indicator, measure, what, lines, years[-1]),
        comparison_table=table,
        evolution_table=evolution,
    )
    context["tables"] = [table, evolution]
    query = "&".join(f"departements={c}" for c in codes)
    context["export_query"] = (
        f"{query}&indicateur={indicator.slug}&mesure={measure}&edition={edition.pk}"
    )
    return context


def _lines(indicator, measure, codes, names, by_code, france, years) -> list[Line]:
    """One line per department, and France (computed) for rates."""

    def value_of(point):
        if point is None:
            return None
        return point.rate(indicator.rate_base) if measure == "taux" else point.value

    lines = [
        Line(
            f"{names.get(code, code)} ({code})", [value_of(by_code[code].get(y)) for y in years], i
        )
        for i, code in enumerate(codes)
    ]
    if measure == "taux":
        lines.append(Line("France (calculé)", [value_of(france.get(y)) for y in years], len(codes)))
    return lines


def _latest_chart(indicator, measure, what, lines, year):
    """The last year's values as bars, one per department (and France for rates): the table's last row."""
    values = [line.values[-1] for line in lines]
    cells = [
        rate_cell(v) if measure == "taux" else count_cell(selectors.Point(value=v)) for v in values
    ]
    if measure == "taux":
        decimals = max((rate_decimals(v) for v in values if v is not None), default=2)
    else:
        decimals = None
    return bar_chart(
        chart_id="chart-compare-latest",
        title=f"{indicator.name} : {what} en {year}, {', '.join(line.label for line in lines)}",
        description=" ; ".join(
            f"{line.label} : {cell.text}" for line, cell in zip(lines, cells, strict=True)
        )
        + f". Valeurs à la ligne {year} du tableau qui suit.",
        categories=[line.label for line in lines],
        series=[Bars(f"{what.capitalize()} {year}", values)],
        value_suffix=f"{NNBSP}‰" if measure == "taux" else "",
        decimals=decimals,
        missing_text="non disponible",
    )


def _comparison_table(indicator, measure, what, lines, years, source) -> Table:
    """Years × departments: the chart's values."""
    table = Table(
        key="comparaison",
        caption=f"{indicator.name} : {what}, {years[0]}-{years[-1]}",
        columns=["Année", *[line.label for line in lines]],
        source=source,
        notes=[COMPUTED_NOTE] if measure == "taux" else [],
    )
    for i, year in enumerate(years):
        cells = [Cell(str(year))]
        for line in lines:
            value = line.values[i]
            cells.append(
                rate_cell(value) if measure == "taux" else count_cell(selectors.Point(value=value))
            )
        table.rows.append(cells)
    return table


def _evolution_table(indicator, codes, names, by_code, years, source) -> Table:
    """Each department's count, first and last year, and its change over the period."""
    evolution = Table(
        key="evolutions",
        caption=f"{indicator.name} : évolution du nombre, {years[0]}-{years[-1]}",
        columns=[
            "Département",
            f"Nombre {years[0]}",
            f"Nombre {years[-1]}",
            f"Évolution {years[0]}-{years[-1]}",
            "Évolution annuelle moyenne",
        ],
        source=source,
    )
    for code in codes:
        first, last = by_code[code].get(years[0]), by_code[code].get(years[-1])
        old, new = (first.value if first else None), (last.value if last else None)
        evolution.rows.append(
            [
                Cell(f"{names.get(code, code)} ({code})"),
                count_cell(first),
                count_cell(last),
                change_cell(percent_change(old, new)),
                change_cell(annual_average_change(old, new, years[-1] - years[0])),
            ]
        )
    return evolution
