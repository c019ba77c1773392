"""The plan's progress pages show its money (issue 12, item 8): the department's members see what was requested,
granted and paid by fund and axis (« Suivi du plan »); anyone sees, on the public progress page, what was granted
and paid for the plan's public measures only."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import AxisFactory, DepartmentFactory, MeasureFactory, UserFactory
from tests.funding.factories import default_measure, make_application, make_call
from vigie.funding.enums import ApplicationState
from vigie.funding.models import FundingCall, GrantPayment

NNBSP = "\u202f"


def euros(amount: str) -> str:
    return f"{amount.replace(' ', NNBSP)}{NNBSP}€"


@pytest.fixture
def gers_money(db):
    gers = DepartmentFactory(code="32", name="Gers")
    call = make_call(gers)
    measure = default_measure(gers)
    plan = measure.axis.plan
    sensitive = MeasureFactory(
        axis=AxisFactory(plan=plan, number="4", title="Sites sensibles"),
        number="4.1",
        title="Sécurisation des sites sensibles",
        is_restricted=True,
    )
    granted = make_application(
        call, state=ApplicationState.PAID, measure=measure, requested="8000", granted_amount=6000
    )
    GrantPayment.objects.create(
        application=granted,
        kind="advance",
        amount=Decimal("2500"),
        paid_on=date(2026, 3, 1),
        commitment_number="EJ1",
    )
    make_application(call, state=ApplicationState.IN_REVIEW, measure=measure, requested="4000")
    make_application(
        call,
        state=ApplicationState.NOTIFIED,
        measure=sensitive,
        requested="9000",
        granted_amount=9000,
    )
    return {"department": gers, "plan": plan}


def _panel(response) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    start = body.index('id="plan-grants"')
    return body[start : body.index("</section>", start)]


def test_the_public_progress_page_shows_granted_and_paid_for_public_measures_only(
    gers_money, client
):
    panel = _panel(client.get(reverse("progress:plan", args=[gers_money["plan"].pk])))
    assert "FIPD 2026" in panel and "Axe 1" in panel
    assert euros("6 000") in panel and euros("2 500") in panel
    # Not what was requested, not a grant still under instruction, nothing of a non-public measure.
    assert "Demandé" not in panel and euros("8 000") not in panel and euros("4 000") not in panel
    assert euros("9 000") not in panel and "Sites sensibles" not in panel
    # No link to the department's own page of the plan's grants.
    assert reverse("funding:plan_grants", args=[gers_money["plan"].pk]) not in panel


def test_the_department_sees_requested_granted_and_paid_on_the_plan_follow_up(gers_money, client):
    agent = UserFactory(username="pref32", role="prefecture", department=gers_money["department"])
    client.force_login(agent)
    panel = _panel(client.get(reverse("indicators:plan_progress", args=[gers_money["plan"].pk])))
    # Every application that reached the prefecture: 8 000 + 4 000 + 9 000 requested, 15 000 granted.
    assert euros("21 000") in panel and euros("15 000") in panel and euros("2 500") in panel
    assert "Sites sensibles" in panel
    assert reverse("funding:plan_grants", args=[gers_money["plan"].pk]) in panel


def test_another_department_sees_only_the_public_part(gers_money, client):
    lot = DepartmentFactory(code="46", name="Lot")
    client.force_login(UserFactory(username="pref46", role="prefecture", department=lot))
    panel = _panel(client.get(reverse("indicators:plan_progress", args=[gers_money["plan"].pk])))
    assert euros("6 000") in panel
    assert euros("21 000") not in panel and "Sites sensibles" not in panel


def test_a_plan_without_grants_says_so(db, client):
    measure = default_measure(DepartmentFactory(code="46", name="Lot"))
    panel = _panel(client.get(reverse("progress:plan", args=[measure.axis.plan.pk])))
    assert "Aucune subvention accordée pour une mesure publique de ce plan." in panel


def test_demonstration_grants_say_so(gers_money, client):
    url = reverse("progress:plan", args=[gers_money["plan"].pk])
    assert "plan-grants-demo" not in _panel(client.get(url))
    FundingCall.objects.update(is_demo=True)
    assert "Données de démonstration" in _panel(client.get(url))
