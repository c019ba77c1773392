"""Data for the instruction and committee tests: a Gers FIPD call with an envelope, applications with their
budget (Cerfa 12156 lines), written straight to the database (the applicant's journey is the funding tests')."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.factories import DepartmentFactory, MeasureFactory, OrganisationFactory, UserFactory
from vigie.funding.enums import ApplicantKind, ApplicationState, FunderCategory
from vigie.funding.models import (
    CallProgramme,
    Fund,
    FundingCall,
    GrantApplication,
    GrantBudgetLine,
)

YEAR = 2026


def make_call(department, *, envelope=Decimal("100000"), fund_code="FIPD", programme_code="D"):
    fund = Fund.objects.get(code=fund_code)
    today = timezone.localdate()
    call = FundingCall.objects.create(
        fund=fund,
        department=department,
        year=YEAR,
        title=f"Appel à projets {fund_code} {YEAR}",
        opens_on=today - timedelta(days=60),
        closes_on=today + timedelta(days=30),
        eligible_applicant_kinds=list(ApplicantKind.values),
    )
    programme = fund.programmes.get(code=programme_code)
    call_programme = CallProgramme.objects.create(
        call=call,
        programme=programme,
        envelope=envelope,
        max_share=Decimal("50"),
        share_justification_allowed=True,
    )
    return call, call_programme


def make_application(
    call_programme,
    organisation,
    *,
    title="Médiation sociale de nuit",
    cost=Decimal("20000"),
    requested=Decimal("8000"),
    state=ApplicationState.IN_REVIEW,
    measure=None,
    submitted_days_ago=5,
):
    """An application whose budget balances: costs 64, income 74 from the call's fund, the rest from the commune."""
    call = call_programme.call
    application = GrantApplication.objects.create(
        call=call,
        call_programme=call_programme,
        organisation=organisation,
        applicant_kind=ApplicantKind.ASSOCIATION,
        state=state,
        title=title,
        summary="Deux médiateurs en soirée dans le centre-ville.",
        requested_amount=requested,
        total_cost=cost,
        submitted_at=timezone.now() - timedelta(days=submitted_days_ago),
    )
    GrantBudgetLine.objects.bulk_create(
        [
            GrantBudgetLine(application=application, account="64", amount=cost, order=0),
            GrantBudgetLine(
                application=application,
                account="74",
                funder_category=FunderCategory.STATE,
                fund=call.fund,
                amount=requested,
                order=1,
            ),
            GrantBudgetLine(
                application=application,
                account="74",
                funder_category=FunderCategory.COMMUNE,
                amount=cost - requested,
                order=2,
            ),
        ]
    )
    if measure is not None:
        application.measures.add(measure)
    return application


def gers_world():
    """The Gers with a measure 1.1, a FIPD D call (100 000 € envelope), an association and its application,
    a prefecture agent, a police référent (partner), and the same people in the Lot."""
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    measure = MeasureFactory(axis__plan__department=gers, number="1.1")
    call, call_programme = make_call(gers)
    association = OrganisationFactory(
        department=gers, name="Association Trait d'union", acronym="ATU"
    )
    application = make_application(call_programme, association, measure=measure)
    return {
        "gers": gers,
        "lot": lot,
        "measure": measure,
        "call": call,
        "call_programme": call_programme,
        "association": association,
        "application": application,
        "prefecture": UserFactory(role="prefecture", department=gers, username="pref32"),
        "referent": UserFactory(role="partner", department=gers, username="referent32"),
        "lot_prefecture": UserFactory(role="prefecture", department=lot, username="pref46"),
        "applicant": UserFactory(
            role="applicant", department=gers, organisation=association, username="porteur32"
        ),
    }


def due(days=10) -> date:
    return timezone.localdate() + timedelta(days=days)


def department_year(department, organisations: int = 200, applications: int = 2000):
    """A department-year of `applications` applications with their budgets (bulk inserts), spread over two
    programmes, many organisations and measures, with opinions overdue on some. Returns (call_programme, measures)."""
    from tests.factories import AxisFactory
    from vigie.funding.models import OpinionRequest
    from vigie.organisations.models import Organisation
    from vigie.plans.models import Measure

    call, call_programme = make_call(department, envelope=Decimal("5000000"))
    axis = AxisFactory(plan__department=department)
    measures = Measure.objects.bulk_create(
        Measure(axis=axis, number=f"1.{i}", title=f"Mesure {i}", order=i) for i in range(1, 21)
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            department=department, name=f"Association {i}", acronym=f"A{i}", kind="association"
        )
        for i in range(organisations)
    )
    states = ["submitted", "in_review", "in_review", "to_correct", "accepted", "refused"]
    now = timezone.now()
    apps = GrantApplication.objects.bulk_create(
        GrantApplication(
            call=call,
            call_programme=call_programme,
            organisation=orgs[i % organisations],
            applicant_kind=ApplicantKind.ASSOCIATION,
            state=states[i % len(states)],
            title=f"Projet {i}",
            requested_amount=Decimal("4000"),
            total_cost=Decimal("10000"),
            granted_amount=Decimal("3000") if states[i % len(states)] == "accepted" else None,
            submitted_at=now - timedelta(days=i % 120),
        )
        for i in range(applications)
    )
    lines = []
    for app in apps:
        lines += [
            GrantBudgetLine(application=app, account="64", amount=Decimal("10000"), order=0),
            GrantBudgetLine(
                application=app,
                account="74",
                funder_category=FunderCategory.STATE,
                fund=call.fund,
                amount=Decimal("4000"),
                order=1,
            ),
            GrantBudgetLine(
                application=app,
                account="74",
                funder_category=FunderCategory.COMMUNE,
                amount=Decimal("6000"),
                order=2,
            ),
        ]
    GrantBudgetLine.objects.bulk_create(lines, batch_size=2000)
    Through = GrantApplication.measures.through
    Through.objects.bulk_create(
        Through(grantapplication_id=app.pk, measure_id=measures[i % 20].pk)
        for i, app in enumerate(apps)
    )
    expert = UserFactory(role="partner", department=department, username=f"expert{department.code}")
    OpinionRequest.objects.bulk_create(
        OpinionRequest(
            application=app,
            service="safety",
            expert=expert,
            question="Avis ?",
            due_on=timezone.localdate() - timedelta(days=3),
        )
        for app in apps[::10]
    )
    return call_programme, measures, apps
