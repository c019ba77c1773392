"""In a browser (Chromium): a référent signs in with two factors, accepts the charter, opens a case, adds an entry;
the controller reads the access log. Every page checked by axe-core."""

import pytest

from tests.accounts.two_factor.helpers import code_for_verification, enrol
from tests.casework.factories import make_case, make_group, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_with_code(page, login, user, key):
    login(user)
    page.get_by_label("Code à 6 chiffres de votre application, ou un code de secours").fill(
        code_for_verification(user, key)
    )
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state("networkidle")


def test_referent_follows_a_case_and_the_controller_reads_the_log(
    page, live_server, login, assert_accessible
):
    group, _ = make_group()
    coordinator = make_member(group, role="coordinateur")
    referent = make_member(group, accept=False)
    make_case(coordinator)
    referent_key, _ = enrol(referent.user)
    controller_key, _ = enrol(group.controller)

    _sign_in_with_code(page, login, referent.user, referent_key)
    page.goto(f"{live_server.url}/suivi-individualise/groupes/{group.pk}/")
    assert page.get_by_role(
        "heading", name=f"Charte de confidentialité — {group.name}"
    ).is_visible()
    assert_accessible(page)
    page.locator("label[for=id_accept]").click()  # (the DSFR checkbox is drawn by its label)
    page.get_by_role("button", name="Accepter la charte").click()
    assert page.get_by_role("heading", name=group.name).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Dossiers du groupe").click()
    assert_accessible(page)
    page.get_by_role("link", name="Léo DUPONT-FICTIF").click()
    assert page.get_by_role("heading", name="Léo DUPONT-FICTIF").is_visible()
    assert "DUPONT" not in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter une entrée").click()
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill("2026-11-30")
    page.get_by_label("Situation").fill("Rencontre fictive avec la famille")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Rencontre fictive avec la famille").is_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    _sign_in_with_code(page, login, group.controller, controller_key)
    page.goto(f"{live_server.url}/suivi-individualise/groupes/{group.pk}/")
    assert page.get_by_text("Dossiers ouverts : 1").is_visible()
    assert page.get_by_text("DUPONT").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Journal des accès").click()
    rows = page.locator("#access-log tbody tr")
    assert rows.count() >= 4  # creation, read, entry, and this reading of the log
    assert page.get_by_text("Lecture du journal des accès").first.is_visible()
    assert page.get_by_text("DUPONT").count() == 0
    assert_accessible(page)
