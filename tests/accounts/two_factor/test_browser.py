"""In a browser (Chromium): a prefecture agent enrols a TOTP application at first sign-in, then verifies the next
sign-in with a code; every page checked by axe-core."""

from base64 import b32decode

import pytest

from tests.accounts.two_factor.helpers import code, code_for_verification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrolment_then_verification(page, live_server, login, assert_accessible, agent):
    login(agent)
    assert page.get_by_role("heading", name="Activer la double authentification").is_visible()
    assert page.get_by_role("img", name="Code QR à scanner avec votre application").is_visible()
    assert_accessible(page)
    # The phone reads the key shown in text.
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", "")).hex()
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(
        "000000" if code(key) != "000000" else "111111"
    )
    page.get_by_role("button", name="Activer la double authentification").click()
    assert page.get_by_text("Ce code ne correspond pas").is_visible()
    assert_accessible(page)
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(code(key))
    page.get_by_role("button", name="Activer la double authentification").click()

    assert page.get_by_role("heading", name="Vos codes de secours").is_visible()
    assert page.locator("#backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    assert page.url == f"{live_server.url}/"
    page.get_by_role("link", name="Sécurité").click()
    assert page.get_by_text("Activée", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    login(agent)
    assert page.get_by_role("heading", name="Double authentification").is_visible()
    assert_accessible(page)
    field = page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours")
    field.fill("aaaaa-aaaaa")
    page.get_by_role("button", name="Valider").click()
    assert page.get_by_text("Ce code de secours n'est pas valable").is_visible()
    assert_accessible(page)
    field = page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours")
    field.fill(
        code_for_verification(agent, key)
    )  # (the enrolment used up the current period's code)
    page.get_by_role("button", name="Valider").click()
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("link", name="Sécurité").is_visible()


def test_the_agent_resets_a_lost_phone(
    page, live_server, login, assert_accessible, enrolled_agent, enrolled_pilot
):
    login(enrolled_agent)
    page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours").fill(
        enrolled_agent.backup_codes[0]
    )
    page.get_by_role("button", name="Valider").click()
    assert page.get_by_text("Code de secours accepté ; il vous en reste 9.").is_visible()
    page.goto(f"{live_server.url}/comptes/gestion/{enrolled_pilot.pk}/")
    assert page.get_by_role("heading", name="Compte de Julien Lafitte").is_visible()
    page.get_by_role("button", name="Réinitialiser la double authentification").click()
    assert page.get_by_text(
        "La double authentification de Julien Lafitte est réinitialisée"
    ).is_visible()
    assert page.get_by_text(
        "Double authentification réinitialisée par un gestionnaire des comptes"
    ).is_visible()
    assert_accessible(page)
