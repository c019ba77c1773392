"""Signing out after a ProConnect sign-in ends the ProConnect session too; local accounts sign out as before."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from tests.accounts.signin.conftest import ISSUER
from tests.factories import UserFactory
from vigie.accounts.proconnect import forget_provider

pytestmark = pytest.mark.django_db

LOGGED_OUT = "http://testserver/comptes/proconnect/deconnecte/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_logout_goes_to_the_end_of_session_with_hint_state_and_return(client, proconnect):
    proconnect.sign_in(client)
    id_token = client.session["oidc_id_token"]
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/session/end"
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == LOGGED_OUT
    assert len(query["state"]) == 48
    assert SESSION_KEY not in client.session  # signed out of Vigie already

    back = client.get("/comptes/proconnect/deconnecte/", {"state": query["state"]}, follow=True)
    assert "Vous êtes déconnecté de Vigie et de ProConnect." in messages_of(back)
    # The state served once.
    again = client.get("/comptes/proconnect/deconnecte/", {"state": query["state"]}, follow=True)
    assert "Vous êtes déconnecté de Vigie." in messages_of(again)


def test_return_with_a_wrong_state_says_only_vigie(client, proconnect):
    proconnect.sign_in(client)
    client.post("/comptes/deconnexion/")
    back = client.get("/comptes/proconnect/deconnecte/", {"state": "z" * 48}, follow=True)
    assert messages_of(back) == ["Vous êtes déconnecté de Vigie."]


def test_local_account_signs_out_locally_even_with_proconnect_on(client, proconnect):
    user = UserFactory(username="claire")
    client.force_login(user)
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_provider_unreachable_at_logout_still_signs_out_of_vigie(client, proconnect):
    proconnect.sign_in(client)
    forget_provider()  # the cached discovery document is gone, and the provider is down
    proconnect.mock.get(
        proconnect.discovery["issuer"] + "/.well-known/openid-configuration", status_code=503
    )
    response = client.post("/comptes/deconnexion/")
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
