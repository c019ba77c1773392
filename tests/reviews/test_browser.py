"""End-to-end in Chromium, checked with axe-core: the prefecture writes the introduction and a comment,
generates the 2024 review, finds it listed on the review page and on the plan page, and downloads it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prefecture_writes_generates_and_downloads_a_review(
    page, live_server, login, assert_accessible, small, make_user
):
    plan = small["plan"]
    login(make_user("prefecture", small["gers"]))
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Bilans du plan")).to_be_visible()
    page.get_by_role(
        "link", name="Écrire l'introduction et les commentaires, générer un bilan"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilans du plan — Gers 2021-2024")
    assert_accessible(page)

    page.get_by_role("textbox", name="Introduction").fill(
        "Une année de mobilisation des partenaires."
    )
    page.get_by_role("textbox", name="Commentaire — Axe 1 : Les jeunes").fill(
        "Les interventions ont progressé."
    )
    page.get_by_role("button", name="Enregistrer les textes").click()
    expect(page.get_by_text("Les textes du bilan sont enregistrés.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Introduction")).to_have_value(
        "Une année de mobilisation des partenaires."
    )

    page.get_by_role("combobox", name="Année").select_option("2024")
    page.get_by_role("combobox", name="Format").select_option("pdf")
    page.get_by_role("button", name="Générer le bilan").click()
    expect(page.get_by_text("est généré (PDF)")).to_be_visible()
    listed = page.locator("#bilans ~ div table tbody tr, section[aria-labelledby=bilans] tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("du 1er janvier 2024 au 31 décembre 2024")
    assert_accessible(page)

    with page.expect_download() as download_info:
        listed.first.get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename == "bilan-32-2024-01-01-2024-12-31.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_role("link", name="Aperçu du bilan avec les données du jour").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilan annuel 2024")
    expect(page.get_by_text("Une année de mobilisation des partenaires.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mesure 1.1 — Prévenir au plus tôt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("combobox", name="Période du bilan").select_option("plan")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilan du plan départemental")
    expect(page.get_by_role("heading", name="Ce qui a été fait").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator("section[aria-labelledby=bilans-du-plan] tbody tr")).to_have_count(1)
    assert_accessible(page)
