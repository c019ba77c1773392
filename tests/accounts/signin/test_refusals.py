"""Every refusal of a ProConnect sign-in: a French page, 4xx or 502, nobody signed in, nothing written."""

import time

import jwt
import pytest
from django.contrib.auth import SESSION_KEY

from tests.accounts.signin.conftest import (
    DISCOVERY_URL,
    ISSUER,
    KID,
    new_ec_key,
    new_rsa_key,
    unsigned_token,
)
from vigie.accounts.models import ProConnectIdentity, User
from vigie.accounts.proconnect_views import CANCELLED, UNEXPECTED_STATE

pytestmark = pytest.mark.django_db

VERIFY_FAILED = "La réponse de ProConnect n'a pas pu être vérifiée"


def assert_refused(client, response, status=400, message=VERIFY_FAILED):
    assert response.status_code == status
    page = response.content.decode()
    assert message.replace("'", "&#x27;") in page or message in page
    assert SESSION_KEY not in client.session
    assert not ProConnectIdentity.objects.exists()
    assert not User.objects.exists()


def test_a_valid_sign_in_passes(client, proconnect):
    """The baseline the refusals below depart from by one thing each."""
    response = proconnect.sign_in(client)
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_es256_signatures_are_accepted_too(client, proconnect):
    proconnect.use_ec_key()
    proconnect.userinfo_as_jwt = True
    assert proconnect.sign_in(client).status_code == 302
    assert SESSION_KEY in client.session


def test_es256_token_with_a_bad_signature_is_refused(client, proconnect):
    proconnect.use_ec_key()
    proconnect.start(client)
    proconnect.sign_with = new_ec_key()
    assert_refused(client, proconnect.callback(client))


def test_es256_token_when_the_provider_announces_rs256_only_is_refused(client, proconnect):
    proconnect.discovery["id_token_signing_alg_values_supported"] = ["RS256"]
    proconnect.use_ec_key()
    proconnect.start(client)
    assert_refused(client, proconnect.callback(client))


def test_state_and_nonce_are_48_random_characters(client, proconnect):
    first = proconnect.start(client)
    second = proconnect.start(client)
    for query in (first, second):
        assert len(query["state"]) == 48
        assert len(query["nonce"]) == 48
    assert first["state"] != second["state"] and first["nonce"] != second["nonce"]
    assert first["scope"] == "openid email given_name usual_name siret uid"
    assert first["response_type"] == "code"
    assert first["redirect_uri"] == "http://testserver/comptes/proconnect/retour/"


def test_unknown_state_is_refused_before_the_token_endpoint(client, proconnect):
    proconnect.start(client)
    response = proconnect.callback(client, state="x" * 48)
    assert_refused(client, response, message=UNEXPECTED_STATE)
    assert proconnect.token_route.call_count == 0


def test_callback_without_any_sign_in_started_is_refused(client, proconnect):
    response = proconnect.callback(client, state="y" * 48)
    assert_refused(client, response, message=UNEXPECTED_STATE)


def test_replayed_state_is_refused(client, proconnect):
    proconnect.start(client)
    first = proconnect.callback(client)
    assert first.status_code == 302
    client.logout()
    replay = proconnect.callback(client)
    assert replay.status_code == 400
    assert SESSION_KEY not in client.session
    assert proconnect.token_route.call_count == 1


def test_state_older_than_ten_minutes_is_refused(client, proconnect, monkeypatch):
    proconnect.start(client)
    later = time.time() + 601
    monkeypatch.setattr("vigie.accounts.proconnect_views.time.time", lambda: later)
    assert_refused(client, proconnect.callback(client), message=UNEXPECTED_STATE)


def test_provider_error_is_a_french_page(client, proconnect):
    proconnect.start(client)
    response = proconnect.callback(client, error="access_denied")
    assert_refused(client, response, message=CANCELLED)
    # The state is used up: the same state cannot serve afterwards.
    assert_refused(client, proconnect.callback(client), message=UNEXPECTED_STATE)


def test_nonce_mismatch_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"nonce": "n" * 48}
    assert_refused(client, proconnect.callback(client))


def test_missing_nonce_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"nonce": None}
    assert_refused(client, proconnect.callback(client))


def test_wrong_issuer_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"iss": "https://evil.test/api/v2"}
    assert_refused(client, proconnect.callback(client))


def test_wrong_audience_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"aud": "another-client"}
    assert_refused(client, proconnect.callback(client))


def test_token_for_another_authorized_party_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"aud": ["vigie-client-id", "another"], "azp": "another"}
    assert_refused(client, proconnect.callback(client))


def test_expired_token_is_refused(client, proconnect):
    proconnect.start(client)
    now = int(time.time())
    proconnect.id_token_claims = {"iat": now - 600, "exp": now - 120}
    assert_refused(client, proconnect.callback(client))


def test_token_without_expiry_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_claims = {"exp": None}
    assert_refused(client, proconnect.callback(client))


def test_unsigned_token_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token = unsigned_token(proconnect.id_token_payload())
    assert_refused(client, proconnect.callback(client))


def test_token_signed_with_a_shared_secret_is_refused(client, proconnect):
    """HS256 with the client secret (the classic key-confusion attack) is not an accepted algorithm."""
    proconnect.start(client)
    proconnect.id_token = jwt.encode(
        proconnect.id_token_payload(),
        "vigie-client-secret",
        algorithm="HS256",
        headers={"kid": KID},
    )
    assert_refused(client, proconnect.callback(client))


def test_bad_signature_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.sign_with = new_rsa_key()  # same kid, another key
    assert_refused(client, proconnect.callback(client))


def test_unknown_key_id_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.id_token_header = {"kid": "another-key"}
    assert_refused(client, proconnect.callback(client))


def test_token_endpoint_refusing_the_code_is_a_french_page(client, proconnect):
    proconnect.start(client)
    proconnect.token_status = 400
    assert_refused(client, proconnect.callback(client))


def test_token_endpoint_down_is_a_502_french_page(client, proconnect):
    proconnect.start(client)
    proconnect.token_status = 503
    assert_refused(
        client, proconnect.callback(client), status=502, message="ProConnect ne répond pas"
    )


def test_userinfo_about_another_person_is_refused(client, proconnect):
    proconnect.start(client)
    proconnect.userinfo_claims = {"sub": "someone-else"}
    assert_refused(client, proconnect.callback(client))


def test_userinfo_jwt_with_a_bad_signature_is_refused(client, proconnect, monkeypatch):
    proconnect.userinfo_as_jwt = True
    proconnect.start(client)
    good_sign = proconnect.sign
    other_key = new_rsa_key()

    def sign(payload, header=None):
        if "nonce" in payload:  # the ID token stays valid
            return good_sign(payload, header)
        return jwt.encode(payload, other_key, algorithm="RS256", headers={"kid": KID})

    monkeypatch.setattr(proconnect, "sign", sign)
    assert_refused(client, proconnect.callback(client))


def test_userinfo_jwt_from_another_issuer_is_refused(client, proconnect):
    proconnect.userinfo_as_jwt = True
    proconnect.userinfo_claims = {"iss": "https://evil.test"}
    proconnect.start(
        client
    )  # (userinfo_claims go into the signed userinfo only, not into the ID token)
    assert_refused(client, proconnect.callback(client))


def test_missing_email_is_refused_with_its_reason(client, proconnect):
    proconnect.start(client)
    proconnect.userinfo_claims = {"email": ""}
    assert_refused(
        client, proconnect.callback(client), message="n'a pas transmis votre adresse électronique"
    )


def test_discovery_unreachable_is_a_502_french_page(client, proconnect):
    proconnect.mock.get(DISCOVERY_URL, status_code=500)
    response = client.get("/comptes/proconnect/connexion/")
    assert response.status_code == 502
    assert "ProConnect ne répond pas" in response.content.decode()


def test_discovery_of_another_issuer_is_refused(client, proconnect):
    proconnect.discovery["issuer"] = "https://evil.test/api/v2"
    response = client.get("/comptes/proconnect/connexion/")
    assert response.status_code == 502


def test_provider_without_an_acceptable_algorithm_is_refused(client, proconnect):
    proconnect.discovery["id_token_signing_alg_values_supported"] = ["HS256", "none"]
    assert client.get("/comptes/proconnect/connexion/").status_code == 502


def test_discovery_document_is_fetched_once(client, proconnect):
    proconnect.sign_in(client)
    client.logout()
    proconnect.sign_in(client)
    assert proconnect.discovery_route.call_count == 1
    assert ISSUER in proconnect.discovery["issuer"]
