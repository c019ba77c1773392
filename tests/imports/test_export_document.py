"""The plan document regenerated from Vigie's data: exported as DOCX, ODT and PDF, imported
again by Vigie's own importer, it gives the same plan (the acceptance test of issue 13);
as signed or as it stands with its amendments; from the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.imports.conftest import SEED_FILES
from tests.imports.test_export_json import dry_run_json, imported
from tests.imports.test_versions import lot_amended_text
from tests.plans.factories import department_scenario
from vigie.imports.exporting.adopted import adopted_plan_json
from vigie.imports.exporting.export import export_plan
from vigie.imports.exporting.plan_json import plan_to_import_json
from vigie.plans.models import Measure, Plan
from vigie.plans.services import create_action

CODES = {"gers": "32", "lot": "46"}


def structure(data: dict) -> dict:
    """What the acceptance criterion compares: axes, measures, actions and indicators."""
    return {
        part: [
            {
                "number": axis["number"],
                "title": axis["title"],
                "measures": [
                    {
                        "number": m["number"],
                        "title": m["title"],
                        "actions": [(a["title"], a["text"]) for a in m["actions"]],
                        "indicators": m["indicators"],
                    }
                    for m in axis["measures"]
                ],
            }
            for axis in data[part]
        ]
        for part in ("axes", "annexes")
    }


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
@pytest.mark.parametrize("name", ["gers", "lot"])
def test_exported_plan_imports_back_to_the_seed_plan(name, fmt, gers, lot, tmp_path):
    code = CODES[name]
    expected = dry_run_json(SEED_FILES[name], code)
    plan = imported(SEED_FILES[name], code)
    path = tmp_path / f"plan.{fmt}"
    call_command("export_plan", str(plan.pk), format=fmt, output=str(path), stdout=io.StringIO())
    again = dry_run_json(path, code)
    assert structure(again) == structure(expected)
    counts = structure(expected)
    assert len(counts["axes"]) == 4 and sum(len(a["measures"]) for a in counts["axes"]) >= 12
    # beyond the criterion: pilots and partners, findings, sections, signatories, glossary…
    assert again == expected


def test_signed_and_current_editions_after_an_amendment(
    lot, tmp_path, django_assert_max_num_queries
):
    signed_text = dry_run_json(SEED_FILES["lot"], "46")
    plan = imported(SEED_FILES["lot"], "46")
    amended = tmp_path / "lot-avenant-1.md"
    amended.write_text(lot_amended_text(), encoding="utf-8")
    amended_text = dry_run_json(amended, "46")
    call_command(
        "import_plan",
        str(amended),
        department="46",
        version_label="Avenant n° 1",
        adopted_on="2023-06-15",
        stdout=io.StringIO(),
    )
    with django_assert_max_num_queries(12):
        adopted_plan_json(plan)
    signed = json.loads(export_plan(plan, fmt="json", edition="signed").content)
    current = json.loads(export_plan(plan, fmt="json", edition="current").content)
    assert signed == signed_text
    assert current == amended_text
    assert signed != current

    exported = export_plan(plan, fmt="docx", edition="signed")
    assert exported.filename == "plan-46-2020-2024-signe.docx"
    path = tmp_path / exported.filename
    path.write_bytes(exported.content)
    assert dry_run_json(path, "46") == signed_text


def test_cover_says_which_text_it_is(lot, tmp_path):
    plan = imported(SEED_FILES["lot"], "46")
    amended = tmp_path / "lot-avenant-1.md"
    amended.write_text(lot_amended_text(), encoding="utf-8")
    call_command(
        "import_plan",
        str(amended),
        department="46",
        version_label="Avenant n° 1",
        adopted_on="2023-06-15",
        stdout=io.StringIO(),
    )
    current = PdfReader(io.BytesIO(export_plan(plan, fmt="pdf").content))
    cover = " ".join(current.pages[0].extract_text().split())
    assert "Plan départemental de prévention de la délinquance du Lot" in cover
    assert "avenants compris" in cover
    assert "Dernière version : Avenant n° 1, adoptée le 15 juin 2023." in cover
    assert "Département du Lot" in cover
    assert current.metadata.title == plan.title
    text = " ".join(" ".join(page.extract_text() for page in current.pages).split())
    assert "Renforcer la protection des élus et des candidats" in text
    assert "Fait à Cahors, le 5 février 2021" in text and "Michel ROSIC" in text
    assert "Glossaire" in text
    signed = PdfReader(io.BytesIO(export_plan(plan, fmt="pdf", edition="signed").content))
    signed_cover = " ".join(signed.pages[0].extract_text().split())
    assert "Texte signé : Version initiale, adoptée le 5 février 2021." in signed_cover


def test_export_command_refuses_an_unknown_plan_and_format(tmp_path, db):
    with pytest.raises(CommandError, match="Plan introuvable"):
        call_command("export_plan", "999", format="pdf", output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("export_plan", "1", format="rtf", output=str(tmp_path / "x.rtf"))


def test_export_command_writes_json_in_the_import_schema(gers, tmp_path):
    plan = imported(SEED_FILES["gers"], "32")
    path = tmp_path / "gers.json"
    out = io.StringIO()
    call_command(
        "export_plan", str(plan.pk), format="json", output=str(path), as_signed=True, stdout=out
    )
    assert json.loads(path.read_text(encoding="utf-8")) == dry_run_json(SEED_FILES["gers"], "32")
    assert str(path) in out.getvalue()
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("fmt", ["odt", "pdf"])
def test_a_plan_written_in_vigie_round_trips(fmt, db, tmp_path):
    """Actions named in Vigie apart from their text come back named (the importer reads
    « **Nom :** texte »)."""
    scenario = department_scenario("32", "Gers", "Auch")
    expected = plan_to_import_json(scenario.plan)
    assert expected["axes"][0]["measures"][0]["actions"]
    path = tmp_path / f"plan.{fmt}"
    path.write_bytes(export_plan(scenario.plan, fmt=fmt).content)
    again = dry_run_json(path, "32")
    assert structure(again) == structure(expected)
    named = again["axes"][0]["measures"][0]["actions"][0]
    assert (named["title"], named["text"]) == (
        "Cellule de veille",
        "Réunir chaque mois la cellule de veille éducative.",
    )


def test_an_action_added_in_vigie_is_in_force_but_not_signed(gers, make_user):
    plan = imported(SEED_FILES["gers"], "32")
    measure = Measure.objects.get(axis__plan=plan, number="1.1")
    added = "Réunir chaque trimestre les référents harcèlement des collèges."
    create_action(acting_user=make_user("prefecture", gers), measure=measure, data={"text": added})

    def texts(data):
        return [a["text"] for a in data["axes"][0]["measures"][0]["actions"]]

    assert added in texts(plan_to_import_json(plan))
    assert added not in texts(adopted_plan_json(plan))
    assert adopted_plan_json(plan) == dry_run_json(SEED_FILES["gers"], "32")
