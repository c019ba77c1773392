"""load_territories on a tiny fake Etalab input: rows, memberships, idempotence, atomicity."""

import gzip
import hashlib
import json

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigie.audit.models import AuditEntry
from vigie.territories.datafile import LEVELS, MANIFEST_FILE
from vigie.territories.loading import load_territories
from vigie.territories.models import Arrondissement, Commune, Department, Epci, Region

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_build_and_load(loaded):
    assert Region.objects.count() == 3
    assert sorted(Department.objects.values_list("code", flat=True)) == ["2A", "46", "47"]
    lot = Department.objects.get(code="46")
    assert (lot.name, lot.region.name, lot.chef_lieu_code) == ("Lot", "Occitanie", "46042")
    assert Arrondissement.objects.get(code="462").department == lot
    assert Epci.objects.count() == 2
    assert Commune.objects.count() == 7

    cahors = Commune.objects.get(code="46042")
    assert cahors.name == "Cahors"
    assert cahors.department == lot
    assert cahors.arrondissement.code == "461"
    assert cahors.population == 20050
    assert cahors.postal_codes == "46000"
    assert cahors.epci.name == "CA du Grand Cahors"
    assert Commune.objects.get(code="2A004").epci is None
    assert Commune.objects.get(code="2A004").postal_codes == "20000 20090 20167"

    grand_cahors = Epci.objects.get(code="200023737")
    assert (grand_cahors.kind, grand_cahors.population) == ("CA", 25750)
    assert sorted(grand_cahors.communes.values_list("code", flat=True)) == [
        "46042",
        "46095",
        "46224",
    ]
    assert list(grand_cahors.departments.values_list("code", flat=True)) == ["46"]
    spanning = Epci.objects.get(code="200099999")
    assert sorted(spanning.departments.values_list("code", flat=True)) == ["46", "47"]
    assert sorted(spanning.communes.values_list("code", flat=True)) == ["46102", "46191", "47001"]


def test_reference_data_loads_are_not_audited(loaded):
    assert AuditEntry.objects.count() == 0


def test_second_load_writes_nothing(loaded):
    with CaptureQueriesContext(connection) as queries:
        output = loaded.load()
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    assert writes == []
    assert "Territoires déjà à jour" in output
    report = load_territories(loaded.data_dir, security_zones_path=loaded.zones_path)
    assert not report.changed
    assert report.levels["communes"].unchanged == 7


def test_reload_updates_names_populations_and_membership(loaded):
    loaded.commune("46042")["population"] = 20100
    loaded.commune("46042")["codesPostaux"] = ["46000", "46001"]
    loaded.commune("47001")["nom"] = "Agen-sur-Garonne"
    loaded.etalab["regions"][1]["nom"] = "Aquitaine"
    loaded.epci("200023737")["populationTotale"] = 26000
    # Agen leaves the inter-departmental EPCI: the EPCI is no longer in Lot-et-Garonne.
    loaded.epci("200099999")["membres"] = [{"code": "46102"}, {"code": "46191"}]
    # A new commune, and a commune that disappears (merged): kept in the database, reported.
    loaded.etalab["communes"].append(
        {**loaded.commune("46102"), "code": "46103", "nom": "Fons", "population": 420}
    )
    loaded.etalab["communes"].remove(loaded.commune("46095"))
    loaded.epci("200023737")["membres"].remove({"code": "46095"})
    loaded.zones["departments"][0]["areas"][0]["communes"].remove("Espere")
    loaded.build()

    report = load_territories(loaded.data_dir, security_zones_path=loaded.zones_path)

    assert report.levels["communes"].created == 1
    assert report.levels["communes"].updated == 2
    assert report.levels["communes"].obsolete == ["46095"]
    assert report.levels["regions"].updated == 1
    assert report.epci_departments_removed == 1
    cahors = Commune.objects.get(code="46042")
    assert (cahors.population, cahors.postal_codes) == (20100, "46000 46001")
    agen = Commune.objects.get(code="47001")
    assert (agen.name, agen.epci) == ("Agen-sur-Garonne", None)
    assert Region.objects.get(code="75").name == "Aquitaine"
    assert Epci.objects.get(code="200023737").population == 26000
    spanning = Epci.objects.get(code="200099999")
    assert list(spanning.departments.values_list("code", flat=True)) == ["46"]
    assert Commune.objects.get(code="46103").epci is None
    assert Commune.objects.filter(code="46095").exists()


def _rewrite_level(data_dir, level, transform):
    """Rewrite one compact file and its manifest entry, as a faulty build would."""
    file_name = LEVELS[level][0]
    path = data_dir / file_name
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    content = gzip.compress(("\n".join(transform(lines)) + "\n").encode(), mtime=0)
    path.write_bytes(content)
    manifest_path = data_dir / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][level]["sha256"] = hashlib.sha256(content).hexdigest()
    manifest_path.write_text(json.dumps(manifest))


def test_corrupted_data_file_is_rejected_in_french_and_nothing_is_written(fake):
    fake.build()
    path = fake.data_dir / "communes.csv.gz"
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(CommandError, match="empreinte SHA-256 différente"):
        fake.load()
    assert not Region.objects.exists()
    assert not Commune.objects.exists()


def test_inconsistent_data_file_is_rejected_in_french(fake):
    fake.build()
    _rewrite_level(
        fake.data_dir,
        "communes",
        lambda lines: [lines[0], *(line.replace(",46,", ",99,") for line in lines[1:])],
    )
    with pytest.raises(CommandError, match="department « 99 » inconnu"):
        fake.load()
    assert not Department.objects.exists()


def test_bad_population_in_data_file(fake):
    fake.build()
    _rewrite_level(
        fake.data_dir,
        "communes",
        lambda lines: [line.replace(",20050,", ",beaucoup,") for line in lines],
    )
    with pytest.raises(CommandError, match="population « beaucoup » n'est pas un entier"):
        fake.load()


def test_missing_manifest(fake):
    fake.build()
    (fake.data_dir / "manifest.json").unlink()
    with pytest.raises(CommandError, match="manifest.json introuvable"):
        fake.load()


def test_a_failing_load_is_rolled_back_entirely(loaded):
    """Regions are updated before the security zones fail: the whole load is undone."""
    loaded.etalab["regions"][0]["nom"] = "Occitanie-Pyrénées-Méditerranée"
    loaded.commune("46042")["population"] = 1
    loaded.build()
    loaded.zones["departments"][0]["areas"][0]["communes"].append("Gotham")

    with pytest.raises(CommandError, match="commune « Gotham » introuvable"):
        loaded.load()

    assert Region.objects.get(code="76").name == "Occitanie"
    assert Commune.objects.get(code="46042").population == 20050


def test_load_without_security_zones(fake):
    fake.build()
    fake.load("--no-security-zones")
    assert Commune.objects.count() == 7
    assert set(Commune.objects.values_list("security_zone", flat=True)) == {""}
