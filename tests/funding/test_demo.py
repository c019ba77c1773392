"""The funding demo: 2026 calls of the Gers and the Lot, about forty invented applications in every state, and in
the Gers the life after the call (committee sessions, opinions, letters, payments, final reports)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, MeasureFactory, OrganisationFactory
from vigie.funding import demo, final_reports
from vigie.funding.enums import ApplicationState
from vigie.funding.instruction_enums import CommitteeOutcome
from vigie.funding.models import (
    CommitteeSession,
    FinalReport,
    FundingCall,
    GrantApplication,
    GrantLetter,
    GrantPayment,
    OpinionRequest,
)
from vigie.funding.rules import Proposal
from vigie.governance.enums import BodyKind

pytestmark = pytest.mark.django_db
LIFE = 4 + 2  # the held session's applications, the past year's grants


@pytest.fixture
def accounts(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the generated letters
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    measure = MeasureFactory(axis__plan__department=gers, number="1.1")
    avmp = OrganisationFactory(department=gers, acronym="AVMP", kind="association")
    return {
        "gers": gers,
        "lot": lot,
        "measure": measure,
        "applicants": {"32": make_user("applicant", gers, organisation=avmp)},
        "agents": {"32": make_user("prefecture", gers)},
        "experts": {"32": make_user("partner", gers)},
    }


def _load(accounts):
    return demo.load_demo(
        applicants=accounts["applicants"], agents=accounts["agents"], experts=accounts["experts"]
    )


def test_demo_calls_and_applications_in_every_state(accounts):
    gers, lot, measure = accounts["gers"], accounts["lot"], accounts["measure"]
    counts = _load(accounts)
    assert counts == {"32": 20 + LIFE, "46": 20}
    calls = FundingCall.objects.filter(department=lot)
    assert sorted(calls.values_list("fund__code", flat=True)) == ["FIPD", "MILDECA", "PDASR"]
    assert sorted(
        calls.get(fund__code="FIPD").programmes.values_list("programme__code", flat=True)
    ) == ["D", "R", "S"]
    applications = GrantApplication.objects.all()
    assert applications.count() == 40 + LIFE and not applications.filter(is_demo=False).exists()
    assert not FundingCall.objects.filter(is_demo=False).exists()
    for department in (gers, lot):
        states = set(
            applications.filter(call__department=department).values_list("state", flat=True)
        )
        assert states == set(ApplicationState.values)
    assert all(a.measures.get() == measure for a in applications.filter(call__department=gers))
    for application in applications:
        totals = Proposal.of(application).totals
        assert totals.is_balanced and application.requested_amount > 0
        assert application.state_changes.last().to_state == application.state
    paid = applications.filter(state=ApplicationState.PAID)
    assert all(a.payments.exists() for a in paid)


def test_demo_committee_letters_payments_reports_and_opinions(accounts):
    gers = accounts["gers"]
    _load(accounts)
    held, upcoming = sorted(
        CommitteeSession.objects.filter(department=gers), key=lambda s: s.meeting.date
    )
    assert held.meeting.body.kind == BodyKind.FUNDERS
    assert "démonstration" in held.meeting.title and "démonstration" in upcoming.meeting.title
    assert held.decided_at is not None
    assert held.meeting.minutes.strip()
    outcomes = sorted(held.items.values_list("outcome", flat=True))
    assert outcomes == sorted(
        [
            CommitteeOutcome.ACCEPTED,
            CommitteeOutcome.ACCEPTED,
            CommitteeOutcome.REFUSED,
            CommitteeOutcome.DEFERRED,
        ]
    )
    assert upcoming.decided_at is None and upcoming.items.count() == 4
    assert all(item.proposals.exists() for item in upcoming.items.all())
    assert {p.fund.code for i in held.items.all() for p in i.proposals.all()} >= {"FIPD", "CD"}

    accepted = [i.application for i in held.items.filter(outcome=CommitteeOutcome.ACCEPTED)]
    assert {a.state for a in accepted} == {ApplicationState.PAID, ApplicationState.REPORT_DUE}
    for application in accepted:
        kinds = set(application.letters.values_list("kind", flat=True))
        assert kinds == {"decision", "notification"}
        assert application.payments.exists() and application.payments.first().recorded_by
    refused = held.items.get(outcome=CommitteeOutcome.REFUSED).application
    assert refused.state == ApplicationState.REFUSED
    assert list(refused.letters.values_list("kind", flat=True)) == ["refusal"]
    assert all(letter.pdf_file and letter.odt_file for letter in GrantLetter.objects.all())

    report = FinalReport.objects.get()
    assert report.application.state == ApplicationState.REPORT_RECEIVED
    overdue = final_reports.overdue_applications(
        GrantApplication.objects.filter(call__department=gers), timezone.localdate()
    )
    assert [a.title for a in overdue] == ["Chantiers éducatifs de l'été à Condom"]

    opinions = OpinionRequest.objects.filter(expert=accounts["experts"]["32"])
    assert sorted(o.is_given for o in opinions) == [False, True]


def test_demo_pages_answer_for_the_demo_accounts(accounts, client):
    _load(accounts)
    held = CommitteeSession.objects.filter(decided_at__isnull=False).get()
    letter = GrantLetter.objects.filter(kind="decision").first()
    report = FinalReport.objects.get()
    opinion = OpinionRequest.objects.filter(given_at__isnull=False).get()
    pages = {
        "agents": [
            reverse("instruction:queue", args=["32"]),
            reverse("instruction:sessions", args=["32"]),
            held.get_absolute_url(),
            reverse("instruction:minutes", args=[held.pk]),
            reverse("instruction:file", args=[opinion.application_id]),
            reverse("funding:overdue_reports", args=["32"]),
            letter.application.get_absolute_url(),
            reverse("funding:letter_file", args=[letter.application_id, letter.pk, "pdf"]),
            reverse("funding:final_report", args=[report.application_id]),
        ],
        "applicants": [
            reverse("funding:my_applications"),
            report.application.get_absolute_url(),
            reverse("funding:final_report", args=[report.application_id]),
        ],
        "experts": [
            reverse("instruction:my_opinions"),
            reverse("instruction:opinion", args=[opinion.pk]),
        ],
    }
    for who, urls in pages.items():
        client.force_login(accounts[who]["32"])
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
    client.force_login(accounts["agents"]["32"])
    body = client.get(held.get_absolute_url()).content.decode()
    assert "Données de démonstration" in body
    overdue = client.get(reverse("funding:overdue_reports", args=["32"])).content.decode()
    assert "Chantiers éducatifs de l&#x27;été à Condom" in overdue


def test_demo_loads_again_in_place(accounts):
    _load(accounts)
    counts = {
        model: model.objects.count()
        for model in (
            GrantApplication,
            FundingCall,
            CommitteeSession,
            GrantLetter,
            GrantPayment,
            FinalReport,
            OpinionRequest,
        )
    }
    _load(accounts)
    assert {model: model.objects.count() for model in counts} == counts
    assert counts[GrantApplication] == 40 + LIFE and counts[FundingCall] == 7
