"""End-to-end: uploading an SSMSI base, its preview, its publication and withdrawal, in Chromium, with an
accessibility check of each page."""

import re

import pytest

from tests.statistics.test_editions import newer_lot_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_uploads_and_sees_the_preview_then_an_administrator_publishes(
    page, live_server, login, make_user, occitanie, subset_data, tmp_path, assert_accessible
):
    path = newer_lot_file(tmp_path)
    login(make_user("prefecture", occitanie["lot"]))
    page.goto(f"{live_server.url}/statistiques/import/")
    page.get_by_label("Fichier de la base SSMSI").set_input_files(str(path))
    page.get_by_role("button", name="Importer").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Édition de la base SSMSI — édition du 28 janvier 2026 (géographie 2025)"
    )
    assert "Aperçu : édition non publiée" in page.content()
    changes = page.get_by_role("table", name="Lot (46) : 18 chiffre(s) changent")
    row = changes.get_by_role("row", name=re.compile("^Coups et blessures volontaires 2024"))
    assert row.get_by_role("cell").all_inner_texts() == [
        "Coups et blessures volontaires",
        "2024",
        "648",
        "650",
        "modifié",
    ]
    assert page.get_by_role("button", name="Publier cette édition").count() == 0
    assert_accessible(page)

    page.context.clear_cookies()
    login(make_user("admin"))
    page.goto(f"{live_server.url}/statistiques/editions/")
    assert page.get_by_role("heading", level=1).inner_text() == "Éditions de la base SSMSI"
    assert_accessible(page)
    page.get_by_role("link", name="édition du 28 janvier 2026 (géographie 2025)").click()
    page.get_by_label("Département comparé").select_option("32")
    page.get_by_role("button", name="Comparer").click()
    assert page.get_by_role("table", name=re.compile(r"^Gers \(32\) : \d+ chiffre")).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publier cette édition").click()
    assert "est publiée" in page.content()
    table = page.get_by_role("table", name="Éditions de la base SSMSI")
    published = table.get_by_role("row").filter(has_text="28 janvier 2026")
    assert "Publiée — édition par défaut" in published.inner_text()

    page.goto(f"{live_server.url}/statistiques/46/")
    assert "édition du 28 janvier 2026" in page.locator("#edition-shown").inner_text()

    page.goto(f"{live_server.url}/statistiques/editions/")
    table.get_by_role("link", name="édition du 28 janvier 2026 (géographie 2025)").click()
    assert_accessible(page)
    page.get_by_label("Motif du retrait").fill("Fichier erroné")
    page.get_by_role("button", name="Retirer cette édition").click()
    assert "est retirée" in page.content()
    page.goto(f"{live_server.url}/statistiques/46/")
    assert "édition du 26 janvier 2025" in page.locator("#edition-shown").inner_text()
