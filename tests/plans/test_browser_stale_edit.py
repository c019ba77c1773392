"""Acceptance (issue 11): two sessions edit the same measure; the second save is refused and shows the
first person's change. Both people work in the prefecture of the Gers, each in their own browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.plans.factories import two_departments
from vigie.audit.models import AuditEntry
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")
    return context, page


def test_second_save_of_the_same_measure_is_refused_and_shows_the_first_change(
    browser, live_server, make_user, assert_accessible
):
    gers = two_departments().gers
    alice = make_user("prefecture", gers.department, first_name="Alice", last_name="Martin")
    bruno = make_user("prefecture", gers.department, first_name="Bruno", last_name="Petit")
    edit_url = f"{live_server.url}/mesures/{gers.measure.pk}/modifier/"
    alice_context, alice_page = signed_in_page(browser, live_server, alice)
    bruno_context, bruno_page = signed_in_page(browser, live_server, bruno)
    try:
        # Both open the edit form of the same measure.
        for page in (alice_page, bruno_page):
            page.goto(edit_url)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier la mesure")

        # Alice saves first.
        alice_page.get_by_label("Intitulé").fill("Prévenir le décrochage scolaire dès le collège")
        alice_page.get_by_role("button", name="Enregistrer").click()
        expect(alice_page.get_by_role("heading", level=1)).to_contain_text("dès le collège")

        # Bruno, still on the form he opened before, changes the objectives and saves.
        bruno_page.locator("#id_objectives").fill("Former les équipes éducatives")
        with bruno_page.expect_response(lambda r: r.request.method == "POST") as answer:
            bruno_page.get_by_role("button", name="Enregistrer").click()
        assert answer.value.status == 409
        alert = bruno_page.locator("#modification-concurrente")
        expect(alert).to_contain_text("Vos modifications n'ont pas été enregistrées")
        expect(alert).to_contain_text("Alice Martin")
        expect(alert).to_contain_text(
            "Intitulé : « Prévenir le décrochage scolaire dès le collège »"
        )
        expect(alert).to_contain_text("auparavant « Prévenir le décrochage scolaire »")
        # His input is still in the form.
        expect(bruno_page.locator("#id_objectives")).to_have_value("Former les équipes éducatives")
        assert_accessible(bruno_page)

        # Nothing of Bruno's was written; Alice's change stands.
        measure = Measure.objects.get(pk=gers.measure.pk)
        assert measure.title == "Prévenir le décrochage scolaire dès le collège"
        assert measure.objectives != "Former les équipes éducatives"
        assert not AuditEntry.objects.filter(actor=bruno).exists()
    finally:
        alice_context.close()
        bruno_context.close()


def test_stale_inline_status_change_is_refused_in_place(
    browser, live_server, make_user, assert_accessible
):
    gers = two_departments().gers
    alice = make_user("prefecture", gers.department, first_name="Alice", last_name="Martin")
    bruno = make_user("prefecture", gers.department, first_name="Bruno", last_name="Petit")
    measure_url = f"{live_server.url}{gers.measure.get_absolute_url()}"
    alice_context, alice_page = signed_in_page(browser, live_server, alice)
    bruno_context, bruno_page = signed_in_page(browser, live_server, bruno)
    try:
        for page in (alice_page, bruno_page):
            page.goto(measure_url)
        alice_action = alice_page.locator(f"#action-{gers.action.pk}")
        alice_action.get_by_label("État d'avancement").select_option(label="Réalisée")
        expect(alice_action.locator(".vigie-status")).to_have_text("Réalisée")

        bruno_page.evaluate("window.__vigieNoReload = true")
        bruno_action = bruno_page.locator(f"#action-{gers.action.pk}")
        with bruno_page.expect_response(lambda r: r.request.method == "POST") as answer:
            bruno_action.get_by_label("État d'avancement").select_option(label="En pause")
        assert answer.value.status == 409
        # htmx swaps the 409 fragment in place (static/vigie/js/vigie.js): Alice's state, and why.
        alert = bruno_action.locator("#modification-concurrente")
        expect(alert).to_contain_text("Alice Martin")
        expect(alert).to_contain_text("« Réalisée »")
        expect(bruno_action.locator(".vigie-status")).to_have_text("Réalisée")
        assert bruno_page.evaluate("window.__vigieNoReload") is True
        assert_accessible(bruno_page)
        assert Action.objects.get(pk=gers.action.pk).status == ActionStatus.DONE
    finally:
        alice_context.close()
        bruno_context.close()
