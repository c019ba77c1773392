"""Choosing what is public (service, audited, the prefecture's), and the public timeline of an action's
states read from the audit log (dates and states only)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from vigie.audit.models import AuditEntry
from vigie.audit.services import field_history
from vigie.plans.models import Action
from vigie.progress import services, territory


def test_set_publication_flags_and_audits_each_change(world):
    w = world
    changed = services.set_publication(
        acting_user=w.users.prefecture,
        plan=w.plan,
        measure_ids={w.other_measure.pk},
        action_ids={w.secret_action.pk, w.action.pk},
        indicator_ids=set(),
    )
    assert changed == 3  # other measure flagged, action flagged, secret indicator made public again
    version = w.action.version
    w.action.refresh_from_db()
    w.secret_indicator.refresh_from_db()
    assert w.action.is_restricted and not w.secret_indicator.is_restricted
    assert w.action.version == version + 1  # one change, one version (vigie.core.concurrency)
    entry = AuditEntry.objects.filter(
        object_id=str(w.action.pk), reason__startswith="Publication"
    ).get()
    assert entry.actor == w.users.prefecture
    assert entry.changes["is_restricted"] == {"label": "non public", "old": "non", "new": "oui"}


def test_items_of_another_plan_are_ignored(world):
    w = world
    changed = services.set_publication(
        acting_user=w.users.prefecture,
        plan=w.plan,
        measure_ids={w.lot_measure.pk},
        action_ids={w.secret_action.pk},
        indicator_ids={w.secret_indicator.pk, w.lot_indicator.pk},
    )
    assert changed == 0
    w.lot_measure.refresh_from_db()
    assert not w.lot_measure.is_restricted


@pytest.mark.parametrize("who", ["pilot", "reader", "lot_prefecture"])
def test_only_the_prefecture_of_the_department(world, who):
    with pytest.raises(PermissionDenied):
        services.set_publication(
            acting_user=getattr(world.users, who),
            plan=world.plan,
            measure_ids=set(),
            action_ids=set(),
            indicator_ids=set(),
        )


def test_publication_page_saves_and_reports(world, client):
    client.force_login(world.users.prefecture)
    url = reverse("progress:publication", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert f'value="{world.secret_action.pk}"' in page and "checked" in page
    response = client.post(url, {"indicators": [world.secret_indicator.pk]})
    assert response.status_code == 302
    world.secret_action.refresh_from_db()
    assert not world.secret_action.is_restricted
    bad = client.post(url, {"actions": [999999]})
    assert bad.status_code == 200
    assert "n&#x27;appartient pas à ce plan" in bad.content.decode()


def test_field_history_gives_dates_and_states_only(world):
    rows = field_history(Action, [str(world.action.pk)], "status")
    assert [(old, new) for _id, _date, old, new in rows] == [("À venir", "En cours")]
    assert all(len(row) == 4 for row in rows)
    newest = field_history(Action, [str(world.action.pk)], "status", newest_first=True, limit=1)
    assert len(newest) == 1


def test_progress_page_shows_the_timeline_with_dates(world, client):
    body = client.get(reverse("progress:plan", args=[world.plan.pk])).content.decode()
    start = body.index(f'id="action-{world.action.pk}"')
    item = body[start : body.index("</li>", body.index("vigie-timeline", start))]
    assert "à venir → en cours" in item and "<time datetime=" in item
    assert world.users.prefecture.username not in body


def test_name_pattern_matches_whole_names_with_case():
    pattern = territory.name_pattern(["Vic-Fezensac", "Pis"])
    fold = territory._fold
    assert pattern.search(fold("Caméras à VIC FEZENSAC et Condom"))
    assert pattern.search(fold("la mairie de Vic-Fézensac"))
    assert pattern.search(fold("Commune de Pis"))
    assert not pattern.search(fold("le pis-aller"))  # a common word, not the commune
    assert not pattern.search(fold("Vic-Fezensacois"))


def test_territory_filter_finds_mentions_and_values(world, client):
    url = reverse("progress:plan", args=[world.plan.pk])
    condom = client.get(url, {"territoire": "commune-32107"}).content.decode()
    results = condom[condom.index('id="resultats-territoire"') : condom.index("Avancement par axe")]
    assert "Intervenir dans les écoles de Condom" in results
    assert "Mesure 1.2" not in results
    auch = client.get(url, {"territoire": "commune-32013"}).content.decode()
    results = auch[auch.index('id="resultats-territoire"') : auch.index("Avancement par axe")]
    assert "Un indicateur a des valeurs validées pour le territoire." in results  # Auch's value
    unknown = client.get(url, {"territoire": "commune-46042"})  # Cahors: not in the Gers
    assert unknown.status_code == 200
    assert "Choisissez une commune ou un EPCI du département" in unknown.content.decode()


def test_htmx_filter_returns_the_results_fragment(world, client):
    url = reverse("progress:plan", args=[world.plan.pk])
    response = client.get(
        url,
        {"territoire": "commune-32107"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="resultats-territoire",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="resultats-territoire"')
    assert "Ce qui concerne Condom (commune)" in body and "<html" not in body
