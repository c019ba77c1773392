"""Territories of the Gers and the Lot as the territories loader will provide them (only the rows tests need)."""

from datetime import date

import pytest

from tests.factories import (
    AxisFactory,
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    MeasureFactory,
    PlanFactory,
)
from vigie.governance.demo import load_demo
from vigie.territories.models import Arrondissement

GERS_EPCIS = {
    "auch": ("200066926", "CA Grand Auch Cœur de Gascogne", "CA"),
    "toulousaine": ("243200417", "CC de la Gascogne Toulousaine", "CC"),
    "tenareze": ("243200508", "CC de la Ténarèze", "CC"),
    "grand_armagnac": ("243200391", "CC du Grand Armagnac", "CC"),
}
# code, name, population, epci key, arrondissement code
GERS_COMMUNES = [
    ("32013", "Auch", 22300, "auch", "321"),
    ("32107", "Condom", 6600, "tenareze", "322"),
    ("32119", "Eauze", 3900, "grand_armagnac", "322"),
    ("32132", "Fleurance", 6300, None, "321"),
    ("32160", "L'Isle-Jourdain", 9100, "toulousaine", "321"),
    ("32096", "Cazaubon", 1600, "grand_armagnac", "322"),
    ("32462", "Vic-Fezensac", 3600, None, "321"),
    ("32208", "Lectoure", 3700, None, "322"),
    ("32436", "Solomiac", 500, None, "321"),
    ("32213", "Lombez", 2200, None, "323"),
    ("32142", "Gavarret-sur-Aulouste", 150, None, "321"),
    ("32207", "Léboulin", 300, "auch", "321"),
    ("32296", "Nogaro", 2000, None, "322"),
    ("32256", "Mirande", 3600, None, "323"),
    ("32253", "Miradoux", 500, None, "322"),
    ("32370", "Saint-Clar", 900, None, "321"),
    ("32171", "Labastide-Savès", 200, None, "323"),
    ("32410", "Samatan", 2400, None, "323"),
    ("32304", "Panassac", 200, None, "323"),
    ("32086", "Castex", 100, None, "323"),
    ("32087", "Castex-d'Armagnac", 200, None, "322"),
]
LOT_COMMUNES = [
    ("46042", "Cahors", 19900, "233"),
    ("46102", "Figeac", 9800, "462"),
    ("46127", "Gourdon", 4100, "463"),
    ("46128", "Gramat", 3500, "462"),
    ("46224", "Pradines", 3470, "461"),
    ("46251", "Saint-Céré", 3460, "462"),
    ("46309", "Souillac", 3280, "463"),
    ("46225", "Prayssac", 2400, "461"),
    ("46001", "Albas", 530, "461"),
]


def _arrondissements(department, names):
    return {
        code: Arrondissement.objects.get_or_create(
            code=code, defaults={"name": name, "department": department}
        )[0]
        for code, name in names.items()
    }


@pytest.fixture
def gers(db):
    department = DepartmentFactory(code="32", name="Gers")
    arrondissements = _arrondissements(
        department, {"321": "Auch", "322": "Condom", "323": "Mirande"}
    )
    epcis = {}
    for key, (siren, name, kind) in GERS_EPCIS.items():
        epcis[key] = EpciFactory(code=siren, name=name, kind=kind)
        epcis[key].departments.add(department)
    for code, name, population, epci, arrondissement in GERS_COMMUNES:
        CommuneFactory(
            code=code,
            name=name,
            population=population,
            department=department,
            epci=epcis.get(epci),
            arrondissement=arrondissements[arrondissement],
        )
    return department


@pytest.fixture
def lot(db):
    department = DepartmentFactory(code="46", name="Lot")
    arrondissements = _arrondissements(
        department, {"461": "Cahors", "462": "Figeac", "463": "Gourdon"}
    )
    arrondissements["233"] = arrondissements["461"]
    grand_cahors = EpciFactory(code="200023737", name="CA du Grand Cahors", kind="CA")
    for code, name, population, arrondissement in LOT_COMMUNES:
        CommuneFactory(
            code=code,
            name=name,
            population=population,
            department=department,
            arrondissement=arrondissements[arrondissement],
            epci=grand_cahors if code in ("46042", "46224") else None,
        )
    return department


@pytest.fixture
def gers_plan(gers):
    """The Gers plan's axis 4, with measures 4.1 and 4.2 (as the plan importer numbers them)."""
    plan = PlanFactory(department=gers, period_start=2021, period_end=2024)
    axis = AxisFactory(plan=plan, number="4", title="Le territoire, vers une nouvelle gouvernance")
    return {
        "plan": plan,
        "4.1": MeasureFactory(
            axis=axis, number="4.1", title="Assurer le pilotage et la déclinaison locale du plan"
        ),
        "4.2": MeasureFactory(
            axis=axis, number="4.2", title="Développer les CLSPD/CISPD et faciliter leur action"
        ),
    }


@pytest.fixture
def demo(gers, lot, gers_plan):
    load_demo()
    return {"gers": gers, "lot": lot, "measures": gers_plan}


# A date after all seeded meetings: every Gers council is overdue.
TODAY = date(2024, 5, 15)
