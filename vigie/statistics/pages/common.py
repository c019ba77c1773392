"""What the statistics pages share: notes, cells of figures, source lines, the plan's own tables."""

from decimal import Decimal

from vigie.core.formatting import MISSING_TEXT, number, percent, rate
from vigie.statistics import selectors
from vigie.statistics.derived import percent_change, round_half_up
from vigie.statistics.enums import Measure, RateBase, TerritoryLevel, Zone
from vigie.statistics.models import StatisticalIndicator
from vigie.statistics.tables import Cell, Table

WITHHELD_TEXT = "non diffusé (secret statistique)"

COMPUTED_NOTE = (
    "France et région : la base ne contient pas de total ; Vigie les calcule en additionnant les départements "
    "de la même édition (nombres et populations), d'où la mention « calculé »."
)
RANK_NOTE = "Rang : position du département parmi les départements de la base, par taux décroissant (1 = taux le plus élevé)."
MAX_COMPARED = 6


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


def department_and_name(code: str):
    department = selectors.department_or_none(code)
    return department, (department.name if department else f"Département {code}")


def series_label(series) -> str:
    parts = [series.indicator.name]
    if series.zone:
        parts.append(Zone(series.zone).label.lower())
    if series.breakdown:
        parts.append(series.get_breakdown_display())
    return " — ".join(parts)


def series_territory(series, department_name: str = "") -> str:
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
                        Cell(series_label(s), note=s.note, details=s.context),
                        Cell(series_territory(s, department_name)),
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
