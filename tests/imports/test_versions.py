"""Amendments (avenants): a new version of an existing plan, its diff before confirmation,
follow-up carried over, removed items with follow-up refused, previous versions readable."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.imports.conftest import SEED_FILES, plan_row_counts
from vigie.imports import services
from vigie.imports.enums import ImportStatus
from vigie.imports.models import ImportSession, PlanVersion
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Comment, Measure, Plan

RENAMED_FROM = "Action : Renforcer la protection des élus\n"
RENAMED_TO = "Action : Renforcer la protection des élus et des candidats\n"
REMOVED_INDICATOR = "- Nombre d'ateliers mis en place\n"
ADDED_FICHE = """
Action : Prévenir les violences lors des manifestations sportives

Pilotes :

- Préfecture

Indicateurs de suivi :

- Nombre de rencontres sécurisées

"""


def lot_amended_text() -> str:
    text = SEED_FILES["lot"].read_text(encoding="utf-8")
    assert text.count(RENAMED_FROM) == 2  # the summary of chapter IV and the fiche itself
    head, fiche = text.rsplit(RENAMED_FROM, 1)
    text = head + RENAMED_TO + fiche
    assert text.count(REMOVED_INDICATOR) == 1
    text = text.replace(REMOVED_INDICATOR, "")
    # a new fiche at the end of priority 2, just before priority 3
    marker = "Priorité n° 3 : Renforcer la tranquillité publique"
    position = text.rindex(marker)
    return text[:position] + ADDED_FICHE + text[position:]


def upload(client, name: str, content: bytes, **data):
    return client.post(
        reverse("imports:start", args=["46"]),
        {"file": SimpleUploadedFile(name, content), **data},
        follow=True,
    )


@pytest.fixture
def lot_plan(lot):
    call_command("import_plan", str(SEED_FILES["lot"]), department="46", stdout=io.StringIO())
    return Plan.objects.get(department=lot)


@pytest.fixture
def follow_up(lot_plan, make_user):
    """Statuses and indicator values recorded on measures the amendment does not touch."""
    actions = list(
        Action.objects.filter(measure__axis__plan=lot_plan, measure__number__in=["1.1", "3.1"])
    )
    for action in actions:
        action.status = ActionStatus.IN_PROGRESS
        action.progress_note = "Lancé en 2022"
        action.save()
    campaign = Campaign.objects.create(
        plan=lot_plan,
        title="Bilan 2022",
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        deadline=date(2023, 3, 1),
    )
    indicators = list(Indicator.objects.filter(measure__axis__plan=lot_plan, measure__number="3.1"))
    for indicator in indicators:
        IndicatorValue.objects.create(
            indicator=indicator,
            campaign=campaign,
            period="2022",
            department=lot_plan.department,
            territory_key=f"D{lot_plan.department.code}",
            value=Decimal("7"),
        )
    Comment.objects.create(
        measure=Measure.objects.get(axis__plan=lot_plan, number="2.7"),
        author=make_user("prefecture", lot_plan.department),
        body="Point d'étape",
    )
    return {"actions": actions, "indicators": indicators}


def test_amendment_shows_exactly_the_three_changes_and_keeps_follow_up(
    client, make_user, lot_plan, follow_up
):
    agent = make_user("prefecture", lot_plan.department)
    client.force_login(agent)
    renamed = Measure.objects.get(axis__plan=lot_plan, number="2.7")
    removed = Indicator.objects.get(
        measure__axis__plan=lot_plan, label="Nombre d'ateliers mis en place"
    )
    response = upload(
        client,
        "lot-avenant-1.md",
        lot_amended_text().encode(),
        plan=lot_plan.pk,
        version_label="Avenant n° 1",
        adopted_on="2023-06-15",
    )
    session = ImportSession.objects.get()
    assert session.status == ImportStatus.REVIEW and session.plan == lot_plan
    assert response.request["PATH_INFO"] == reverse("imports:review", args=[session.pk])

    diff = services.review_diff(session)
    assert [(m.number, m.old_title, m.title, m.fields) for m in diff.measures_changed] == [
        (
            "2.7",
            "Renforcer la protection des élus",
            "Renforcer la protection des élus et des candidats",
            ["intitulé"],
        )
    ]
    assert [(m.number, m.title) for m in diff.measures_added] == [
        ("2.8", "Prévenir les violences lors des manifestations sportives")
    ]
    assert [(i.measure, i.old_text) for i in diff.indicators_removed] == [
        ("1.2", "Nombre d'ateliers mis en place")
    ]
    assert diff.total == 3 and not diff.blocking

    page = client.get(reverse("imports:diff", args=[session.pk])).content.decode()
    assert "Renforcer la protection des élus et des candidats" in page
    assert "Nombre d&#x27;ateliers mis en place" in page

    before_values = IndicatorValue.objects.count()
    response = client.post(reverse("imports:confirm", args=[session.pk]), follow=True)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED

    renamed.refresh_from_db()
    assert renamed.title == "Renforcer la protection des élus et des candidats"
    assert renamed.comments.count() == 1  # same row: comments and history carried over
    assert not Indicator.objects.filter(pk=removed.pk).exists()
    assert Measure.objects.filter(axis__plan=lot_plan).count() == 16
    for action in follow_up["actions"]:
        action.refresh_from_db()
        assert (action.status, action.progress_note) == (ActionStatus.IN_PROGRESS, "Lancé en 2022")
    assert IndicatorValue.objects.count() == before_values
    assert all(Indicator.objects.filter(pk=i.pk).exists() for i in follow_up["indicators"])

    versions = list(lot_plan.versions.order_by("number"))
    assert [(v.number, v.label) for v in versions] == [(1, "Version initiale"), (2, "Avenant n° 1")]
    assert versions[1].adopted_on == date(2023, 6, 15)
    old_titles = [m["title"] for a in versions[0].snapshot["axes"] for m in a["measures"]]
    assert "Renforcer la protection des élus" in old_titles  # the previous version stays readable
    page = client.get(reverse("imports:version", args=[versions[0].pk])).content.decode()
    assert "Renforcer la protection des élus</h3>" in page.replace("\n", "")
    page = client.get(reverse("imports:version_diff", args=[versions[1].pk])).content.decode()
    assert "1 mesure(s) ajoutée(s), 1 mesure(s) modifiée(s), 1 indicateur(s) retiré(s)" in page
    listing = client.get(reverse("imports:versions", args=[lot_plan.pk])).content.decode()
    assert "Avenant n° 1" in listing and "Version initiale" in listing


def test_removing_an_indicator_with_values_is_refused_and_writes_nothing(
    client, make_user, lot_plan, follow_up
):
    client.force_login(make_user("prefecture", lot_plan.department))
    indicator = follow_up["indicators"][0]
    text = SEED_FILES["lot"].read_text(encoding="utf-8").replace(f"- {indicator.label}\n", "")
    upload(client, "lot.md", text.encode(), plan=lot_plan.pk, version_label="Avenant n° 2")
    session = ImportSession.objects.get()
    diff = services.review_diff(session)
    assert len(diff.blocking) == 1 and "1 valeur(s) saisie(s)" in diff.blocking[0]
    before = plan_row_counts()
    response = client.post(reverse("imports:confirm", args=[session.pk]), follow=True)
    assert "rien n&#x27;a été modifié" in response.content.decode()
    assert plan_row_counts() == before
    session.refresh_from_db()
    assert session.status == ImportStatus.REVIEW
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_followed_items_can_be_kept_in_the_new_version(client, make_user, lot_plan, follow_up):
    client.force_login(make_user("prefecture", lot_plan.department))
    indicator = follow_up["indicators"][0]
    action = follow_up["actions"][0]
    text = SEED_FILES["lot"].read_text(encoding="utf-8").replace(f"- {indicator.label}\n", "")
    text = text.replace(f"- {action.text}\n", "")
    upload(client, "lot.md", text.encode(), plan=lot_plan.pk, version_label="Avenant n° 2")
    session = ImportSession.objects.get()
    assert len(services.review_diff(session).blocking) == 2
    page = client.get(reverse("imports:review", args=[session.pk])).content.decode()
    assert "Conserver ces éléments dans la nouvelle version" in page
    client.post(reverse("imports:keep", args=[session.pk]))
    session.refresh_from_db()
    diff = services.review_diff(session)
    assert diff.blocking == [] and diff.indicators_removed == [] and diff.actions_removed == []
    client.post(reverse("imports:confirm", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_same_document_again_is_a_new_version_without_changes(client, make_user, lot_plan):
    client.force_login(make_user("prefecture", lot_plan.department))
    upload(client, "lot.txt", SEED_FILES["lot"].read_bytes())
    session = ImportSession.objects.get()
    assert session.plan == lot_plan and session.version_label == "Nouvelle version"
    assert services.review_diff(session).total == 0


def test_command_version_label_prints_the_diff(lot_plan, tmp_path, follow_up):
    path = tmp_path / "lot-avenant.md"
    path.write_text(lot_amended_text(), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_plan", str(path), department="46", version_label="Avenant n° 1", stdout=out
    )
    output = out.getvalue()
    assert "« Avenant n° 1 » enregistrée (version 2)" in output
    assert "1 mesure(s) ajoutée(s), 1 mesure(s) modifiée(s), 1 indicateur(s) retiré(s)" in output
    assert "2.8 — Prévenir les violences lors des manifestations sportives" in output
    assert PlanVersion.objects.filter(plan=lot_plan).count() == 2
    for action in follow_up["actions"]:
        action.refresh_from_db()
        assert action.status == ActionStatus.IN_PROGRESS


def test_command_version_label_without_a_plan(lot, tmp_path):
    with pytest.raises(CommandError, match="Aucun plan existant"):
        call_command(
            "import_plan",
            str(SEED_FILES["lot"]),
            department="46",
            version_label="Avenant n° 1",
            stdout=io.StringIO(),
        )


def test_renumbered_and_moved_measures_keep_their_rows(lot_plan):
    """A fiche inserted at the start of a priority shifts the numbers: rows follow titles."""
    text = SEED_FILES["lot"].read_text(encoding="utf-8")
    first = "Action : Doter le département du Lot d'au moins deux intervenants sociaux"
    head, tail = text.rsplit("**" + first, 1)
    text = head + ADDED_FICHE + "**" + first + tail
    from vigie.imports.parsing.structure import parse_plan
    from vigie.imports.reading.text import parse_text
    from vigie.imports.writing.loader import load_plan

    before = {m.title: m.pk for m in Measure.objects.filter(axis__plan=lot_plan)}
    parsed = parse_plan(parse_text(text), proper_nouns=("Lot",))
    load_plan(parsed, lot_plan.department, plan=lot_plan)
    after = {m.title: (m.pk, m.number) for m in Measure.objects.filter(axis__plan=lot_plan)}
    assert all(after[title][0] == pk for title, pk in before.items())
    assert after["Renforcer la protection des élus"][1] == "2.8"
    assert after["Prévenir les violences lors des manifestations sportives"][1] == "2.1"
