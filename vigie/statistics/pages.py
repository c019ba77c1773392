"""What each statistics page shows, built once for the HTML page and for its export.

Every builder returns a context dict whose "tables" are the tables shown (and exported), each carrying
its source and edition.
"""

from decimal import Decimal

from django.http import Http404
from django.urls import reverse

from vigie.statistics import selectors
from vigie.statistics.charts import Line, line_chart
from vigie.statistics.derived import (
    annual_average_change,
    check_stated,
    exact_change,
    exact_rate,
    percent_change,
    round_half_up,
)
from vigie.statistics.enums import Measure, RateBase, StatedFigureKind, TerritoryLevel, Unit, Zone
from vigie.statistics.formatting import MISSING_TEXT, WITHHELD_TEXT, number, percent, rate
from vigie.statistics.models import StatisticalIndicator
from vigie.statistics.tables import Cell, Table

COMPUTED_NOTE = (
    "France et région : la base ne contient pas de total ; Vigie les calcule en additionnant les départements "
    "de la même édition (nombres et populations), d'où la mention « calculé »."
)
RANK_NOTE = "Rang : position du département parmi les départements de la base, par taux décroissant (1 = taux le plus élevé)."
MAX_COMPARED = 6


# ----------------------------------------------------------------------------------------- helpers


def rate_decimals(value: Decimal | None) -> int:
    return 3 if value is not None and abs(value) < Decimal("0.1") and value != 0 else 2


def count_cell(point) -> Cell:
    if point is None:
        return Cell(MISSING_TEXT)
    if point.is_withheld:
        return Cell(WITHHELD_TEXT, css="vigie-withheld")
    if point.value is None:
        return Cell(MISSING_TEXT)
    return Cell(
        number(point.value),
        value=point.value.normalize() if isinstance(point.value, Decimal) else point.value,
    )


def rate_cell(value: Decimal | None) -> Cell:
    if value is None:
        return Cell(MISSING_TEXT)
    decimals = rate_decimals(value)
    shown = round_half_up(value, decimals)
    return Cell(rate(shown, decimals), value=shown)


def change_cell(value: Decimal | None) -> Cell:
    if value is None:
        return Cell(MISSING_TEXT)
    return Cell(percent(value), value=value)


def base_label(indicator: StatisticalIndicator) -> str:
    return (
        "pour 1 000 logements"
        if indicator.rate_base == RateBase.DWELLINGS
        else "pour 1 000 habitants"
    )


def source_line(edition, computed: bool = False) -> str:
    text = f"Source : {edition.source.name}, {edition.label}."
    if computed:
        text += " France et région calculées par Vigie à partir des départements de cette édition."
    return text


def trend(old: Decimal | None, new: Decimal | None) -> dict | None:
    change = percent_change(old, new, 1)
    if change is None:
        return None
    if change > 0:
        return {
            "direction": "up",
            "icon": "fr-icon-arrow-right-up-line",
            "label": "en hausse",
            "text": percent(change, 1),
        }
    if change < 0:
        return {
            "direction": "down",
            "icon": "fr-icon-arrow-right-down-line",
            "label": "en baisse",
            "text": percent(change, 1),
        }
    return {
        "direction": "stable",
        "icon": "fr-icon-arrow-right-line",
        "label": "stable",
        "text": percent(change, 1),
    }


def _department(code: str):
    department = selectors.department_or_none(code)
    return department, (department.name if department else f"Département {code}")


def _series_label(series) -> str:
    parts = [series.indicator.name]
    if series.zone:
        parts.append(Zone(series.zone).label.lower())
    if series.breakdown:
        parts.append(series.get_breakdown_display())
    return " — ".join(parts)


def _series_territory(series, department_name: str = "") -> str:
    if series.level == TerritoryLevel.COUNTRY:
        return "France entière"
    if series.name:
        return series.name
    if series.level == TerritoryLevel.DEPARTMENT and department_name:
        return department_name
    return series.code


def _plan_value_cell(series, value) -> Cell:
    if value is None:
        return Cell(MISSING_TEXT)
    if series.measure == Measure.RATE:
        return Cell(rate(value, 2), value=value)
    if series.measure == Measure.SHARE:
        return Cell(percent(value, 0, signed=False), value=value)
    return Cell(number(value), value=value.normalize())


def plan_tables(editions, series_list, department_name: str = "") -> list[Table]:
    """One table per part of each plan (its own table or section), series × years, as published."""
    tables = []
    for edition in editions:
        sections: dict[str, list] = {}
        for item in series_list:
            if item.edition_id == edition.pk:
                sections.setdefault(item.section, []).append(item)
        for number_, (section, rows_series) in enumerate(sections.items(), start=1):
            years = sorted({y for s in rows_series for y in s.values})
            table = Table(
                key=f"plan-{edition.pk}-{number_}",
                caption=f"{edition.source.name} — {section}" if section else edition.source.name,
                columns=[
                    "Série",
                    "Territoire",
                    "Unité",
                    *[str(y) for y in years],
                    "Producteur d'origine",
                ],
                source=source_line(edition),
            )
            for s in rows_series:
                unit = (
                    s.get_unit_display()
                    if s.measure == Measure.COUNT
                    else s.get_measure_display().lower()
                )
                table.rows.append(
                    [
                        Cell(_series_label(s), note=s.note, details=s.context),
                        Cell(_series_territory(s, department_name)),
                        Cell(unit),
                        *[_plan_value_cell(s, s.values.get(y)) for y in years],
                        Cell(
                            s.get_original_producer_display()
                            if s.original_producer
                            else "non précisé"
                        ),
                    ]
                )
            tables.append(table)
    return tables


# ------------------------------------------------------------------------------------ department


def build_department(code: str, params) -> dict:
    department, name = _department(code)
    editions = list(selectors.ssmsi_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    plans = list(selectors.plan_editions(code))
    points = selectors.department_points(edition, code) if edition is not None else {}
    if department is None and not points and not plans:
        raise Http404
    context = {
        "page_title": f"Statistiques de la délinquance — {name} ({code})",
        "department_code": code,
        "department_name": name,
        "editions": editions,
        "edition": edition,
        "tables": [],
        "cards": [],
    }
    if points:
        _department_ssmsi(context, edition, code, name, points)
    series = selectors.plan_series(plans)
    context["plan_editions"] = plans
    context["plan_tables"] = plan_tables(plans, series, name)
    context["tables"] += context["plan_tables"]
    context["export_query"] = f"code={code}" + (f"&edition={edition.pk}" if edition else "")
    context["has_communal"] = selectors.communal_editions().exists()
    return context


def _department_ssmsi(context, edition, code, name, points):
    indicators = [i for i in selectors.edition_indicators(edition) if i.pk in points]
    region_code = selectors.region_code_of(edition, code)
    france = selectors.computed_totals(edition)
    region = selectors.computed_totals(edition, region_code=region_code) if region_code else {}
    region_label = selectors.region_name(region_code) if region_code else "Région"
    years = sorted({y for by_year in points.values() for y in by_year})
    latest, previous = years[-1], (years[-2] if len(years) > 1 else None)
    ranks = selectors.rankings(edition, [latest], indicators)
    units = selectors.unit_labels(points)
    source = source_line(edition, computed=True)
    context.update(
        years=years,
        latest_year=latest,
        previous_year=previous,
        region_label=region_label,
        source_text=source,
        computed_note=COMPUTED_NOTE,
    )

    key = Table(
        key="indicateurs-cles",
        caption=f"Indicateurs clés {latest} : {name}, {region_label} et France",
        columns=[
            "Indicateur",
            f"Nombre {previous}",
            f"Nombre {latest}",
            f"Évolution {previous}-{latest}",
            f"Taux {name}",
            f"Taux {region_label} (calculé)",
            "Taux France (calculé)",
            f"Rang en {latest}",
        ],
        source=source,
        notes=[
            COMPUTED_NOTE,
            RANK_NOTE,
            "Taux pour 1 000 habitants, sauf cambriolages de logement : pour 1 000 logements.",
        ],
    )
    counts = Table(
        key="nombres",
        caption=f"Nombres enregistrés, {name}, {years[0]}-{latest}",
        columns=["Indicateur", "Unité de compte", *[str(y) for y in years]],
        source=source_line(edition),
    )
    rates = Table(
        key="taux",
        caption=f"Taux pour 1 000, {name} et France (calculé), {years[0]}-{latest}",
        columns=["Indicateur", "Territoire", *[str(y) for y in years]],
        source=source,
        notes=[COMPUTED_NOTE],
    )
    for indicator in indicators:
        by_year = points[indicator.pk]
        fr = france.get(indicator.pk, {})
        rg = region.get(indicator.pk, {})
        unit = units.get(indicator.pk, "")
        now, before = by_year.get(latest), by_year.get(previous)
        dept_rate = now.rate(indicator.rate_base) if now else None
        france_rate = fr[latest].rate(indicator.rate_base) if latest in fr else None
        ranking = ranks.get((indicator.pk, latest))
        rank_text = (
            f"{ranking.rank[code]}{'er' if ranking.rank[code] == 1 else 'e'} sur {ranking.count}"
            if ranking and code in ranking.rank
            else MISSING_TEXT
        )
        change = percent_change(before.value if before else None, now.value if now else None)
        key.rows.append(
            [
                Cell(indicator.name, note=unit),
                count_cell(before),
                count_cell(now),
                change_cell(change),
                rate_cell(dept_rate),
                rate_cell(rg[latest].rate(indicator.rate_base) if latest in rg else None),
                rate_cell(france_rate),
                Cell(rank_text, value=ranking.rank.get(code) if ranking else None),
            ]
        )
        counts.rows.append(
            [Cell(indicator.name), Cell(unit), *[count_cell(by_year.get(y)) for y in years]]
        )
        dept_rates = [by_year[y].rate(indicator.rate_base) if y in by_year else None for y in years]
        fr_rates = [fr[y].rate(indicator.rate_base) if y in fr else None for y in years]
        rates.rows.append([Cell(indicator.name), Cell(name), *[rate_cell(v) for v in dept_rates]])
        rates.rows.append(
            [Cell(indicator.name), Cell("France (calculé)"), *[rate_cell(v) for v in fr_rates]]
        )
        chart_id = f"chart-{indicator.slug}"
        context["cards"].append(
            {
                "indicator": indicator,
                "unit": unit,
                "count": count_cell(now).text,
                "year": latest,
                "trend": trend(before.value if before else None, now.value if now else None),
                "previous_year": previous,
                "rate": rate_cell(dept_rate).text,
                "france_rate": rate_cell(france_rate).text,
                "base_label": base_label(indicator),
                "rank": rank_text,
                "url": reverse("statistics:indicator", args=[code, indicator.slug])
                + f"?edition={edition.pk}",
                "chart": line_chart(
                    chart_id=chart_id,
                    title=f"{indicator.name} : taux {base_label(indicator)}, {name} et France, {years[0]}-{latest}",
                    description=(
                        f"{name} : {rate_cell(dept_rates[0]).text} en {years[0]}, {rate_cell(dept_rates[-1]).text} "
                        f"en {latest} ; France : {rate_cell(fr_rates[0]).text} en {years[0]}, "
                        f"{rate_cell(fr_rates[-1]).text} en {latest}. Valeurs dans le tableau des taux ci-dessous."
                    ),
                    x_labels=[str(y) for y in years],
                    lines=[Line(name, dept_rates, 0), Line("France", fr_rates, 1)],
                    value_suffix=" ‰",
                    compact=True,
                ),
            }
        )
    context["key_table"], context["counts_table"], context["rates_table"] = key, counts, rates
    context["tables"] += [key, counts, rates]


# ------------------------------------------------------------------------------------- indicator


def build_indicator(code: str, slug: str, params) -> dict:
    indicator = StatisticalIndicator.objects.filter(slug=slug).first()
    if indicator is None:
        raise Http404
    department, name = _department(code)
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
    source = source_line(edition, computed=True)
    base_word = "Logements" if indicator.rate_base == RateBase.DWELLINGS else "Population"
    table = Table(
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
        source=source,
        notes=[
            COMPUTED_NOTE,
            RANK_NOTE,
            f"Taux {base_label(indicator)}, avec la population du millésime indiqué.",
        ],
    )
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
    context.update(
        years=years,
        unit=unit,
        region_label=region_label,
        source_text=source,
        series_table=table,
        evolution_text=(
            f"{percent(evolution)} entre {first} et {last} ({number(points[first].value)} → {number(points[last].value)})"
            if evolution is not None
            else MISSING_TEXT
        ),
        chart=line_chart(
            chart_id="chart-serie",
            title=f"{indicator.name} : taux {base_label(indicator)}, {name}, {region_label} et France, {first}-{last}",
            description=(
                f"{name} : de {rate_cell(dept_rates[0]).text} en {first} à {rate_cell(dept_rates[-1]).text} en {last}. "
                "Valeurs dans le tableau qui suit."
            ),
            x_labels=[str(y) for y in years],
            lines=[
                Line(name, dept_rates, 0),
                Line(f"{region_label} (calculé)", region_rates, 2),
                Line("France (calculé)", france_rates, 1),
            ],
            value_suffix=" ‰",
        ),
    )
    context["tables"].append(table)


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
        labels = [f"{_series_label(s)}, {_series_territory(s)}" for s in items]
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


# --------------------------------------------------------------------------------------- compare


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
    what = f"taux {base_label(indicator)}" if measure == "taux" else "nombre"
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
        comparison_table=table,
        evolution_table=evolution,
    )
    context["tables"] = [table, evolution]
    query = "&".join(f"departements={c}" for c in codes)
    context["export_query"] = (
        f"{query}&indicateur={indicator.slug}&mesure={measure}&edition={edition.pk}"
    )
    return context


# ------------------------------------------------------------------------------- plan comparison


def build_plan_comparison(code: str, params) -> dict:
    department, name = _department(code)
    plans = list(selectors.plan_editions(code))
    if department is None and not plans:
        raise Http404
    editions = list(selectors.ssmsi_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    context = {
        "page_title": f"Chiffres du plan et base SSMSI — {name} ({code})",
        "department_code": code,
        "department_name": name,
        "editions": editions,
        "edition": edition,
        "plan_editions": plans,
        "tables": [],
        "export_query": f"code={code}" + (f"&edition={edition.pk}" if edition else ""),
    }
    series = selectors.plan_series(plans)
    comparable = [s for s in series if s.compare_with_id and s.measure == Measure.COUNT]
    if edition is not None and comparable:
        context["comparison_table"] = _comparison_table(edition, code, name, comparable)
        context["tables"].append(context["comparison_table"])
    figures = selectors.stated_figures(plans)
    context["checks_table"] = _checks_table(figures, {s.pk: s.values for s in series})
    context["tables"].append(context["checks_table"])
    context["check_counts"] = {
        "ok": sum(1 for row in context["checks_table"].rows if row[-1].css == "vigie-ok"),
        "different": sum(
            1 for row in context["checks_table"].rows if row[-1].css == "vigie-different"
        ),
        "unverifiable": sum(
            1 for row in context["checks_table"].rows if row[-1].css == "vigie-unverifiable"
        ),
    }
    return context


def _comparison_table(edition, code, name, comparable) -> Table:
    department = selectors.department_points(edition, code)
    france = selectors.computed_totals(edition)
    plan_names = sorted({s.edition.source.name for s in comparable})
    table = Table(
        key="plan-ssmsi",
        caption=f"Chiffres du plan et de la base SSMSI ({edition.label})",
        columns=[
            "Indicateur (plan)",
            "Indicateur SSMSI",
            "Territoire",
            "Année",
            "Plan",
            "SSMSI",
            "Écart (SSMSI − plan)",
            "Écart en %",
        ],
        source=f"{'; '.join(plan_names)} ; {source_line(edition, computed=True)}",
        notes=[
            "Les écarts viennent des révisions annuelles de la base SSMSI, des changements de définition et des "
            "périmètres différents (intitulés, zones, unités de compte) : ils ne signalent pas une erreur.",
            COMPUTED_NOTE,
        ],
    )
    for s in comparable:
        if s.level == TerritoryLevel.COUNTRY:
            reference, territory = france.get(s.compare_with_id, {}), "France (SSMSI calculé)"
        elif s.level == TerritoryLevel.DEPARTMENT and s.code == code and not s.zone:
            reference, territory = department.get(s.compare_with_id, {}), name
        else:
            continue
        for year in sorted(s.values):
            point = reference.get(year)
            plan_value = s.values[year]
            if point is None or point.value is None or plan_value is None:
                continue
            difference = point.value - plan_value
            table.rows.append(
                [
                    Cell(
                        s.indicator.name,
                        details=s.comparison_note,
                        details_label="Remarque sur la comparaison",
                    ),
                    Cell(s.compare_with.name),
                    Cell(territory),
                    Cell(str(year)),
                    Cell(number(plan_value), value=plan_value.normalize()),
                    Cell(number(point.value), value=point.value.normalize()),
                    Cell(
                        ("+" if difference > 0 else "") + number(difference),
                        value=difference.normalize(),
                    ),
                    change_cell(percent_change(plan_value, point.value)),
                ]
            )
    return table


def recompute(figure, values: dict | None = None) -> Decimal | None:
    """The exact value of a figure the plan states, from its series' counts ({year: value} when known)."""
    if figure.series_id is None:
        return None
    if values is None:
        values = {o.year: o.value for o in figure.series.observations.filter(month=0)}
    if figure.kind == StatedFigureKind.RATE:
        return exact_rate(values.get(figure.to_year), figure.population)
    return exact_change(values.get(figure.from_year), values.get(figure.to_year))


def _checks_table(figures, values_by_series: dict[int, dict]) -> Table:
    table = Table(
        key="chiffres-annonces",
        caption="Chiffres calculés par le plan, recalculés par Vigie à partir de ses effectifs",
        columns=[
            "Chiffre",
            "Citation",
            "Emplacement",
            "Annoncé",
            "Recalculé",
            "Valeur exacte",
            "Résultat",
        ],
        source="; ".join(sorted({f"{f.edition.source.name}, {f.edition.label}" for f in figures})),
        notes=[
            "Évolution = (nouveau − ancien) / ancien × 100 ; taux = nombre / population × 1 000 ; arrondis au "
            "plus proche (0,5 vers le haut), au nombre de décimales utilisé par le plan.",
        ],
    )
    for figure in figures:
        exact = recompute(figure, values_by_series.get(figure.series_id, {}))
        check = check_stated(figure.stated_value, exact, figure.decimals)
        is_rate = figure.kind == StatedFigureKind.RATE

        def show(value, decimals, is_rate=is_rate):
            if value is None:
                return MISSING_TEXT
            return rate(value, decimals) if is_rate else percent(value, decimals)

        if not check.checkable:
            result = Cell(
                "non vérifiable : effectifs non publiés dans le plan"
                if figure.series_id is None
                else "non vérifiable",
                css="vigie-unverifiable",
            )
        elif check.matches:
            result = Cell("conforme", css="vigie-ok")
        else:
            result = Cell(
                f"écart : le calcul donne {show(check.recomputed, figure.decimals)}",
                css="vigie-different",
            )
        table.rows.append(
            [
                Cell(figure.label),
                Cell(f"« {figure.quote} »"),
                Cell(figure.context),
                Cell(show(check.stated, figure.decimals), value=check.stated),
                Cell(show(check.recomputed, figure.decimals), value=check.recomputed),
                Cell(
                    show(round_half_up(exact, 4), 4) if exact is not None else MISSING_TEXT,
                    value=round_half_up(exact, 4),
                ),
                result,
            ]
        )
    return table


# -------------------------------------------------------------------------------------- communes


def build_communes(code: str, params) -> dict:
    department, name = _department(code)
    if department is None:
        raise Http404
    editions = list(selectors.communal_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    context = {
        "page_title": f"Communes et intercommunalités — {name} ({code})",
        "department_code": code,
        "department_name": name,
        "editions": editions,
        "edition": edition,
        "tables": [],
    }
    if edition is None:
        return context
    indicators = selectors.edition_indicators(edition, TerritoryLevel.COMMUNE, department_code=code)
    slug = params.get("indicateur") or (indicators[0].slug if indicators else "")
    indicator = next((i for i in indicators if i.slug == slug), None)
    communes = selectors.communes_of_department(code)
    epci_ids = {c.epci_id for c in communes if c.epci_id}
    members = selectors.epci_members(epci_ids)
    all_codes = {c.code for c in communes} | {m for codes in members.values() for m in codes}
    by_year = selectors.commune_points(edition, indicator, all_codes) if indicator else {}
    years = sorted(by_year)
    try:
        year = int(params.get("annee") or (years[-1] if years else 0))
    except ValueError:
        year = years[-1] if years else 0
    context.update(indicators=indicators, indicator=indicator, years=years, year=year)
    if indicator is not None:
        context["extra_params"] = [("indicateur", indicator.slug), ("annee", year)]
    if indicator is None or year not in years:
        return context
    epcis = selectors.epcis_by_id(epci_ids)
    points = by_year[year]
    source = source_line(edition)
    unit = Unit(next(iter(points.values())).unit).label if points else ""
    epci_table = Table(
        key="epci",
        caption=f"{indicator.name} {year} par intercommunalité ({name})",
        columns=[
            "Intercommunalité",
            "Communes",
            f"Nombre ({unit})",
            "Statut",
            f"Taux {base_label(indicator)}",
        ],
        source=source,
        notes=[
            "Une intercommunalité dont une commune est soumise au secret statistique a un total estimé : la base "
            "fournit pour ces communes une valeur imputée (moyenne des communes non diffusées du département), "
            "utilisée seulement dans ce total.",
        ],
    )
    for epci_id in sorted(epci_ids, key=lambda pk: epcis[pk].name):
        codes = members.get(epci_id, [])
        aggregate = selectors.aggregate_points([points.get(c) for c in codes])
        withheld = sum(1 for c in codes if points.get(c) is not None and points[c].is_withheld)
        if not aggregate.complete:
            status = "incomplet : des communes n'ont pas de valeur dans la base"
            value_cell = Cell(MISSING_TEXT)
        elif aggregate.estimated:
            status = f"estimation ({withheld} commune{'s' if withheld > 1 else ''} non diffusée{'s' if withheld > 1 else ''}, valeur imputée)"
            shown = round_half_up(aggregate.value, 0)
            value_cell = Cell(f"≈ {number(shown)} (estimation)", value=shown, css="vigie-estimated")
        else:
            status = "exact"
            value_cell = count_cell(aggregate)
        agg_rate = (
            exact_rate(aggregate.value, aggregate.base(indicator.rate_base))
            if aggregate.complete
            else None
        )
        epci_table.rows.append(
            [
                Cell(epcis[epci_id].name),
                Cell(str(len(codes)), value=len(codes)),
                value_cell,
                Cell(status),
                rate_cell(agg_rate),
            ]
        )
    commune_table = Table(
        key="communes",
        caption=f"{indicator.name} {year} par commune ({name})",
        columns=[
            "Commune",
            "Code Insee",
            "Intercommunalité",
            f"Nombre ({unit})",
            f"Taux {base_label(indicator)}",
        ],
        source=source,
        notes=[
            f"« {WITHHELD_TEXT} » : le SSMSI ne diffuse pas les petits effectifs de certaines communes ; ce n'est ni "
            "zéro ni une petite valeur, et Vigie n'affiche aucun chiffre à leur place."
        ],
    )
    for commune in communes:
        point = points.get(commune.code)
        if point is not None and point.is_withheld:
            rate_text = Cell(WITHHELD_TEXT, css="vigie-withheld")
        else:
            rate_text = rate_cell(point.rate(indicator.rate_base) if point else None)
        commune_table.rows.append(
            [
                Cell(commune.name),
                Cell(commune.code),
                Cell(commune.epci.name if commune.epci else MISSING_TEXT),
                count_cell(point),
                rate_text,
            ]
        )
    context.update(
        epci_table=epci_table, commune_table=commune_table, source_text=source, unit=unit
    )
    context["tables"] = [epci_table, commune_table]
    context["export_query"] = (
        f"code={code}&indicateur={indicator.slug}&annee={year}&edition={edition.pk}"
    )
    return context


# ---------------------------------------------------------------------- territory of a local council

TERRITORY_ESTIMATE_NOTE = (
    "Un total dont une commune est soumise au secret statistique est une estimation : la base fournit pour ces "
    "communes une valeur imputée (moyenne des communes non diffusées du département), utilisée seulement dans "
    "ce total, son taux et son évolution, marqués « estimation »."
)
TERRITORY_WITHHELD_NOTE = (
    f"« {WITHHELD_TEXT} » : le SSMSI ne diffuse pas les petits effectifs de certaines communes ; ce n'est ni "
    "zéro ni une petite valeur, et Vigie n'affiche aucun chiffre à leur place. Quand aucune commune du territoire "
    "n'est diffusée, son total ne l'est pas non plus."
)
EXACT, ESTIMATED, INCOMPLETE, WITHHELD = "exact", "estimated", "incomplete", "withheld"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


class TerritoryFigure:
    """The total of a territory's communes for one indicator and one year, and how far it can be trusted."""

    def __init__(self, points: list):
        self.point = selectors.aggregate_points(points)
        self.withheld = sum(1 for p in points if p is not None and p.is_withheld)
        self.missing = sum(
            1
            for p in points
            if p is None
            or (p.is_withheld and p.imputed_value is None)
            or (not p.is_withheld and p.value is None)
        )
        if points and self.withheld == len(points):
            # The "total" would be nothing but imputed values: as withheld as the communes themselves.
            self.kind = WITHHELD
        elif not self.point.complete:
            self.kind = INCOMPLETE
        elif self.point.estimated:
            self.kind = ESTIMATED
        else:
            self.kind = EXACT

    @property
    def value(self) -> Decimal | None:
        return self.point.value if self.kind in (EXACT, ESTIMATED) else None

    @property
    def estimated(self) -> bool:
        return self.kind == ESTIMATED

    def rate(self, rate_base: str) -> Decimal | None:
        return exact_rate(self.value, self.point.base(rate_base))

    @property
    def status(self) -> str:
        if self.kind == WITHHELD:
            return f"{WITHHELD_TEXT} : aucune commune du territoire n'est diffusée"
        if self.kind == INCOMPLETE:
            return f"incomplet : {_plural(self.missing, 'commune')} sans valeur dans la base"
        if self.kind == ESTIMATED:
            return (
                f"estimation ({_plural(self.withheld, 'commune')} non "
                f"{'diffusées' if self.withheld > 1 else 'diffusée'}, valeur imputée)"
            )
        return "exact"


def _estimated(cell: Cell) -> Cell:
    return Cell(f"≈ {cell.text} (estimation)", value=cell.value, css="vigie-estimated")


def territory_count_cell(figure: TerritoryFigure) -> Cell:
    if figure.kind == WITHHELD:
        return Cell(WITHHELD_TEXT, css="vigie-withheld")
    if figure.value is None:
        return Cell(MISSING_TEXT)
    if figure.estimated:
        shown = round_half_up(figure.value, 0)
        return _estimated(Cell(number(shown), value=shown))
    return count_cell(figure.point)


def territory_rate_cell(figure: TerritoryFigure, rate_base: str) -> Cell:
    if figure.kind == WITHHELD:
        return Cell(WITHHELD_TEXT, css="vigie-withheld")
    cell = rate_cell(figure.rate(rate_base))
    return _estimated(cell) if figure.estimated and cell.value is not None else cell


def territory_change_cell(before: TerritoryFigure | None, now: TerritoryFigure) -> Cell:
    if before is None or before.value is None or now.value is None:
        return Cell(MISSING_TEXT)
    cell = change_cell(percent_change(before.value, now.value))
    if cell.value is not None and (before.estimated or now.estimated):
        return _estimated(cell)
    return cell


def _unit_label(unit: str) -> str:
    return Unit(unit).label if unit in Unit.values else ""


def _territory_communes(body) -> list:
    """The communes whose figures add up to the council's territory: its commune, or its EPCI's communes."""
    if body.commune_id is not None:
        return [body.commune]
    return list(body.epci.communes.order_by("name"))


def _territory_text(body, communes) -> str:
    if body.commune_id is not None:
        return f"commune de {body.commune.name} ({body.commune.code})"
    return f"{body.epci.name} ({_plural(len(communes), 'commune')})"


def build_territory(body, params) -> dict:
    """Figures of the communal base summed over the territory of a CLSPD (its commune) or CISPD (its EPCI)."""
    if not body.is_local_council or body.territory is None:
        raise Http404
    communes = _territory_communes(body)
    codes = [c.code for c in communes]
    name = body.territory.name
    editions = list(selectors.communal_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    context = {
        "page_title": f"Statistiques de délinquance du territoire — {body.name}",
        "body": body,
        "territory_name": name,
        "territory_text": _territory_text(body, communes),
        "editions": editions,
        "edition": edition,
        "tables": [],
    }
    if edition is None or not codes:
        return context
    indicators = selectors.edition_indicators(edition, TerritoryLevel.COMMUNE)
    points = selectors.territory_points(edition, codes)
    years = sorted({year for by_year in points.values() for year in by_year})
    indicators = [i for i in indicators if i.pk in points]
    if not years or not indicators:
        return context
    slug = params.get("indicateur") or indicators[0].slug
    indicator = next((i for i in indicators if i.slug == slug), indicators[0])
    try:
        year = int(params.get("annee") or years[-1])
    except ValueError:
        year = years[-1]
    if year not in years:
        year = years[-1]
    source = source_line(edition)
    figures = {
        i.pk: {
            y: TerritoryFigure([points[i.pk].get(y, {}).get(code) for code in codes]) for y in years
        }
        for i in indicators
    }
    units = {
        i.pk: _unit_label(
            next(
                (p.unit for by_code in points[i.pk].values() for p in by_code.values() if p.unit),
                "",
            )
        )
        for i in indicators
    }
    notes = [TERRITORY_ESTIMATE_NOTE, TERRITORY_WITHHELD_NOTE]

    overview = Table(
        key="indicateurs",
        caption=f"Tous les indicateurs, {name}, {years[0]}-{years[-1]}",
        columns=[
            "Indicateur",
            "Année",
            "Nombre",
            "Évolution sur un an",
            "Taux pour 1 000",
            "Statut",
        ],
        source=source,
        notes=notes,
    )
    for item in indicators:
        previous = None
        note = ", ".join(t for t in (units[item.pk], f"taux {base_label(item)}") if t)
        for y in years:
            figure = figures[item.pk][y]
            overview.rows.append(
                [
                    Cell(item.name, note=note),
                    Cell(str(y)),
                    territory_count_cell(figure),
                    territory_change_cell(previous, figure),
                    territory_rate_cell(figure, item.rate_base),
                    Cell(figure.status),
                ]
            )
            previous = figure

    unit = units[indicator.pk]
    dwellings = indicator.rate_base == RateBase.DWELLINGS
    series = Table(
        key="serie",
        caption=f"{indicator.name}, {name} : série {years[0]}-{years[-1]}",
        columns=[
            "Année",
            f"Nombre ({unit})" if unit else "Nombre",
            "Évolution sur un an",
            f"{'Logements' if dwellings else 'Population'} (millésime)",
            f"Taux {base_label(indicator)}",
            "Statut",
        ],
        source=source,
        notes=notes,
    )
    rates, previous = [], None
    for y in years:
        figure = figures[indicator.pk][y]
        by_code = points[indicator.pk].get(y, {})
        base = figure.point.base(indicator.rate_base)
        vintages = {p.base_vintage(indicator.rate_base) for p in by_code.values()}
        vintage = (
            f" ({next(iter(vintages))})" if len(vintages) == 1 and None not in vintages else ""
        )
        series.rows.append(
            [
                Cell(str(y)),
                territory_count_cell(figure),
                territory_change_cell(previous, figure),
                Cell(f"{number(base)}{vintage}" if base else MISSING_TEXT, value=base),
                territory_rate_cell(figure, indicator.rate_base),
                Cell(figure.status),
            ]
        )
        rates.append(figure.rate(indicator.rate_base))
        previous = figure

    by_code = points[indicator.pk].get(year, {})
    commune_table = Table(
        key="communes",
        caption=f"{indicator.name} {year} par commune ({name})",
        columns=[
            "Commune",
            "Code Insee",
            f"Nombre ({unit})" if unit else "Nombre",
            f"Taux {base_label(indicator)}",
        ],
        source=source,
        notes=[TERRITORY_WITHHELD_NOTE],
    )
    for commune in communes:
        point = by_code.get(commune.code)
        if point is not None and point.is_withheld:
            rate_text = Cell(WITHHELD_TEXT, css="vigie-withheld")
        else:
            rate_text = rate_cell(point.rate(indicator.rate_base) if point else None)
        commune_table.rows.append(
            [Cell(commune.name), Cell(commune.code), count_cell(point), rate_text]
        )

    first, last = figures[indicator.pk][years[0]], figures[indicator.pk][years[-1]]
    estimated_years = [str(y) for y in years if figures[indicator.pk][y].estimated]
    description = (
        f"{name} : {territory_rate_cell(first, indicator.rate_base).text} en {years[0]}, "
        f"{territory_rate_cell(last, indicator.rate_base).text} en {years[-1]}."
    )
    if estimated_years:
        description += f" Estimations (secret statistique) : {', '.join(estimated_years)}."
    context.update(
        indicators=indicators,
        indicator=indicator,
        years=years,
        year=year,
        unit=unit,
        base_label=base_label(indicator),
        source_text=source,
        extra_params=[("indicateur", indicator.slug), ("annee", year)],
        overview_table=overview,
        series_table=series,
        commune_table=commune_table,
        chart=line_chart(
            chart_id="chart-territoire",
            title=f"{indicator.name} : taux {base_label(indicator)}, {name}, {years[0]}-{years[-1]}",
            description=f"{description} Valeurs dans le tableau qui suit.",
            x_labels=[str(y) for y in years],
            lines=[Line(name, rates, 0)],
            value_suffix=" ‰",
        ),
        export_query=(
            f"instance={body.pk}&indicateur={indicator.slug}&annee={year}&edition={edition.pk}"
        ),
    )
    context["tables"] = [overview, series, commune_table]
    return context
