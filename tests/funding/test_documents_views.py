"""Pages of the letters, final reports and a measure's grants: French errors beside fields, nothing written on
bad input, bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.funding import letters
from vigie.funding.enums import ApplicationState, LetterKind
from vigie.funding.models import FinalReport, GrantPayment, LetterTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def owner(gers):
    return OrganisationFactory(department=gers, name="Association Trait d'Union")


@pytest.fixture
def prefecture(client, make_user, gers):
    user = make_user("prefecture", gers)
    client.force_login(user)
    return user


@pytest.fixture
def report_due(gers, owner):
    return make_application(
        make_call(gers, year=2024, is_open=False),
        organisation=owner,
        state=ApplicationState.REPORT_DUE,
        granted_amount=8000,
        ends_on=date(2024, 12, 31),
    )


def test_an_unknown_placeholder_is_shown_beside_the_text(client, prefecture):
    url = reverse("funding:letter_template_edit", args=["32", LetterKind.DECISION])
    response = client.post(url, {"title": "Arrêté", "body": "Montant : {somme}"})
    assert response.status_code == 200
    assert "Champ inconnu : {somme}" in response.context["form"].errors["body"][0]
    assert not LetterTemplate.objects.exists()
    response = client.post(url, {"title": "Arrêté {annee}", "body": "Montant : {montant}"})
    assert response.status_code == 302
    assert LetterTemplate.objects.get().body == "Montant : {montant}"


def test_a_signed_copy_of_the_wrong_type_is_refused(client, prefecture, gers, owner):
    application = make_application(
        make_call(gers), organisation=owner, state=ApplicationState.ACCEPTED, granted_amount=5000
    )
    letter = letters.generate_letter(
        acting_user=prefecture, application=application, kind=LetterKind.NOTIFICATION
    )
    url = reverse("funding:letter_signed", args=[application.pk, letter.pk])
    response = client.post(url, {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n")})
    assert response.status_code == 200
    assert "PDF" in response.context["form"].errors["file"][0]
    letter.refresh_from_db()
    assert not letter.signed_file
    page = client.get(application.get_absolute_url())
    assert "Lettre de notification, généré le" in page.content.decode()


def test_a_negative_realised_amount_is_a_french_error_and_nothing_is_written(
    client, make_user, report_due, owner
):
    client.force_login(make_user("applicant", report_due.call.department, organisation=owner))
    url = reverse("funding:final_report", args=[report_due.pk])
    data = {"achievements": "Fait.", "line_0": "-5", "line_1": "8000", "line_2": "12000"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["line_0"] == ["Un montant ne peut pas être négatif."]
    assert not FinalReport.objects.exists()
    data["line_0"] = "19 500"
    response = client.post(url, data)
    assert response.status_code == 302
    report_due.refresh_from_db()
    assert report_due.state == ApplicationState.REPORT_RECEIVED
    page = client.get(url)
    assert "19\u202f500\u202f€" in page.content.decode()


def test_the_overdue_list_shows_late_reports(
    client, prefecture, report_due, django_assert_max_num_queries
):
    for index in range(20):
        make_application(
            report_due.call,
            title=f"Action {index}",
            state=ApplicationState.REPORT_DUE,
            granted_amount=1000,
            ends_on=date(2024, 6, 30),
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funding:overdue_reports", args=["32"]))
    assert len(response.context["rows"]) == 21
    assert report_due.title in response.content.decode()


def test_the_measure_page_shows_the_money(
    client, prefecture, gers, owner, django_assert_max_num_queries
):
    call = make_call(gers)
    granted = make_application(
        call, organisation=owner, state=ApplicationState.PAID, granted_amount=Decimal("6000")
    )
    GrantPayment.objects.create(
        application=granted,
        kind="advance",
        amount=Decimal("3000"),
        paid_on=date(2026, 3, 1),
        commitment_number="EJ1",
    )
    for _ in range(10):
        make_application(call, state=ApplicationState.SUBMITTED, requested="2000")
    make_application(call, state=ApplicationState.DRAFT, requested="999")
    measure = granted.measures.get()
    with django_assert_max_num_queries(40):
        response = client.get(measure.get_absolute_url())
    html = response.content.decode()
    assert 'id="measure-grants"' in html
    section = html[html.index('id="measure-grants"') :]
    assert "28\u202f000\u202f€" in section  # 8,000 + 10 × 2,000 requested; the draft is not counted
    assert "6\u202f000\u202f€" in section and "3\u202f000\u202f€" in section


def test_the_measure_grants_are_hidden_from_applicants(client, make_user, gers, owner):
    application = make_application(
        make_call(gers), organisation=owner, state=ApplicationState.SUBMITTED
    )
    client.force_login(make_user("applicant", gers, organisation=owner))
    response = client.get(application.measures.get().get_absolute_url())
    assert response.status_code == 200  # the adopted plan is public
    assert 'id="measure-grants"' not in response.content.decode()


def test_the_plan_grants_page_shows_money_by_axis_measure_commune_and_fund(
    client, prefecture, gers, owner, django_assert_max_num_queries
):
    call = make_call(gers)
    granted = make_application(
        call, organisation=owner, state=ApplicationState.PAID, granted_amount=Decimal("6000")
    )
    GrantPayment.objects.create(
        application=granted,
        kind="advance",
        amount=Decimal("3000"),
        paid_on=date(2026, 3, 1),
        commitment_number="EJ1",
    )
    for _ in range(10):
        make_application(call, state=ApplicationState.SUBMITTED, requested="2000")
    plan = granted.measures.get().axis.plan
    with django_assert_max_num_queries(25):
        response = client.get(reverse("funding:plan_grants", args=[plan.pk]))
    tables = dict((key, rows) for key, _title, _header, rows in response.context["tables"])
    assert [
        (r["label"], r["count"], r["requested"], r["granted"], r["paid"]) for r in tables["fund"]
    ] == [("FIPD 2026", 11, Decimal("28000.00"), Decimal("6000.00"), Decimal("3000.00"))]
    assert tables["axis"][0]["requested"] == Decimal("28000.00")
    assert tables["measure"][0]["label"].startswith("Mesure 1.1")
