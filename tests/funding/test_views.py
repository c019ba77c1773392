"""Funding pages through the client: the form's parts, the live rule check, bad input, bounded queries."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, OrganisationFactory
from tests.funding.factories import default_measure, make_application, make_call, programme_of
from vigie.funding.enums import ApplicationState
from vigie.funding.models import GrantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def owner(gers):
    return OrganisationFactory(department=gers, kind="association", name="Trait d'Union")


@pytest.fixture
def applicant(make_user, gers, owner):
    return make_user("applicant", gers, organisation=owner)


def test_create_an_application_then_its_budget(client, gers, applicant):
    call = make_call(gers)
    measure = default_measure(gers)
    client.force_login(applicant)
    response = client.post(
        reverse("funding:application_create", args=[call.pk]),
        {
            "call_programme": programme_of(call).pk,
            "title": "Médiation de soirée",
            "applicant_kind": "association",
            "measures": [measure.pk],
            "previous_years": "0",
        },
    )
    application = GrantApplication.objects.get()
    assert response.url == reverse("funding:application_budget", args=[application.pk])
    assert (
        application.organisation == applicant.organisation
        and application.state == ApplicationState.DRAFT
    )
    response = client.post(
        reverse("funding:application_budget", args=[application.pk]),
        {"c60": "12 000", "c64": "8000", "s_FIPD": "10 000", "s_commune": "4000", "i75": "6000"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.requested_amount == Decimal("10000") and application.total_cost == Decimal(
        "20000"
    )


def test_project_form_requires_a_measure(client, gers, applicant):
    call = make_call(gers)
    default_measure(gers)
    client.force_login(applicant)
    response = client.post(
        reverse("funding:application_create", args=[call.pk]),
        {
            "call_programme": programme_of(call).pk,
            "title": "Projet",
            "applicant_kind": "association",
            "previous_years": "0",
        },
    )
    assert response.status_code == 200
    assert "Choisissez au moins une mesure du plan" in html.unescape(response.content.decode())
    assert not GrantApplication.objects.exists()


def test_live_check_returns_the_rule_message_and_saves_nothing(client, gers, owner, applicant):
    application = make_application(make_call(gers), organisation=owner)
    client.force_login(applicant)
    response = client.post(
        reverse("funding:application_budget", args=[application.pk]),
        {"c60": "20000", "s_FIPD": "12000", "i75": "8000"},
        HTTP_HX_REQUEST="true",
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and "<html" not in body
    assert (
        "Le FIPD ne peut financer plus de 50\u202f% du coût total : 12\u202f000\u202f€ demandés pour 20\u202f000\u202f€, soit 60\u202f%"
        in body
    )
    application.refresh_from_db()
    assert application.requested_amount == Decimal("8000")


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"c60": "20000", "s_FIPD": "8000"}, "n'est pas équilibré"),
        ({"c60": "-20000", "s_FIPD": "-20000"}, "Un montant ne peut pas être négatif."),
        ({"c60": "vingt", "s_FIPD": "8000"}, "Saisissez un montant en euros"),
    ],
)
def test_bad_budgets_show_a_french_message_and_write_nothing(
    client, gers, owner, applicant, amounts, message
):
    application = make_application(make_call(gers), organisation=owner)
    client.force_login(applicant)
    response = client.post(reverse("funding:application_budget", args=[application.pk]), amounts)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert sorted(application.budget_lines.values_list("account", "amount")) == [
        ("60", Decimal("20000")),
        ("74", Decimal("8000")),
        ("75", Decimal("12000")),
    ]


def test_wrong_attachment_type_message_beside_the_field(client, gers, owner, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(make_call(gers), organisation=owner)
    client.force_login(applicant)
    response = client.post(
        reverse("funding:application_attachments", args=[application.pk]),
        {"kind": "bank_details", "file": SimpleUploadedFile("rib.jpg", b"\xff\xd8\xff\xe0 jpeg")},
    )
    assert response.status_code == 200
    # The refusal, not the help text that lists the formats ("Formats acceptés : …").
    assert "Format non accepté (.jpg) : déposez un fichier PDF" in html.unescape(
        response.content.decode()
    )
    assert not application.attachments.exists()


def test_a_closed_call_says_so_in_french_and_writes_nothing(client, gers, applicant):
    call = make_call(gers, is_open=False)
    default_measure(gers)
    client.force_login(applicant)
    url = reverse("funding:application_create", args=[call.pk])
    for response in (
        client.get(url, follow=True),
        client.post(url, {"title": "Projet", "applicant_kind": "association"}, follow=True),
    ):
        assert response.redirect_chain == [(reverse("funding:call", args=[call.pk]), 302)]
        assert "est clos depuis le 31 mars 2025" in html.unescape(response.content.decode())
    assert not GrantApplication.objects.exists()


def test_a_draft_whose_call_closed_is_neither_saved_nor_submitted(client, gers, owner, applicant):
    call = make_call(gers, is_open=False)
    application = make_application(call, organisation=owner)
    client.force_login(applicant)
    response = client.post(
        reverse("funding:application_budget", args=[application.pk]),
        {"c60": "30000", "s_FIPD": "10000", "i75": "20000"},
    )
    assert response.status_code == 200
    assert "est clos depuis" in html.unescape(response.content.decode())
    response = client.post(
        reverse("funding:application_transition", args=[application.pk, "submitted"]),
        {"message": ""},
    )
    assert response.status_code == 200
    assert "est clos depuis" in html.unescape(response.content.decode())
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT and application.total_cost == 20000
    assert application.state_changes.count() == 1


def test_application_page_says_demo_data_and_shows_the_timeline(client, gers, owner, applicant):
    application = make_application(make_call(gers), organisation=owner, is_demo=True)
    client.force_login(applicant)
    body = client.get(application.get_absolute_url()).content.decode()
    assert "Données de démonstration" in body and 'id="timeline"' in body and "Brouillon" in body


def test_list_pages_run_a_bounded_number_of_queries(
    client, gers, owner, applicant, make_user, django_assert_max_num_queries
):
    call = make_call(gers)
    for number in range(40):
        make_application(
            call, organisation=owner, title=f"Projet {number}", state=ApplicationState.SUBMITTED
        )
    make_call(gers, "MILDECA")
    agent = make_user("prefecture", gers)
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funding:call_applications", args=[call.pk]))
    assert response.content.decode().count("Projet ") >= 40
    with django_assert_max_num_queries(10):
        client.get(reverse("funding:calls"))
    client.force_login(applicant)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("funding:my_applications"))
    assert response.content.decode().count("Projet ") >= 40
    with django_assert_max_num_queries(20):
        client.get(GrantApplication.objects.first().get_absolute_url())


def test_the_calls_page_leads_the_prefecture_to_its_funding_work(
    client, make_user, gers, applicant
):
    """Instruction queue, committees, overdue reports, letter templates and exports are reached from the calls
    page by the prefecture; an applicant gets none of these links."""
    make_call(gers)
    client.force_login(make_user("prefecture", gers))
    page = client.get(reverse("funding:calls")).content.decode()
    year = timezone.localdate().year
    links = [
        reverse("instruction:queue", args=["32"]),
        reverse("instruction:sessions", args=["32"]),
        reverse("funding:overdue_reports", args=["32"]),
        reverse("funding:letter_templates", args=["32"]),
        reverse("funding:export", args=["32", year, "demandes", "xlsx"]),
        reverse("funding:export", args=["32", year, "programmation", "ods"]),
        reverse("instruction:my_opinions"),
    ]
    for link in links:
        assert f'href="{link}"' in page, link
        assert client.get(link).status_code == 200, link
    client.force_login(applicant)
    page = client.get(reverse("funding:calls")).content.decode()
    assert not [link for link in links if f'href="{link}"' in page]
