"""Two people edit the same plan, measure or action: the second save is refused (409), nothing is
overwritten, and the refusal says what the first person changed (from the audit log)."""

import re

import pytest
from django.urls import reverse

from tests.plans.factories import two_departments
from tests.plans.test_views import HTMX, entries_for, measure_data, plan_data
from vigie.plans import services
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Measure, Plan

pytestmark = pytest.mark.django_db

REFUSED = "Vos modifications n'ont pas été enregistrées"


@pytest.fixture
def gers():
    return two_departments().gers


@pytest.fixture
def first(make_user, gers):
    return make_user("prefecture", gers.department, first_name="Alice", last_name="Premier")


@pytest.fixture
def second(client, make_user, gers):
    user = make_user("prefecture", gers.department, first_name="Bruno", last_name="Second")
    client.force_login(user)
    return user


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_measure_form_carries_the_version_it_was_read_at(client, second, gers):
    Measure.objects.filter(pk=gers.measure.pk).update(version=4)
    html = client.get(reverse("plans:measure_edit", args=[gers.measure.pk])).content.decode()
    assert re.search(r'<input type="hidden" name="version" value="4"[^>]*>', html)


def test_stale_measure_edit_is_refused_with_the_other_change(client, first, second, gers):
    measure = gers.measure
    read = measure_data(measure, objectives="Mon objectif")
    services.update_measure(
        acting_user=first, measure=measure, data={"title": "Titre d'Alice"}, read_version=1
    )
    entries = entries_for(measure).count()
    response = client.post(reverse("plans:measure_edit", args=[measure.pk]), read)
    assert response.status_code == 409
    html = text(response)
    assert REFUSED in html
    assert "Alice Premier" in html and "Intitulé : « Titre d&#x27;Alice »" in html
    assert "(auparavant « Prévenir le décrochage scolaire »)" in html
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.title == "Titre d'Alice" and stored.objectives != "Mon objectif"
    assert stored.version == 2 and entries_for(measure).count() == entries
    # The form keeps the person's input, under the current version: a second save applies it.
    assert "Mon objectif" in html
    assert re.search(r'name="version" value="2"', html)
    again = client.post(reverse("plans:measure_edit", args=[measure.pk]), {**read, "version": 2})
    assert again.status_code == 302
    assert Measure.objects.get(pk=measure.pk).objectives == "Mon objectif"


def test_measure_edit_without_version_is_refused_in_french(client, second, gers):
    data = measure_data(gers.measure, title="Sans version")
    del data["version"]
    response = client.post(reverse("plans:measure_edit", args=[gers.measure.pk]), data)
    assert response.status_code == 200
    assert "rechargez la page" in response.content.decode()
    assert Measure.objects.get(pk=gers.measure.pk).title != "Sans version"


def test_stale_plan_edit_is_refused(client, first, second, gers):
    plan = gers.plan
    read = plan_data(plan, signed_at="Mirande")
    services.update_plan(acting_user=first, plan=plan, data={"signed_at": "Condom"}, read_version=1)
    response = client.post(reverse("plans:plan_edit", args=[plan.pk]), read)
    assert response.status_code == 409
    html = text(response)
    assert REFUSED in html and "Lieu de signature : « Condom »" in html
    assert Plan.objects.get(pk=plan.pk).signed_at == "Condom"


def test_stale_action_edit_is_refused(client, first, second, gers):
    action = gers.action
    read = {"title": "", "text": "Mon texte", "status": "planned", "owner": "", "due_date": ""}
    read.update(progress_note="", version=1)
    services.update_action(
        acting_user=first, action=action, data={"progress_note": "Fait"}, read_version=1
    )
    response = client.post(reverse("plans:action_edit", args=[action.pk]), read)
    assert response.status_code == 409
    assert "Point d&#x27;avancement : « Fait »" in text(response)
    assert Action.objects.get(pk=action.pk).text != "Mon texte"


def test_stale_action_delete_is_refused(client, first, second, gers):
    action = gers.action
    services.change_action_status(
        acting_user=first, action=action, status=ActionStatus.DONE, read_version=1
    )
    url = reverse("plans:action_delete", args=[action.pk])
    response = client.post(url, {"version": 1})
    assert response.status_code == 409
    assert REFUSED in text(response) and "« Réalisée »" in text(response)
    assert Action.objects.filter(pk=action.pk).exists()
    assert client.post(url, {"version": 2}).status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


def test_action_delete_without_version_is_400(client, second, gers):
    response = client.post(reverse("plans:action_delete", args=[gers.action.pk]))
    assert response.status_code == 400
    assert Action.objects.filter(pk=gers.action.pk).exists()


def test_stale_htmx_status_change_answers_the_fragment_with_409(client, first, second, gers):
    action = gers.action
    services.change_action_status(
        acting_user=first, action=action, status=ActionStatus.DONE, read_version=1
    )
    response = client.post(
        reverse("plans:action_status", args=[action.pk]),
        {"status": "paused", "version": 1},
        **HTMX,
    )
    assert response.status_code == 409
    html = text(response)
    assert html.lstrip().startswith(f'<li class="vigie-action" id="action-{action.pk}"')
    assert REFUSED in html and "Alice Premier" in html and "« Réalisée »" in html
    # The fragment shows the stored state and its version, ready for a new choice.
    assert re.search(r'<option value="done" selected>Réalisée</option>', html)
    assert 'name="version" value="2"' in html
    assert Action.objects.get(pk=action.pk).status == ActionStatus.DONE


def test_stale_status_change_without_javascript_is_409(client, first, second, gers):
    action = gers.action
    services.update_action(
        acting_user=first, action=action, data={"status": "done"}, read_version=1
    )
    response = client.post(
        reverse("plans:action_status", args=[action.pk]), {"status": "paused", "version": 1}
    )
    assert response.status_code == 409
    assert REFUSED in text(response)
    assert Action.objects.get(pk=action.pk).status == ActionStatus.DONE
