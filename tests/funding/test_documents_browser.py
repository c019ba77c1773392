"""End-to-end in Chromium, every page checked with axe-core: the prefecture edits the decision template,
generates the arrêté and uploads its signed copy; an association files a late final report, which leaves the
overdue list; the measure page shows the money."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.funding.enums import ApplicationState
from vigie.funding.models import Fund, FundProgramme, GrantLetter
from vigie.funding.reference import load_funds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NNBSP = "\u202f"


@pytest.fixture
def gers(db):
    # A transactional test flushes the tables after each test, the funds of the data migration with them.
    load_funds(Fund, FundProgramme)
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def association(gers):
    return OrganisationFactory(
        department=gers, name="Trait d'Union", acronym="", kind="association"
    )


def test_prefecture_generates_the_decision_and_uploads_the_signed_copy(
    page, live_server, login, assert_accessible, gers, association, make_user, tmp_path
):
    application = make_application(
        make_call(gers),
        organisation=association,
        state=ApplicationState.NOTIFIED,
        granted_amount=7500,
        title="Médiation de soirée à Auch",
    )
    login(make_user("prefecture", gers))
    page.goto(f"{live_server.url}/financements/courriers/32/modeles/")
    assert_accessible(page)
    page.get_by_role("link", name="Modifier : Arrêté attributif de subvention").click()
    page.get_by_label("Texte").fill(
        "Subvention de {montant} à {porteur} pour la {mesure} ; {inconnu}."
    )
    page.get_by_role("button", name="Enregistrer le modèle").click()
    expect(page.locator("#letter-template-form")).to_contain_text("Champ inconnu : {inconnu}")
    assert_accessible(page)
    page.get_by_label("Texte").fill("Subvention de {montant} à {porteur} pour la {mesure}.")
    page.get_by_role("button", name="Enregistrer le modèle").click()
    expect(page.get_by_text("Le modèle est enregistré")).to_be_visible()

    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    # The first PDF of the process loads WeasyPrint and its fonts: slow on a busy machine.
    page.get_by_role("button", name="Générer : arrêté attributif de subvention").click(
        timeout=60_000
    )
    expect(page.get_by_text("Arrêté attributif de subvention généré (ODT et PDF).")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("#letters").get_by_role(
            "link", name="PDF : Arrêté attributif de subvention"
        ).click()
    with open(download_info.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert "Trait d'Union" in text and f"7{NNBSP}500{NNBSP}€".replace(NNBSP, " ") in text.replace(
        NNBSP, " "
    )
    assert "mesure 1.1" in text

    page.locator("#letters").get_by_role("link", name="Déposer la copie signée").click()
    assert_accessible(page)
    wrong = tmp_path / "scan.png"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n")
    page.get_by_label("Copie signée").set_input_files(str(wrong))
    page.get_by_role("button", name="Déposer la copie signée").click()
    expect(page.locator("#signed-copy-form")).to_contain_text("PDF")
    signed = tmp_path / "arrete-signe.pdf"
    signed.write_bytes(b"%PDF-1.4 signed")
    page.get_by_label("Copie signée").set_input_files(str(signed))
    page.get_by_role("button", name="Déposer la copie signée").click()
    expect(page.get_by_text("La copie signée est enregistrée.")).to_be_visible()
    expect(page.locator("#letters")).to_contain_text("copie signée (arrete-signe.pdf)")
    assert GrantLetter.objects.get().signed_name == "arrete-signe.pdf"


def test_a_late_final_report_leaves_the_overdue_list_once_filed(
    page, live_server, login, assert_accessible, gers, association, make_user
):
    application = make_application(
        make_call(gers, year=2024, is_open=False),
        organisation=association,
        state=ApplicationState.REPORT_DUE,
        granted_amount=8000,
        ends_on=date(2024, 12, 31),
        title="Médiation 2024",
    )
    prefecture = make_user("prefecture", gers)
    login(prefecture)
    page.goto(f"{live_server.url}/financements/comptes-rendus/32/en-retard/")
    expect(page.locator("#overdue-reports")).to_contain_text("Médiation 2024")
    expect(page.locator("#overdue-reports")).to_contain_text("30/06/2025")
    assert_accessible(page)

    page.context.clear_cookies()
    login(make_user("applicant", gers, organisation=association))
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="Déposer le compte rendu").click()
    expect(page.get_by_text("Il est en retard.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Actions réalisées").fill("Vingt soirées de médiation.")
    page.get_by_label("Réalisé — 60 – Achats (€)").fill("-100")
    page.get_by_label("Réalisé — 74 – Subventions d'exploitation : État — FIPD (€)").fill("8000")
    page.get_by_label(
        "Réalisé — 75 – Autres produits de gestion courante (cotisations, dons…) (€)"
    ).fill("12000")
    page.get_by_role("button", name="Déposer le compte rendu").click()
    expect(page.locator("#final-report-form")).to_contain_text(
        "Un montant ne peut pas être négatif."
    )
    assert_accessible(page)
    page.get_by_label("Réalisé — 60 – Achats (€)").fill("19 500")
    page.get_by_role("button", name="Déposer le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est déposé")).to_be_visible()
    expect(page.locator("#application-state")).to_contain_text("Compte rendu reçu")

    page.context.clear_cookies()
    login(prefecture)
    page.goto(f"{live_server.url}/financements/comptes-rendus/32/en-retard/")
    expect(page.locator("#overdue-reports")).to_contain_text("Aucun compte rendu en retard.")
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="le consulter").click()
    expect(page.locator("#realised-budget")).to_contain_text(f"19{NNBSP}500{NNBSP}€")
    assert_accessible(page)


def test_the_measure_page_shows_the_money(
    page, live_server, login, assert_accessible, gers, association, make_user
):
    application = make_application(
        make_call(gers),
        organisation=association,
        state=ApplicationState.NOTIFIED,
        granted_amount=6000,
    )
    login(make_user("prefecture", gers))
    page.goto(f"{live_server.url}{application.measures.get().get_absolute_url()}")
    grants = page.locator("#measure-grants")
    expect(grants.get_by_role("heading", name="Subventions")).to_be_visible()
    expect(grants).to_contain_text(f"8{NNBSP}000{NNBSP}€")
    expect(grants).to_contain_text(f"6{NNBSP}000{NNBSP}€")
    assert_accessible(page)
    grants.get_by_role("link", name="Subventions de tout le plan").click()
    expect(page.locator("#money-fund")).to_contain_text("FIPD 2026")
    expect(page.locator("#money-measure")).to_contain_text(f"6{NNBSP}000{NNBSP}€")
    assert_accessible(page)
    # The plan's follow-up page, then its public progress page (signed out): granted 6 000 €, by fund and axis.
    plan = application.measures.get().axis.plan
    page.goto(f"{live_server.url}{reverse('indicators:plan_progress', args=[plan.pk])}")
    expect(page.locator("#plan-money-fund")).to_contain_text(f"8{NNBSP}000{NNBSP}€")
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('progress:plan', args=[plan.pk])}")
    expect(page.locator("#plan-money-axis")).to_contain_text(f"6{NNBSP}000{NNBSP}€")
    expect(page.locator("#plan-grants")).not_to_contain_text("Demandé")
    assert_accessible(page)
