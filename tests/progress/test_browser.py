"""End-to-end in Chromium: a visitor reads a plan's public progress page and filters it by commune."""

import pytest

from tests.progress.conftest import build_progress_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_page_with_a_commune_filter(page, live_server, assert_accessible):
    world = build_progress_world()
    page.goto(f"{live_server.url}/avancement/")
    assert_accessible(page)
    page.get_by_role("link", name="Gers (32) — Plan du Gers (2021-2024)").click()
    page.get_by_role("heading", name="Avancement du plan — Gers — plan 2021-2024").wait_for()
    assert page.get_by_role("heading", name="Axe 1 — Les jeunes").is_visible()
    assert world.secrets.action not in page.content()
    assert_accessible(page)

    page.get_by_label("Commune ou EPCI").select_option(label="Condom")
    page.get_by_role("button", name="Afficher").click()
    results = page.locator("#resultats-territoire")
    results.get_by_role("heading", name="Ce qui concerne Condom (commune)").wait_for()
    assert results.get_by_role("link", name="Intervenir dans les écoles de Condom").is_visible()
    assert "territoire=commune-32107" in page.url
    assert_accessible(page)


def test_filter_works_without_javascript(browser, live_server, assert_accessible):
    world = build_progress_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/avancement/plans/{world.plan.pk}/")
        page.get_by_label("Commune ou EPCI").select_option(label="CC de la Ténarèze")
        page.get_by_role("button", name="Afficher").click()
        page.get_by_role("heading", name="Ce qui concerne CC de la Ténarèze (EPCI)").wait_for()
        assert page.get_by_role(
            "link", name="Intervenir dans les écoles de Condom"
        ).first.is_visible()
    finally:
        context.close()


def test_prefecture_marks_an_action_non_public(page, live_server, login, assert_accessible):
    world = build_progress_world()
    login(world.users.prefecture)
    page.goto(f"{live_server.url}/plans/{world.plan.pk}/")
    page.get_by_role("link", name="Éléments non publics").click()
    page.get_by_role("heading", name="Éléments non publics — Gers — plan 2021-2024").wait_for()
    assert_accessible(page)
    # DSFR draws the box on the label, which takes the click.
    page.locator(f"label[for='action-{world.action.pk}']").click()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Publication enregistrée : 1 élément(s) modifié(s).").wait_for()
    assert page.get_by_label(
        "Action non publique : Intervenir dans les écoles de Condom"
    ).is_checked()
    assert_accessible(page)
    world.action.refresh_from_db()
    assert world.action.is_restricted
