"""Funding test objects: calls with the fund's default rules, applications with a balanced budget."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.factories import AxisFactory, MeasureFactory, OrganisationFactory, PlanFactory
from vigie.funding import reference
from vigie.funding.enums import ApplicantKind, ApplicationState
from vigie.funding.models import (
    CallProgramme,
    Fund,
    FundingCall,
    FundProgramme,
    GrantApplication,
    GrantBudgetLine,
    GrantStateChange,
)
from vigie.plans.models import Measure


def make_call(department, fund_code="FIPD", *, is_open=True, year=2026, **overrides) -> FundingCall:
    """A call with every programme of the fund and the fund's default rules."""
    if (
        not Fund.objects.exists()
    ):  # flushed by a transactional test: the data migration's rows are gone
        reference.load_funds(Fund, FundProgramme)
    fund = Fund.objects.get(code=fund_code)
    today = timezone.localdate()
    opens_on, closes_on = (
        (today - timedelta(days=10), today + timedelta(days=30))
        if is_open
        else (date(year - 1, 1, 1), date(year - 1, 3, 31))
    )
    data = {**reference.default_call_rules(fund_code), **overrides}
    call = FundingCall.objects.create(
        fund=fund,
        department=department,
        year=year,
        title=f"Appel à projets {fund_code} {year} — {department.name}",
        opens_on=opens_on,
        closes_on=closes_on,
        **data,
    )
    for programme in fund.programmes.all():
        CallProgramme.objects.create(
            call=call,
            programme=programme,
            envelope=Decimal("100000"),
            **reference.default_programme_rules(fund_code, programme.code),
        )
    return call


def default_measure(department):
    """One adopted plan per department, with a measure 1.1 (made once)."""
    measure = Measure.objects.filter(axis__plan__department=department).first()
    if measure is None:
        plan = PlanFactory(department=department)
        measure = MeasureFactory(axis=AxisFactory(plan=plan, number="1"), number="1.1")
    return measure


def programme_of(call, code="D") -> CallProgramme:
    return call.programmes.get(programme__code=code)


def set_budget(application, *, cost: str, requested: str, other: str = "0"):
    """A balanced budget: `cost` of purchases, `requested` from the call's fund, the rest self-financed (75)."""
    cost, requested, other = Decimal(cost), Decimal(requested), Decimal(other)
    application.budget_lines.all().delete()
    lines = [GrantBudgetLine(application=application, account="60", amount=cost)]
    if requested:
        lines.append(
            GrantBudgetLine(
                application=application,
                account="74",
                funder_category="state",
                fund=application.call.fund,
                amount=requested,
            )
        )
    rest = cost - requested - other
    if other:
        lines.append(
            GrantBudgetLine(
                application=application, account="74", funder_category="commune", amount=other
            )
        )
    if rest > 0:
        lines.append(GrantBudgetLine(application=application, account="75", amount=rest))
    GrantBudgetLine.objects.bulk_create(lines)
    application.requested_amount = requested
    application.total_cost = cost
    application.save(update_fields=["requested_amount", "total_cost"])


def make_application(
    call,
    *,
    organisation=None,
    programme="D",
    state=ApplicationState.DRAFT,
    measure=None,
    cost="20000",
    requested="8000",
    **fields,
) -> GrantApplication:
    organisation = organisation or OrganisationFactory(department=call.department)
    application = GrantApplication.objects.create(
        call=call,
        call_programme=programme_of(call, programme),
        organisation=organisation,
        applicant_kind=fields.pop("applicant_kind", ApplicantKind.ASSOCIATION),
        title=fields.pop("title", "Médiation sociale de soirée"),
        state=state,
        **fields,
    )
    if measure is None:
        measure = default_measure(call.department)
    application.measures.add(measure)
    set_budget(application, cost=cost, requested=requested)
    GrantStateChange.objects.create(application=application, to_state=state, at=timezone.now())
    return application
