"""End-to-end in Chromium: the acceptance loop of a collection campaign, and a spreadsheet upload."""

import io
import re

import pytest
from openpyxl import Workbook

from tests.indicators.world import build_world
from vigie.indicators.models import IndicatorValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")


def campaign_url(live_server, world):
    return f"{live_server.url}/indicateurs/campagnes/{world.campaign.pk}/"


def test_acceptance_loop(page, live_server, login, assert_accessible):
    world = build_world()
    commune_label = "Nombre de réunions du CLSPD"
    epci_label = "Nombre de jeunes suivis par le CISPD"

    # 1. The coordinator of the CISPD Grand Auch enters two values and submits them.
    login(world.users.coordinator)
    page.goto(campaign_url(live_server, world))
    assert_accessible(page)
    page.locator(f"a[title^='Saisir : {commune_label} — Auch —']").click()
    assert_accessible(page)
    page.get_by_label("Valeur").fill("4")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("La valeur est enregistrée en brouillon.").wait_for()
    page.locator(f"a[title^='Saisir : {epci_label} — CA Grand Auch']").click()
    page.get_by_label("Valeur").fill("1 250")
    page.get_by_label("Commentaire").fill("Source : tableau de bord du CISPD")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Soumettre toutes mes valeurs en brouillon").click()
    page.get_by_text("2 valeur(s) soumise(s) à la préfecture.").wait_for()
    logout(page)

    # 2. The prefecture agent sends one back with a comment.
    login(world.users.prefecture)
    page.goto(campaign_url(live_server, world))
    assert page.get_by_role("heading", name="Valeurs à valider (2)").is_visible()
    page.locator(f"a[title^='Renvoyer avec un commentaire : {commune_label} — Auch']").click()
    assert_accessible(page)
    page.get_by_label("Commentaire pour la personne qui a saisi").fill(
        "Vérifiez : 4 réunions en 2025 ?"
    )
    page.get_by_role("button", name="Renvoyer pour correction").click()
    page.get_by_text("La valeur est renvoyée pour correction.").wait_for()
    logout(page)

    # 3. The coordinator corrects it.
    login(world.users.coordinator)
    page.goto(campaign_url(live_server, world))
    page.get_by_text("« Vérifiez : 4 réunions en 2025 ? »").wait_for()
    page.locator(f"a[title^='Corriger : {commune_label} — Auch —']").click()
    assert page.get_by_text("Valeur renvoyée par la préfecture").is_visible()
    page.get_by_label("Valeur").fill("3")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    page.get_by_text("La valeur est enregistrée et soumise à la préfecture.").wait_for()
    logout(page)

    # 4. The agent validates both.
    login(world.users.prefecture)
    page.goto(campaign_url(live_server, world))
    for _ in range(2):
        page.get_by_role("button", name="Valider").first.click()
        page.get_by_text("La valeur est validée.").wait_for()
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"validated"}

    # 5. The measure's progress view and its history show each step.
    page.goto(f"{live_server.url}/indicateurs/mesures/{world.measure.pk}/")
    history = page.locator("table", has_text="Historique de la mesure")
    for text in ("Brouillon", "Soumise", "Renvoyée pour correction", "Validée"):
        assert history.get_by_text(text).first.is_visible()
    assert page.get_by_role("heading", name="Indicateurs", exact=True).is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/indicateurs/{world.commune_indicator.pk}/")
    assert page.locator("#tableau-territoires").get_by_text("Auch (32013)").is_visible()
    assert page.locator("svg.vigie-chart").count() == 1
    assert_accessible(page)


def test_upload_with_three_bad_cells(page, live_server, login, assert_accessible):
    world = build_world()
    login(world.users.coordinator)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Valeurs"
    sheet.append(
        [
            "Identifiant indicateur",
            "Mesure",
            "Indicateur",
            "Unité",
            "Code territoire",
            "Territoire",
            "Période",
            "Valeur",
            "Commentaire",
            "Statut actuel",
        ]
    )
    pk = world.commune_indicator.pk
    sheet.append([pk, "1.1", "", "", "32013", "Auch", "2025", "trois"])
    sheet.append([pk, "1.1", "", "", "32307", "Pavie", "2024", 2])
    sheet.append([pk, "1.1", "", "", "32107", "Condom", "2025", 2])
    sheet.append([pk, "1.1", "", "", "32307", "Pavie", "2025", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.goto(f"{live_server.url}/indicateurs/campagnes/{world.campaign.pk}/import/")
    page.get_by_label("Fichier rempli (.xlsx ou .ods)").set_input_files(
        files=[
            {
                "name": "bilan.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": buffer.getvalue(),
            }
        ]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    errors = page.locator("#erreurs-import li")
    assert errors.count() == 3
    texts = errors.all_inner_texts()
    assert re.search(r"ligne 2, colonne H \(Valeur\) : « trois » n'est pas un nombre", texts[0])
    assert "ligne 3, colonne G (Période)" in texts[1]
    assert "ligne 4, colonne E (Code territoire)" in texts[2]
    assert_accessible(page)
    assert not IndicatorValue.objects.exists()


def test_department_progress_page(page, live_server, assert_accessible):
    world = build_world()
    page.goto(f"{live_server.url}/indicateurs/plans/{world.plan.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Suivi du plan")
    page.get_by_role("button", name="Comment la position face à la cible est calculée").click()
    rule = page.locator("#regles-calcul li", has_text="au moins 90 % du progrès attendu")
    rule.wait_for(state="visible")
    assert_accessible(page)
    page.goto(f"{live_server.url}/api/")
    assert_accessible(page)
