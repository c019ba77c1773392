import pytest
from django.db import connection

from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory, RegionFactory
from tests.statistics.helpers import COMMUNAL_HEADER, communal_row, demo_subset, write
from vigie.statistics.services import import_ssmsi_file, load_plan_figures

# The COPY engine runs on PostgreSQL (CI); the ORM engine everywhere.
ENGINES = [
    "orm",
    pytest.param(
        "copy",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="COPY engine: PostgreSQL only"
        ),
    ),
]


@pytest.fixture
def occitanie(db):
    region = RegionFactory(code="76", name="Occitanie")
    return {
        "region": region,
        "lot": DepartmentFactory(code="46", name="Lot", region=region),
        "gers": DepartmentFactory(code="32", name="Gers", region=region),
        "haute_garonne": DepartmentFactory(code="31", name="Haute-Garonne", region=region),
        "aveyron": DepartmentFactory(code="12", name="Aveyron", region=region),
    }


@pytest.fixture
def subset_file(tmp_path):
    return demo_subset(
        tmp_path / "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
    )


@pytest.fixture
def subset_data(occitanie, subset_file):
    """SSMSI January 2025 base for Gers, Lot, Haute-Garonne and Aveyron, plus the plans' figures."""
    batch = import_ssmsi_file(acting_user=None, path=subset_file)
    load_plan_figures(acting_user=None)
    return batch


CAHORS_2024 = 120
IMPUTED = "1,4285714"


@pytest.fixture
def communal_data(occitanie, tmp_path):
    """A generated communal file: in the EPCI « Grand Cahors », Albas is withheld (statistical secrecy)."""
    lot = occitanie["lot"]
    grand_cahors = EpciFactory(code="200023737", name="CA du Grand Cahors", kind="CA")
    causse = EpciFactory(code="200066637", name="CC Causse de Labastide-Murat", kind="CC")
    CommuneFactory(code="46042", name="Cahors", department=lot, epci=grand_cahors, population=19878)
    CommuneFactory(code="46001", name="Albas", department=lot, epci=grand_cahors, population=520)
    CommuneFactory(code="46002", name="Albiac", department=lot, epci=causse, population=80)
    CommuneFactory(code="46003", name="Alvignac", department=lot, epci=causse, population=700)
    indicator, unit = "Cambriolages de logement", "Infraction"
    rows = []
    for year, cahors in ((2023, 110), (2024, CAHORS_2024)):
        rows += [
            communal_row("46042", year, indicator, unit, cahors, pop=19878, log=12000),
            communal_row(
                "46001",
                year,
                indicator,
                unit,
                "NA",
                diffused=False,
                pop=520,
                log=400,
                imputed=IMPUTED,
            ),
            communal_row("46002", year, indicator, unit, 0, pop=80, log=60),
            communal_row("46003", year, indicator, unit, 3, pop=700, log=500),
        ]
    path = write(
        tmp_path / "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv",
        COMMUNAL_HEADER,
        rows,
    )
    return import_ssmsi_file(acting_user=None, path=path, partial=True)
