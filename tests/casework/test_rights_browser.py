"""In a browser (Chromium): the coordinator signs in with two factors, answers an access request with the JSON
export, rectifies the person's name and reads the history, then erases the case on a justified objection. Every
page checked by axe-core."""

import json
from pathlib import Path

import pytest

from tests.accounts.two_factor.helpers import enrol
from tests.casework.factories import make_case, make_group, make_member
from tests.casework.test_browser import _sign_in_with_code
from vigie.casework.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_exports_rectifies_and_erases(page, live_server, login, assert_accessible):
    group, _ = make_group()
    coordinator = make_member(group, role="coordinateur")
    case = make_case(make_member(group))
    key, _ = enrol(coordinator.user)

    _sign_in_with_code(page, login, coordinator.user, key)
    page.goto(f"{live_server.url}/suivi-individualise/groupes/{group.pk}/dossiers/")
    page.get_by_role("link", name="Léo DUPONT-FICTIF").click()
    page.get_by_role("link", name="Droits de la personne").click()
    assert page.get_by_role("heading", name="Droits de la personne", level=1).is_visible()
    assert_accessible(page)

    # Access request: the JSON export is downloaded.
    page.get_by_label("Demande de la personne reçue le").fill("2026-11-20")
    page.locator(
        "label[for=id_export_format_0]"
    ).click()  # JSON (the DSFR radio is drawn by its label)
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter les données").click()
    assert "DUPONT" not in download.value.suggested_filename.upper()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["identity"]["last_name"] == "DUPONT-FICTIF"
    assert data["request"]["requested_on"] == "2026-11-20"

    # Rectification, then its history.
    page.get_by_role("link", name="Rectifier le dossier").click()
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("DURAND-FICTIF")
    page.get_by_role("button", name="Rectifier").click()
    assert page.get_by_role("heading", name="Historique des rectifications").is_visible()
    history = page.locator("#rectifications tbody tr")
    assert history.count() == 1
    assert "DUPONT-FICTIF" in history.inner_text() and "DURAND-FICTIF" in history.inner_text()
    assert_accessible(page)

    # Erasure on a justified objection.
    page.get_by_role("link", name="Droits de la personne").click()
    page.get_by_role("link", name="Effacer le dossier").click()
    assert_accessible(page)
    page.get_by_label("Motif de l'effacement").select_option("opposition")
    page.get_by_label("Justification").fill("Opposition écrite reçue, jugée fondée par le groupe")
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Effacer définitivement").click()
    assert page.get_by_text("Le dossier et toutes ses entrées ont été effacés.").is_visible()
    assert page.get_by_text("DURAND").count() == 0
    assert "DURAND" not in page.url and "DUPONT" not in page.url
    assert_accessible(page)
    assert not Case.objects.filter(pk=case.pk).exists()
