"""build_territories_data: Etalab data/*.json -> compact files (no database involved)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vigie.territories.datafile import read_compact_data
from vigie.territories.zones import normalize_name


def test_build_keeps_current_communes_of_france_and_derives_epci_membership(fake):
    output = fake.build()
    data = read_compact_data(fake.data_dir)

    assert data.manifest["source"]["version"] == "0.0.0-test"
    assert data.manifest["source"]["package"] == "@etalab/decoupage-administratif"
    assert [row["code"] for row in data.levels["regions"]] == ["75", "76", "94"]
    assert [row["code"] for row in data.levels["departments"]] == ["2A", "46", "47"]
    assert len(data.levels["arrondissements"]) == 4
    communes = {row["code"]: row for row in data.levels["communes"]}
    # The commune déléguée and the commune of Saint-Pierre-et-Miquelon are left out.
    assert sorted(communes) == ["2A004", "46042", "46095", "46102", "46191", "46224", "47001"]
    assert communes["46042"] == {
        "code": "46042",
        "name": "Cahors",
        "department": "46",
        "arrondissement": "461",
        "epci": "200023737",
        "population": 20050,
        "postal_codes": "46000",
    }
    assert communes["47001"]["epci"] == "200099999"
    assert communes["47001"]["postal_codes"] == "47000"
    assert communes["2A004"]["epci"] == ""
    assert communes["2A004"]["postal_codes"] == "20000 20090 20167"
    epcis = {row["code"]: row for row in data.levels["epci"]}
    assert epcis["200023737"] == {
        "code": "200023737",
        "name": "CA du Grand Cahors",
        "kind": "CA",
        "population": 25750,
    }
    assert "communes : 7" in output


def test_build_is_deterministic(fake):
    fake.build()
    first = {path.name: path.read_bytes() for path in fake.data_dir.iterdir()}
    fake.build()
    second = {path.name: path.read_bytes() for path in fake.data_dir.iterdir()}
    assert first == second
    assert not [name for name in second if name.endswith(".tmp")]


def test_build_needs_the_source_version(fake):
    fake.write_source(version=None)
    with pytest.raises(CommandError, match="Version des données introuvable"):
        call_command("build_territories_data", str(fake.source_dir), "--output", str(fake.data_dir))
    call_command(
        "build_territories_data",
        str(fake.source_dir),
        "--output",
        str(fake.data_dir),
        "--source-version",
        "9.9.9",
        stdout=StringIO(),
    )
    manifest = json.loads((fake.data_dir / "manifest.json").read_text())
    assert manifest["source"]["version"] == "9.9.9"


def _unknown_member(fake):
    fake.epci("200023737")["membres"].append({"code": "99999"})


def _commune_in_two_epci(fake):
    fake.epci("200023737")["membres"].append({"code": "46102"})


def _unknown_epci_kind(fake):
    fake.epci("200023737")["type"] = "SIVOM"


def _negative_population(fake):
    fake.commune("46042")["population"] = -3


def _unknown_arrondissement(fake):
    fake.commune("46042")["arrondissement"] = "469"


def _missing_name(fake):
    del fake.commune("46042")["nom"]


def _unknown_region(fake):
    fake.etalab["departements"][0]["region"] = "99"


def _not_a_list(fake):
    fake.etalab["regions"] = {"code": "76"}


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_unknown_member, "commune membre « 99999 » inconnue"),
        (_commune_in_two_epci, "la commune 46102 est déjà membre de l'EPCI 200023737"),
        (_unknown_epci_kind, "nature d'EPCI « SIVOM » inconnue"),
        (_negative_population, "« population » doit être un entier positif ou nul"),
        (_unknown_arrondissement, "arrondissement « 469 » inconnu dans le département 46"),
        (_missing_name, "champ « nom » manquant ou invalide"),
        (_unknown_region, "région « 99 » inconnue ou hors périmètre"),
        (_not_a_list, "regions.json doit contenir une liste d'objets JSON"),
    ],
)
def test_malformed_input_is_rejected_in_french_and_nothing_is_written(fake, corrupt, message):
    fake.build()
    before = {path.name: path.read_bytes() for path in fake.data_dir.iterdir()}
    corrupt(fake)
    with pytest.raises(CommandError, match="Données Etalab invalides") as error:
        fake.build()
    assert message in str(error.value)
    assert {path.name: path.read_bytes() for path in fake.data_dir.iterdir()} == before


def test_missing_or_invalid_json_files(fake):
    fake.write_source()
    (fake.source_dir / "epci.json").unlink()
    (fake.source_dir / "communes.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("build_territories_data", str(fake.source_dir), "--output", str(fake.data_dir))
    assert "fichier manquant : epci.json" in str(error.value)
    assert "communes.json n'est pas un fichier JSON valide" in str(error.value)
    assert not fake.data_dir.exists()


def test_missing_source_directory(fake):
    with pytest.raises(CommandError, match="introuvable"):
        call_command(
            "build_territories_data",
            str(fake.root / "absent"),
            "--output",
            str(fake.data_dir),
            "--source-version",
            "1",
        )


def test_normalize_name():
    assert normalize_name("Bellefont-La-Rauze") == normalize_name("Bellefont-La Rauze")
    assert normalize_name("MERCUÈS") == normalize_name("mercues")
    assert normalize_name("L'Isle-Jourdain") == "l isle jourdain"
    assert normalize_name("Œuilly") == "oeuilly"
