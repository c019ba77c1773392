"""End-to-end in Chromium: a visitor downloads the plan document from the plan page (axe check
of the page), and the file is the plan."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.imports.conftest import SEED_FILES
from vigie.imports.reading.odt import read_odt
from vigie.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_downloads_the_plan_document(page, live_server, assert_accessible, gers):
    call_command("import_plan", str(SEED_FILES["gers"]), department="32", stdout=io.StringIO())
    plan = Plan.objects.get(department=gers)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    section = page.get_by_role("region", name="Télécharger le plan")
    expect(section).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        section.get_by_role("link", name="ODT (LibreOffice) du texte en vigueur").click()
    download = info.value
    assert download.suggested_filename == "plan-32-2021-2024-en-vigueur.odt"
    with open(download.path(), "rb") as file:
        blocks = read_odt(file.read())
    headings = [b.text for b in blocks if b.is_heading and b.level == 1]
    assert "Axe 1 : Les jeunes, agir plus tôt et aller plus loin dans la prévention" in headings
    assert "Annexe 1 : Plan de prévention de la cyberdélinquance" in headings

    with page.expect_download() as info:
        section.get_by_role("link", name="JSON (données) du texte signé").click()
    assert info.value.suggested_filename == "plan-32-2021-2024-signe.json"


def test_first_download_waits_on_a_page_that_reloads_into_the_file(
    page, live_server, assert_accessible, gers, monkeypatch
):
    """The worker is late: the visitor gets the « en préparation » page (axe check); once the document is
    stored, the page's status (HTMX polling, no reload) offers the download link."""
    from vigie.imports import views
    from vigie.imports.exporting.stored import prepare_plan_export

    queued = []
    monkeypatch.setattr(
        views,
        "prepare_plan_export",
        type("LateTask", (), {"enqueue": staticmethod(lambda *args: queued.append(args))}),
    )
    call_command("import_plan", str(SEED_FILES["gers"]), department="32", stdout=io.StringIO())
    plan = Plan.objects.get(department=gers)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    section = page.get_by_role("region", name="Télécharger le plan")
    section.get_by_role("link", name="DOCX (Word) du texte en vigueur").click()
    expect(page.get_by_role("heading", name="Document du plan en préparation")).to_be_visible()
    assert_accessible(page)
    assert queued == [(plan.pk, "current", "docx", True)]

    prepare_plan_export(*queued[0])  # what the worker does
    link = page.get_by_role("link", name="Télécharger le document (DOCX (Word))")
    expect(link).to_be_visible(timeout=15000)
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "plan-32-2021-2024-en-vigueur.docx"
    assert queued == [(plan.pk, "current", "docx", True)]  # the polls did not queue it again
