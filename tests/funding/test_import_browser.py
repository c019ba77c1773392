"""End-to-end in Chromium, every page checked with axe-core: a prefecture agent imports the year's files of a call
from a démarches simplifiées export (upload, column mapping, preview, confirm)."""

import pytest
from playwright.sync_api import expect

from tests.funding.import_data import HEADERS, build_world, export, good_rows
from vigie.funding.enums import ApplicationState
from vigie.funding.models import GrantApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prefecture_imports_a_platform_export(
    page, live_server, login, assert_accessible, make_user
):
    world = build_world()
    call = world["call"]
    headers = [h if h != "Montant demandé" else "Subvention sollicitée au FIPD" for h in HEADERS]
    rows = good_rows(call)
    rows[1][9] = "beaucoup"
    name, data = export(rows, "xlsx", headers)
    login(make_user("prefecture", world["gers"]))
    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    page.get_by_role("link", name="Importer des dossiers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importer des dossiers")
    assert_accessible(page)
    page.get_by_label("Export des dossiers").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Correspondance des colonnes")
    assert_accessible(page)
    expect(page.get_by_label("Coût total (€)")).to_have_value("Coût total")
    page.get_by_label("Montant demandé (€)").select_option("Subvention sollicitée au FIPD")
    page.get_by_role("button", name="Enregistrer et voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import")
    expect(page.locator("#import-errors")).to_contain_text(
        "Ligne 3, colonne « Subvention sollicitée au FIPD » : « beaucoup » n'est pas un montant en euros."
    )
    assert_accessible(page)
    assert not GrantApplication.objects.exists()

    rows[1][9] = 25000
    name, data = export(rows, "xlsx", headers)
    page.get_by_role("link", name="Déposer un autre fichier").click()
    expect(page.locator("#saved-mapping")).to_contain_text("Subvention sollicitée au FIPD")
    page.get_by_label("Export des dossiers").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#import-ready")).to_contain_text("2 dossiers à créer")
    expect(page.locator("#import-preview")).to_contain_text("Vidéoprotection du centre-ville")
    assert_accessible(page)
    page.get_by_role("button", name="Importer 2 dossiers").click()

    expect(page.locator("#applications-table")).to_contain_text("Médiation de soirée à Auch")
    assert_accessible(page)
    assert GrantApplication.objects.filter(state=ApplicationState.SUBMITTED).count() == 2
