"""A plan's figures against the SSMSI base, and the figures the plan computed, recomputed."""

from decimal import Decimal

from django.http import Http404

from vigie.core.formatting import MISSING_TEXT, number, percent, rate
from vigie.statistics import selectors
from vigie.statistics.derived import (
    check_stated,
    exact_change,
    exact_rate,
    percent_change,
    round_half_up,
)
from vigie.statistics.enums import Measure, StatedFigureKind, TerritoryLevel
from vigie.statistics.pages.common import (
    COMPUTED_NOTE,
    change_cell,
    department_and_name,
    source_line,
)
from vigie.statistics.tables import Cell, Table


def build_plan_comparison(code: str, params) -> dict:
    department, name = department_and_name(code)
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
                        number(difference, signed=True),
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
