"""End-to-end in Chromium: a prefecture agent imports the Gers plan (DOCX, then PDF), corrects
an item in the review, confirms; the diff page of an amendment. Every page passes axe-core."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.imports.conftest import SEED_FILES
from tests.imports.test_versions import lot_amended_text
from vigie.imports.models import ImportSession
from vigie.indicators.models import Indicator
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Measure, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, live_server, path, code: str = "32"):
    page.goto(f"{live_server.url}/imports/departement/{code}/")
    page.get_by_label("Document du plan").set_input_files(str(path))
    page.get_by_role("button", name="Analyser le document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier la structure détectée")


def test_agent_imports_the_gers_plan_as_docx_then_pdf(
    page, live_server, login, make_user, assert_accessible, gers, seed_documents
):
    agent = make_user("prefecture", gers)
    login(agent)
    upload(page, live_server, seed_documents[("gers", "docx")])
    expect(page.locator("#resume-titre + ul")).to_contain_text("12 mesure(s)")
    expect(page.locator("#resume-titre + ul")).to_contain_text("23 indicateur(s)")
    expect(page.locator(".vigie-import-source")).to_contain_text("Sensibiliser et agir")
    assert_accessible(page)

    # correct one item: the measure 1.3 keeps the typo of the published plan
    page.get_by_role("link", name="Modifier la mesure 1.3").click()
    form = page.locator("#edit-axes-0-measures-2 form")
    form.get_by_label("Intitulé").fill(
        "Limiter les risques de récidive et permettre une insertion sociale et professionnelle durable"
    )
    form.get_by_role("button", name="Renommer").click()
    expect(page.locator("#el-axes-0-measures-2 h4")).to_contain_text("Limiter les risques")
    assert_accessible(page)
    page.reload()  # the correction is saved: the review can be resumed
    expect(page.locator("#el-axes-0-measures-2 h4")).to_contain_text("Limiter les risques")

    page.get_by_role("link", name="Confirmer l'import…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer l'import")
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer et enregistrer le plan").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    plan = Plan.objects.get(department=gers)
    measures = Measure.objects.filter(axis__plan=plan, axis__kind="axis")
    assert measures.count() == 12
    assert Indicator.objects.filter(measure__in=measures).count() == 23
    assert measures.get(number="1.3").title.startswith("Limiter les risques")

    # the same plan as PDF: a new version of it, nothing lost
    action = Action.objects.filter(measure__axis__plan=plan).first()
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    upload(page, live_server, seed_documents[("gers", "pdf")])
    expect(page.locator("#resume-titre + ul")).to_contain_text("12 mesure(s)")
    expect(page.locator("#resume-titre + ul")).to_contain_text("23 indicateur(s)")
    expect(page.locator("#diff-titre + p")).to_contain_text("1 mesure(s) modifiée(s)")  # the typo
    page.get_by_role("link", name="Confirmer l'import…").click()
    page.get_by_role("button", name="Confirmer et enregistrer le plan").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    assert Measure.objects.filter(axis__plan=plan, axis__kind="axis").count() == 12
    assert Indicator.objects.filter(measure__in=measures).count() == 23
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert ImportSession.objects.filter(status="confirmed").count() == 2


def test_review_works_without_javascript(browser, live_server, make_user, gers, seed_documents):
    agent = make_user("prefecture", gers)
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.get_by_label("Identifiant").fill(agent.username)
        page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
        page.get_by_role("button", name="Se connecter").click()
        upload(page, live_server, seed_documents[("gers", "odt")])
        page.get_by_role("link", name="Modifier la mesure 4.3").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Modifier un élément de la structure"
        )
        page.get_by_role("button", name="Retirer (bruit)").click()
        expect(page.locator("#messages")).to_contain_text("La structure a été modifiée.")
        expect(page.locator("#review-tree")).not_to_contain_text("Mesure 4.3")
        expect(page.locator("#resume-titre + ul")).to_contain_text("11 mesure(s)")
    finally:
        context.close()


def test_amendment_diff_page(page, live_server, login, make_user, assert_accessible, lot, tmp_path):
    call_command("import_plan", str(SEED_FILES["lot"]), department="46", stdout=io.StringIO())
    plan = Plan.objects.get(department=lot)
    agent = make_user("prefecture", lot)
    login(agent)
    path = tmp_path / "lot-avenant-1.md"
    path.write_text(lot_amended_text(), encoding="utf-8")
    page.goto(f"{live_server.url}/imports/departement/46/")
    page.get_by_label("Document du plan").set_input_files(str(path))
    page.get_by_label("Ce document est-il une nouvelle version").select_option(str(plan.pk))
    page.get_by_label("Intitulé de la version").fill("Avenant n° 1")
    page.get_by_role("button", name="Analyser le document").click()
    page.get_by_role("link", name="Différences avec le plan actuel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Différences avec le plan actuel")
    differences = page.locator("main")
    expect(differences).to_contain_text(
        "1 mesure(s) ajoutée(s), 1 mesure(s) modifiée(s), 1 indicateur(s) retiré(s)"
    )
    expect(differences).to_contain_text("Renforcer la protection des élus et des candidats")
    expect(differences).to_contain_text("Nombre d'ateliers mis en place")
    assert_accessible(page)
    page.get_by_role("link", name="Confirmer l'import…").click()
    page.get_by_role("button", name="Confirmer et enregistrer le plan").click()
    page.goto(f"{live_server.url}/imports/plans/{plan.pk}/versions/")
    expect(page.locator("table")).to_contain_text("Avenant n° 1")
    assert_accessible(page)
    page.get_by_role("link", name="Comparer à « Version initiale »").click()
    expect(page.locator("main")).to_contain_text("1 indicateur(s) retiré(s)")
    assert_accessible(page)
