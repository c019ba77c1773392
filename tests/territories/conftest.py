"""A tiny fake Etalab "découpage administratif" input, built and loaded into temporary folders."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command


def _commune(code, name, department, arrondissement, population, postal_codes, **extra):
    region = {"46": "76", "47": "75", "2A": "94"}.get(department, "975")
    return {
        "code": code,
        "nom": name,
        "typeLiaison": 0,
        "zone": "com" if department == "975" else "metro",
        "arrondissement": arrondissement,
        "departement": department,
        "region": region,
        "type": "commune-actuelle",
        "rangChefLieu": 0,
        "siren": "2" + code.replace("A", "0") + "000",
        "codesPostaux": postal_codes,
        "population": population,
        **extra,
    }


ETALAB_SAMPLE = {
    "regions": [
        {"code": "76", "chefLieu": "31555", "nom": "Occitanie", "typeLiaison": 1, "zone": "metro"},
        {
            "code": "75",
            "chefLieu": "33063",
            "nom": "Nouvelle-Aquitaine",
            "typeLiaison": 3,
            "zone": "metro",
        },
        {"code": "94", "chefLieu": "2A004", "nom": "Corse", "typeLiaison": 0, "zone": "metro"},
        # A collectivité d'outre-mer: out of scope.
        {"code": "975", "chefLieu": "97502", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
    ],
    "departements": [
        {"code": "46", "region": "76", "chefLieu": "46042", "nom": "Lot", "zone": "metro"},
        {
            "code": "47",
            "region": "75",
            "chefLieu": "47001",
            "nom": "Lot-et-Garonne",
            "zone": "metro",
        },
        {"code": "2A", "region": "94", "chefLieu": "2A004", "nom": "Corse-du-Sud", "zone": "metro"},
        {
            "code": "975",
            "region": "975",
            "chefLieu": "97502",
            "nom": "Saint-Pierre-et-Miquelon",
            "zone": "com",
        },
    ],
    "arrondissements": [
        {"code": "461", "departement": "46", "region": "76", "chefLieu": "46042", "nom": "Cahors"},
        {"code": "462", "departement": "46", "region": "76", "chefLieu": "46102", "nom": "Figeac"},
        {"code": "471", "departement": "47", "region": "75", "chefLieu": "47001", "nom": "Agen"},
        {"code": "2A1", "departement": "2A", "region": "94", "chefLieu": "2A004", "nom": "Ajaccio"},
    ],
    "communes": [
        _commune("46042", "Cahors", "46", "461", 20050, ["46000"]),
        _commune("46224", "Pradines", "46", "461", 3617, ["46090"]),
        _commune("46095", "Espère", "46", "461", 963, ["46090"]),
        _commune("46191", "Mercuès", "46", "461", 1122, ["46090"]),
        _commune("46102", "Figeac", "46", "462", 9793, ["46100"]),
        _commune("47001", "Agen", "47", "471", 32485, ["47000", "47000"]),
        _commune("2A004", "Ajaccio", "2A", "2A1", 75279, ["20167", "20000", "20090"]),
        # Ignored: a commune déléguée, and a commune of a collectivité d'outre-mer.
        {**_commune("46077", "Bellefont", "46", "461", 500, ["46090"]), "type": "commune-deleguee"},
        {
            "code": "97502",
            "nom": "Saint-Pierre",
            "departement": "975",
            "region": "975",
            "zone": "com",
            "type": "commune-actuelle",
            "codesPostaux": ["97500"],
            "population": 5194,
        },
    ],
    "epci": [
        {
            "code": "200023737",
            "nom": "CA du Grand Cahors",
            "type": "CA",
            "modeFinancement": "FPU",
            "populationTotale": 25750,
            "populationMunicipale": 24630,
            "membres": [{"code": "46042"}, {"code": "46224"}, {"code": "46095"}],
        },
        {
            "code": "200099999",
            "nom": "CC Entre Lot et Garonne",
            "type": "CC",
            "modeFinancement": "FPU",
            "populationTotale": 44000,
            "populationMunicipale": 43400,
            "membres": [{"code": "46102"}, {"code": "47001"}, {"code": "46191"}],
        },
    ],
}

ZONES_SAMPLE = {
    "departments": [
        {
            "department": "46",
            "default_zone": "gendarmerie",
            "areas": [
                {
                    "kind": "circonscription_police",
                    "name": "Cahors",
                    # Case, accents and hyphens differ from the official names on purpose.
                    "communes": ["CAHORS", "pradines", "Espere"],
                    "source": "Plan de test.",
                },
                {
                    "kind": "compagnie_gendarmerie",
                    "name": "Cahors",
                    "arrondissements": ["461"],
                    "source": "Approximation par arrondissement.",
                },
                {
                    "kind": "compagnie_gendarmerie",
                    "name": "Figeac",
                    "arrondissements": ["462"],
                    "source": "Approximation par arrondissement.",
                },
            ],
        }
    ]
}


class FakeTerritories:
    """Fake Etalab input and zones file under ``root``; builds and loads through the commands."""

    def __init__(self, root: Path):
        self.root = root
        self.etalab = copy.deepcopy(ETALAB_SAMPLE)
        self.zones = copy.deepcopy(ZONES_SAMPLE)
        self.package_dir = root / "etalab" / "package"
        self.source_dir = self.package_dir / "data"
        self.data_dir = root / "compact"
        self.zones_path = root / "security-zones.json"

    def write_source(self, version: str | None = "0.0.0-test") -> Path:
        self.source_dir.mkdir(parents=True, exist_ok=True)
        if version:
            package = {"name": "@etalab/decoupage-administratif", "version": version}
            (self.package_dir / "package.json").write_text(json.dumps(package), encoding="utf-8")
        for name, items in self.etalab.items():
            (self.source_dir / f"{name}.json").write_text(
                json.dumps(items, ensure_ascii=False), encoding="utf-8"
            )
        return self.source_dir

    def build(self, *args) -> str:
        self.write_source()
        out = StringIO()
        call_command(
            "build_territories_data",
            str(self.source_dir),
            "--output",
            str(self.data_dir),
            *args,
            stdout=out,
        )
        return out.getvalue()

    def load(self, *args) -> str:
        self.zones_path.write_text(json.dumps(self.zones, ensure_ascii=False), encoding="utf-8")
        out = StringIO()
        call_command(
            "load_territories",
            "--data-dir",
            str(self.data_dir),
            "--security-zones",
            str(self.zones_path),
            *args,
            stdout=out,
        )
        return out.getvalue()

    def commune(self, code: str) -> dict:
        return next(item for item in self.etalab["communes"] if item["code"] == code)

    def epci(self, code: str) -> dict:
        return next(item for item in self.etalab["epci"] if item["code"] == code)


@pytest.fixture
def fake(tmp_path) -> FakeTerritories:
    return FakeTerritories(tmp_path)


@pytest.fixture
def loaded(fake, db) -> FakeTerritories:
    fake.build()
    fake.load()
    return fake
