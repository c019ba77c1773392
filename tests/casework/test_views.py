"""The case pages as a member uses them: open, read, add an entry, search; names never in a URL; the controller."""

import pytest
from django.urls import reverse

from tests.casework.factories import make_case, make_group, make_member, sign_in
from vigie.casework.enums import AccessAction, MemberRole, ReferralReason, ReferralSource
from vigie.casework.models import AccessLogEntry, Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    group, _ = make_group()
    return {
        "group": group,
        "coordinator": make_member(group, role=MemberRole.COORDINATOR),
        "referent": make_member(group),
    }


def test_a_member_opens_a_case_and_lands_on_an_opaque_url(client, team):
    group = team["group"]
    sign_in(client, team["referent"].user)
    response = client.post(
        reverse("casework:case_create", args=[group.pk]),
        {
            "last_name": "BERNARD-FICTIF",
            "first_name": "Inès",
            "birth_date": "2010-05-02",
            "commune": group.body.commune_id,
            "referral_reason": ReferralReason.FIRST_OFFENCE,
            "referral_source": ReferralSource.POLICE,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[case.public_id])
    assert "BERNARD" not in response["Location"].upper()
    page = client.get(response["Location"])
    assert "BERNARD-FICTIF" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    actions = list(AccessLogEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [AccessAction.CREATE, AccessAction.READ]


def test_bad_input_is_shown_beside_the_field(client, team):
    sign_in(client, team["referent"].user)
    response = client.post(
        reverse("casework:case_create", args=[team["group"].pk]), {"last_name": ""}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Case.objects.exists()


def test_adding_an_entry(client, team):
    case = make_case(team["referent"])
    sign_in(client, team["referent"].user)
    url = reverse("casework:entry_add", args=[case.public_id])
    empty = client.post(url, {"date": "2026-03-02", "level": "confidentiel"})
    assert "Décrivez au moins" in empty.content.decode()
    response = client.post(
        url,
        {"date": "2026-03-02", "level": "confidentiel", "situation": "Rencontre avec la famille"},
    )
    assert response.status_code == 302
    assert "Rencontre avec la famille" in client.get(response["Location"]).content.decode()


def test_the_search_is_a_post_and_finds_by_keyed_hash(client, team):
    case = make_case(team["referent"])
    make_case(team["referent"], last_name="AUTRE-FICTIF")
    sign_in(client, team["referent"].user)
    response = client.post(
        reverse("casework:cases", args=[team["group"].pk]), {"name": "dupont fictif LEO"}
    )
    body = response.content.decode()
    assert str(case.public_id) in body and "AUTRE-FICTIF" not in body


def test_the_controller_sees_counts_and_summary_and_reads_the_log(client, team):
    from vigie.casework import case_services

    make_case(team["referent"])
    case_services.set_controller_summary(
        acting_user=team["coordinator"].user,
        member=team["coordinator"],
        text="Un jeune suivi, orientation scolaire.",
    )
    group = team["group"]
    sign_in(client, group.controller)
    page = client.get(reverse("casework:group", args=[group.pk])).content.decode()
    assert "Dossiers ouverts : 1" in page and "orientation scolaire" in page
    assert "DUPONT" not in page
    log = client.get(reverse("casework:access_log", args=[group.pk]))
    assert log.status_code == 200 and "DUPONT" not in log.content.decode()
    assert AccessLogEntry.objects.filter(
        action=AccessAction.LOG_READ, user_id_at_time=group.controller.pk
    ).exists()


def test_error_reports_never_carry_the_request_body(rf, team):
    """Django's exception reporter filter masks every POST parameter of the casework pages."""
    from django.views.debug import SafeExceptionReporterFilter

    from vigie.casework import case_views

    request = rf.post("/", {"last_name": "BERNARD-FICTIF"})
    request.user = team["referent"].user
    request.session = {}
    case_views.case_create(
        request, pk=0
    )  # sent to the second factor: only the marking of the request matters
    post = SafeExceptionReporterFilter().get_post_parameters(request)
    assert "BERNARD-FICTIF" not in str(post)
    assert request.sensitive_post_parameters == "__ALL__"
