"""End-to-end in Chromium, each page checked with axe-core: the instructor sends an application back « à
corriger » from the queue; a référent's opinion is requested and given; the committee programmes the application
within the envelope and records the decision; the minutes follow."""

import pytest
from playwright.sync_api import expect

from tests.funding.instruction_data import gers_world, make_application
from vigie.funding.enums import ApplicationState
from vigie.funding.models import Fund, FundProgramme, GrantApplication, OpinionRequest
from vigie.funding.reference import load_funds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    load_funds(Fund, FundProgramme)  # a transactional test may have flushed the reference data
    return gers_world()


def test_instructor_sends_back_to_correct_from_the_queue(
    page, live_server, login, assert_accessible, world
):
    fresh = make_application(
        world["call_programme"],
        world["association"],
        title="Prévention routière des jeunes",
        state=ApplicationState.SUBMITTED,
    )
    login(world["prefecture"])
    page.goto(f"{live_server.url}/financements/instruction/departement/32/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes à instruire — Gers")
    assert_accessible(page)
    page.get_by_label("État").select_option("submitted")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Médiation sociale de nuit")).to_have_count(0)
    page.get_by_role("link", name="Prévention routière des jeunes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prévention routière des jeunes")
    assert_accessible(page)
    form = page.get_by_role("form", name="Renvoyer à corriger")
    form.get_by_label("Message au porteur").fill(
        "Joignez le budget détaillé des charges de personnel."
    )
    form.get_by_label("Budget prévisionnel").check(force=True)
    form.get_by_role("button", name="Renvoyer à corriger").click()
    expect(page.get_by_text("Demande passée à l'état « À corriger »")).to_be_visible()
    fresh.refresh_from_db()
    assert fresh.state == "to_correct" and fresh.correction_fields == ["budget"]
    # The structured analysis: the rate is computed live.
    page.goto(f"{live_server.url}/financements/instruction/dossier/{world['application'].pk}/")
    page.get_by_label("Assiette éligible (€)").fill("16000")
    page.get_by_label("Montant proposé (€)").fill("6000")
    page.get_by_role("button", name="Enregistrer l'analyse").click()
    expect(page.locator("#review-rate")).to_contain_text("37,5")
    assert_accessible(page)


def test_opinion_requested_given_then_committee_decides(
    page, live_server, login, assert_accessible, world
):
    application = world["application"]
    login(world["prefecture"])
    page.goto(f"{live_server.url}/financements/instruction/dossier/{application.pk}/")
    page.get_by_role("link", name="Demander un avis").click()
    assert_accessible(page)
    page.get_by_label("Service consulté").select_option("safety")
    page.get_by_label("Personne consultée (compte du département)").select_option(
        str(world["referent"].pk)
    )
    page.get_by_label("Question posée").fill("Le périmètre est-il cohérent avec les faits ?")
    page.get_by_label("Avis attendu le").fill("2099-01-15")
    page.get_by_role("button", name="Envoyer la demande d'avis").click()
    expect(page.get_by_text("Demande d'avis envoyée.")).to_be_visible()
    page.context.clear_cookies()

    login(world["referent"])
    page.goto(f"{live_server.url}/financements/instruction/avis/")
    assert_accessible(page)
    page.get_by_role("link", name="Médiation sociale de nuit").click()
    expect(page.get_by_text("Le périmètre est-il cohérent avec les faits ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Favorable", exact=True).click()
    page.get_by_label("Avis motivé").fill("Secteur concerné par les faits signalés.")
    page.get_by_role("button", name="Transmettre mon avis").click()
    expect(page.get_by_text("Votre avis est transmis à la préfecture.")).to_be_visible()
    assert OpinionRequest.objects.get().verdict == "favourable"
    page.context.clear_cookies()

    login(world["prefecture"])
    page.goto(f"{live_server.url}/financements/instruction/departement/32/comite/")
    assert_accessible(page)
    page.get_by_label("Date de la séance").fill("2026-12-15")
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label("Médiation sociale de nuit").check(force=True)
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    fipd = Fund.objects.get(code="FIPD")
    amount = page.get_by_label("FIPD pour « Médiation sociale de nuit »")
    amount.fill("8000")
    amount.press("Tab")
    remaining = page.locator(f"#remaining-{world['call_programme'].pk}")
    expect(remaining).to_contain_text("92")
    expect(page.locator(f"#public-{application.committee_items.get().pk}")).to_contain_text("40")
    assert fipd is not None
    assert_accessible(page)
    page.get_by_label("Décision pour « Médiation sociale de nuit »").select_option("accepted")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Procès-verbal")
    expect(page.get_by_role("cell", name="Accepté")).to_be_visible()
    assert_accessible(page)
    application = GrantApplication.objects.get(pk=application.pk)
    assert application.state == "accepted" and str(application.granted_amount) == "8000.00"


def test_typed_amount_redraws_only_what_it_changes(
    page, live_server, login, assert_accessible, world
):
    """An amount typed in one row swaps that row's cells and the envelopes (HTMX, out of band): a decision chosen
    in another row and the field the person moved to are left as they were."""
    from tests.funding.instruction_data import due
    from vigie.funding import committee

    second = make_application(
        world["call_programme"], world["association"], title="Chantier jeunes"
    )
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due()}
    )
    first_item, second_item = committee.add_to_agenda(
        acting_user=world["prefecture"],
        session=session,
        applications=[world["application"], second],
    )
    login(world["prefecture"])
    page.goto(f"{live_server.url}/financements/instruction/comite/{session.pk}/")
    page.get_by_label("Décision pour « Médiation sociale de nuit »").select_option("deferred")
    amount = page.get_by_label("FIPD pour « Chantier jeunes »")
    amount.fill("8000")
    amount.press("Tab")
    expect(page.locator(f"#remaining-{world['call_programme'].pk}")).to_contain_text("92")
    expect(page.locator(f"#public-{second_item.pk}")).to_contain_text("40")
    expect(page.get_by_label("Décision pour « Médiation sociale de nuit »")).to_have_value(
        "deferred"
    )
    expect(page.get_by_label("Décision pour « Chantier jeunes »")).to_be_focused()
    amount.fill("-5")
    amount.press("Tab")
    expect(page.get_by_role("alert")).to_contain_text("Un montant ne peut pas être négatif.")
    expect(page.get_by_label("FIPD pour « Chantier jeunes »")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("FIPD pour « Chantier jeunes »")).to_have_value("8000.00")
    assert_accessible(page)
    amount = page.get_by_label("FIPD pour « Chantier jeunes »")
    amount.fill("6000")
    amount.press("Tab")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(f"#remaining-{world['call_programme'].pk}")).to_contain_text("94")
    assert first_item.proposals.count() == 0
