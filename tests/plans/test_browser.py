"""End-to-end tests in Chromium: what people do on the plan, organisation and territory pages.

Every page visited here passes axe-core (no serious or critical violation).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.plans.factories import CommentFactory, two_departments
from vigie.plans import services
from vigie.plans.enums import ActionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return two_departments()


def test_pilot_changes_an_action_status_inline_and_reads_the_history(
    page, live_server, login, make_user, assert_accessible, world
):
    gers = world.gers
    pilot = make_user("pilot", gers.department, organisation=gers.pilot_org)
    login(pilot)
    page.goto(f"{live_server.url}{gers.measure.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prévenir le décrochage scolaire")
    assert_accessible(page)

    page.evaluate("window.__vigieNoReload = true")
    action = page.locator(f"#action-{gers.action.pk}")
    expect(action.locator(".vigie-status")).to_have_text("À venir")
    action.get_by_label("État d'avancement").select_option(label="En cours")
    expect(action.locator(".vigie-status")).to_have_text("En cours")
    expect(page.locator("#measure-summary")).to_contain_text("2 en cours")
    expect(page.locator("#status-live")).to_have_text("État d'avancement enregistré : En cours.")
    assert page.evaluate("window.__vigieNoReload") is True  # same page: no reload
    assert_accessible(page)

    page.get_by_role("navigation", name="Rubriques de la mesure").get_by_role(
        "link", name="Historique"
    ).click()
    expect(page).to_have_url(re.compile(r"/mesures/\d+/historique/$"))
    change = page.locator(".vigie-history-change", has_text="État d'avancement")
    expect(change).to_contain_text("À venir → En cours")
    expect(change.locator("del")).to_have_text("À venir")
    expect(change.locator("ins")).to_have_text("En cours")
    expect(page.locator("#history-table")).to_contain_text(pilot.get_full_name())
    assert_accessible(page)


def test_status_select_works_without_javascript(browser, live_server, make_user, world):
    gers = world.gers
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        user = make_user("prefecture", gers.department)
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.get_by_label("Identifiant").fill(user.username)
        page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
        page.get_by_role("button", name="Se connecter").click()
        page.goto(f"{live_server.url}{gers.measure.get_absolute_url()}")
        action = page.locator(f"#action-{gers.action.pk}")
        action.get_by_label("État d'avancement").select_option(label="Réalisée")
        action.get_by_role("button", name="Enregistrer l'état").click()
        expect(page.locator(f"#action-{gers.action.pk} .vigie-status")).to_have_text("Réalisée")
        expect(page.locator("#messages")).to_contain_text(
            "État d'avancement enregistré : Réalisée."
        )
    finally:
        context.close()


def test_lot_user_gets_404_on_a_gers_edit_url(page, live_server, login, make_user, world):
    login(make_user("prefecture", world.lot.department))
    response = page.goto(f"{live_server.url}/mesures/{world.gers.measure.pk}/modifier/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/actions/{world.gers.action.pk}/modifier/")
    assert response.status == 404


def test_anonymous_visitor_reads_the_adopted_plan_only(page, live_server, assert_accessible, world):
    gers = world.gers
    page.goto(f"{live_server.url}/departements/32/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gers")
    expect(page.get_by_role("heading", name=gers.plan.title)).to_be_visible()
    page.get_by_text("Introduction du plan").click()
    expect(page.get_by_text("Le plan rassemble l'État et ses partenaires.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Page permanente du plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gers.plan.title)
    assert_accessible(page)

    page.get_by_role("link", name="Prévenir le décrochage scolaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mesure 1.1")
    expect(page.get_by_text("Bonne pratique").first).to_be_visible()
    tabs = page.get_by_role("navigation", name="Rubriques de la mesure")
    expect(tabs.get_by_role("link", name="Fiche")).to_be_visible()
    expect(tabs.get_by_role("link", name="Historique")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Historique"))).to_have_count(0)
    expect(page.locator("select[name=status]")).to_have_count(0)
    assert_accessible(page)

    assert page.goto(f"{live_server.url}{gers.draft_plan.get_absolute_url()}").status == 404
    assert page.goto(f"{live_server.url}/mesures/{gers.measure.pk}/historique/").status == 404
    assert page.goto(f"{live_server.url}/plans/{gers.plan.pk}/historique/").status == 404


def test_prefecture_fixes_an_invalid_measure_edit(
    page, live_server, login, make_user, assert_accessible, world
):
    gers = world.gers
    login(make_user("prefecture", gers.department))
    page.goto(f"{live_server.url}{gers.measure.get_absolute_url()}")
    page.get_by_role("link", name="Modifier la mesure").click()
    title = page.get_by_label("Intitulé")
    title.fill("   ")
    page.get_by_role("button", name="Enregistrer").click()
    error = page.locator("#id_title-desc-error")
    expect(error).to_have_text("Ce champ est obligatoire.")
    # The error sits inside the title's field group, right under the field.
    expect(
        page.locator(".fr-input-group--error").filter(has=page.locator("#id_title"))
    ).to_contain_text("Ce champ est obligatoire.")
    assert_accessible(page)

    page.get_by_label("Intitulé").fill("Prévenir le décrochage scolaire au collège")
    page.locator("#id_objectives").fill("Repérer tôt les élèves\nFormer les équipes éducatives")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Prévenir le décrochage scolaire au collège"
    )
    expect(page.get_by_text("Former les équipes éducatives")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("La mesure a été enregistrée.")


def test_directory_and_glossary_search(page, live_server, assert_accessible, world):
    page.goto(f"{live_server.url}/organisations/?departement=32")
    expect(page.locator("#directory-count")).to_have_text(re.compile(r"3 organisations trouvées"))
    page.get_by_label("Nom, sigle ou autre appellation").fill("gendarmerie departementale")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#directory-count")).to_have_text(re.compile(r"1 organisation trouvée"))
    assert_accessible(page)
    page.get_by_role("link", name="Groupement de gendarmerie départementale (Gers)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Groupement de gendarmerie départementale"
    )
    expect(
        page.get_by_role("link", name=re.compile("Prévenir le décrochage scolaire"))
    ).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/organisations/glossaire/32/")
    expect(page.locator("#glossary-count")).to_have_text(re.compile("3 sigles"))
    page.get_by_label("Sigle ou mot de la définition").fill("securite")
    # Live search (HTMX): results update while typing, without submitting.
    expect(page.locator("#glossary-count")).to_have_text(re.compile("1 sigle sur 3"))
    expect(page.locator("#glossary-results")).to_contain_text("CLSPD")
    expect(page.locator("#glossary-results")).not_to_contain_text("PJJ")
    assert "q=securite" in page.url
    assert_accessible(page)


def test_commune_and_epci_pages(page, live_server, assert_accessible, world):
    page.goto(f"{live_server.url}/territoires/communes/32013/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Préfecture-sur-Rivière")
    expect(page.get_by_text("21\u202f986 habitants")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(world.gers.plan.title))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Grand Gers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grand Gers")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Abbaye")
    assert_accessible(page)
    page.get_by_role("link", name="population").click()
    expect(rows.first).to_contain_text("Préfecture-sur-Rivière")


def test_every_other_page_is_accessible(
    page, live_server, login, make_user, assert_accessible, world
):
    gers = world.gers
    user = make_user("prefecture", gers.department)
    services.change_action_status(acting_user=user, action=gers.action, status=ActionStatus.DONE)
    CommentFactory(measure=gers.measure, author=user, body="Point d'étape en comité.")
    login(user)
    base = live_server.url
    for path, heading in [
        ("/departements/32/", "Gers"),
        (f"/plans/{gers.plan.pk}/modifier/", "Modifier le plan"),
        (f"/plans/{gers.plan.pk}/historique/", "Historique du plan"),
        (f"/plans/{gers.draft_plan.pk}/", gers.draft_plan.title),
        (f"/mesures/{gers.measure.pk}/commentaires/", "Mesure 1.1"),
        (f"/mesures/{gers.measure.pk}/actions/ajouter/", "Ajouter une action"),
        (f"/actions/{gers.action.pk}/modifier/", "Modifier l'action"),
        (f"/actions/{gers.action.pk}/supprimer/", "Supprimer l'action"),
        (f"/actions/{gers.action.pk}/historique/", "Historique de l'action"),
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)

    # Comments: post one, then the action form with an error.
    page.goto(f"{base}/mesures/{gers.measure.pk}/commentaires/")
    page.get_by_label("Votre commentaire").fill("La gendarmerie rejoint la cellule.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.locator(".vigie-comment").last).to_contain_text(
        "La gendarmerie rejoint la cellule."
    )
    page.goto(f"{base}/mesures/{gers.measure.pk}/actions/ajouter/")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.locator("#id_text-desc-error")).to_have_text("Ce champ est obligatoire.")
    assert_accessible(page)
