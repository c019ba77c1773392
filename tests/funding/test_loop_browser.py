"""The whole life of a grant in Chromium, as the acceptance of the funding work tells it, each page checked with
axe-core: an association drafts an application for the Gers measure 1.1 asking 60 % of the cost from the FIPD D,
reads the rule's message with its figures, fixes it and submits; the instructor sends it back « à corriger »; the
applicant corrects and submits again; a référent's opinion is asked and given from the référent's own account;
the funders' committee programmes it within the envelope and records the decision; the decision letter is
generated (its PDF names the applicant, the amount and the measure); a payment is recorded; the final report,
late, shows on the overdue list until the applicant files it, then leaves it."""

from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import default_measure, make_call
from vigie.funding.enums import ApplicationState
from vigie.funding.models import (
    Fund,
    FundProgramme,
    GrantApplication,
    GrantLetter,
    OpinionRequest,
)
from vigie.funding.reference import load_funds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NNBSP = "\u202f"
TITLE = "Médiation de soirée à Auch"


def money(amount: str) -> str:
    """How the pages write an amount: 9 000 € with narrow no-break spaces."""
    return f"{amount.replace(' ', NNBSP)}{NNBSP}€"


@pytest.fixture
def world(db, make_user):
    load_funds(Fund, FundProgramme)  # a transactional test may have flushed the reference data
    gers = DepartmentFactory(code="32", name="Gers")
    association = OrganisationFactory(
        department=gers, name="Trait d'Union", acronym="", kind="association"
    )
    return {
        "call": make_call(gers),  # FIPD D, R, S: 100 000 € each, the FIPD's default rules
        "measure": default_measure(gers),  # the Gers plan's measure 1.1
        "applicant": make_user("applicant", gers, organisation=association),
        "prefecture": make_user("prefecture", gers),
        "referent": make_user(
            "partner", gers, first_name="Paul", last_name="Référent", username="referent32"
        ),
    }


@pytest.fixture
def as_user(page, login):
    def _as(user):
        page.context.clear_cookies()
        login(user)

    return _as


def _draft_and_submit(page, base, check, world):
    """The applicant's part: project, budget with the share rule's message, fix, attachments, submission."""
    call, measure = world["call"], world["measure"]
    page.goto(f"{base}/financements/mes-demandes/")
    check(page)
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("link", name="Déposer une demande").click()
    check(page)
    page.get_by_label("Programme").select_option(label="FIPD D — Prévention de la délinquance")
    page.get_by_label("Intitulé du projet").fill(TITLE)
    page.get_by_label("Nature du porteur").select_option("association")
    # The action ended two years ago (a grant regularised late): its report is due, and late, once paid.
    year = timezone.localdate().year - 2
    page.get_by_label("Début de l'action").fill(f"{year}-01-01")
    page.get_by_label("Fin de l'action").fill(f"{year}-12-31")
    page.locator("label", has_text=f"{measure.number} — {measure.title}").click()
    page.get_by_role("button", name="Enregistrer et passer au budget").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Budget prévisionnel")
    page.locator("#id_c60").fill("20000")
    page.locator("#id_s_FIPD").fill("12000")
    page.locator("#id_i75").fill("8000")
    rules = page.locator("#budget-rules")
    expect(rules).to_contain_text(
        f"Le FIPD ne peut financer plus de 50{NNBSP}% du coût total : {money('12 000')} demandés pour "
        f"{money('20 000')}, soit 60{NNBSP}%"
    )
    check(page)
    page.locator("#id_s_FIPD").fill("10000")
    page.locator("#id_i75").fill("10000")
    expect(rules).not_to_contain_text("ne peut financer plus de 50")
    page.get_by_role("button", name="Enregistrer le budget").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Pièces jointes")
    check(page)
    for kind in ("Relevé d'identité bancaire", "Dernier rapport d'activité"):
        page.get_by_label("Nature de la pièce").select_option(label=kind)
        page.get_by_label("Fichier").set_input_files(
            {"name": "piece.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 piece"}
        )
        page.get_by_role("button", name="Joindre").click()
        expect(page.locator("#attachments")).to_contain_text(kind)
    page.get_by_role("link", name="Récapitulatif et dépôt").first.click()
    check(page)
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.locator("#application-state")).to_contain_text("Déposé")


def _send_back(page, base, check, application):
    page.goto(f"{base}/financements/instruction/departement/32/")
    check(page)
    page.get_by_role("link", name=TITLE).click()
    check(page)
    form = page.get_by_role("form", name="Renvoyer à corriger")
    form.get_by_label("Message au porteur").fill("Détaillez les charges : personnel et achats.")
    form.get_by_label("Budget prévisionnel").check(force=True)
    form.get_by_role("button", name="Renvoyer à corriger").click()
    expect(page.get_by_text("Demande passée à l'état « À corriger »")).to_be_visible()


def _correct_and_resubmit(page, base, check, application):
    page.goto(f"{base}{application.get_absolute_url()}")
    expect(page.locator("#correction-request")).to_contain_text(
        "Détaillez les charges : personnel et achats."
    )
    check(page)
    page.get_by_role("link", name="2. Budget").click()
    page.locator("#id_c60").fill("8000")
    page.locator("#id_c64").fill("12000")
    page.get_by_role("button", name="Enregistrer le budget").click()
    expect(page.locator(".fr-stepper__title")).to_contain_text("Pièces jointes")
    page.goto(f"{base}{application.get_absolute_url()}")
    page.get_by_role("button", name="Déposer la demande corrigée").click()
    expect(page.locator("#application-state")).to_contain_text("Déposé")
    expect(page.locator("#timeline")).to_contain_text("À corriger → Déposé")
    check(page)


def _ask_opinion(page, base, check, application, referent):
    page.goto(f"{base}/financements/instruction/dossier/{application.pk}/")
    page.get_by_role("form", name="Commencer l'instruction").get_by_role("button").click()
    expect(page.get_by_text("Demande passée à l'état « En instruction »")).to_be_visible()
    page.get_by_role("link", name="Demander un avis").click()
    check(page)
    page.get_by_label("Service consulté").select_option("safety")
    page.get_by_label("Personne consultée (compte du département)").select_option(str(referent.pk))
    page.get_by_label("Question posée").fill("La médiation vise-t-elle les secteurs des faits ?")
    page.get_by_label("Avis attendu le").fill(f"{timezone.localdate().year + 1}-01-15")
    page.get_by_role("button", name="Envoyer la demande d'avis").click()
    expect(page.get_by_text("Demande d'avis envoyée.")).to_be_visible()


def _give_opinion(page, base, check):
    page.goto(f"{base}/financements/instruction/avis/")
    check(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("La médiation vise-t-elle les secteurs des faits ?")).to_be_visible()
    check(page)
    page.get_by_text("Favorable", exact=True).click()
    page.get_by_label("Avis motivé").fill("Le centre d'Auch concentre les faits signalés.")
    page.get_by_role("button", name="Transmettre mon avis").click()
    expect(page.get_by_text("Votre avis est transmis à la préfecture.")).to_be_visible()


def _committee(page, base, check, world, application):
    page.goto(f"{base}/financements/instruction/dossier/{application.pk}/")
    expect(page.get_by_text("Le centre d'Auch concentre les faits signalés.")).to_be_visible()
    page.goto(f"{base}/financements/instruction/departement/32/comite/")
    check(page)
    page.get_by_label("Date de la séance").fill(f"{timezone.localdate().year}-12-15")
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label(TITLE).check(force=True)
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    amount = page.get_by_label(f"FIPD pour « {TITLE} »")
    amount.fill("9000")
    amount.press("Tab")
    programme = world["call"].programmes.get(programme__code="D")
    expect(page.locator(f"#remaining-{programme.pk}")).to_contain_text(money("91 000"))
    check(page)
    page.get_by_label(f"Décision pour « {TITLE} »").select_option("accepted")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Procès-verbal")
    expect(page.get_by_role("cell", name="Accepté")).to_be_visible()
    check(page)


def _decision_letter_text(page, base, check, application) -> str:
    page.goto(f"{base}{application.get_absolute_url()}")
    expect(page.locator("#application-state")).to_contain_text("Accepté")
    # The first PDF of the process loads WeasyPrint and its fonts: slow on a busy machine.
    page.get_by_role("button", name="Générer : arrêté attributif de subvention").click(
        timeout=60_000
    )
    expect(page.get_by_text("Arrêté attributif de subvention généré (ODT et PDF).")).to_be_visible()
    check(page)
    with page.expect_download() as download_info:
        page.locator("#letters").get_by_role(
            "link", name="PDF : Arrêté attributif de subvention"
        ).click()
    with open(download_info.value.path(), "rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
        text = " ".join(p.extract_text() for p in reader.pages)
    return " ".join(text.replace(NNBSP, " ").split())


def _notify_and_pay(page, base, check):
    page.get_by_role("link", name="Notifier la décision").click()
    check(page)
    page.get_by_label("Acte notifié").select_option(label="Arrêté attributif")
    page.get_by_label("Date de notification").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Notifier la décision").click()
    expect(page.locator("#application-state")).to_contain_text("Notifié")
    page.get_by_role("link", name="Enregistrer un versement").click()
    check(page)
    page.get_by_label("Nature").select_option(label="Versement unique")
    page.get_by_label("Montant versé (€)").fill("9000")
    page.get_by_label("Versé le").fill(timezone.localdate().isoformat())
    page.get_by_label("Numéro d'engagement juridique (Chorus)").fill("2103456789")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.locator("#application-state")).to_contain_text("Compte rendu attendu")
    expect(page.locator("#payments-table")).to_contain_text("2103456789")
    check(page)


def _file_final_report(page, base, check, application):
    page.goto(f"{base}{application.get_absolute_url()}")
    page.get_by_role("link", name="Déposer le compte rendu").click()
    expect(page.get_by_text("Il est en retard.")).to_be_visible()
    check(page)
    page.get_by_label("Actions réalisées").fill("Quarante soirées de médiation au centre d'Auch.")
    page.get_by_label("Réalisé — 60 – Achats (€)").fill("7500")
    page.get_by_label("Réalisé — 64 – Charges de personnel (€)").fill("12500")
    page.get_by_label("Réalisé — 74 – Subventions d'exploitation : État — FIPD (€)").fill("9000")
    page.get_by_label(
        "Réalisé — 75 – Autres produits de gestion courante (cotisations, dons…) (€)"
    ).fill("11000")
    page.get_by_role("button", name="Déposer le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est déposé")).to_be_visible()
    expect(page.locator("#application-state")).to_contain_text("Compte rendu reçu")
    check(page)


def test_the_whole_life_of_a_grant(page, live_server, as_user, assert_accessible, world):
    base, check = live_server.url, assert_accessible

    as_user(world["applicant"])
    _draft_and_submit(page, base, check, world)
    application = GrantApplication.objects.get()
    assert application.requested_amount == 10000 and list(application.measures.all()) == [
        world["measure"]
    ]

    as_user(world["prefecture"])
    _send_back(page, base, check, application)
    as_user(world["applicant"])
    _correct_and_resubmit(page, base, check, application)
    assert sorted(application.budget_lines.values_list("account", "amount")) == [
        ("60", 8000),
        ("64", 12000),
        ("74", 10000),
        ("75", 10000),
    ]

    as_user(world["prefecture"])
    _ask_opinion(page, base, check, application, world["referent"])
    as_user(world["referent"])
    _give_opinion(page, base, check)
    opinion = OpinionRequest.objects.get()
    assert opinion.verdict == "favourable" and opinion.expert == world["referent"]

    as_user(world["prefecture"])
    _committee(page, base, check, world, application)
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED and application.granted_amount == 9000

    text = _decision_letter_text(page, base, check, application)
    assert "Trait d'Union" in text
    assert "9 000 €" in text
    assert f"mesure 1.1 « {world['measure'].title} »" in text
    assert GrantLetter.objects.get().kind == "decision"
    _notify_and_pay(page, base, check)

    overdue = f"{base}/financements/comptes-rendus/32/en-retard/"
    page.goto(overdue)
    expect(page.locator("#overdue-reports")).to_contain_text(TITLE)
    due = date(timezone.localdate().year - 1, 6, 30)
    expect(page.locator("#overdue-reports")).to_contain_text(due.strftime("%d/%m/%Y"))
    check(page)

    as_user(world["applicant"])
    _file_final_report(page, base, check, application)

    as_user(world["prefecture"])
    page.goto(overdue)
    expect(page.locator("#overdue-reports")).to_contain_text("Aucun compte rendu en retard.")
    expect(page.locator("#overdue-reports")).not_to_contain_text(TITLE)
    check(page)
    application.refresh_from_db()
    assert application.state == ApplicationState.REPORT_RECEIVED
    assert application.final_report.was_late
