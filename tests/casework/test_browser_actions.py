"""In a browser (Chromium): the coordinator, signed in with two factors, adds a member, deposits the rules document,
writes the controller's summary, records the information given to a person and closes the case. Every page checked
by axe-core."""

import pytest
from django.utils import timezone

from tests.accounts.two_factor.helpers import enrol
from tests.casework.factories import make_case, make_group, make_member
from tests.casework.test_browser import _sign_in_with_code
from tests.factories import UserFactory
from vigie.accounts.enums import Role
from vigie.casework.models import Case, GroupMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_coordinator_manages_the_group_and_closes_a_case(
    page, live_server, login, assert_accessible
):
    group, _ = make_group()
    coordinator = make_member(group, role="coordinateur")
    case = make_case(coordinator)
    UserFactory(
        role=Role.PARTNER, department=group.department, first_name="Inès", last_name="Fictive"
    )
    key, _ = enrol(coordinator.user)
    today = timezone.localdate().isoformat()

    _sign_in_with_code(page, login, coordinator.user, key)
    page.goto(f"{live_server.url}/suivi-individualise/groupes/{group.pk}/")
    page.get_by_role("link", name="Ajouter un membre").click()
    assert_accessible(page)
    page.get_by_label("Personne").select_option(label="Inès Fictive (Partenaire)")
    page.get_by_label("Rôle").select_option(label="Autre membre")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("cell", name="Inès Fictive", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier la participation de Inès Fictive").click()
    assert_accessible(page)
    page.get_by_label("Rôle").select_option(
        label="Professionnel ou professionnelle de l'action sociale"
    )
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("La participation de Inès Fictive est modifiée.").is_visible()
    assert GroupMember.objects.get(group=group, user__last_name="Fictive").role == "travail_social"

    page.get_by_role("link", name="déposer le règlement").click()
    assert_accessible(page)
    page.get_by_label("Règlement intérieur").set_input_files(
        {"name": "reglement.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("link", name="Télécharger « reglement.pdf »").is_visible()

    page.get_by_role("link", name="Rédiger la synthèse").click()
    assert_accessible(page)
    page.get_by_label("Synthèse pour le responsable du traitement").fill(
        "Un jeune suivi, scolarité reprise."
    )
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Un jeune suivi, scolarité reprise.").is_visible()

    page.get_by_role("link", name="Enregistrer une réunion").click()
    assert_accessible(page)
    page.get_by_label("Date de la réunion").fill(today)
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("La réunion du groupe est enregistrée.").is_visible()
    assert page.locator("#group-meetings li").count() == 1
    assert_accessible(page)

    page.goto(f"{live_server.url}/suivi-individualise/dossiers/{case.public_id}/")
    page.get_by_role("link", name="Enregistrer l'information de la personne").click()
    assert_accessible(page)
    page.get_by_label("Date de l'information").fill(today)
    page.get_by_label("Moyen d'information").select_option(label="Entretien")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Personne informée").is_visible()

    page.get_by_role("link", name="Clore le dossier").click()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Choisissez le motif de clôture.").is_visible()
    assert_accessible(page)
    page.get_by_label("Motif de clôture").select_option(label="Objectifs atteints")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Le dossier est clos.").is_visible()
    assert_accessible(page)
    case = Case.objects.get(pk=case.pk)
    assert case.closure_reason == "objectifs" and case.informed_how == "entretien"
