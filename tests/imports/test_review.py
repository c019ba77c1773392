"""Review edits on the detected structure (pure functions), through the web (HTMX and plain
forms), saved at each edit; background analysis and its progress fragment."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from vigie.audit.models import AuditEntry
from vigie.imports import review
from vigie.imports.enums import ImportStatus
from vigie.imports.models import ImportSession
from vigie.imports.parsing.schema import plan_from_dict
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.text import parse_text

TEXT = """# Plan départemental de prévention de la délinquance 2022-2025

## Axe 1 : Les jeunes

### Mesure 1.1 : Agir tôt

Pilote : DSDEN

Actions à mener :

- Ouvrir un accueil
- Former les animateurs
- Nombre de jeunes accueillis

Indicateurs :

- Nombre d'accueils ouverts

### Mesure 1.2 : Associer les familles

- Organiser des réunions de parents

## Axe 2 : Les victimes

### Mesure 2.1 : Accueillir

- Former les accueillants
"""


@pytest.fixture
def structure():
    return parse_plan(parse_text(TEXT)).to_dict("32")


def measure(data, axis, index):
    return data["axes"][axis]["measures"][index]


def test_rename_a_measure_and_a_paragraph(structure):
    data = review.rename(structure, "axes-0-measures-0", title="Agir plus tôt", number="1.1")
    assert measure(data, 0, 0)["title"] == "Agir plus tôt"
    data = review.rename(data, "axes-0-measures-0-actions-0", title="Ouvrir deux accueils")
    assert measure(data, 0, 0)["actions"][0]["text"] == "Ouvrir deux accueils"
    assert measure(structure, 0, 0)["title"] == "Agir tôt"  # the input is left as it was
    with pytest.raises(review.ReviewError, match="ne peut pas être vide"):
        review.rename(structure, "axes-0", title="  ")


def test_reassign_a_paragraph_to_another_field(structure):
    data = review.reassign(structure, "axes-0-measures-0-actions-2", "indicators")
    assert [a["text"] for a in measure(data, 0, 0)["actions"]] == [
        "Ouvrir un accueil",
        "Former les animateurs",
    ]
    assert measure(data, 0, 0)["indicators"] == [
        "Nombre d'accueils ouverts",
        "Nombre de jeunes accueillis",
    ]
    data = review.reassign(data, "axes-0-measures-0-indicators-0", "actions")
    assert measure(data, 0, 0)["actions"][-1] == {
        "title": "",
        "text": "Nombre d'accueils ouverts",
        "good_practices": [],
    }


def test_move_merge_split_and_drop(structure):
    data = review.move(structure, "axes-0-measures-1", "up")
    assert [m["number"] for m in data["axes"][0]["measures"]] == ["1.2", "1.1"]
    with pytest.raises(review.ReviewError):
        review.move(structure, "axes-0-measures-0", "up")
    data = review.move_measure(structure, "axes-0-measures-1", "axes-1")
    assert [m["number"] for m in data["axes"][1]["measures"]] == ["2.1", "1.2"]
    data = review.merge_next(structure, "axes-0-measures-0")
    merged = measure(data, 0, 0)
    assert len(data["axes"][0]["measures"]) == 1
    assert len(merged["actions"]) == 3  # the second had no "Actions à mener": context
    assert merged["situation"] == ["Organiser des réunions de parents"]
    data = review.split(structure, "axes-0-measures-0-actions-1")
    first, second = data["axes"][0]["measures"][:2]
    assert [a["text"] for a in first["actions"]] == ["Ouvrir un accueil"]
    assert second["number"] == "1.1b" and second["title"] == "Former les animateurs"
    assert second["indicators"] == ["Nombre d'accueils ouverts"] and second["pilots"] == []
    assert review.problems(data) == []
    data = review.drop(structure, "axes-1")
    assert len(data["axes"]) == 1
    data = review.drop(structure, "axes-0-measures-0-pilots-0")
    assert measure(data, 0, 0)["pilots"] == []
    # the edited structure is still a plan the loader can write
    plan = plan_from_dict(review.split(structure, "axes-0-measures-1"))
    assert [a.number for a in plan.axes] == ["1", "1b", "2"]


def test_problems_before_confirmation(structure):
    data = review.rename(structure, "axes-0-measures-1", title="Associer", number="1.1")
    assert review.problems(data) == [
        "Deux mesures portent le numéro 1.1 dans « Axe 1 » : renumérotez l'une d'elles."
    ]


def test_unknown_path_is_refused(structure):
    for path in ("axes-9", "axes-0-measures-9", "axes-0-measures-0-pilots-9", "nimporte"):
        with pytest.raises(review.ReviewError):
            review.drop(structure, path)


@pytest.fixture
def session(client, make_user, gers):
    client.force_login(make_user("prefecture", gers))
    client.post(
        reverse("imports:start", args=["32"]),
        {"file": SimpleUploadedFile("plan.md", TEXT.encode())},
    )
    return ImportSession.objects.get()


def test_htmx_edit_answers_with_the_tree_and_is_saved(client, session):
    url = reverse("imports:item", args=[session.pk, "axes-0-measures-0"])
    form = client.get(url, headers={"HX-Request": "true"})
    assert b"<form" in form.content and b"<html" not in form.content
    response = client.post(
        url,
        {"operation": "rename", "title": "Agir plus tôt", "number": "1.1", "revision": "0"},
        headers={"HX-Request": "true"},
    )
    assert b'id="review-tree"' in response.content and b"Agir plus t" in response.content
    session.refresh_from_db()
    assert session.revision == 1
    assert measure(session.structure, 0, 0)["title"] == "Agir plus tôt"
    entry = AuditEntry.objects.filter(object_id=str(session.pk)).latest("pk")
    assert entry.reason == "Vérification : renommer (axes-0-measures-0)"
    # a stale form (another tab) changes nothing
    response = client.post(
        url, {"operation": "drop", "revision": "0"}, headers={"HX-Request": "true"}
    )
    assert "modifiée entre-temps" in response.content.decode()
    session.refresh_from_db()
    assert len(session.structure["axes"][0]["measures"]) == 2


def test_plain_form_edit_redirects_to_the_review(client, session):
    url = reverse("imports:item", args=[session.pk, "axes-0-measures-0-actions-2"])
    response = client.post(url, {"operation": "reassign", "field": "indicators", "revision": "0"})
    assert response.status_code == 302 and response.url.endswith("#arbre")
    session.refresh_from_db()
    assert measure(session.structure, 0, 0)["indicators"][-1] == "Nombre de jeunes accueillis"


def test_organisations_to_create(client, session, gers):
    from vigie.organisations.models import Organisation

    client.post(reverse("imports:organisations", args=[session.pk]), {"create": ["DSDEN"]})
    session.refresh_from_db()
    matched = {item["wording"]: item["organisation"] for item in _matches(session)}
    if matched["DSDEN"] is None:  # DSDEN of the Gers is in the reference directory once loaded
        assert session.new_organisations == ["DSDEN"]
    client.post(reverse("imports:confirm", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ImportStatus.CONFIRMED
    assert Organisation.objects.filter(department=gers, acronym="DSDEN").exists() or (
        Organisation.objects.filter(department=gers, name="DSDEN").exists()
    )


def _matches(session):
    from vigie.imports.services import actor_matches

    return actor_matches(session)


def test_tolerant_name_match(gers):
    from vigie.imports.services import tolerant_match
    from vigie.organisations.models import Organisation
    from vigie.organisations.services import matcher_for

    spip = Organisation.objects.create(
        department=gers,
        name="Service pénitentiaire d'insertion et de probation du Gers",
        acronym="SPIP",
        kind="justice",
    )
    organisations = [spip]
    matcher = matcher_for(gers)
    assert tolerant_match(matcher, organisations, "le SPIP") == spip
    assert (
        tolerant_match(
            matcher, organisations, "Service penitentiaire d'insertion et probation du Gers"
        )
        == spip
    )
    assert tolerant_match(matcher, organisations, "Associations sportives") is None


@override_settings(VIGIE_IMPORT_INLINE_MAX_BYTES=0)
def test_large_files_are_analysed_in_the_background(
    client, make_user, gers, django_capture_on_commit_callbacks
):
    client.force_login(make_user("prefecture", gers))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("imports:start", args=["32"]),
            {"file": SimpleUploadedFile("plan.md", TEXT.encode())},
        )
    session = ImportSession.objects.get()
    assert session.status == ImportStatus.UPLOADED
    assert response.url == session.get_absolute_url()
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    fragment = client.get(
        reverse("imports:progress", args=[session.pk]), headers={"HX-Request": "true"}
    )
    assert b"<progress" in fragment.content
    for callback in callbacks:  # the task runs (immediate backend in tests)
        callback()
    session.refresh_from_db()
    assert (session.status, session.progress) == (ImportStatus.REVIEW, 100)
    done = client.get(
        reverse("imports:progress", args=[session.pk]), headers={"HX-Request": "true"}
    )
    assert done.status_code == 204 and done["HX-Redirect"] == session.get_absolute_url()
