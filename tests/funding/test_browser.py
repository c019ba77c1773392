"""End-to-end in Chromium, every page checked with axe-core: the prefecture creates a call, instructs, sends back,
accepts, notifies and pays. The applicant's side (draft, share rule's message, fix, submission) is walked by
tests/funding/test_loop_browser.py, with the whole life of the grant."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import DepartmentFactory
from tests.funding.factories import make_application, make_call
from vigie.funding.enums import ApplicationState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NNBSP = "\u202f"


@pytest.fixture
def gers(db):
    return DepartmentFactory(code="32", name="Gers")


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
