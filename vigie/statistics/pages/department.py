"""Statistics of a department: key figures of the SSMSI base as cards and tables, and its plan's own figures.

The SSMSI part (17 cards with their charts, three tables: most of the page's weight) depends only on the
edition's data and the department: it is built and rendered once per version of the edition (see
`selectors.cached_for_edition`), then read from the shared cache.
"""

import hashlib
import zlib
from functools import cache

from django.http import Http404
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from vigie.core.charts import Line, small_multiple
from vigie.core.formatting import MISSING_TEXT
from vigie.statistics import selectors
from vigie.statistics.derived import (
    percent_change,
)
from vigie.statistics.pages.common import (
    COMPUTED_NOTE,
    RANK_NOTE,
    base_label,
    change_cell,
    count_cell,
    department_and_name,
    plan_tables,
    rate_cell,
    source_line,
    trend,
)
from vigie.statistics.tables import Cell, Table


def build_department(code: str, params, *, for_page: bool = False) -> dict:
    """The page's context. For the HTML page (`for_page`), the SSMSI part comes rendered ("ssmsi_html"), without
    its cards and tables; for the export, its tables (and cards) come as data."""
    department, name = department_and_name(code)
    editions = list(selectors.ssmsi_editions())
    edition = selectors.pick_edition(editions, params.get("edition"))
    plans = list(selectors.plan_editions(code))
    ssmsi = None
    if edition is not None:
        ssmsi = _ssmsi_html(edition, code, name) if for_page else _ssmsi_data(edition, code, name)
    if department is None and not ssmsi and not plans:
        raise Http404
    context = {
        "page_title": f"Statistiques de la délinquance — {name} ({code})",
        "department": department,
        "department_code": code,
        "department_name": name,
        "editions": editions,
        "edition": edition,
        "tables": [],
        "cards": [],
    }
    if ssmsi and for_page:
        context["ssmsi_html"] = ssmsi
    elif ssmsi:
        context.update(ssmsi)
        context["tables"] += [ssmsi[key] for key in SSMSI_TABLES]
    series = selectors.plan_series(plans)
    context["plan_editions"] = plans
    context["plan_tables"] = plan_tables(plans, series, name)
    context["tables"] += context["plan_tables"]
    context["export_query"] = f"code={code}" + (f"&edition={edition.pk}" if edition else "")
    context["has_communal"] = selectors.communal_editions().exists()
    return context


SSMSI_TABLES = ("key_table", "counts_table", "rates_table")
SSMSI_TEMPLATE = "statistics/_department_ssmsi.html"
# What the rendered SSMSI part is made with: a change to any of them (a new release) changes the cache key.
_RENDERED_WITH = [
    SSMSI_TEMPLATE,
    "statistics/_table.html",
]


@cache
def _code_version() -> str:
    """Fingerprint of the templates and modules the cached part is built with, computed once per process."""
    import vigie.core.charts
    import vigie.core.formatting
    import vigie.statistics.pages.common
    import vigie.statistics.tables

    digest = hashlib.sha256()
    paths = [get_template(name).origin.name for name in _RENDERED_WITH]
    modules = [vigie.core.charts, vigie.core.formatting, vigie.statistics.pages.common]
    paths += [__file__, vigie.statistics.tables.__file__, *[m.__file__ for m in modules]]
    for path in paths:
        with open(path, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:16]


def _cache_name(kind: str, edition, code: str, name: str) -> str:
    """Cache entries of the SSMSI part, per version of the edition's data (every import changes it, see
    `selectors.cached_for_edition`), its label and source, the department's name and the code that builds
    it: no node ever reads a part built from older data or by another release."""
    fingerprint = hashlib.sha256(
        "|".join([code, name, edition.label, edition.source.name, _code_version()]).encode()
    ).hexdigest()[:24]
    return f"department-{kind}:{fingerprint}"


def _ssmsi_data(edition, code: str, name: str) -> dict | None:
    """Cards and tables of the department in the edition, or None when the edition holds nothing for it."""
    return selectors.cached_for_edition(
        edition, _cache_name("data", edition, code, name), lambda: _build_ssmsi(edition, code, name)
    )


def _ssmsi_html(edition, code: str, name: str) -> str:
    """The SSMSI part rendered ("" when the edition holds nothing for the department). Stored compressed:
    230 KB of HTML (17 charts) become about 13 KB in the shared cache."""

    def render() -> bytes:
        data = _ssmsi_data(edition, code, name)
        html = render_to_string(SSMSI_TEMPLATE, {"department_name": name, **data}) if data else ""
        return zlib.compress(html.encode())

    stored = selectors.cached_for_edition(edition, _cache_name("html", edition, code, name), render)
    return mark_safe(zlib.decompress(stored).decode())  # rendered (and escaped) by the template


def _build_ssmsi(edition, code: str, name: str) -> dict | None:
    points = selectors.department_points(edition, code)
    if not points:
        return None
    context = {"cards": [], "tables": []}
    _department_ssmsi(context, edition, code, name, points)
    del context["tables"]
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
    key, counts, rates = _tables(edition, name, region_label, years)
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
                "chart": _card_chart(indicator, name, years, dept_rates, fr_rates),
            }
        )
    context["key_table"], context["counts_table"], context["rates_table"] = key, counts, rates
    context["tables"] += [key, counts, rates]


def _tables(edition, name, region_label, years) -> tuple[Table, Table, Table]:
    """The page's three tables, without rows: key figures, counts by year, rates by year."""
    latest, previous = years[-1], (years[-2] if len(years) > 1 else None)
    source = source_line(edition, computed=True)
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
    return key, counts, rates


def _card_chart(indicator, name, years, dept_rates, fr_rates):
    """The small multiple of an indicator's card; its values are in the rates table."""
    latest = years[-1]
    return small_multiple(
        chart_id=f"chart-{indicator.slug}",
        title=f"{indicator.name} : taux {base_label(indicator)}, {name} et France, {years[0]}-{latest}",
        description=(
            f"{name} : {rate_cell(dept_rates[0]).text} en {years[0]}, {rate_cell(dept_rates[-1]).text} "
            f"en {latest} ; France : {rate_cell(fr_rates[0]).text} en {years[0]}, "
            f"{rate_cell(fr_rates[-1]).text} en {latest}. Valeurs dans le tableau des taux ci-dessous."
        ),
        x_labels=[str(y) for y in years],
        lines=[Line(name, dept_rates, 0), Line("France", fr_rates, 1)],
        value_suffix=" ‰",
    )
