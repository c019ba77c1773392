"""End-to-end: the acceptance flows in Chromium, every page checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory
from tests.governance.factories import (
    BodyMemberFactory,
    ClspdFactory,
    DecisionFactory,
    MeetingFactory,
)
from vigie.governance.models import Body, Decision, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def council_row(page, name):
    return page.locator("#table-instances tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_gers_dashboard_flags_the_five_councils(
    page, live_server, login, assert_accessible, demo, make_user
):
    CommuneFactory(
        department=demo["gers"], code="32999", name="Villeneuve-sur-Test", population=12_500
    )
    login(make_user("prefecture", demo["gers"]))
    page.goto(f"{live_server.url}/gouvernance/departements/32/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gouvernance — Gers")
    for name, when in [
        ("CISPD du Grand Auch Cœur de Gascogne", "11 juin 2019"),
        ("CISPD de la Gascogne Toulousaine", "13 décembre 2019"),
        ("CLSPD de Condom", "16 janvier 2018"),
        ("CLSPD d'Eauze", "28 juin 2019"),
        ("CLSPD de Fleurance", "19 mars 2019"),
    ]:
        row = council_row(page, name)
        expect(row).to_contain_text(when)
        expect(row).to_contain_text("En retard")
    coverage = page.locator("#coverage")
    expect(coverage.locator("tr", has_text="Auch")).to_contain_text(
        "CISPD du Grand Auch Cœur de Gascogne"
    )
    expect(page.locator("#uncovered")).to_contain_text("Villeneuve-sur-Test")
    expect(page.locator("#uncovered")).not_to_contain_text("Auch")
    assert_accessible(page)


def test_coordinator_records_a_meeting_and_a_decision(
    page, live_server, login, assert_accessible, demo, make_user
):
    condom = Body.objects.get(name="CLSPD de Condom")
    coordinator = make_user("coordinator", demo["gers"], commune=condom.commune)
    login(coordinator)
    page.goto(f"{live_server.url}/gouvernance/")
    expect(council_row(page, "CLSPD de Condom")).to_contain_text("En retard")

    page.get_by_role("link", name="CLSPD de Condom", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CLSPD de Condom")
    assert_accessible(page)

    page.get_by_role("link", name="Enregistrer une réunion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle réunion")
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("Intitulé").fill("Réunion plénière de relance")
    page.get_by_label("Ordre du jour").fill("Relance du CLSPD ; groupe thématique « mineurs »")
    page.get_by_role("button", name="Enregistrer la réunion").click()

    expect(page.get_by_text("La réunion est enregistrée.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Décision", exact=True).fill(
        "Créer un groupe thématique « mineurs » au sein du CLSPD"
    )
    option = page.locator("#id_measure option", has_text="Mesure 4.2 — ")
    page.get_by_label("Mesure du plan").select_option(option.get_attribute("value"))
    page.locator("label[for=id_is_followed]").click()  # the DSFR label covers the box
    page.get_by_label("Responsable (autre)").fill("Coordonnateur du CLSPD de Condom")
    page.get_by_role("button", name="Ajouter la décision").click()
    decisions = page.locator("#decisions")
    expect(decisions).to_contain_text("4.2 — Développer les CLSPD/CISPD")
    expect(decisions).to_contain_text("Créer un groupe thématique")
    assert_accessible(page)

    decision = Decision.objects.get(meeting__body=condom)
    assert decision.measure.number == "4.2" and decision.is_followed

    page.goto(f"{live_server.url}/gouvernance/departements/32/")
    row = council_row(page, "CLSPD de Condom")
    expect(row).to_contain_text("À jour")
    expect(row).to_contain_text(timezone.localdate().strftime("%Y").lstrip("0"))
    expect(council_row(page, "CLSPD d'Eauze")).to_contain_text("En retard")


def test_lot_video_protection_tracker(page, live_server, login, assert_accessible, demo, make_user):
    login(make_user("reader", demo["lot"]))
    page.goto(f"{live_server.url}/gouvernance/departements/46/dispositifs/videoprotection/")
    short = page.locator("#short-of-target")
    for name in ("Cahors", "Figeac", "Gourdon", "Gramat", "Pradines", "Saint-Céré"):
        expect(short).to_contain_text(name)
    expect(short).not_to_contain_text("Souillac")
    expect(page.locator("#figures")).to_contain_text("134 caméras réparties sur 3 communes")
    expect(page.locator("svg.vigie-map")).to_be_visible()
    expect(page.locator('svg.vigie-map path[data-code="46309"]')).to_have_attribute(
        "fill", "#6a6af4"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Population décroissante").click()
    expect(page).to_have_url(re.compile(r"tri=population"))
    expect(page.locator("#tracker-table tbody tr").first).to_contain_text("Cahors")
    assert_accessible(page)


def test_prefecture_resolves_a_spelling_and_sets_a_target(
    page, live_server, login, assert_accessible, demo, make_user
):
    login(make_user("prefecture", demo["gers"]))
    page.goto(f"{live_server.url}/gouvernance/departements/32/dispositifs/videoprotection/")
    expect(page.locator("#unresolved")).to_contain_text("SAMATAN PANASSAC")
    assert_accessible(page)

    page.get_by_role("link", name="Rapprocher « SAMATAN PANASSAC »").click()
    assert_accessible(page)
    page.get_by_label("Commune(s) désignée(s) par la source").select_option(label="Samatan (32410)")
    page.get_by_role("button", name="Rapprocher").click()
    expect(page.get_by_text("« SAMATAN PANASSAC » est rapproché.")).to_be_visible()
    expect(page.locator("#tracker-table tr", has_text="Samatan")).to_contain_text(
        "Diagnostic sûreté en cours"
    )

    page.get_by_role("link", name="Fixer un objectif").click()
    assert_accessible(page)
    page.get_by_label("Communes de plus de (habitants)").fill("3000")
    page.get_by_label("Niveau attendu").select_option("engagee")
    page.get_by_role("button", name="Enregistrer l'objectif").click()
    expect(page.locator("#short-of-target")).to_contain_text("Auch")

    page.get_by_role("link", name="Mettre à jour Auch").click()
    assert_accessible(page)
    page.get_by_label("État").select_option(label="Équipée")
    page.get_by_label("Nombre de caméras").fill("24")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator('#tracker-table tr[data-code="32013"]')).to_contain_text("24 caméras")


def test_prefecture_manages_bodies_members_and_the_calendar(
    page, live_server, login, assert_accessible, demo, make_user
):
    gers = demo["gers"]
    OrganisationFactory(department=gers, name="Groupement de gendarmerie du Gers", acronym="GGD 32")
    login(make_user("prefecture", gers))
    page.goto(f"{live_server.url}/gouvernance/departements/32/")
    page.get_by_role("link", name="Ajouter une instance").click()
    assert_accessible(page)
    page.get_by_label("Nature").select_option(
        label="Conseil local de sécurité et de prévention de la délinquance (CLSPD)"
    )
    page.get_by_label("Nom", exact=True).fill("CLSPD d'Auch")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_commune-desc-error")).to_contain_text(
        "Un CLSPD est rattaché à une commune"
    )
    assert_accessible(page)
    page.get_by_label("Commune (CLSPD)").select_option(label="Auch (32013)")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CLSPD d'Auch")

    page.get_by_role("link", name="Modifier l'instance").click()
    assert_accessible(page)
    page.get_by_label("Présidence").fill("Le maire d'Auch")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le maire d'Auch")).to_be_visible()

    page.get_by_role("link", name="Gérer les membres").click()
    page.get_by_label("Organisation").select_option(
        label="Groupement de gendarmerie du Gers (GGD 32)"
    )
    page.get_by_role("button", name="Ajouter").click()
    expect(page.locator("#members")).to_contain_text(
        "Groupement de gendarmerie du Gers (GGD 32) — Membre"
    )
    assert_accessible(page)

    body = Body.objects.get(name="CLSPD d'Auch")
    MeetingFactory(
        body=body, date=timezone.localdate() + timedelta(days=10), title="Plénière d'installation"
    )
    page.goto(f"{live_server.url}/gouvernance/departements/32/calendrier/")
    expect(page.get_by_role("link", name=re.compile("CLSPD d'Auch"))).to_be_visible()
    expect(page.get_by_label("Adresse d'abonnement personnelle")).to_have_value(
        re.compile(r"calendrier\.ics\?cle=")
    )
    assert_accessible(page)


def test_decision_follow_up_pages(page, live_server, login, assert_accessible, demo, make_user):
    gers = demo["gers"]
    owner = OrganisationFactory(department=gers, name="SPIP du Gers")
    meeting = MeetingFactory(
        body=Body.objects.get(name="CLSPD de Fleurance"), date=timezone.localdate()
    )
    decision = DecisionFactory(
        meeting=meeting, is_followed=True, owner=owner, due_date=timezone.localdate()
    )
    login(make_user("pilot", gers, organisation=owner))
    page.goto(f"{live_server.url}/gouvernance/decisions/{decision.pk}/etat/")
    assert_accessible(page)
    page.get_by_label("État du suivi").select_option(label="En cours")
    page.get_by_label("Point d'avancement").fill("Convention en cours de rédaction")
    page.get_by_role("button", name="Mettre à jour").click()
    expect(page.get_by_role("status").filter(has_text="État enregistré.")).to_be_visible()
    decision.refresh_from_db()
    assert decision.status == "en_cours"


def test_decision_edit_page(page, live_server, login, assert_accessible, demo, make_user):
    meeting = MeetingFactory(body=Body.objects.get(name="CLSPD d'Eauze"))
    decision = DecisionFactory(meeting=meeting, text="Texte initial")
    login(make_user("prefecture", demo["gers"]))
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Modifier la décision 1").click()
    assert_accessible(page)
    page.get_by_label("Décision", exact=True).fill("Texte corrigé")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#decisions")).to_contain_text("Texte corrigé")
    decision.refresh_from_db()
    assert decision.text == "Texte corrigé"


def test_restricted_minutes_in_the_browser(
    page, live_server, login, assert_accessible, demo, make_user
):
    lot = demo["lot"]
    cell = Body.objects.get(kind="iscg")
    member = make_user("partner", lot)
    BodyMemberFactory(body=cell, user=member)
    meeting = MeetingFactory(
        body=cell, is_restricted=True, minutes="Situation de Mme Y : hébergement trouvé."
    )
    login(make_user("reader", lot))
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.locator("#minutes-restricted")).to_be_visible()
    expect(page.get_by_text("Mme Y")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    login(member)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.locator("#minutes")).to_contain_text("Mme Y")
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_restricted_minutes_download_shows_in_the_meeting_history(
    page, live_server, login, assert_accessible, make_user
):
    gers = DepartmentFactory(code="32", name="Gers")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    council = ClspdFactory(department=gers, commune=condom, name="CLSPD de Condom")
    member = make_user("partner", gers, first_name="Alix", last_name="Durand")
    BodyMemberFactory(body=council, user=member)
    meeting = MeetingFactory(
        body=council,
        is_restricted=True,
        minutes_file=SimpleUploadedFile("cr-nominatif.pdf", b"%PDF-1.4 nominatif\n%%EOF"),
    )
    login(member)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("link", name="Historique de la réunion")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le compte rendu (cr-nominatif.pdf)").click()
    assert download.value.suggested_filename == "cr-nominatif.pdf"
    page.get_by_role("button", name="Se déconnecter").click()

    login(make_user("prefecture", gers))
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Historique de la réunion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historique de la réunion")
    row = page.locator("#history-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Consultation")
    expect(row).to_contain_text(
        re.compile(
            rf"Consultation du compte rendu restreint par Alix Durand \({member.username}\) "
            r"le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}"
        )
    )
    assert_accessible(page)


def test_admin_index(page, live_server, login, assert_accessible, demo, make_user):
    login(make_user("admin"))
    page.goto(f"{live_server.url}/gouvernance/")
    expect(page.get_by_role("link", name="Lot (46)")).to_be_visible()
    assert_accessible(page)
