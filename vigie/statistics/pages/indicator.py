"""One indicator in a department: its yearly series beside the region and France, and its plan's figures."""

from django.http import Http404

from vigie.core.charts import Line, line_chart
from vigie.core.formatting import MISSING_TEXT, number, percent
from vigie.statistics import selectors
from vigie.statistics.derived import (
    percent_change,
)
from vigie.statistics.enums import Measure, RateBase
from vigie.statistics.models import StatisticalIndicator
from vigie.statistics.pages.common import (
    COMPUTED_NOTE,
    MAX_COMPARED,
    RANK_NOTE,
    base_label,
    change_cell,
    count_cell,
    department_and_name,
    plan_tables,
    rate_cell,
    series_label,
    series_territory,
    source_line,
)
from vigie.statistics.tables import Cell, Table


def build_indicator(code: str, slug: str, params) -> dict:
    indicator = StatisticalIndicator.objects.filter(slug=slug).first()
    if indicator is None:
        raise Http404
    department, name = department_and_name(code)
    editions = list(selectors.ssmsi_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    plans = list(selectors.plan_editions(code))
    series = selectors.plan_series(plans, indicator=indicator)
    points = (
        selectors.department_points(edition, code, indicator).get(indicator.pk, {})
        if edition
        else {}
    )
    if department is None and not points and not series:
        raise Http404
    context = {
        "page_title": f"{indicator.name} — {name} ({code})",
        "indicator": indicator,
        "department_code": code,
        "department_name": name,
        "editions": editions,
        "edition": edition,
        "base_label": base_label(indicator),
        "tables": [],
        "export_query": f"code={code}&indicateur={slug}"
        + (f"&edition={edition.pk}" if edition else ""),
    }
    if points:
        _indicator_ssmsi(context, edition, indicator, code, name, points)
    context["plan_editions"] = plans
    context["plan_tables"] = plan_tables(plans, series, name)
    context["plan_charts"] = _plan_charts(indicator, series)
    context["tables"] += context["plan_tables"]
    return context


def _indicator_ssmsi(context, edition, indicator, code, name, points):
    region_code = selectors.region_code_of(edition, code)
    region_label = selectors.region_name(region_code) if region_code else "Région"
    france = selectors.computed_totals(edition, indicator=indicator).get(indicator.pk, {})
    region = (
        selectors.computed_totals(edition, region_code=region_code, indicator=indicator).get(
            indicator.pk, {}
        )
        if region_code
        else {}
    )
    years = sorted(points)
    unit = selectors.unit_labels({indicator.pk: points}).get(indicator.pk, "")
    table = _series_table(edition, indicator, name, region_label, years, unit)
    dept_rates, region_rates, france_rates = [], [], []
    ranks = selectors.rankings(edition, years, [indicator])
    previous = None
    for year in years:
        point = points[year]
        base = point.base(indicator.rate_base)
        vintage = point.base_vintage(indicator.rate_base)
        d_rate = point.rate(indicator.rate_base)
        r_rate = region[year].rate(indicator.rate_base) if year in region else None
        f_rate = france[year].rate(indicator.rate_base) if year in france else None
        dept_rates.append(d_rate)
        region_rates.append(r_rate)
        france_rates.append(f_rate)
        ranking = ranks.get((indicator.pk, year))
        rank = ranking.rank.get(code) if ranking else None
        table.rows.append(
            [
                Cell(str(year)),
                count_cell(point),
                change_cell(percent_change(previous.value, point.value) if previous else None),
                Cell(f"{number(base)} ({vintage})" if base else MISSING_TEXT, value=base),
                rate_cell(d_rate),
                rate_cell(r_rate),
                rate_cell(f_rate),
                Cell(f"{rank} sur {ranking.count}" if rank else MISSING_TEXT, value=rank),
            ]
        )
        previous = point
    first, last = years[0], years[-1]
    evolution = percent_change(points[first].value, points[last].value)
    lines = [
        Line(name, dept_rates, 0),
        Line(f"{region_label} (calculé)", region_rates, 2),
        Line("France (calculé)", france_rates, 1),
    ]
    context.update(
        years=years,
        unit=unit,
        region_label=region_label,
        source_text=table.source,
        series_table=table,
        evolution_text=(
            f"{percent(evolution)} entre {first} et {last} ({number(points[first].value)} → {number(points[last].value)})"
            if evolution is not None
            else MISSING_TEXT
        ),
        chart=_series_chart(indicator, name, region_label, [str(y) for y in years], lines),
    )
    context["tables"].append(table)


def _series_table(edition, indicator, name, region_label, years, unit) -> Table:
    """The yearly series of the department beside its region and France, without rows."""
    base_word = "Logements" if indicator.rate_base == RateBase.DWELLINGS else "Population"
    return Table(
        key="serie",
        caption=f"{indicator.name}, {name} : série {years[0]}-{years[-1]}",
        columns=[
            "Année",
            f"Nombre ({unit})",
            "Évolution annuelle",
            f"{base_word} (millésime)",
            f"Taux {name}",
            f"Taux {region_label} (calculé)",
            "Taux France (calculé)",
            "Rang",
        ],
        source=source_line(edition, computed=True),
        notes=[
            COMPUTED_NOTE,
            RANK_NOTE,
            f"Taux {base_label(indicator)}, avec la population du millésime indiqué.",
        ],
    )


def _series_chart(indicator, name, region_label, x_labels, lines):
    """The rates of the department, its region and France; the series table follows it."""
    dept_rates = lines[0].values
    first, last = x_labels[0], x_labels[-1]
    return line_chart(
        chart_id="chart-serie",
        title=f"{indicator.name} : taux {base_label(indicator)}, {name}, {region_label} et France, {first}-{last}",
        description=(
            f"{name} : de {rate_cell(dept_rates[0]).text} en {first} à {rate_cell(dept_rates[-1]).text} en {last}. "
            "Valeurs dans le tableau qui suit."
        ),
        x_labels=x_labels,
        lines=lines,
        value_suffix=" ‰",
    )


def _plan_charts(indicator, series_list) -> list[dict]:
    """For plan series of this indicator: one chart of the counts with its table (per plan)."""
    charts = []
    counts = [
        s
        for s in series_list
        if s.measure == Measure.COUNT and s.indicator_id == indicator.pk and len(s.values) > 1
    ]
    by_edition: dict[int, list] = {}
    for s in counts:
        by_edition.setdefault(s.edition_id, []).append(s)
    for k, (_edition_id, items) in enumerate(by_edition.items()):
        items = items[:MAX_COMPARED]
        years = sorted({y for s in items for y in s.values})
        edition = items[0].edition
        labels = [f"{series_label(s)}, {series_territory(s)}" for s in items]
        charts.append(
            {
                "chart": line_chart(
                    chart_id=f"chart-plan-{k}",
                    title=f"{indicator.name} : chiffres du {edition.source.name}",
                    description="Nombres publiés dans le plan ; valeurs dans le tableau « Chiffres du plan » qui suit.",
                    x_labels=[str(y) for y in years],
                    lines=[
                        Line(label, [s.values.get(y) for y in years], i)
                        for i, (label, s) in enumerate(zip(labels, items, strict=True))
                    ],
                    decimals=None,
                ),
            }
        )
    return charts
