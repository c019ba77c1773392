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

    @classmethod
    def of_department(cls, department, *, key: str = "", population=None) -> "Territory":
        """The department as a whole; `key` defaults to its own (a stored key is kept as it is)."""
        return cls(
            key=key or make_key(TerritorialLevel.DEPARTMENT, department.code),
            level=TerritorialLevel.DEPARTMENT,
            code=department.code,
            name=department.name,
            department_id=department.pk,
            population=population,
        )

    @classmethod
    def of_epci(cls, epci, department_id: int, *, key: str = "") -> "Territory":
        """An EPCI (a model or a row with pk, code, name, population) seen from one department."""
        return cls(
            key=key or make_key(TerritorialLevel.EPCI, epci.code),
            level=TerritorialLevel.EPCI,
            code=epci.code,
            name=epci.name,
            department_id=department_id,
            epci_id=epci.pk,
            population=epci.population,
        )

    @classmethod
    def of_commune(cls, commune, department_id: int, *, key: str = "") -> "Territory":
        """A commune (a model or a row with pk, code, name, population, epci_id)."""
        return cls(
            key=key or make_key(TerritorialLevel.COMMUNE, commune.code),
            level=TerritorialLevel.COMMUNE,
            code=commune.code,
            name=commune.name,
            department_id=department_id,
            commune_id=commune.pk,
            population=commune.population,
            parent_epci_id=commune.epci_id,
        )

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
            .values_list("pk", "code", "name", "population", named=True)
            .order_by("name")
        )
        for row in epci_rows:
            territory = Territory.of_epci(row, department.pk)
            directory.epcis[territory.key] = territory
        commune_rows = (
            Commune.objects.filter(department=department)
            .values_list("pk", "code", "name", "population", "epci_id", named=True)
            .order_by("name")
        )
        for row in commune_rows:
            territory = Territory.of_commune(row, department.pk)
            directory.communes[territory.key] = territory
        return directory

    @cached_property
    def department_territory(self) -> Territory:
        population = sum(t.population or 0 for t in self.communes.values()) or None
        return Territory.of_department(self.department, population=population)

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
        return Territory.of_commune(value.commune, value.department_id, key=value.territory_key)
    if value.epci_id:
        return Territory.of_epci(value.epci, value.department_id, key=value.territory_key)
    return Territory.of_department(value.department, key=value.territory_key)


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
        return Territory.of_department(department, key=key, population=population)
    if level == TerritorialLevel.COMMUNE:
        commune = Commune.objects.filter(department=department, code=code).first()
        if commune is None:
            return None
        return Territory.of_commune(commune, department.pk, key=key)
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
        return Territory.of_epci(epci, department.pk, key=key)
    return None
