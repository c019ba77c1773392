"""Every layout the SSMSI has published imports as published (issue #10).

Realistic samples of each layout: the older departmental layout carries fractional dwelling counts
(INSEE estimates, "308491,1600513844") and long decimal rates; populations and dwellings may be fractional
in every layout; some cells are secret or blank. Values are kept as published and rates use them as
published. Bad values (text, negative counts) are still refused with located French messages.
"""

from decimal import Decimal

import pytest
from django.db import connection

from tests.statistics.conftest import ENGINES
from tests.statistics.helpers import COMMUNAL_HEADER, DEPARTMENTAL_HEADER, LEGACY_HEADER, write
from vigie.statistics.derived import rate_per_thousand
from vigie.statistics.enums import TerritoryLevel
from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.models import CommuneObservation, Observation
from vigie.statistics.services import import_ssmsi_file

LEGACY_NAME = "donnee-data.gouv-2022-geographie2022-produit-le2023-03-30.csv"
CURRENT_NAME = "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
COMMUNAL_NAME = "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"

# The older departmental layout as published: unquoted, two-digit years, plural units, fractional LOG,
# rates with all their digits, a secret (blank) cell.
LEGACY_ROWS = [
    "Homicides;16;01;84;victimes;16;16;5;638425;308491,1600513844;0,00783177350511023",
    "Cambriolages de logement;16;01;84;infractions;16;16;2384;638425;308491,1600513844;7,7279361898179",
    "Cambriolages de logement;17;01;84;infractions;17;17;2217;643350;311867,4299063;7,1087897850253",
    "Vols de véhicules;16;2A;94;véhicules;16;16;312;154303,5;126785,77;2,02199",
    "Vols de véhicules;17;2A;94;véhicules;17;17;;156958;128321,4;",
]


def assert_as_published(stored: Decimal, published: str) -> None:
    """PostgreSQL keeps every published digit; SQLite stores decimals as doubles (15 significant digits)."""
    expected = Decimal(published.replace(",", "."))
    if connection.vendor == "postgresql":
        assert stored == expected
    else:
        assert abs(stored - expected) < Decimal("1e-9")


def _dwellings_rate(observation) -> Decimal:
    return rate_per_thousand(observation.value, observation.dwellings, 6)


def _department(code, indicator, year) -> Observation:
    return Observation.objects.get(
        series__level=TerritoryLevel.DEPARTMENT,
        series__code=code,
        series__indicator__name=indicator,
        year=year,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_legacy_layout_keeps_fractional_dwellings_and_long_rates(tmp_path, engine):
    path = write(tmp_path / LEGACY_NAME, LEGACY_HEADER, LEGACY_ROWS, bom=False)
    batch = import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert (batch.layout, batch.row_count, batch.created_count) == ("departmental_legacy", 5, 5)
    burglaries = _department("01", "Cambriolages de logement", 2016)
    assert_as_published(burglaries.dwellings, "308491,1600513844")
    assert burglaries.population == 638425
    # The rate uses the dwellings as published: the file's rate, to its sixth decimal.
    assert _dwellings_rate(burglaries) == Decimal("7.727936")
    assert _dwellings_rate(_department("01", "Cambriolages de logement", 2017)) == Decimal(
        "7.108790"
    )
    corsica = _department("2A", "Vols de véhicules", 2016)
    assert (corsica.population, corsica.dwellings) == (Decimal("154303.5"), Decimal("126785.77"))
    secret = _department("2A", "Vols de véhicules", 2017)
    assert (secret.value, secret.population) == (None, 156958)


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_current_departmental_layout_accepts_fractional_estimates(tmp_path, engine):
    rows = [
        '"01";"84";"2016";"Cambriolages de logement";"Infraction";"2384";"7,7279362";"638425";"2016";'
        '"308491,1600513844";"2016"',
        '"01";"84";"2017";"Cambriolages de logement";"Infraction";"2217";"7,1087898";"643350,25";"2017";'
        '"311867,4299063";"2017"',
        '"976";"06";"2017";"Homicides";"Victime";"NA";"NA";"256518";"2017";"NA";"NA"',
    ]
    path = write(tmp_path / CURRENT_NAME, DEPARTMENTAL_HEADER, rows)
    import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    first = _department("01", "Cambriolages de logement", 2016)
    assert_as_published(first.dwellings, "308491,1600513844")
    assert _dwellings_rate(first) == Decimal("7.727936")
    assert _department("01", "Cambriolages de logement", 2017).population == Decimal("643350.25")
    mayotte = _department("976", "Homicides", 2017)
    assert (mayotte.value, mayotte.dwellings) == (None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_communal_layout_keeps_fractional_estimates_as_published(tmp_path, engine):
    rows = [
        '"01001";"2016";"Cambriolages de logement";"Infraction";"3";"8,61558";"diff";"767";"2016";'
        '"348,2112";"2016";"NA";"NA"',
        '"01002";"2016";"Cambriolages de logement";"Infraction";"NA";"NA";"ndiff";"243,5";"2016";'
        '"112,97";"2016";"1,4285714";""',
    ]
    path = write(tmp_path / COMMUNAL_NAME, COMMUNAL_HEADER, rows)
    import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    stored = {
        o.code: (o.count, o.population, o.dwellings, o.imputed, o.imputed_rate)
        for o in CommuneObservation.objects.all()
    }
    assert stored == {
        "01001": (3, "767", "348,2112", None, None),
        "01002": (None, "243,5", "112,97", "1,4285714", None),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_bad_values_are_still_refused_with_located_messages(tmp_path, engine):
    rows = [
        LEGACY_ROWS[0],
        "Homicides;17;01;84;victimes;17;17;-3;643350;311867,4299063;0,1",
        "Homicides;18;01;84;victimes;18;18;4;beaucoup;-311867,4;0,1",
        "Homicides;19;01;84;victimes;19;19;4,5;643350;311867;taux",
    ]
    path = write(tmp_path / LEGACY_NAME, LEGACY_HEADER, rows, bom=False)
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors == [
        "Ligne 3, colonne « faits » : « -3 » n'est pas un nombre entier positif (ni « NA »).",
        "Ligne 4, colonne « POP » : « beaucoup » n'est pas un nombre positif (virgule décimale acceptée) "
        "ni « NA ».",
        "Ligne 4, colonne « LOG » : « -311867,4 » n'est pas un nombre positif (virgule décimale "
        "acceptée) ni « NA ».",
        "Ligne 5, colonne « faits » : « 4,5 » n'est pas un nombre entier positif (ni « NA »).",
        "Ligne 5, colonne « tauxpourmille » : « taux » n'est pas un nombre (virgule décimale acceptée) "
        "ni « NA ».",
    ]
    assert not Observation.objects.exists()
