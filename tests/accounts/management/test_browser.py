"""What account managers and invited people do, in a browser (Chromium), each page checked by axe-core."""

import pytest

from tests.accounts.management.helpers import GOOD_PASSWORD, last_link_path
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory, UserFactory
from vigie.accounts.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _gers_and_agent():
    gers = DepartmentFactory(code="32", name="Gers")
    OrganisationFactory(
        department=gers, name="Direction des services de l'éducation", acronym="DSDEN"
    )
    agent = UserFactory(
        username="nadia",
        first_name="Nadia",
        last_name="Vayssié",
        role=Role.PREFECTURE,
        department=gers,
    )
    return gers, agent


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_an_agent_invites_and_the_person_chooses_a_password(
    page, live_server, login, assert_accessible
):
    _, agent = _gers_and_agent()
    login(agent)
    page.get_by_role("link", name="Comptes", exact=True).click()
    assert page.get_by_role("heading", name="Comptes — Gers").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique").fill("camille.roux@example.org")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Roux")
    page.get_by_label("Rôle", exact=True).select_option("pilot")
    page.get_by_label("Organisation (pilote, partenaire ou porteur de projet)").select_option(
        label="Direction des services de l'éducation (DSDEN)"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text("Invitation envoyée à camille.roux@example.org").is_visible()
    assert page.get_by_text("Invitation en attente").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto(live_server.url + last_link_path("/comptes/invitation/"))
    assert page.get_by_text("choisissez votre mot de passe pour activer votre compte").is_visible()
    assert_accessible(page)
    page.get_by_label("Nouveau mot de passe", exact=False).first.fill(GOOD_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    assert "Camille Roux" in page.locator("#current-user").inner_text()
    assert page.get_by_text("Bienvenue sur Vigie, Camille Roux").is_visible()

    # The link served once.
    page.goto(live_server.url + last_link_path("/comptes/invitation/"))
    assert page.get_by_text("Ce lien d'invitation a déjà servi").is_visible()
    assert_accessible(page)


def test_an_agent_changes_a_role_then_deactivates_the_account(
    page, browser, live_server, login, assert_accessible
):
    gers, agent = _gers_and_agent()
    UserFactory(
        username="julien",
        first_name="Julien",
        last_name="Lafitte",
        role=Role.READER,
        department=gers,
    )
    person = browser.new_context(locale="fr-FR").new_page()
    _sign_in(person, live_server, "julien", "mot-de-passe-de-test")
    assert "Julien Lafitte" in person.locator("#current-user").inner_text()

    login(agent)
    page.goto(f"{live_server.url}/comptes/gestion/")
    page.get_by_role("link", name="Julien Lafitte").click()
    assert_accessible(page)
    page.get_by_role("link", name="Changer le rôle").click()
    page.get_by_label("Rôle", exact=True).select_option("partner")
    page.get_by_label("Organisation (pilote, partenaire ou porteur de projet)").select_option(
        label="Direction des services de l'éducation (DSDEN)"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Le rôle de Julien Lafitte est enregistré.").is_visible()
    page.get_by_role("button", name="Désactiver le compte").click()
    assert page.get_by_text("Le compte de Julien Lafitte est désactivé").is_visible()
    assert page.locator("#account-summary").get_by_text("Désactivé").is_visible()
    assert page.locator("#history-table").get_by_text("Compte désactivé").is_visible()
    assert_accessible(page)

    person.reload()
    assert person.get_by_role("link", name="Se connecter").is_visible()
    person.context.close()


def test_an_agent_gives_a_role_to_an_account_without_role(
    page, live_server, login, assert_accessible
):
    gers, agent = _gers_and_agent()
    CommuneFactory(department=gers, code="32107", name="Condom")
    UserFactory(
        username="pc-eric",
        first_name="Éric",
        last_name="Dupouy",
        email="eric.dupouy@interieur.gouv.fr",
        role=Role.NONE,
        department=None,
    )
    login(agent)
    page.goto(f"{live_server.url}/comptes/gestion/")
    page.get_by_label("Nom, identifiant ou adresse électronique").fill(
        "eric.dupouy@interieur.gouv.fr"
    )
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Lui attribuer un rôle dans votre département").click()
    assert page.get_by_role(
        "heading", name="Éric Dupouy (eric.dupouy@interieur.gouv.fr)"
    ).is_visible()
    assert_accessible(page)
    page.get_by_label("Rôle", exact=True).select_option("coordinator")
    page.get_by_label("Commune du CLSPD").select_option(label="Condom (32107)")
    page.get_by_role("button", name="Attribuer ce rôle").click()
    assert page.get_by_text(
        "Éric Dupouy a maintenant le rôle « Coordonnateur CLSPD/CISPD »"
    ).is_visible()
    assert page.get_by_text("CLSPD de Condom").first.is_visible()
    assert_accessible(page)


def test_a_person_resets_then_changes_their_password(page, live_server, assert_accessible):
    gers, _ = _gers_and_agent()
    UserFactory(
        username="julien",
        first_name="Julien",
        last_name="Lafitte",
        email="julien@example.org",
        role=Role.READER,
        department=gers,
    )
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    assert_accessible(page)
    page.get_by_label("Adresse électronique de votre compte").fill("julien@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert page.get_by_text("Si cette adresse est celle d'un compte actif de Vigie").is_visible()
    page.goto(live_server.url + last_link_path("/comptes/mot-de-passe-oublie/"))
    assert_accessible(page)
    page.get_by_label("Nouveau mot de passe", exact=False).first.fill(GOOD_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    assert page.get_by_text("Votre nouveau mot de passe est enregistré").is_visible()
    _sign_in(page, live_server, "julien", GOOD_PASSWORD)
    assert "Julien Lafitte" in page.locator("#current-user").inner_text()

    page.get_by_role("link", name="Mot de passe", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Mot de passe actuel").fill(GOOD_PASSWORD)
    page.get_by_label("Nouveau mot de passe", exact=False).first.fill("Autre-Brume-2027?")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Autre-Brume-2027?")
    page.get_by_role("button", name="Changer mon mot de passe").click()
    assert page.get_by_text("Votre mot de passe est changé.").is_visible()
    assert "Julien Lafitte" in page.locator("#current-user").inner_text()


def test_the_national_administrator_invites_in_any_department(
    page, live_server, login, assert_accessible
):
    DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    CommuneFactory(department=lot, code="46042", name="Cahors")
    national = UserFactory(
        username="alex",
        first_name="Alex",
        last_name="Administrateur",
        role=Role.ADMIN,
        department=None,
        is_staff=True,
        is_superuser=True,
    )
    login(national)
    page.goto(f"{live_server.url}/comptes/gestion/inviter/")
    page.get_by_label("Adresse électronique").fill("paul.lacoste@example.org")
    page.get_by_label("Prénom").fill("Paul")
    page.get_by_label("Nom", exact=True).fill("Lacoste")
    page.get_by_label("Rôle", exact=True).select_option("coordinator")
    # The lists of the attachments follow the chosen department (HTMX), the typed values stay.
    page.get_by_label("Département", exact=False).first.select_option(label="46 — Lot")
    commune = page.get_by_label("Commune du CLSPD")
    commune.locator("option", has_text="Cahors (46042)").wait_for(state="attached")
    assert page.get_by_label("Prénom").input_value() == "Paul"
    commune.select_option(label="Cahors (46042)")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text("Invitation envoyée à paul.lacoste@example.org").is_visible()
    assert page.locator("#account-summary").get_by_text("CLSPD de Cahors").is_visible()
