"""The gate (TwoFactorMiddleware): a session that owes a second factor reaches only the pages that give it."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.two_factor.helpers import code
from tests.factories import UserFactory
from vigie.accounts.enums import Role

HOME = reverse("plans:home")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def test_a_required_agent_without_device_is_sent_to_enrolment(client, agent):
    client.force_login(agent)
    response = client.get("/gouvernance/?x=1")
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fgouvernance%2F%3Fx%3D1"
    assert client.get(SETUP).status_code == 200
    assert (
        client.get(VERIFY).status_code == 302
    )  # no device yet: the verification page sends to enrolment


def test_a_person_with_a_device_is_sent_to_verification_and_not_to_enrolment(
    client, enrolled_pilot
):
    client.force_login(enrolled_pilot)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url == f"{VERIFY}?next=%2F"
    assert client.get(SETUP).url.startswith(VERIFY)
    assert client.get(reverse("accounts:security")).url.startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200


def test_verification_opens_everything_and_goes_to_next(client, enrolled_agent):
    client.force_login(enrolled_agent)
    response = client.post(
        VERIFY, {"code": code(enrolled_agent.totp_key, steps=1), "next": "/gouvernance/"}
    )
    assert response.status_code == 302 and response.url == "/gouvernance/"
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 200


def test_next_elsewhere_is_ignored(client, enrolled_agent):
    client.force_login(enrolled_agent)
    response = client.post(
        VERIFY, {"code": code(enrolled_agent.totp_key, steps=1), "next": "https://example.org/"}
    )
    assert response.url == HOME


def test_sign_out_stays_open(client, agent):
    client.force_login(agent)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200  # signed out: nothing owed


def test_static_files_stay_open(client, agent):
    client.force_login(agent)
    assert client.get("/static/vigie/css/vigie.css").status_code == 200


def test_a_pilot_without_device_is_not_gated(client, pilot):
    client.force_login(pilot)
    assert client.get(HOME).status_code == 200


def test_nothing_gated_when_the_rule_is_off(client, agent, settings):
    settings.VIGIE_TWO_FACTOR_REQUIRED = False
    client.force_login(agent)
    assert client.get(HOME).status_code == 200


def test_proconnect_sign_in_without_second_factor_is_gated(client, pilot):
    client.force_login(pilot)
    session = client.session
    session["vigie_auth_method"] = "proconnect"
    session["vigie_acr"] = "eidas1"
    session.save()
    assert client.get(HOME).url == f"{SETUP}?next=%2F"
    session["vigie_acr"] = "eidas2"
    session.save()
    assert client.get(HOME).status_code == 200


def test_proconnect_with_second_factor_opens_an_agent_session(client, agent):
    client.force_login(agent)
    session = client.session
    session["vigie_auth_method"] = "proconnect"
    session["vigie_acr"] = "https://proconnect.gouv.fr/assurance/consistency-checked-2fa"
    session.save()
    assert client.get(HOME).status_code == 200


def test_htmx_requests_get_an_hx_redirect(client, agent):
    client.force_login(agent)
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == SETUP


def test_a_post_is_refused_without_being_handled(client, agent, pilot):
    client.force_login(agent)
    response = client.post(reverse("accounts:account_deactivate", args=[pilot.pk]))
    assert response.status_code == 302 and response.url == SETUP
    pilot.refresh_from_db()
    assert pilot.is_active


def test_api_with_the_session_cookie_is_refused_in_json(client, agent):
    client.force_login(agent)
    response = client.get(reverse("api:indicator-list"))
    assert response.status_code == 403
    assert "Double authentification requise" in response.json()["detail"]


def test_api_tokens_are_not_concerned(agent):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=agent).key}")
    assert api.get(reverse("api:indicator-list")).status_code == 200


@pytest.mark.django_db
def test_the_password_sign_in_records_its_method(client, gers):
    from tests.factories import DEFAULT_PASSWORD

    agent = UserFactory(username="claire", role=Role.PREFECTURE, department=gers)
    session = client.session
    session["vigie_auth_method"] = "proconnect"
    session["vigie_acr"] = "eidas2"
    session.save()
    response = client.post(
        reverse("accounts:login"), {"username": "claire", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["vigie_auth_method"] == "password"
    assert "vigie_acr" not in client.session
    assert client.get(response.url).url.startswith(SETUP)
    assert agent.pk


def test_a_device_enrolled_in_another_session_is_noticed_within_a_minute(client, pilot):
    from tests.accounts.two_factor.helpers import enrol

    client.force_login(pilot)
    assert client.get(HOME).status_code == 200
    enrol(pilot)
    session = client.session
    session["vigie_2fa_device_checked_at"] -= 61
    session.save()
    assert client.get(HOME).url.startswith(VERIFY)


def test_the_gate_costs_no_query_for_a_person_without_device(
    client, pilot, django_assert_num_queries
):
    client.force_login(pilot)
    client.get(HOME)
    from vigie.accounts.two_factor_middleware import TwoFactorMiddleware

    class Request:
        COOKIES = {"sessionid": "x"}
        path_info = "/"

        def __init__(self, session, user):
            self.session, self.user = session, user

    session = client.session
    assert session["vigie_2fa_device"] is False  # (loads the session before counting)
    request = Request(session, pilot)
    with django_assert_num_queries(0):
        assert TwoFactorMiddleware(lambda r: "page")(request) == "page"
