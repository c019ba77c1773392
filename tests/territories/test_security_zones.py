"""Security zones: police / gendarmerie per commune, police districts and gendarmerie companies."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vigie.territories.enums import SecurityAreaKind, SecurityZone
from vigie.territories.models import Commune, SecurityArea

pytestmark = pytest.mark.django_db


def _codes(area):
    return sorted(area.communes.values_list("code", flat=True))


def test_zones_and_areas_are_loaded(loaded):
    zones = dict(Commune.objects.filter(department__code="46").values_list("code", "security_zone"))
    assert zones == {
        "46042": SecurityZone.POLICE,
        "46224": SecurityZone.POLICE,
        "46095": SecurityZone.POLICE,
        "46191": SecurityZone.GENDARMERIE,
        "46102": SecurityZone.GENDARMERIE,
    }
    # Departments absent from the zones file are left alone.
    assert Commune.objects.get(code="47001").security_zone == ""

    district = SecurityArea.objects.get(kind=SecurityAreaKind.POLICE_DISTRICT, name="Cahors")
    assert district.department.code == "46"
    assert district.source == "Plan de test."
    assert _codes(district) == ["46042", "46095", "46224"]
    # Company by arrondissement, without the police district's communes.
    company = SecurityArea.objects.get(kind=SecurityAreaKind.GENDARMERIE_COMPANY, name="Cahors")
    assert _codes(company) == ["46191"]
    figeac = SecurityArea.objects.get(kind=SecurityAreaKind.GENDARMERIE_COMPANY, name="Figeac")
    assert _codes(figeac) == ["46102"]


def test_unknown_commune_name_fails_loudly_and_writes_nothing(fake):
    fake.zones["departments"][0]["areas"][0]["communes"].append("Saint-Glinglin")
    fake.build()
    with pytest.raises(CommandError) as error:
        fake.load()
    assert "commune « Saint-Glinglin » introuvable dans le département (Cahors)" in str(error.value)
    assert not Commune.objects.exists()
    assert not SecurityArea.objects.exists()


def test_ambiguous_commune_name_fails(fake):
    fake.etalab["communes"].append(
        {**fake.commune("46102"), "code": "46300", "nom": "Cahors", "population": 10}
    )
    fake.build()
    with pytest.raises(CommandError, match="commune « CAHORS » ambiguë"):
        fake.load()


def test_unknown_arrondissement_and_invalid_kind(fake):
    areas = fake.zones["departments"][0]["areas"]
    areas[2]["arrondissements"] = ["469"]
    fake.build()
    with pytest.raises(CommandError, match="arrondissement « 469 » sans commune"):
        fake.load()
    areas[2]["kind"] = "brigade"
    with pytest.raises(CommandError, match="nature « brigade » inconnue"):
        fake.load()


def test_reload_is_idempotent_and_file_is_authoritative(loaded):
    district = SecurityArea.objects.get(kind=SecurityAreaKind.POLICE_DISTRICT)
    before = set(SecurityArea.objects.values_list("pk", flat=True))
    loaded.load()
    assert set(SecurityArea.objects.values_list("pk", flat=True)) == before

    # Espère leaves the police district; the Figeac company disappears from the file.
    areas = loaded.zones["departments"][0]["areas"]
    areas[0]["communes"].remove("Espere")
    areas[0]["source"] = "Plan de test, version 2."
    del areas[2]
    output = loaded.load()

    district.refresh_from_db()
    assert district.source == "Plan de test, version 2."
    assert _codes(district) == ["46042", "46224"]
    assert Commune.objects.get(code="46095").security_zone == SecurityZone.GENDARMERIE
    company = SecurityArea.objects.get(kind=SecurityAreaKind.GENDARMERIE_COMPANY, name="Cahors")
    assert _codes(company) == ["46095", "46191"]
    assert not SecurityArea.objects.filter(name="Figeac").exists()
    assert "1 supprimée(s)" in output


def test_load_security_zones_command(loaded):
    zones = {
        "departments": [
            {
                "department": "47",
                "default_zone": "gendarmerie",
                "areas": [
                    {"kind": "circonscription_police", "name": "Agen", "communes": ["agen"]},
                ],
            }
        ]
    }
    path = loaded.root / "zones-47.json"
    path.write_text(json.dumps(zones), encoding="utf-8")
    out = StringIO()
    call_command("load_security_zones", str(path), stdout=out)
    assert Commune.objects.get(code="47001").security_zone == SecurityZone.POLICE
    assert "circonscription de sécurité publique d'Agen : 1 commune(s)" in out.getvalue()


def test_security_zones_need_the_territories(db, tmp_path):
    path = tmp_path / "zones.json"
    path.write_text(
        json.dumps(
            {"departments": [{"department": "46", "default_zone": "gendarmerie", "areas": []}]}
        )
    )
    with pytest.raises(CommandError, match="département 46 absent de la base"):
        call_command("load_security_zones", str(path))


def test_invalid_zones_file(db, tmp_path):
    path = tmp_path / "zones.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON illisible"):
        call_command("load_security_zones", str(path))
    path.write_text(
        json.dumps({"departments": [{"department": "46", "default_zone": "armée", "areas": []}]})
    )
    with pytest.raises(CommandError, match="« default_zone » doit valoir police ou gendarmerie"):
        call_command("load_security_zones", str(path))
