"""The data package of a plan: every CSV column described in datapackage.json (Frictionless Table Schema),
under Licence Ouverte 2.0, values readable by the declared types."""

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse

from vigie.progress import opendata

TYPES = {"string", "integer", "number", "date", "datetime", "boolean"}


def _package(client, plan) -> dict[str, bytes]:
    response = client.get(reverse("progress:data", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _read_csv(content: bytes, dialect: dict) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # UTF-8 with a byte order mark (spreadsheets)
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect["delimiter"]))


def _parse(value: str, spec: dict):
    if value == "":
        return None
    kind = spec["type"]
    if kind == "integer":
        return int(value)
    if kind == "number":
        return Decimal(value.replace(spec.get("decimalChar", "."), "."))
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "boolean":
        assert value in spec["trueValues"] + spec["falseValues"]
        return value in spec["trueValues"]
    return value


def test_datapackage_describes_every_csv_column(world, client):
    files = _package(client, world.plan)
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"] == [opendata.LICENSE]
    assert package["licenses"][0]["name"] == "etalab-2.0"
    csv_files = {name for name in files if name.endswith(".csv")}
    described = {r["path"] for r in package["resources"] if r.get("format") == "csv"}
    assert (
        csv_files == described == {"mesures.csv", "actions.csv", "indicateurs.csv", "valeurs.csv"}
    )
    for resource in package["resources"]:
        if resource.get("format") != "csv":
            assert resource["path"] == "plan.json"
            assert json.loads(files["plan.json"])["department"] == "32"
            continue
        assert resource["encoding"] == "utf-8" and resource["dialect"]["delimiter"] == ";"
        fields = resource["schema"]["fields"]
        rows = _read_csv(files[resource["path"]], resource["dialect"])
        assert rows[0] == [f["name"] for f in fields], resource["path"]
        for spec in fields:
            assert spec["type"] in TYPES and spec["description"].strip(), spec
        assert resource["schema"]["primaryKey"] in rows[0]
        for row in rows[1:]:
            assert len(row) == len(fields)
            for value, spec in zip(row, fields, strict=True):
                _parse(value, spec)  # every cell reads as its declared type


def test_package_content(world, client):
    files = _package(client, world.plan)
    package = json.loads(files["datapackage.json"])
    resources = {r["name"]: r for r in package["resources"]}
    values = _read_csv(files["valeurs.csv"], resources["valeurs"]["dialect"])
    header = values[0]
    by_indicator = {row[header.index("indicateur_id")]: row for row in values[1:]}
    row = by_indicator[str(world.dept_indicator.pk)]
    assert row[header.index("valeur")] == "150"
    assert row[header.index("territoire_niveau")] == "departement"
    actions = _read_csv(files["actions.csv"], resources["actions"]["dialect"])
    states = {
        r[actions[0].index("texte")]: r[actions[0].index("etat_libelle")] for r in actions[1:]
    }
    assert states["Intervenir dans les écoles de Condom"] == "En cours"


def test_formula_text_is_neutralised(world, client):
    world.action.title = '=HYPERLINK("http://example.org")'
    world.action.save()
    files = _package(client, world.plan)
    assert b"'=HYPERLINK" in files["actions.csv"]
