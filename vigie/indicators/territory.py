"""Territories at which indicator values are collected: the department, its EPCIs, its communes.

A territory is identified by a key: "D32" (department), "E200066926" (EPCI SIREN), "C32013" (commune
INSEE code). In spreadsheets people see the official code alone; its length tells the level
(2-3 characters: department, 5: commune, 9: EPCI).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from vigie.indicators.enums import TerritorialLevel
from vigie.territories.models import Commune, Department, Epci

PREFIX = {
    TerritorialLevel.DEPARTMENT: "D",
    TerritorialLevel.EPCI: "E",
    TerritorialLevel.COMMUNE: "C",
}
LEVEL_OF_PREFIX = {value: key for key, value in PREFIX.items()}


def make_key(level: str, code: str) -> str:
    return PREFIX[TerritorialLevel(level)] + code


def level_of_key(key: str) -> str | None:
    return LEVEL_OF_PREFIX.get(key[:1]) if key else None


def level_of_code(code: str) -> str | None:
    code = (code or "").strip()
    if len(code) == 9 and code.isdigit():
        return TerritorialLevel.EPCI
    if len(code) == 5:
        return TerritorialLevel.COMMUNE
    if 2 <= len(code) <= 3:
        return TerritorialLevel.DEPARTMENT
    return None


def normalize_code(raw) -> str:
    """A territory code read from a spreadsheet (numbers lose their leading zeros there)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper()
    if isinstance(raw, int) and len(text) in (1, 4):
        text = text.zfill(len(text) + 1)
    return text


@dataclass(frozen=True)
class Territory:
    key: str
    level: str
    code: str
    name: str
    department_id: int
    epci_id: int | None = None
    commune_id: int | None = None
    population: int | None = None
    parent_epci_id: int | None = None

    @property
    def level_label(self) -> str:
        return TerritorialLevel(self.level).label

    @property
    def display(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass
class Directory:
    """Every territory of one department, loaded in three queries and kept in memory."""

    department: Department
    communes: dict[str, Territory] = field(default_factory=dict)
    epcis: dict[str, Territory] = field(default_factory=dict)

    @classmethod
    def load(cls, department: Department) -> "Directory":
        directory = cls(department=department)
        epci_rows = (
            Epci.objects.filter(Q(departments=department) | Q(communes__department=department))
            .distinct()
            .values_list("pk", "code", "name", "population")
            .order_by("name")
        )
        epci_codes = {}
        for pk, code, name, population in epci_rows:
            epci_codes[pk] = code
            key = make_key(TerritorialLevel.EPCI, code)
            directory.epcis[key] = Territory(
                key=key,
                level=TerritorialLevel.EPCI,
                code=code,
                name=name,
                department_id=department.pk,
                epci_id=pk,
                population=population,
            )
        commune_rows = (
            Commune.objects.filter(department=department)
            .values_list("pk", "code", "name", "population", "epci_id")
            .order_by("name")
        )
        for pk, code, name, population, epci_id in commune_rows:
            key = make_key(TerritorialLevel.COMMUNE, code)
            directory.communes[key] = Territory(
                key=key,
                level=TerritorialLevel.COMMUNE,
                code=code,
                name=name,
                department_id=department.pk,
                commune_id=pk,
                population=population,
                parent_epci_id=epci_id,
            )
        return directory

    @cached_property
    def department_territory(self) -> Territory:
        department = self.department
        population = sum(t.population or 0 for t in self.communes.values()) or None
        key = make_key(TerritorialLevel.DEPARTMENT, department.code)
        return Territory(
            key=key,
            level=TerritorialLevel.DEPARTMENT,
            code=department.code,
            name=department.name,
            department_id=department.pk,
            population=population,
        )

    @cached_property
    def epci_by_pk(self) -> dict[int, Territory]:
        return {t.epci_id: t for t in self.epcis.values()}

    def get(self, key: str) -> Territory | None:
        if key == self.department_territory.key:
            return self.department_territory
        return self.communes.get(key) or self.epcis.get(key)

    def by_code(self, code: str) -> Territory | None:
        level = level_of_code(code)
        return self.get(make_key(level, code)) if level else None

    def at_level(self, level: str) -> list[Territory]:
        if level == TerritorialLevel.DEPARTMENT:
            return [self.department_territory]
        if level == TerritorialLevel.EPCI:
            return list(self.epcis.values())
        return list(self.communes.values())

    def communes_of_epci(self, epci_id: int) -> list[Territory]:
        return [t for t in self.communes.values() if t.parent_epci_id == epci_id]

    def epci_population(self, epci: Territory) -> int | None:
        """Population of the EPCI's part in this department (its communes), else the EPCI's own."""
        total = sum(t.population or 0 for t in self.communes_of_epci(epci.epci_id))
        return total or epci.population


def territory_of_value(value) -> Territory:
    """A Territory built from a saved IndicatorValue (with its FKs selected)."""
    if value.commune_id:
        commune = value.commune
        return Territory(
            key=value.territory_key,
            level=TerritorialLevel.COMMUNE,
            code=commune.code,
            name=commune.name,
            department_id=value.department_id,
            commune_id=commune.pk,
            population=commune.population,
            parent_epci_id=commune.epci_id,
        )
    if value.epci_id:
        epci = value.epci
        return Territory(
            key=value.territory_key,
            level=TerritorialLevel.EPCI,
            code=epci.code,
            name=epci.name,
            department_id=value.department_id,
            epci_id=epci.pk,
            population=epci.population,
        )
    department = value.department
    return Territory(
        key=value.territory_key,
        level=TerritorialLevel.DEPARTMENT,
        code=department.code,
        name=department.name,
        department_id=department.pk,
    )


def resolve_key(key: str, department: Department) -> Territory | None:
    """One territory of the department from its key, with a query or two (no full directory)."""
    level = level_of_key(key)
    code = key[1:]
    if level == TerritorialLevel.DEPARTMENT:
        if code != department.code:
            return None
        population = (
            sum(
                Commune.objects.filter(department=department)
                .values_list("population", flat=True)
                .exclude(population=None)
            )
            or None
        )
        return Territory(
            key=key,
            level=level,
            code=code,
            name=department.name,
            department_id=department.pk,
            population=population,
        )
    if level == TerritorialLevel.COMMUNE:
        commune = Commune.objects.filter(department=department, code=code).first()
        if commune is None:
            return None
        return Territory(
            key=key,
            level=level,
            code=code,
            name=commune.name,
            department_id=department.pk,
            commune_id=commune.pk,
            population=commune.population,
            parent_epci_id=commune.epci_id,
        )
    if level == TerritorialLevel.EPCI:
        epci = (
            Epci.objects.filter(
                Q(departments=department) | Q(communes__department=department), code=code
            )
            .distinct()
            .first()
        )
        if epci is None:
            return None
        return Territory(
            key=key,
            level=level,
            code=code,
            name=epci.name,
            department_id=department.pk,
            epci_id=epci.pk,
            population=epci.population,
        )
    return None
