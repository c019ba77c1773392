"""The communal base in a department: by intercommunality and by commune."""

from django.http import Http404

from vigie.core.formatting import MISSING_TEXT, number
from vigie.statistics import selectors
from vigie.statistics.derived import (
    exact_rate,
    round_half_up,
)
from vigie.statistics.enums import TerritoryLevel, Unit
from vigie.statistics.pages.common import (
    WITHHELD_TEXT,
    base_label,
    count_cell,
    department_and_name,
    rate_cell,
    source_line,
)
from vigie.statistics.tables import Cell, Table


def build_communes(code: str, params) -> dict:
    department, name = department_and_name(code)
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
    epci_table = _epci_table(indicator, name, year, unit, source, epcis, members, points)
    commune_table = _commune_table(indicator, name, year, unit, source, communes, points)
    context.update(
        epci_table=epci_table, commune_table=commune_table, source_text=source, unit=unit
    )
    context["tables"] = [epci_table, commune_table]
    context["export_query"] = (
        f"code={code}&indicateur={indicator.slug}&annee={year}&edition={edition.pk}"
    )
    return context


def _epci_table(indicator, name, year, unit, source, epcis, members, points) -> Table:
    """One row per intercommunality: the sum of its communes, exact, estimated (secret) or incomplete."""
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
    for epci_id in sorted(epcis, key=lambda pk: epcis[pk].name):
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
    return epci_table


def _commune_table(indicator, name, year, unit, source, communes, points) -> Table:
    """One row per commune of the department; a withheld figure is said so, never replaced."""
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
    return commune_table
