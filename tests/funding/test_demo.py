"""The funding demo: 2026 calls of the Gers and the Lot, about forty invented applications in every state."""

import pytest

from tests.factories import DepartmentFactory, MeasureFactory
from vigie.funding import demo
from vigie.funding.enums import ApplicationState
from vigie.funding.models import FundingCall, GrantApplication
from vigie.funding.rules import Proposal

pytestmark = pytest.mark.django_db


def test_demo_calls_and_applications_in_every_state(make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    measure = MeasureFactory(axis__plan__department=gers)
    applicant = make_user("applicant", gers)
    counts = demo.load_demo(
        applicants={"32": applicant}, agents={"32": make_user("prefecture", gers)}
    )
    assert counts == {"32": 20, "46": 20}
    calls = FundingCall.objects.filter(department=lot)
    assert sorted(calls.values_list("fund__code", flat=True)) == ["FIPD", "MILDECA", "PDASR"]
    assert sorted(
        calls.get(fund__code="FIPD").programmes.values_list("programme__code", flat=True)
    ) == ["D", "R", "S"]
    applications = GrantApplication.objects.all()
    assert applications.count() == 40 and not applications.filter(is_demo=False).exists()
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
    demo.load_demo()
    assert GrantApplication.objects.count() == 40 and FundingCall.objects.count() == 6
