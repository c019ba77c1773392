"""Idle timeout and maximum length of signed-in sessions; ending every session of one account."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.management.helpers import text
from tests.factories import UserFactory
from vigie.accounts import sessions

HOME = "/"


def _age(client, *, idle_seconds=None, signed_in_seconds=None):
    """Pretend the last request (or the sign-in) was that long ago."""
    session = client.session
    now = int(time.time())
    if idle_seconds is not None:
        session[sessions.LAST_ACTIVITY] = now - idle_seconds
    if signed_in_seconds is not None:
        session[sessions.SIGNED_IN_AT] = now - signed_in_seconds
    session.save()


@pytest.fixture
def signed_in(client, pilot):
    client.force_login(pilot)
    assert client.get(HOME).status_code == 200  # first request: the session's clocks start
    return client


def test_signing_in_starts_the_clocks(client, pilot):
    client.force_login(pilot)
    now = int(time.time())
    assert now - client.session[sessions.LAST_ACTIVITY] < 5
    assert now - client.session[sessions.SIGNED_IN_AT] < 5


def test_a_session_without_clocks_gets_them_on_its_next_request(signed_in):
    session = signed_in.session
    del session[sessions.LAST_ACTIVITY], session[sessions.SIGNED_IN_AT]
    session.save()
    assert signed_in.get(HOME).status_code == 200
    assert (
        sessions.LAST_ACTIVITY in signed_in.session and sessions.SIGNED_IN_AT in signed_in.session
    )


def test_requests_right_after_signing_in_write_no_session(client, pilot):
    client.force_login(pilot)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    writes = [
        q["sql"] for q in captured if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert not writes


def test_thirty_idle_minutes_sign_out_with_a_french_message(signed_in):
    _age(signed_in, idle_seconds=31 * 60)
    response = signed_in.get(reverse("plans:home") + "?x=1")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=/%3Fx%3D1"
    assert "_auth_user_id" not in signed_in.session
    login_page = text(signed_in.get(response.url))
    assert (
        "Votre session a expiré après 30 minutes sans activité. Connectez-vous de nouveau."
        in login_page
    )


def test_activity_extends_the_session(signed_in):
    _age(signed_in, idle_seconds=29 * 60)
    assert signed_in.get(HOME).status_code == 200
    assert int(time.time()) - signed_in.session[sessions.LAST_ACTIVITY] < 5
    assert "_auth_user_id" in signed_in.session


def test_the_idle_time_is_configurable(signed_in, settings):
    settings.VIGIE_SESSION_IDLE_MINUTES = 5
    _age(signed_in, idle_seconds=6 * 60)
    response = signed_in.get(HOME)
    assert response.status_code == 302
    assert "après 5 minutes sans activité" in text(signed_in.get(response.url))


def test_twelve_hours_after_sign_in_the_session_ends_however_active(signed_in):
    _age(signed_in, idle_seconds=10, signed_in_seconds=12 * 3600 + 60)
    response = signed_in.get(HOME)
    assert response.status_code == 302
    assert "durée maximale (12 heures)" in text(signed_in.get(response.url))


def test_an_htmx_request_is_sent_to_the_sign_in_page(signed_in):
    _age(signed_in, idle_seconds=31 * 60)
    response = signed_in.get(HOME, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:login")


def test_anonymous_visitors_are_left_alone(client, db):
    assert client.get(HOME).status_code == 200
    assert sessions.LAST_ACTIVITY not in client.session


def test_the_activity_is_written_at_most_once_a_minute(signed_in):
    before = signed_in.session[sessions.LAST_ACTIVITY]
    _age(signed_in, idle_seconds=20)
    stamped = signed_in.session[sessions.LAST_ACTIVITY]
    signed_in.get(HOME)
    assert signed_in.session[sessions.LAST_ACTIVITY] == stamped != before


def test_end_sessions_ends_only_that_accounts_sessions(pilot, gers):
    mine = [Client(), Client()]
    for client in mine:
        client.force_login(pilot)
    other = Client()
    other.force_login(UserFactory(username="autre", department=gers))
    assert sessions.end_sessions(pilot) == 2
    assert all("_auth_user_id" not in client.session for client in mine)
    assert "_auth_user_id" in other.session
