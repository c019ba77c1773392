"""Reading statistics: a few set-based queries per page, whatever the number of rows.

France and regions: the SSMSI bases have no total rows, so they are computed from the departments of
the same edition (sum of counts, sum of populations / dwellings) and flagged as computed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from vigie.statistics.catalogue import normalise_unit
from vigie.statistics.derived import exact_rate
from vigie.statistics.enums import (
    EditionStatus,
    Measure,
    RateBase,
    SourceKind,
    TerritoryLevel,
    Unit,
)
from vigie.statistics.importers.communal import decimal_or_none
from vigie.statistics.importers.layouts import department_of_commune
from vigie.statistics.models import (
    CommuneIndicatorLabel,
    CommuneObservation,
    Edition,
    ImportBatch,
    Observation,
    Series,
    StatedFigure,
    StatisticalIndicator,
)
from vigie.territories.models import Commune, Department, Epci, Region


@dataclass
class Point:
    value: Decimal | None
    population: int | None = None
    population_vintage: int | None = None
    dwellings: int | None = None
    dwellings_vintage: int | None = None
    is_withheld: bool = False
    imputed_value: Decimal | None = None
    # Aggregates: computed from departments / communes; estimated when imputed values were used.
    computed: bool = False
    estimated: bool = False
    complete: bool = True
    parts: int = 1
    unit: str = ""

    def base(self, rate_base: str) -> int | None:
        if rate_base == RateBase.DWELLINGS:
            return self.dwellings
        if rate_base == RateBase.INHABITANTS:
            return self.population
        return None

    def base_vintage(self, rate_base: str) -> int | None:
        return (
            self.dwellings_vintage if rate_base == RateBase.DWELLINGS else self.population_vintage
        )

    def rate(self, rate_base: str) -> Decimal | None:
        if self.is_withheld or not self.complete:
            return None
        return exact_rate(self.value, self.base(rate_base))


# --------------------------------------------------------------------------------------- editions


def ssmsi_editions(level: str = TerritoryLevel.DEPARTMENT):
    """Published SSMSI editions holding series at that level, newest first: the first is the default
    edition of the pages. Editions waiting for their preview to be confirmed, and withdrawn ones, are
    never shown."""
    has_level = Series.objects.filter(edition=OuterRef("pk"), level=level)
    latest_batch = ImportBatch.objects.filter(edition=OuterRef("pk")).order_by("-pk")
    return (
        Edition.objects.filter(
            Exists(has_level), source__kind=SourceKind.SSMSI, status=EditionStatus.PUBLISHED
        )
        .select_related("source")
        # What edition_version() reads, in the same query.
        .annotate(
            latest_batch_pk=Subquery(latest_batch.values("pk")[:1]),
            latest_batch_at=Subquery(latest_batch.values("created_at")[:1]),
        )
        .order_by("-published_on", "-pk")
    )


def all_ssmsi_editions():
    """Every SSMSI edition whatever its state, newest first (the editions page filters by permission)."""
    return (
        Edition.objects.filter(source__kind=SourceKind.SSMSI)
        .select_related("source", "uploaded_by", "uploader_department")
        .order_by("-published_on", "-pk")
    )


def default_edition(level: str = TerritoryLevel.DEPARTMENT) -> Edition | None:
    return ssmsi_editions(level).first()


def pick_edition(editions, edition_id) -> Edition | None:
    editions = list(editions)
    if edition_id:
        for edition in editions:
            if str(edition.pk) == str(edition_id):
                return edition
    return editions[0] if editions else None


def department_or_none(code: str) -> Department | None:
    return Department.objects.select_related("region").filter(code=code).first()


def names_of_departments(codes) -> dict[str, str]:
    return dict(Department.objects.filter(code__in=list(codes)).values_list("code", "name"))


def region_name(code: str) -> str:
    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return name or f"Région {code}"


# ---------------------------------------------------------------------------------- department data

CACHE_SECONDS = 6 * 3600
_TOTAL_SERIES = Q(
    series__measure=Measure.COUNT, series__zone="", series__breakdown="", series__ref="", month=0
)


def department_points(
    edition: Edition, code: str, indicator: StatisticalIndicator | None = None
) -> dict[int, dict[int, Point]]:
    """{indicator_id: {year: Point}} for one department in one edition (whole-zone counts)."""
    rows = Observation.objects.filter(
        _TOTAL_SERIES,
        series__edition=edition,
        series__level=TerritoryLevel.DEPARTMENT,
        series__department_code=code,
    )
    if indicator is not None:
        rows = rows.filter(series__indicator=indicator)
    result: dict[int, dict[int, Point]] = {}
    for row in rows.values(
        "series__indicator_id",
        "series__unit",
        "year",
        "value",
        "population",
        "population_vintage",
        "dwellings",
        "dwellings_vintage",
    ):
        result.setdefault(row["series__indicator_id"], {})[row["year"]] = Point(
            value=row["value"],
            population=row["population"],
            population_vintage=row["population_vintage"],
            dwellings=row["dwellings"],
            dwellings_vintage=row["dwellings_vintage"],
            unit=row["series__unit"],
        )
    return result


def unit_labels(points: dict[int, dict[int, Point]]) -> dict[int, str]:
    """{indicator_id: unit label} from department_points()."""
    return {
        indicator_id: Unit(next(iter(by_year.values())).unit).label
        for indicator_id, by_year in points.items()
        if by_year
    }


def region_code_of(edition: Edition, code: str) -> str:
    return (
        Series.objects.filter(
            edition=edition, level=TerritoryLevel.DEPARTMENT, department_code=code
        )
        .exclude(region_code="")
        .values_list("region_code", flat=True)
        .first()
        or ""
    )


def edition_version(edition: Edition) -> str:
    """Changes whenever a file is imported into the edition: the key of what is cached about it."""
    if not hasattr(edition, "_vigie_version"):
        if hasattr(edition, "latest_batch_pk"):  # read with the edition (ssmsi_editions)
            batch = (
                (edition.latest_batch_pk, edition.latest_batch_at)
                if edition.latest_batch_pk
                else None
            )
        else:
            batch = (
                ImportBatch.objects.filter(edition=edition)
                .order_by("-pk")
                .values_list("pk", "created_at")
                .first()
            )
        edition._vigie_version = f"{batch[0]}-{batch[1].timestamp()}" if batch else "0"
    return edition._vigie_version


def cached_for_edition(edition: Edition, name: str, compute):
    """What is computed from an edition's data only (France, region and ranking figures, which are sums over
    every department; a department's page part), cached in the shared cache until the next import into the
    edition: the key holds the edition's version, so no node can read figures of an earlier import."""
    key = f"vigie-statistics:{edition.pk}:{edition_version(edition)}:{name}"
    return cache.get_or_set(key, compute, CACHE_SECONDS)


def computed_totals(
    edition: Edition,
    *,
    region_code: str | None = None,
    indicator: StatisticalIndicator | None = None,
) -> dict[int, dict[int, Point]]:
    """{indicator_id: {year: Point}} summed over the departments (of a region, or of France)."""
    name = f"totals:{region_code or 'FR'}:{indicator.pk if indicator else 'all'}"
    return cached_for_edition(
        edition, name, lambda: _computed_totals(edition, region_code, indicator)
    )


def _computed_totals(edition, region_code, indicator):
    rows = Observation.objects.filter(
        _TOTAL_SERIES, series__edition=edition, series__level=TerritoryLevel.DEPARTMENT
    )
    if region_code:
        rows = rows.filter(series__region_code=region_code)
    if indicator is not None:
        rows = rows.filter(series__indicator=indicator)
    result: dict[int, dict[int, Point]] = {}
    for row in rows.values("series__indicator_id", "year").annotate(
        total=Sum("value"),
        population=Sum("population"),
        dwellings=Sum("dwellings"),
        parts=Count("year"),
        with_value=Count("value"),
        pop_min=Min("population_vintage"),
        pop_max=Max("population_vintage"),
        log_min=Min("dwellings_vintage"),
        log_max=Max("dwellings_vintage"),
    ):
        result.setdefault(row["series__indicator_id"], {})[row["year"]] = Point(
            value=row["total"],
            population=row["population"],
            population_vintage=row["pop_max"] if row["pop_min"] == row["pop_max"] else None,
            dwellings=row["dwellings"],
            dwellings_vintage=row["log_max"] if row["log_min"] == row["log_max"] else None,
            computed=True,
            complete=row["with_value"] == row["parts"],
            parts=row["parts"],
        )
    return result


@dataclass
class Ranking:
    rank: dict[str, int] = field(default_factory=dict)
    count: int = 0


def rankings(
    edition: Edition, years: list[int], indicators: list[StatisticalIndicator]
) -> dict[tuple[int, int], Ranking]:
    """{(indicator_id, year): Ranking} — departments ranked by rate (1 = highest rate), one query."""
    name = f"ranks:{','.join(map(str, sorted(years)))}:{','.join(str(i.pk) for i in indicators)}"
    return cached_for_edition(edition, name, lambda: _rankings(edition, years, indicators))


def _rankings(edition, years, indicators):
    by_id = {i.pk: i for i in indicators}
    rows = Observation.objects.filter(
        _TOTAL_SERIES,
        series__edition=edition,
        series__level=TerritoryLevel.DEPARTMENT,
        series__indicator_id__in=list(by_id),
        year__in=list(years),
    ).values_list(
        "series__indicator_id", "year", "series__code", "value", "population", "dwellings"
    )
    rates: dict[tuple[int, int], list[tuple[Decimal, str]]] = {}
    for indicator_id, year, code, value, population, dwellings in rows:
        base = dwellings if by_id[indicator_id].rate_base == RateBase.DWELLINGS else population
        rate = exact_rate(value, base)
        if rate is not None:
            rates.setdefault((indicator_id, year), []).append((rate, code))
    result = {}
    for key, values in rates.items():
        values.sort(key=lambda item: item[0], reverse=True)
        ranking = Ranking(count=len(values))
        previous, previous_rank = None, 0
        for position, (rate, code) in enumerate(values, start=1):
            if rate != previous:
                previous, previous_rank = rate, position
            ranking.rank[code] = previous_rank
        result[key] = ranking
    return result


def department_codes_with_data(edition: Edition) -> list[str]:
    return list(
        Series.objects.filter(edition=edition, level=TerritoryLevel.DEPARTMENT, ref="")
        .values_list("code", flat=True)
        .distinct()
        .order_by("code")
    )


def edition_indicators(
    edition: Edition, level: str = TerritoryLevel.DEPARTMENT, department_code: str = ""
) -> list[StatisticalIndicator]:
    if level == TerritoryLevel.COMMUNE:
        # The communal base covers every commune with the same indicators: its wordings say which.
        return list(
            StatisticalIndicator.objects.filter(
                pk__in=CommuneIndicatorLabel.objects.filter(edition=edition).values("indicator_id")
            ).order_by("order", "name")
        )
    series = Series.objects.filter(edition=edition, level=level)
    if department_code:
        series = series.filter(department_code=department_code)
    return list(
        StatisticalIndicator.objects.filter(pk__in=series.values("indicator_id")).order_by(
            "order", "name"
        )
    )


# ------------------------------------------------------------------------------------- plan figures


def plan_editions(department_code: str):
    return (
        Edition.objects.filter(
            source__kind=SourceKind.PLAN, source__department_code=department_code
        )
        .select_related("source")
        .order_by("-published_on")
    )


def plan_series(editions, indicator: StatisticalIndicator | None = None) -> list[Series]:
    """Series of plan editions with their observations (2 queries)."""
    series = Series.objects.filter(edition__in=list(editions)).select_related(
        "indicator", "compare_with", "edition__source"
    )
    if indicator is not None:
        series = series.filter(Q(indicator=indicator) | Q(compare_with=indicator))
    series = list(series.order_by("edition", "pk"))
    observations: dict[int, dict[int, Decimal]] = {}
    for series_id, year, value in Observation.objects.filter(
        series__in=series, month=0
    ).values_list("series_id", "year", "value"):
        observations.setdefault(series_id, {})[year] = value
    for item in series:
        item.values = observations.get(item.pk, {})
    return series


def stated_figures(editions):
    return list(
        StatedFigure.objects.filter(edition__in=list(editions)).select_related("edition__source")
    )


# ----------------------------------------------------------------------------------------- communes


def communal_editions():
    """SSMSI editions of the communal base, newest first."""
    has_rows = CommuneIndicatorLabel.objects.filter(edition=OuterRef("pk"))
    return (
        Edition.objects.filter(
            Exists(has_rows), source__kind=SourceKind.SSMSI, status=EditionStatus.PUBLISHED
        )
        .select_related("source")
        .order_by("-published_on", "-pk")
    )


@dataclass
class CommuneFigure:
    code: str
    name: str
    epci_code: str | None
    point: Point | None


@dataclass
class Aggregate:
    code: str
    name: str
    communes: int
    point: Point


_COMMUNE_POINT_FIELDS = (
    "unit_label",
    "count",
    "diffusion",
    "imputed",
    "population",
    "population_vintage",
    "dwellings",
    "dwellings_vintage",
)


def _commune_point(
    unit_label, count, diffusion, imputed, population, pop_vintage, dwellings, log_vintage
) -> Point:
    """A communal row as a Point: a withheld cell has no value, only the source's imputed one."""
    withheld = diffusion == "ndiff"
    return Point(
        value=None if withheld or count is None else Decimal(count),
        is_withheld=withheld,
        imputed_value=decimal_or_none(imputed),
        population=decimal_or_none(population),
        population_vintage=pop_vintage,
        dwellings=decimal_or_none(dwellings),
        dwellings_vintage=log_vintage,
        unit=normalise_unit(unit_label) or "",
    )


def commune_points(
    edition: Edition, indicator: StatisticalIndicator, codes
) -> dict[int, dict[str, Point]]:
    """{year: {commune code: Point}} for these communes, every year of the edition, one query.

    The rows are read through the partition's primary key (edition, code, year, wording): a few thousand
    index entries for a department's communes among the 5 million of an edition.
    """
    codes = sorted(set(codes))
    labels = CommuneIndicatorLabel.objects.filter(edition=edition, indicator=indicator)
    rows = CommuneObservation.objects.filter(
        edition=edition,
        code__in=codes,
        indicator_label__in=labels.values("indicator_label"),
        unit_label__in=labels.values("unit_label"),
    ).values_list("year", "code", *_COMMUNE_POINT_FIELDS)
    result: dict[int, dict[str, Point]] = {}
    for year, code, *values in rows:
        result.setdefault(year, {})[code] = _commune_point(*values)
    return result


def aggregate_points(points: list[Point | None]) -> Point:
    """Sum over communes (an EPCI, the territory of a CLSPD/CISPD).

    A withheld commune contributes the value the source imputed to it (département average of withheld
    communes): the total is then an estimate. A commune without any figure makes the total incomplete.
    """
    total = Decimal(0)
    population = dwellings = 0
    estimated, complete = False, True
    for point in points:
        if point is None:
            complete = False
            continue
        if point.is_withheld:
            if point.imputed_value is None:
                complete = False
            else:
                total += point.imputed_value
                estimated = True
        elif point.value is None:
            complete = False
        else:
            total += point.value
        population += point.population or 0
        dwellings += point.dwellings or 0
    return Point(
        value=total if complete else None,
        population=population or None,
        dwellings=dwellings or None,
        computed=True,
        estimated=estimated,
        complete=complete,
        parts=len(points),
    )


def territory_points(edition: Edition, codes) -> dict[int, dict[int, dict[str, Point]]]:
    """{indicator_id: {year: {commune code: Point}}} for these communes: every indicator and every year of
    the edition in one query, whatever the number of communes.

    Each row's wording (indicator and unit as published) is mapped to its indicator by the edition's
    `CommuneIndicatorLabel`; a wording without an indicator is left out.
    """
    codes = sorted(set(codes))
    indicator_of = (
        CommuneIndicatorLabel.objects.filter(
            edition=edition,
            indicator_label=OuterRef("indicator_label"),
            unit_label=OuterRef("unit_label"),
        )
        .order_by()
        .values("indicator_id")[:1]
    )
    rows = (
        CommuneObservation.objects.filter(edition=edition, code__in=codes)
        .annotate(mapped_indicator=Subquery(indicator_of))
        .values_list("mapped_indicator", "year", "code", *_COMMUNE_POINT_FIELDS)
    )
    result: dict[int, dict[int, dict[str, Point]]] = {}
    for indicator_id, year, code, *values in rows:
        if indicator_id is not None:
            result.setdefault(indicator_id, {}).setdefault(year, {})[code] = _commune_point(*values)
    return result


def communes_of_department(code: str) -> list[Commune]:
    return list(
        Commune.objects.filter(department__code=code).select_related("epci").order_by("name")
    )


def epci_members(epci_ids) -> dict[int, list[str]]:
    members: dict[int, list[str]] = {}
    for epci_id, code in Commune.objects.filter(epci_id__in=list(epci_ids)).values_list(
        "epci_id", "code"
    ):
        members.setdefault(epci_id, []).append(code)
    return members


def epcis_by_id(ids) -> dict[int, Epci]:
    return {e.pk: e for e in Epci.objects.filter(pk__in=list(ids))}


# ------------------------------------------------------------------------------- editions (preview)


@dataclass
class EditionOverview:
    """What an edition holds: its departments (or communes), indicators and years."""

    level: str
    departments: list[str]
    communes: int
    indicators: list[str]
    years: list[int]
    rows: int


def edition_overview(edition: Edition) -> EditionOverview:
    labels = CommuneIndicatorLabel.objects.filter(edition=edition)
    if labels.exists():
        # Set-based: a communal edition holds millions of rows.
        rows = CommuneObservation.objects.filter(edition=edition).order_by()
        prefixes = rows.annotate(prefix=Substr("code", 1, 3)).values_list("prefix", flat=True)
        return EditionOverview(
            level=TerritoryLevel.COMMUNE,
            departments=sorted({department_of_commune(p) for p in prefixes.distinct()}),
            communes=rows.values("code").distinct().count(),
            indicators=[i.name for i in edition_indicators(edition, TerritoryLevel.COMMUNE)],
            years=sorted(rows.values_list("year", flat=True).distinct()),
            rows=rows.count(),
        )
    observations = Observation.objects.filter(
        series__edition=edition, series__level=TerritoryLevel.DEPARTMENT, month=0
    )
    return EditionOverview(
        level=TerritoryLevel.DEPARTMENT,
        departments=department_codes_with_data(edition),
        communes=0,
        indicators=[i.name for i in edition_indicators(edition)],
        years=sorted(set(observations.values_list("year", flat=True))),
        rows=observations.count(),
    )


@dataclass
class FigureChange:
    indicator: str
    year: int
    old: Decimal | None
    new: Decimal | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "nouveau"
        if self.new is None:
            return "absent de la nouvelle édition"
        return "modifié"


def edition_changes(edition: Edition, current: Edition | None, code: str) -> list[FigureChange]:
    """The figures of one department that differ between the current default edition and `edition`
    (departmental bases: counts of each indicator and year; communal base: department sums of its
    communes' published counts)."""
    old = _department_figures(current, code) if current is not None else {}
    new = _department_figures(edition, code)
    changes = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            changes.append(FigureChange(key[0], key[1], old.get(key), new.get(key)))
    return changes


def _department_figures(edition: Edition, code: str) -> dict[tuple[str, int], Decimal | None]:
    if CommuneIndicatorLabel.objects.filter(edition=edition).exists():
        names = {
            (label.indicator_label, label.unit_label): label.indicator.name
            for label in CommuneIndicatorLabel.objects.filter(edition=edition).select_related(
                "indicator"
            )
        }
        result: dict[tuple[str, int], Decimal | None] = {}
        rows = CommuneObservation.objects.filter(edition=edition, code__startswith=code)
        for indicator_label, unit_label, year, count in rows.values_list(
            "indicator_label", "unit_label", "year", "count"
        ):
            key = (names.get((indicator_label, unit_label), indicator_label), year)
            result[key] = (result.get(key) or Decimal(0)) + (count or 0)
        return result
    names = dict(StatisticalIndicator.objects.values_list("pk", "name"))
    return {
        (names[indicator_id], year): point.value
        for indicator_id, by_year in department_points(edition, code).items()
        for year, point in by_year.items()
    }
