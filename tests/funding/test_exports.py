"""Exports of applications and of the programming: the figures, the formats, a bounded number of queries."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.funding import exports
from vigie.funding.enums import ApplicationState
from vigie.funding.models import GrantApplication, GrantPayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def applications(gers):
    call = make_call(gers)
    paid = make_application(
        call,
        organisation=OrganisationFactory(department=gers, name="Trait d'Union"),
        state=ApplicationState.PAID,
        granted_amount=Decimal("6000"),
    )
    GrantPayment.objects.create(
        application=paid,
        kind="advance",
        amount=Decimal("2500"),
        paid_on=date(2026, 4, 1),
        commitment_number="EJ-1",
    )
    refused = make_application(call, state=ApplicationState.REFUSED, granted_amount=None)
    draft = make_application(call, state=ApplicationState.DRAFT, requested="500")
    return paid, refused, draft


def test_application_rows_hold_the_money_and_the_measures(applications, django_assert_num_queries):
    paid, refused, draft = applications
    with django_assert_num_queries(3):
        rows = exports.application_rows(GrantApplication.objects.all())
    by_pk = {row[0]: row for row in rows}
    assert by_pk[paid.pk][5] == "Trait d'Union"
    assert by_pk[paid.pk][8] == "Versé"
    assert by_pk[paid.pk][9] == "1.1"
    assert by_pk[paid.pk][10:14] == (
        Decimal("20000.00"),
        Decimal("8000.00"),
        Decimal("6000.00"),
        Decimal("2500.00"),
    )
    assert by_pk[refused.pk][12] is None


def test_programming_rows_show_what_remains_of_the_envelope(applications):
    rows = exports.programming_rows(GrantApplication.objects.all())
    assert rows == [
        (
            "FIPD",
            "FIPD D",
            2026,
            Decimal("100000.00"),
            2,  # the draft is not counted
            Decimal("16000.00"),
            Decimal("6000.00"),
            Decimal("94000.00"),
            Decimal("2500.00"),
        )
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_export_downloads(client, make_user, gers, applications, fmt):
    client.force_login(make_user("prefecture", gers))
    response = client.get(reverse("funding:export", args=["32", 2026, "demandes", fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="demandes-32-2026.{fmt}"'
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Numéro;Appel à projets;Année;Fonds")
        assert "Trait d'Union" in text and ";6000;" in text.replace(",00", "")
    else:
        assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_an_unknown_format_is_404(client, make_user, gers):
    client.force_login(make_user("prefecture", gers))
    response = client.get(reverse("funding:export", args=["32", 2026, "demandes", "pdf"]))
    assert response.status_code == 404
