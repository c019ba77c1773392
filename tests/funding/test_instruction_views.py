"""Instruction and committee pages: private notes never reach the applicant or the expert, live fragments,
bad input answered in French beside the field with nothing written, the minutes as PDF."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.funding.instruction_data import due, gers_world, make_application
from vigie.funding import committee, instruction
from vigie.funding.models import Fund, FunderProposal, InstructionReview

PRIVATE = "Le trésorier est aussi le président : vérifier."


@pytest.fixture
def world(db):
    world = gers_world()
    instruction.add_note(
        acting_user=world["prefecture"], application=world["application"], text=PRIVATE
    )
    world["opinion"] = instruction.request_opinion(
        acting_user=world["prefecture"],
        application=world["application"],
        service="safety",
        question="Avis ?",
        due_on=due(),
        expert=world["referent"],
    )
    return world


def test_private_notes_stay_with_the_prefecture(world, client):
    client.force_login(world["prefecture"])
    assert (
        PRIVATE
        in client.get(reverse("instruction:file", args=[world["application"].pk])).content.decode()
    )
    client.force_login(world["applicant"])
    page = client.get(reverse("funding:application", args=[world["application"].pk]))
    assert page.status_code == 200 and PRIVATE not in page.content.decode()
    client.force_login(world["referent"])
    page = client.get(reverse("instruction:opinion", args=[world["opinion"].pk]))
    assert page.status_code == 200 and PRIVATE not in page.content.decode()
    assert "Médiation sociale de nuit" in page.content.decode()


def test_review_fragment_and_bad_amount(world, client):
    client.force_login(world["prefecture"])
    url = reverse("instruction:review", args=[world["application"].pk])
    response = client.post(
        url, {"eligible_base": "16000", "proposed_amount": "4000"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="review-rate"' in response.content.decode() and "25,00" in response.content.decode()
    response = client.post(url, {"eligible_base": "-5", "proposed_amount": "4000"})
    assert response.status_code == 400
    assert "Un montant ne peut pas être négatif." in response.content.decode()
    assert InstructionReview.objects.get().eligible_base == Decimal("16000")


def test_opinion_request_form_errors_in_french(world, client):
    client.force_login(world["prefecture"])
    url = reverse("instruction:opinion_request", args=[world["application"].pk])
    response = client.post(url, {"service": "ars", "question": "Avis ?", "due_on": "2099-01-01"})
    assert response.status_code == 400
    assert "Choisissez la personne consultée ou indiquez son adresse." in response.content.decode()


def test_programming_live_fragment_and_negative_amount(world, client):
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due()}
    )
    [item] = committee.add_to_agenda(
        acting_user=world["prefecture"], session=session, applications=[world["application"]]
    )
    fipd, caf = Fund.objects.get(code="FIPD"), Fund.objects.get(code="CAF")
    client.force_login(world["prefecture"])
    page = client.get(reverse("instruction:session", args=[session.pk])).content.decode()
    assert (
        f'id="amount-{item.pk}-{fipd.pk}"' in page and f'id="amount-{item.pk}-{caf.pk}"' not in page
    )
    page = client.get(
        reverse("instruction:session", args=[session.pk]) + f"?financeur={caf.pk}"
    ).content.decode()
    assert f'id="amount-{item.pk}-{caf.pk}"' in page
    url = reverse("instruction:proposal", args=[session.pk, item.pk, fipd.pk])
    fragment = client.post(url, {"amount": "9 000,50"}, HTTP_HX_REQUEST="true").content.decode()
    assert "90\u202f999,50" in fragment.replace(
        "\xa0", "\u202f"
    )  # 100 000 − 9 000,50 left in the envelope
    assert f'<td id="cell-{item.pk}-{fipd.pk}" hx-swap-oob="true">' in fragment
    assert 'value="9000.50"' in fragment and "aria-invalid" not in fragment
    fragment = client.post(url, {"amount": "-3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Un montant ne peut pas être négatif." in fragment
    assert FunderProposal.objects.get().amount == Decimal("9000.50")
    # Beside the field (the amount kept is shown), and announced at the top of the programming.
    error_id = f"amount-{item.pk}-{fipd.pk}-error"
    assert f'aria-invalid="true" aria-describedby="{error_id}"' in fragment
    assert f'id="{error_id}">Un montant ne peut pas être négatif.</p>' in fragment
    assert 'role="alert"' in fragment and 'value="9000.50"' in fragment
    # Without HTMX (no JavaScript): back to the page, the message shown there.
    response = client.post(url, {"amount": "-3"}, follow=True)
    assert "Un montant ne peut pas être négatif." in response.content.decode()


def test_programming_page_escapes_what_applicants_typed(world, client):
    application = world["application"]
    application.title = 'Nuit <b>blanche</b> & "jour"'
    application.save()
    association = world["association"]
    association.name = "<i>Trait</i> d'union"
    association.save()
    waiting = make_application(
        world["call_programme"], association, title="<script>alert(1)</script>"
    )
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due()}
    )
    [item] = committee.add_to_agenda(
        acting_user=world["prefecture"], session=session, applications=[application]
    )
    client.force_login(world["prefecture"])
    page = client.get(reverse("instruction:session", args=[session.pk])).content.decode()
    assert "<b>blanche" not in page and "<i>Trait" not in page and "<script>alert" not in page
    assert "Nuit &lt;b&gt;blanche&lt;/b&gt; &amp; &quot;jour&quot;" in page
    assert "&lt;i&gt;Trait&lt;/i&gt; d&#x27;union (ATU)" in page
    assert f'for="add-{waiting.pk}">&lt;script&gt;alert(1)&lt;/script&gt;' in page
    fipd = Fund.objects.get(code="FIPD")
    url = reverse("instruction:proposal", args=[session.pk, item.pk, fipd.pk])
    fragment = client.post(url, {"amount": "100"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<b>blanche" not in fragment and "FIPD pour « Nuit &lt;b&gt;blanche" in fragment


def test_minutes_pdf(world, client):
    session = committee.create_session(
        acting_user=world["prefecture"], department=world["gers"], year=2026, data={"date": due()}
    )
    client.force_login(world["prefecture"])
    response = client.get(reverse("instruction:minutes_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
