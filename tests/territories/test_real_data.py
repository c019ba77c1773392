"""The shipped data file (vigie/territories/data/), loaded once into the test database.

Part of the normal suite on purpose: it checks the file that production loads. One load (a few
seconds on SQLite), several checks.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from vigie.territories.enums import SecurityAreaKind, SecurityZone
from vigie.territories.models import Arrondissement, Commune, Department, Epci, Region


@pytest.mark.django_db
def test_shipped_territories_file():
    call_command("load_territories", stdout=StringIO())

    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert (
        Department.objects.filter(code__in=["2A", "2B", "971", "972", "973", "974", "976"]).count()
        == 7
    )
    assert Arrondissement.objects.count() > 300
    assert Epci.objects.count() == 1255
    assert Commune.objects.count() > 34_800
    assert Commune.objects.filter(department__code="32").count() == 458
    assert Commune.objects.filter(department__code="46").count() == 312

    auch = Commune.objects.select_related("epci").get(code="32013")
    assert auch.name == "Auch"
    assert auch.epci.name == "CA Grand Auch Coeur de Gascogne"
    assert auch.population > 10_000
    assert auch.security_zone == SecurityZone.POLICE
    assert auch.postal_codes == "32000"

    cahors = Commune.objects.get(code="46042")
    assert cahors.security_zone == SecurityZone.POLICE
    district = cahors.security_areas.get(kind=SecurityAreaKind.POLICE_DISTRICT)
    assert district.name == "Cahors"
    assert sorted(district.communes.values_list("name", flat=True)) == [
        "Bellefont-La Rauze",
        "Cahors",
        "Espère",
        "Mercuès",
        "Pradines",
    ]
    police = Commune.objects.filter(department__code__in=["32", "46"], security_zone="police")
    assert police.count() == 6
    assert not Commune.objects.filter(department__code__in=["32", "46"], security_zone="").exists()

    figeac = Commune.objects.get(code="46102")
    assert figeac.security_zone == SecurityZone.GENDARMERIE
    company = figeac.security_areas.get()
    assert (company.kind, company.name) == (SecurityAreaKind.GENDARMERIE_COMPANY, "Figeac")
    assert "arrondissement" in company.source
    # Every Lot commune outside the police district is in exactly one company.
    companies = Commune.objects.filter(
        department__code="46", security_areas__kind=SecurityAreaKind.GENDARMERIE_COMPANY
    )
    assert companies.count() == companies.distinct().count() == 312 - 5

    # An EPCI spanning departments gets all of them.
    multi = [
        epci
        for epci in Epci.objects.prefetch_related("departments")
        if epci.departments.count() > 1
    ]
    assert multi
