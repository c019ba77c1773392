"""Imports through the pages: what was added in Vigie survives a new version of the document,
and the same document again changes nothing (no row, no audit entry about the plan, no
version)."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from tests.imports.conftest import SEED_FILES
from tests.imports.test_versions import lot_amended_text, upload
from vigie.audit.models import AuditEntry
from vigie.imports import services
from vigie.imports.enums import ImportStatus
from vigie.imports.models import ImportSession, PlanVersion
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.plans.models import (
    Action,
    Axis,
    AxisSection,
    GoodPractice,
    Measure,
    MeasureActor,
    Plan,
    Signatory,
)
from vigie.plans.services import create_action

VIGIE_ACTION = "Réunir chaque trimestre les référents harcèlement des collèges."
PLAN_MODELS = (
    Plan, Axis, AxisSection, Measure, MeasureActor, Action, GoodPractice, Indicator, Signatory,
    Organisation, GlossaryEntry, PlanVersion, IndicatorValue,
)  # fmt: skip


def plan_rows() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in PLAN_MODELS}


def plan_audit_entries():
    """Audit entries about anything but the import sessions themselves."""
    return AuditEntry.objects.exclude(content_type=ContentType.objects.get_for_model(ImportSession))


@pytest.fixture
def lot_plan(lot):
    call_command("import_plan", str(SEED_FILES["lot"]), department="46", stdout=io.StringIO())
    return Plan.objects.get(department=lot)


@pytest.fixture
def agent(make_user, lot):
    return make_user("prefecture", lot)


@pytest.fixture
def vigie_action(lot_plan, agent):
    measure = Measure.objects.get(axis__plan=lot_plan, number="1.2")
    return create_action(acting_user=agent, measure=measure, data={"text": VIGIE_ACTION})


def test_same_document_again_changes_nothing_and_keeps_items_added_in_vigie(
    client, agent, lot_plan, vigie_action
):
    client.force_login(agent)
    upload(client, "lot.txt", SEED_FILES["lot"].read_bytes())
    session = ImportSession.objects.get()
    diff = services.review_diff(session)
    assert diff.total == 0 and not diff.blocking
    assert [str(item) for item in diff.kept] == [
        f"action « {VIGIE_ACTION} » (mesure 1.2) : ajouté dans Vigie, conservé"
    ]
    assert diff.summary() == "aucune différence ; 1 élément(s) ajouté(s) dans Vigie, conservé(s)"
    page = client.get(reverse("imports:review", args=[session.pk])).content.decode()
    assert "1 élément(s) ajouté(s) dans Vigie, conservé(s)" in page
    rows, entries = plan_rows(), plan_audit_entries().count()

    response = client.post(reverse("imports:confirm", args=[session.pk]), follow=True)

    assert "Le document ne change rien au plan" in response.content.decode()
    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED and session.version is None
    assert plan_rows() == rows  # not a row, not a version
    assert plan_audit_entries().count() == entries
    assert Action.objects.filter(pk=vigie_action.pk).exists()


def test_amendment_through_the_pages_keeps_items_added_in_vigie(
    client, agent, lot_plan, vigie_action
):
    client.force_login(agent)
    removed = Indicator.objects.get(
        measure__axis__plan=lot_plan, label="Nombre d'ateliers mis en place"
    )
    upload(client, "lot-avenant-1.md", lot_amended_text().encode(), plan=lot_plan.pk,
           version_label="Avenant n° 1")  # fmt: skip
    session = ImportSession.objects.get()
    diff = services.review_diff(session)
    assert diff.total == 3 and [i.old_text for i in diff.indicators_removed] == [removed.label]
    assert diff.actions_removed == [] and len(diff.kept) == 1

    client.post(reverse("imports:confirm", args=[session.pk]))

    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED and session.version.label == "Avenant n° 1"
    assert not Indicator.objects.filter(pk=removed.pk).exists()
    assert Action.objects.get(pk=vigie_action.pk).text == VIGIE_ACTION
    assert vigie_action.pk not in session.version.snapshot["from_documents"]["actions"]


def test_keeping_a_removed_measure_leaves_its_vigie_items_as_they_are(
    client, agent, lot_plan, vigie_action
):
    """A measure that the new document drops while it holds an item added in Vigie is not
    deleted in silence; « Conserver » puts back the measure as it came from the document."""
    client.force_login(agent)
    measure = vigie_action.measure
    text = SEED_FILES["lot"].read_text(encoding="utf-8")
    start = text.rindex(f"Action : {measure.title}\n")  # the fiche (not the summary)
    end = text.index("**Action : Développer la sécurisation des établissements", start)
    upload(client, "lot-avenant.md", (text[:start] + text[end:]).encode(), plan=lot_plan.pk,
           version_label="Avenant n° 1")  # fmt: skip
    session = ImportSession.objects.get()
    diff = services.review_diff(session)
    assert [b for b in diff.blocking if "éléments ajoutés dans Vigie" in b]

    client.post(reverse("imports:keep", args=[session.pk]))
    session.refresh_from_db()
    [(index, kept)] = [
        (index, m)
        for index, m in enumerate(session.structure["axes"][0]["measures"])
        if m["title"] == measure.title
    ]
    assert VIGIE_ACTION not in [a["text"] for a in kept["actions"]]
    assert services.review_diff(session).blocking == []
    # put back at the end of its axis: it takes the next number there
    services.edit_structure(
        acting_user=agent, session=session, operation="rename", path=f"axes-0-measures-{index}",
        data={"title": kept["title"], "number": f"1.{index + 1}"},
    )  # fmt: skip

    client.post(reverse("imports:confirm", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert Action.objects.filter(pk=vigie_action.pk).exists()
    assert vigie_action.pk not in session.version.snapshot["from_documents"]["actions"]


def test_diff_page_lists_items_added_in_vigie_as_kept(client, agent, lot_plan, vigie_action):
    client.force_login(agent)
    upload(client, "lot.txt", SEED_FILES["lot"].read_bytes())
    session = ImportSession.objects.get()
    page = client.get(reverse("imports:diff", args=[session.pk])).content.decode()
    assert "Ajouts faits dans Vigie, conservés" in page
    assert f"Action (mesure 1.2) : {VIGIE_ACTION}" in page
