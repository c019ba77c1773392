"""Plan pages: content, forms (French errors), audit entries written through the services."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionFactory, DepartmentFactory, OrganisationFactory, PlanFactory
from tests.plans.factories import CommentFactory, build_large_plan, two_departments
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.plans import services
from vigie.plans.enums import ActionStatus, PlanStatus
from vigie.plans.models import Action, Comment

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    return two_departments()


@pytest.fixture
def gers(world):
    return world.gers


def page_text(response) -> str:
    """The HTML with runs of whitespace collapsed, for readable assertions."""
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def login(client, make_user, role, department, **kwargs):
    user = make_user(role, department, **kwargs)
    client.force_login(user)
    return user


def entries_for(instance):
    ct = ContentType.objects.get_for_model(instance)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(instance.pk))


# --- department home ---------------------------------------------------------------------------


def test_department_home_shows_the_adopted_plan_to_everyone(client, gers):
    response = client.get(reverse("plans:department", args=["32"]))
    assert response.status_code == 200
    html = page_text(response)
    assert gers.plan.title in html
    assert "Signé le 28 septembre 2021 à Auch" in html
    assert "Camille Préfète" in html
    assert "Introduction du plan" in html
    assert "Axe 1 — Prévenir la délinquance des jeunes" in html
    assert "Prévenir le décrochage scolaire" in html
    assert reverse("plans:measure", args=[gers.measure.pk]) in html
    # Pilots as worded, linked to the organisation page.
    assert f'href="{gers.pilot_org.get_absolute_url()}">DDETS</a>' in html
    # Links to the plan page, the directory and the glossary.
    assert gers.plan.get_absolute_url() in html
    assert reverse("organisations:directory") + "?departement=32" in html
    assert reverse("organisations:glossary", args=["32"]) in html
    # Drafts, history and edit links are for the department only.
    assert gers.draft_plan.title not in html
    assert reverse("plans:plan_history", args=[gers.plan.pk]) not in html
    assert reverse("plans:plan_edit", args=[gers.plan.pk]) not in html


def test_department_home_counts_actions_per_status_as_text(client, gers):
    html = page_text(client.get(reverse("plans:department", args=["32"])))
    row = html[html.index(f'id="mesure-{gers.measure.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "1 à venir" in row and "1 en cours" in row and "1 réalisée" in row
    assert "en pause" not in row
    total = html[html.index("Total de l'axe 1") :]
    total = total[: total.index("</tr>")]
    for text in ("1 à venir", "1 en cours", "1 réalisée", "1 en pause", "0 abandonnée"):
        assert text in total
    assert "4 actions" in total


def test_department_home_for_members_lists_the_draft_flagged_projet(client, make_user, gers):
    login(client, make_user, "reader", gers.department)
    html = client.get(reverse("plans:department", args=["32"])).content.decode()
    assert gers.plan.title in html  # the adopted plan stays the current one
    assert "Autres plans du département" in html
    assert gers.draft_plan.title in html
    assert "Projet" in html
    assert reverse("plans:plan_history", args=[gers.plan.pk]) in html


def test_department_home_with_only_a_draft(client, make_user):
    department = DepartmentFactory(code="09", name="Ariège")
    draft = PlanFactory(department=department, title="Projet ariégeois", status=PlanStatus.DRAFT)
    html = client.get(reverse("plans:department", args=["09"])).content.decode()
    assert "Aucun plan consultable" in html
    assert draft.title not in html
    login(client, make_user, "prefecture", department)
    html = client.get(reverse("plans:department", args=["09"])).content.decode()
    assert draft.title in html
    assert "Projet : ce plan n'est pas adopté." in html


def test_department_home_unknown_department_is_404(client, world):
    assert client.get(reverse("plans:department", args=["999"])).status_code == 404


def _department_queries(client, code):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("plans:department", args=[code]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("role", ["anonymous", "prefecture"])
def test_department_home_query_count_does_not_grow_with_the_plan(
    client, make_user, django_assert_max_num_queries, role
):
    small = DepartmentFactory(code="01", name="Ain")
    large = DepartmentFactory(code="02", name="Aisne")
    build_large_plan(small, axes=1, measures_per_axis=2, actions_per_measure=3)
    build_large_plan(large, axes=4, measures_per_axis=50, actions_per_measure=3)
    # Each person on their own department's page (the menu reuses the department the page has read).
    if role != "anonymous":
        client.force_login(make_user(role, small))
    small_count, _ = _department_queries(client, "01")
    if role != "anonymous":
        client.force_login(make_user(role, large))
    large_count, response = _department_queries(client, "02")
    assert response.content.decode().count("vigie-status-counts") >= 200
    assert small_count == large_count
    with django_assert_max_num_queries(small_count):
        client.get(reverse("plans:department", args=["02"]))
    assert large_count <= (8 if role == "anonymous" else 10)


def test_plan_page_query_count_does_not_grow_with_the_plan(client, django_assert_max_num_queries):
    small = build_large_plan(
        DepartmentFactory(code="01"), axes=1, measures_per_axis=2, actions_per_measure=3
    )
    large = build_large_plan(
        DepartmentFactory(code="02"), axes=4, measures_per_axis=50, actions_per_measure=3
    )
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(plan.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(large.get_absolute_url())


def test_htmx_status_change_query_count_is_bounded(
    client, make_user, gers, django_assert_max_num_queries
):
    login(client, make_user, "prefecture", gers.department)
    for _ in range(100):
        ActionFactory(measure=gers.measure)
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("plans:action_status", args=[gers.action.pk]),
            {"status": "paused", "version": 1},
            **HTMX,
        )
    assert response.status_code == 200


# --- plan page and plan edit -------------------------------------------------------------------


def test_plan_page(client, gers):
    html = client.get(gers.plan.get_absolute_url()).content.decode()
    assert f"<h1>{gers.plan.title}</h1>" in html
    assert "Lutter contre les rixes" in html


def test_plan_page_draft_is_404_outside_the_department(client, make_user, world):
    url = world.gers.draft_plan.get_absolute_url()
    assert client.get(url).status_code == 404
    login(client, make_user, "prefecture", world.lot.department)
    assert client.get(url).status_code == 404
    login(client, make_user, "reader", world.gers.department)
    assert client.get(url).status_code == 200


def plan_data(plan, **overrides):
    data = {
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "signed_on": plan.signed_on.isoformat() if plan.signed_on else "",
        "signed_at": plan.signed_at,
        "status": plan.status,
        "introduction": plan.introduction,
        "version": plan.version,
    }
    data.update(overrides)
    return data


def test_plan_edit_saves_and_audits(client, make_user, gers):
    user = login(client, make_user, "prefecture", gers.department)
    url = reverse("plans:plan_edit", args=[gers.plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, plan_data(gers.plan, signed_at="Auch (préfecture)", status=PlanStatus.CLOSED)
    )
    assert response.status_code == 302
    gers.plan.refresh_from_db()
    assert gers.plan.signed_at == "Auch (préfecture)"
    entry = entries_for(gers.plan).get()
    assert entry.actor == user and entry.action == AuditAction.UPDATE
    assert entry.changes["signed_at"] == {
        "label": "lieu de signature",
        "old": "Auch",
        "new": "Auch (préfecture)",
    }
    assert entry.changes["status"]["old"] == "Adopté" and entry.changes["status"]["new"] == "Clos"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_end": 2019},
            "period_end",
            "La dernière année doit être égale ou postérieure à la première année.",
        ),
        (
            {"period_start": 2025, "period_end": 2028},
            "period_end",
            "Le département a déjà un plan pour la période 2025-2028.",
        ),
        ({"period_start": "deux mille"}, "period_start", "Saisissez un nombre entier."),
        ({"period_start": 1800}, "period_start", "supérieure ou égale à 1990"),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"status": "voté"}, "status", "Sélectionnez un choix valide"),
        ({"signed_on": "31/02/2021"}, "signed_on", "Saisissez une date valide."),
    ],
)
def test_plan_edit_errors_are_french_and_beside_the_field(
    client, make_user, gers, overrides, field, message
):
    login(client, make_user, "prefecture", gers.department)
    response = client.post(
        reverse("plans:plan_edit", args=[gers.plan.pk]), plan_data(gers.plan, **overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.index(f'id="id_{field}-desc-error"') :][:600]
    assert message in block
    assert not entries_for(gers.plan).exists()


# --- measure page ------------------------------------------------------------------------------


def test_measure_page_shows_the_whole_fiche(client, gers):
    html = page_text(client.get(gers.measure.get_absolute_url()))
    assert "Mesure 1.1 — Prévenir le décrochage scolaire" in html
    assert "Axe 1 — Prévenir la délinquance des jeunes" in html
    for text in (
        "Le décrochage touche les collégiens",
        "Repérer tôt les élèves",
        "Agir plus tôt auprès des jeunes",
        "Deux dispositifs existent",
        "Pilotes et partenaires : DDETS, gendarmerie, conseil départemental",
        "Réunir chaque mois la cellule de veille éducative.",
        "Cellule de veille",
        "30/06/2024",
        "Bonne pratique",
        "À Auch, la cellule se réunit au collège.",
        "Nombre d&#x27;élèves repérés",
        f"1{NNBSP}234 (2020)",
        f"12{NNBSP}500,5 (2024)",
        "Annuelle",
        "les communes",
    ):
        assert text in html, text
    assert f'href="{gers.partner_org.get_absolute_url()}"' in html
    assert f'href="{gers.owner_org.get_absolute_url()}"' in html
    # Anonymous visitors: no tabs beyond the fiche, no form.
    assert reverse("plans:measure_history", args=[gers.measure.pk]) not in html
    assert reverse("plans:measure_comments", args=[gers.measure.pk]) not in html
    assert 'name="status"' not in html


def test_measure_page_status_select_only_where_the_user_may_edit(client, make_user, gers):
    login(client, make_user, "pilot", gers.department, organisation=gers.owner_org)
    html = client.get(gers.measure.get_absolute_url()).content.decode()
    # This pilot's organisation owns one action of the measure, and does not pilot the measure.
    assert html.count('name="status"') == 1
    assert reverse("plans:action_status", args=[gers.action.pk]) in html
    assert reverse("plans:measure_edit", args=[gers.measure.pk]) not in html
    assert reverse("plans:action_delete", args=[gers.action.pk]) not in html
    assert "Historique" in html and "Commentaires (0)" in html


def test_measure_page_for_the_pilot(client, make_user, gers):
    login(client, make_user, "pilot", gers.department, organisation=gers.pilot_org)
    html = client.get(gers.measure.get_absolute_url()).content.decode()
    assert html.count('name="status"') == 3
    assert reverse("plans:measure_edit", args=[gers.measure.pk]) in html
    assert reverse("plans:action_create", args=[gers.measure.pk]) in html
    assert reverse("plans:action_delete", args=[gers.action.pk]) in html


def _measure_queries(client, measure):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(measure.get_absolute_url()).status_code == 200
    return len(ctx.captured_queries)


def test_measure_page_query_count_is_bounded(
    client, make_user, gers, django_assert_max_num_queries
):
    login(client, make_user, "prefecture", gers.department)
    few = _measure_queries(client, gers.measure)
    for i in range(100):
        ActionFactory(measure=gers.other_measure, owner=gers.owner_org if i % 2 else None)
    many = _measure_queries(client, gers.other_measure)
    # 9 for the page, 2 for the grants panel of vigie.funding ({% measure_grants %}: grants, payments).
    assert few == many and few <= 11
    with django_assert_max_num_queries(few):
        client.get(gers.other_measure.get_absolute_url())


# --- measure edit ------------------------------------------------------------------------------


def measure_data(measure, **overrides):
    data = {
        "title": measure.title,
        "findings": measure.findings,
        "objectives": measure.objectives,
        "national_objectives": measure.national_objectives,
        "situation": measure.situation,
        "version": measure.version,
    }
    data.update(overrides)
    return data


def test_measure_edit_by_the_pilot_is_audited(client, make_user, gers):
    user = login(client, make_user, "pilot", gers.department, organisation=gers.pilot_org)
    url = reverse("plans:measure_edit", args=[gers.measure.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, measure_data(gers.measure, objectives="Repérer tôt les élèves\nFormer les équipes")
    )
    assert response.status_code == 302
    assert response.url == gers.measure.get_absolute_url()
    entry = entries_for(gers.measure).get()
    assert entry.actor == user
    assert entry.changes["objectives"]["old"] == "Repérer tôt les élèves\nAccompagner les familles"
    assert entry.changes["objectives"]["new"] == "Repérer tôt les élèves\nFormer les équipes"


def test_measure_edit_empty_title_gives_a_french_error(client, make_user, gers):
    login(client, make_user, "prefecture", gers.department)
    response = client.post(
        reverse("plans:measure_edit", args=[gers.measure.pk]),
        measure_data(gers.measure, title="  "),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html[html.index('id="id_title-desc-error"') :][:500]
    gers.measure.refresh_from_db()
    assert gers.measure.title == "Prévenir le décrochage scolaire"
    assert not entries_for(gers.measure).exists()


def test_measure_edit_too_long_title(client, make_user, gers):
    login(client, make_user, "prefecture", gers.department)
    response = client.post(
        reverse("plans:measure_edit", args=[gers.measure.pk]),
        measure_data(gers.measure, title="x" * 600),
    )
    assert response.status_code == 200
    assert "au plus 500 caractères" in response.content.decode()


# --- actions -----------------------------------------------------------------------------------


def action_data(**overrides):
    data = {
        "title": "",
        "text": "Organiser une réunion.",
        "status": "planned",
        "owner": "",
        "due_date": "",
        "progress_note": "",
    }
    data.update(overrides)
    return data


def test_action_create(client, make_user, gers):
    user = login(client, make_user, "pilot", gers.department, organisation=gers.pilot_org)
    url = reverse("plans:action_create", args=[gers.measure.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, action_data(owner=gers.owner_org.pk, due_date="2024-12-31", status="in_progress")
    )
    assert response.status_code == 302
    action = Action.objects.get(text="Organiser une réunion.")
    assert action.measure == gers.measure and action.owner == gers.owner_org
    assert action.order > 3
    entry = entries_for(action).get()
    assert entry.action == AuditAction.CREATE and entry.actor == user
    assert entry.parent_object_id == str(gers.measure.pk)
    assert entry.changes["status"]["new"] == "En cours"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "Ce champ est obligatoire."),
        ({"due_date": "demain"}, "due_date", "Saisissez une date valide."),
        ({"status": "fini"}, "status", "Sélectionnez un choix valide"),
        ({"owner": "999999"}, "owner", "Sélectionnez un choix valide"),
    ],
)
def test_action_create_errors(client, make_user, gers, overrides, field, message):
    login(client, make_user, "prefecture", gers.department)
    count = Action.objects.count()
    response = client.post(
        reverse("plans:action_create", args=[gers.measure.pk]), action_data(**overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html[html.index(f'id="id_{field}-desc-error"') :][:500]
    assert Action.objects.count() == count


def test_action_owner_of_another_department_is_refused(client, make_user, world):
    login(client, make_user, "prefecture", world.gers.department)
    response = client.post(
        reverse("plans:action_create", args=[world.gers.measure.pk]),
        action_data(owner=world.lot.owner_org.pk),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_action_owner_may_be_a_national_body(client, make_user, gers):
    national = OrganisationFactory(
        department=None, name="Agence nationale de la cohésion des territoires"
    )
    login(client, make_user, "prefecture", gers.department)
    response = client.post(
        reverse("plans:action_create", args=[gers.measure.pk]), action_data(owner=national.pk)
    )
    assert response.status_code == 302


def test_action_edit_by_the_owner_pilot(client, make_user, gers):
    login(client, make_user, "pilot", gers.department, organisation=gers.owner_org)
    url = reverse("plans:action_edit", args=[gers.action.pk])
    assert client.get(url).status_code == 200
    data = action_data(
        title="Cellule de veille",
        text=gers.action.text,
        status="in_progress",
        owner=gers.owner_org.pk,
        due_date="2024-06-30",
        progress_note="Première réunion tenue.",
        version=gers.action.version,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    entry = entries_for(gers.action).get()
    assert set(entry.changes) == {"status", "progress_note"}
    assert entry.changes["status"] == {
        "label": "état d'avancement",
        "old": "À venir",
        "new": "En cours",
    }


def test_action_delete_asks_for_confirmation_then_deletes(client, make_user, gers):
    user = login(client, make_user, "prefecture", gers.department)
    url = reverse("plans:action_delete", args=[gers.action.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Supprimer l&#x27;action" in response.content.decode()
    assert Action.objects.filter(pk=gers.action.pk).exists()
    response = client.post(url, {"version": gers.action.version})
    assert response.status_code == 302 and response.url == gers.measure.get_absolute_url()
    assert not Action.objects.filter(pk=gers.action.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert (
        entry.actor == user
        and entry.changes["text"]["old"] == "Réunir chaque mois la cellule de veille éducative."
    )


def test_action_status_without_javascript_redirects_back(client, make_user, gers):
    login(client, make_user, "pilot", gers.department, organisation=gers.pilot_org)
    response = client.post(
        reverse("plans:action_status", args=[gers.action.pk]),
        {"status": "in_progress", "version": gers.action.version},
    )
    assert response.status_code == 302
    assert response.url == f"{gers.measure.get_absolute_url()}#action-{gers.action.pk}"
    gers.action.refresh_from_db()
    assert gers.action.status == ActionStatus.IN_PROGRESS
    entry = entries_for(gers.action).get()
    assert entry.changes == {
        "status": {"label": "état d'avancement", "old": "À venir", "new": "En cours"}
    }


def test_action_status_with_htmx_returns_the_fragment(client, make_user, gers):
    login(client, make_user, "pilot", gers.department, organisation=gers.pilot_org)
    response = client.post(
        reverse("plans:action_status", args=[gers.action.pk]),
        {"status": "done", "version": gers.action.version},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="vigie-action" id="action-{gers.action.pk}"')
    assert "<html" not in html
    assert re.search(r'<option value="done"\s+selected>Réalisée</option>', html)
    assert 'id="measure-summary"' in html and 'hx-swap-oob="true"' in html
    assert "2 réalisée" in html  # the summary counts the new state
    assert "État d&#x27;avancement enregistré : Réalisée." in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_action_status_invalid_value_is_400(client, make_user, gers, headers):
    login(client, make_user, "prefecture", gers.department)
    response = client.post(
        reverse("plans:action_status", args=[gers.action.pk]), {"status": "n'importe"}, **headers
    )
    assert response.status_code == 400
    assert "n&#x27;est pas un état d&#x27;avancement valide" in response.content.decode()
    gers.action.refresh_from_db()
    assert gers.action.status == ActionStatus.PLANNED
    assert not entries_for(gers.action).exists()


def test_action_status_missing_value_is_400(client, make_user, gers):
    login(client, make_user, "prefecture", gers.department)
    response = client.post(reverse("plans:action_status", args=[gers.action.pk]), {})
    assert response.status_code == 400
    assert "Choisissez un état d&#x27;avancement." in response.content.decode()


def test_action_status_get_is_not_allowed(client, make_user, gers):
    login(client, make_user, "prefecture", gers.department)
    assert client.get(reverse("plans:action_status", args=[gers.action.pk])).status_code == 405


def test_action_status_unchanged_writes_no_entry(client, make_user, gers):
    login(client, make_user, "prefecture", gers.department)
    client.post(reverse("plans:action_status", args=[gers.action.pk]), {"status": "planned"})
    assert not entries_for(gers.action).exists()


# --- history -----------------------------------------------------------------------------------


def test_measure_history_lists_changes_of_the_measure_and_its_actions(client, make_user, gers):
    prefecture = make_user("prefecture", gers.department, first_name="Alix", last_name="Durand")
    services.change_action_status(
        acting_user=prefecture, action=gers.action, status=ActionStatus.IN_PROGRESS
    )
    services.update_measure(
        acting_user=prefecture, measure=gers.measure, data={"title": "Nouveau titre"}
    )
    login(client, make_user, "reader", gers.department)
    response = client.get(reverse("plans:measure_history", args=[gers.measure.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alix Durand" in html
    assert '<del class="vigie-prewrap">À venir</del>' in html
    assert '<ins class="vigie-prewrap">En cours</ins>' in html
    assert "Prévenir le décrochage scolaire</del>" in html and "Nouveau titre</ins>" in html
    assert "Modification" in html
    assert html.index("Nouveau titre") < html.index("En cours</ins>")  # newest first


def test_measure_history_paginates(client, make_user, gers):
    user = make_user("prefecture", gers.department)
    for i in range(55):
        services.update_action(
            acting_user=user, action=gers.action, data={"progress_note": f"Point {i}"}
        )
    client.force_login(user)
    url = reverse("plans:measure_history", args=[gers.measure.pk])
    assert "Point 54" in client.get(url).content.decode()
    page2 = client.get(url + "?page=2").content.decode()
    assert "Point 0</ins>" in page2 and "Point 54" not in page2
    assert client.get(url + "?page=abc").status_code == 200


def test_plan_history_includes_measures_and_actions(client, make_user, world):
    gers = world.gers
    user = make_user("prefecture", gers.department)
    services.update_plan(acting_user=user, plan=gers.plan, data={"signed_at": "Auch, préfecture"})
    services.update_measure(acting_user=user, measure=gers.other_measure, data={"title": "Rixes"})
    services.change_action_status(acting_user=user, action=gers.action, status=ActionStatus.DONE)
    services.update_measure(
        acting_user=user, measure=world.lot.measure, data={"title": "Mesure du Lot modifiée"}
    )
    client.force_login(user)
    html = client.get(reverse("plans:plan_history", args=[gers.plan.pk])).content.decode()
    assert "Auch, préfecture" in html and "Rixes" in html and "Réalisée" in html
    assert "Mesure du Lot modifiée" not in html


def test_action_history(client, make_user, gers):
    user = make_user("prefecture", gers.department)
    services.change_action_status(
        acting_user=user, action=gers.action, status=ActionStatus.ABANDONED
    )
    client.force_login(user)
    html = client.get(reverse("plans:action_history", args=[gers.action.pk])).content.decode()
    assert "Abandonnée</ins>" in html


def test_history_is_404_for_anonymous_and_other_departments(client, make_user, world):
    url = reverse("plans:measure_history", args=[world.gers.measure.pk])
    assert client.get(url).status_code == 404
    login(client, make_user, "prefecture", world.lot.department)
    assert client.get(url).status_code == 404


# --- comments ----------------------------------------------------------------------------------


def test_comments_read_by_members_posted_by_partners(client, make_user, gers):
    author = make_user(
        "pilot", gers.department, organisation=gers.pilot_org, first_name="Noé", last_name="Petit"
    )
    CommentFactory(measure=gers.measure, author=author, body="Première réunion le 3 mars.")
    login(client, make_user, "reader", gers.department)
    url = reverse("plans:measure_comments", args=[gers.measure.pk])
    html = client.get(url).content.decode()
    assert "Première réunion le 3 mars." in html and "Noé Petit" in html
    assert "Publier le commentaire" not in html
    assert client.post(url, {"body": "Lecteur"}).status_code == 403

    partner = login(client, make_user, "partner", gers.department, organisation=gers.partner_org)
    response = client.post(url, {"body": "La gendarmerie participera."})
    assert response.status_code == 302
    comment = Comment.objects.get(body="La gendarmerie participera.")
    assert comment.author == partner
    assert entries_for(comment).get().parent_object_id == str(gers.measure.pk)


def test_empty_comment_gives_a_french_error(client, make_user, gers):
    login(client, make_user, "coordinator", gers.department)
    response = client.post(
        reverse("plans:measure_comments", args=[gers.measure.pk]), {"body": "   "}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_tab_counts_comments(client, make_user, gers):
    user = login(client, make_user, "reader", gers.department)
    CommentFactory(measure=gers.measure, author=user)
    CommentFactory(measure=gers.measure, author=user)
    assert "Commentaires (2)" in client.get(gers.measure.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_department_home_offers_import_to_prefecture_agents_only(client, make_user):
    from tests.factories import DepartmentFactory as _Department

    gers = _Department(code="32", name="Gers")
    url = reverse("plans:department", args=["32"])
    import_url = reverse("imports:start", args=["32"])
    client.force_login(make_user("prefecture", gers))
    assert import_url in client.get(url).content.decode()
    client.force_login(make_user("pilot", gers))
    assert import_url not in client.get(url).content.decode()
    client.logout()
    assert import_url not in client.get(url).content.decode()
