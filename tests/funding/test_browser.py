"""End-to-end in Chromium, every page checked with axe-core: an association drafts, fixes and submits an
application; the prefecture creates a call, instructs, sends back, accepts, notifies and pays."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import default_measure, make_application, make_call
from vigie.funding.enums import ApplicationState
from vigie.funding.models import GrantApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NNBSP = "\u202f"


@pytest.fixture
def gers(db):
    return DepartmentFactory(code="32", name="Gers")


def test_association_drafts_sees_the_share_rule_fixes_and_submits(
    page, live_server, login, assert_accessible, gers, make_user
):
    call = make_call(gers)
    measure = default_measure(gers)
    association = OrganisationFactory(
        department=gers, name="Trait d'Union", acronym="", kind="association"
    )
    login(make_user("applicant", gers, organisation=association))
    page.goto(f"{live_server.url}/financements/mes-demandes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes de subvention")
    assert_accessible(page)
    page.get_by_role("link", name=call.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="Déposer une demande").click()
    expect(page.locator(".fr-stepper__title")).to_contain_text("Projet")
    assert_accessible(page)
    page.get_by_label("Programme").select_option(label="FIPD D — Prévention de la délinquance")
    page.get_by_label("Intitulé du projet").fill("Médiation de soirée à Auch")
    page.get_by_label("Nature du porteur").select_option("association")
    page.locator("label", has_text=f"{measure.number} — {measure.title}").click()
    page.get_by_role("button", name="Enregistrer et passer au budget").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Budget prévisionnel")
    page.locator("#id_c60").fill("20000")
    page.locator("#id_s_FIPD").fill("12000")
    page.locator("#id_i75").fill("8000")
    rules = page.locator("#budget-rules")
    expect(rules).to_contain_text(
        f"Le FIPD ne peut financer plus de 50{NNBSP}% du coût total : 12{NNBSP}000{NNBSP}€ demandés pour "
        f"20{NNBSP}000{NNBSP}€, soit 60{NNBSP}%"
    )
    assert_accessible(page)
    page.locator("#id_s_FIPD").fill("10000")
    page.locator("#id_i75").fill("10000")
    expect(rules).not_to_contain_text("ne peut financer plus de 50")
    page.get_by_role("button", name="Enregistrer le budget").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Pièces jointes")
    assert_accessible(page)
    for kind in ("Relevé d'identité bancaire", "Dernier rapport d'activité"):
        page.get_by_label("Nature de la pièce").select_option(label=kind)
        page.get_by_label("Fichier").set_input_files(
            {"name": "piece.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 piece"}
        )
        page.get_by_role("button", name="Joindre").click()
        expect(page.locator("#attachments")).to_contain_text(kind)
    page.get_by_role("link", name="Récapitulatif et dépôt").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.locator("#application-state")).to_contain_text("Déposé")
    expect(page.locator("#timeline")).to_contain_text("Brouillon → Déposé")
    application = GrantApplication.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    assert application.requested_amount == Decimal("10000")
    assert list(application.measures.all()) == [measure]


def test_prefecture_creates_a_call_and_runs_an_application_s_life(
    page, live_server, login, assert_accessible, gers, make_user
):
    existing = make_call(gers, "MILDECA")
    application = make_application(
        make_call(gers), state=ApplicationState.SUBMITTED, title="Intervenant social en gendarmerie"
    )
    login(make_user("prefecture", gers))
    page.goto(f"{live_server.url}/financements/appels/")
    expect(page.locator("#calls-table")).to_contain_text(existing.title)
    assert_accessible(page)
    page.get_by_role("link", name="Nouvel appel à projets").click()
    assert_accessible(page)
    page.get_by_label("Fonds").select_option(label="PDASR")
    page.get_by_label("Intitulé").fill("Appel à projets sécurité routière 2027")
    page.get_by_label("Année").fill("2027")
    page.get_by_label("Ouverture").fill("2027-01-15")
    page.get_by_label("Clôture").fill("2027-03-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Appel à projets sécurité routière 2027"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Modifier l'appel").click()
    assert_accessible(page)
    page.get_by_label("Nombre maximal d'années de financement d'une même action").fill("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#call-rules")).to_contain_text("3 ans au plus")
    page.locator("#programmes-table").get_by_role("link", name=re.compile("Modifier")).click()
    assert_accessible(page)
    page.get_by_label("Enveloppe (€)").fill("25 000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#programmes-table")).to_contain_text(f"25{NNBSP}000{NNBSP}€")

    page.goto(f"{live_server.url}/financements/appels/{application.call_id}/demandes/")
    assert_accessible(page)
    page.get_by_role("link", name="Intervenant social en gendarmerie").click()
    assert_accessible(page)
    page.get_by_role("link", name="Renvoyer à corriger").click()
    assert_accessible(page)
    page.get_by_role("button", name="Renvoyer à corriger").click()
    expect(page.get_by_text("Expliquez votre décision au porteur")).to_be_visible()
    page.get_by_label("Message au porteur").fill("Précisez les frais de personnel.")
    page.locator("label", has_text="Budget prévisionnel").click()
    page.get_by_role("button", name="Renvoyer à corriger").click()
    expect(page.locator("#application-state")).to_contain_text("À corriger")
    expect(page.locator("#timeline")).to_contain_text("Précisez les frais de personnel.")

    application.state = ApplicationState.IN_REVIEW
    application.save()
    page.reload()
    page.get_by_role("link", name="Accepter").click()
    page.get_by_label("Montant accordé (€)").fill("8000")
    page.get_by_role("button", name="Accepter").click()
    page.get_by_role("link", name="Notifier la décision").click()
    page.get_by_label("Acte notifié").select_option(label="Convention")
    page.get_by_label("Date de notification").fill("2026-06-01")
    page.get_by_role("button", name="Notifier la décision").click()
    page.get_by_role("link", name="Enregistrer un versement").click()
    assert_accessible(page)
    page.get_by_label("Nature").select_option(label="Versement unique")
    page.get_by_label("Montant versé (€)").fill("8000")
    page.get_by_label("Versé le").fill("2026-06-15")
    page.get_by_label("Numéro d'engagement juridique (Chorus)").fill("2103456789")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.locator("#application-state")).to_contain_text("Compte rendu attendu")
    expect(page.locator("#payments-table")).to_contain_text("2103456789")
    assert_accessible(page)
