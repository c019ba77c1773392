"""Figures of the communal base summed over the territory of a local council (CLSPD or CISPD)."""

from decimal import Decimal

from django.http import Http404

from vigie.core.charts import Line, line_chart
from vigie.core.formatting import MISSING_TEXT, number
from vigie.statistics import selectors
from vigie.statistics.derived import (
    exact_rate,
    percent_change,
    round_half_up,
)
from vigie.statistics.enums import RateBase, TerritoryLevel, Unit
from vigie.statistics.pages.common import (
    WITHHELD_TEXT,
    base_label,
    change_cell,
    count_cell,
    rate_cell,
    source_line,
)
from vigie.statistics.tables import Cell, Table

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
    overview = _overview_table(indicators, name, years, source, figures, units)
    unit = units[indicator.pk]
    series, rates = _series_table(
        indicator, name, years, unit, source, figures[indicator.pk], points
    )
    commune_table = _commune_table(indicator, name, year, unit, source, communes, points)
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
        chart=_chart(indicator, name, years, figures[indicator.pk], rates),
        export_query=(
            f"instance={body.pk}&indicateur={indicator.slug}&annee={year}&edition={edition.pk}"
        ),
    )
    context["tables"] = [overview, series, commune_table]
    return context


def _overview_table(indicators, name, years, source, figures, units) -> Table:
    """Every indicator, every year: the territory's total, its change, its rate and how far it is exact."""
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
        notes=[TERRITORY_ESTIMATE_NOTE, TERRITORY_WITHHELD_NOTE],
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

    return overview


def _series_table(indicator, name, years, unit, source, figures, points) -> tuple[Table, list]:
    """The chosen indicator year by year, and its rates (for the chart)."""
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
        notes=[TERRITORY_ESTIMATE_NOTE, TERRITORY_WITHHELD_NOTE],
    )
    rates, previous = [], None
    for y in years:
        figure = figures[y]
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

    return series, rates


def _commune_table(indicator, name, year, unit, source, communes, points) -> Table:
    """The chosen indicator and year, one row per commune of the territory."""
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

    return commune_table


def _chart(indicator, name, years, figures, rates):
    """The territory's rate year by year; estimated years are named in the description."""
    first, last = figures[years[0]], figures[years[-1]]
    estimated_years = [str(y) for y in years if figures[y].estimated]
    description = (
        f"{name} : {territory_rate_cell(first, indicator.rate_base).text} en {years[0]}, "
        f"{territory_rate_cell(last, indicator.rate_base).text} en {years[-1]}."
    )
    if estimated_years:
        description += f" Estimations (secret statistique) : {', '.join(estimated_years)}."
    return line_chart(
        chart_id="chart-territoire",
        title=f"{indicator.name} : taux {base_label(indicator)}, {name}, {years[0]}-{years[-1]}",
        description=f"{description} Valeurs dans le tableau qui suit.",
        x_labels=[str(y) for y in years],
        lines=[Line(name, rates, 0)],
        value_suffix=" ‰",
    )
