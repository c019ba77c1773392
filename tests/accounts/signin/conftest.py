"""A fake ProConnect for unit tests: real RSA keys, real signed tokens, its HTTP endpoints faked by requests-mock.

`proconnect` (fixture) is switched on in settings and answers discovery, JWKS, token and userinfo. A test starts
a sign-in with `proconnect.start(client)` (the state and nonce Vigie sent), changes what the provider will say
(`id_token_claims`, `id_token_header`, `sign_with`, `userinfo_as_jwt`…), then calls `proconnect.callback(client)`.
"""

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.urls import reverse

ISSUER = "https://proconnect.test/api/v2"
DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
CLIENT_ID = "vigie-client-id"
CLIENT_SECRET = "vigie-client-secret"
KID = "proconnect-key-1"


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def unsigned_token(payload: dict) -> str:
    """A JWT with `alg: none` and no signature."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{part(payload)}."


class FakeProConnect:
    def __init__(self, requests_mock):
        self.key = new_rsa_key()
        self.sign_with = self.key  # another key: a bad signature
        self.alg = "RS256"  # "ES256" with an EC key (use_ec_key)
        self.kid = KID
        self.claims = {
            "sub": "sub-claire-dupuy",
            "email": "claire.dupuy@gers.gouv.fr",
            "given_name": "Claire",
            "usual_name": "Dupuy",
            "siret": "17320001200011",
            "uid": "cdupuy",
        }
        self.acr = "eidas1"
        self.id_token_claims = {}  # overrides of the ID token's payload (None removes a claim)
        self.id_token_header = {}
        self.id_token = None  # a ready-made ID token replaces the signed one
        self.userinfo_claims = {}
        self.userinfo_as_jwt = False
        self.nonce = ""
        self.state = ""
        self.token_status = 200
        self.discovery = {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "end_session_endpoint": f"{ISSUER}/session/end",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        }
        self.mock = requests_mock
        self.discovery_route = requests_mock.get(DISCOVERY_URL, json=lambda r, c: self.discovery)
        requests_mock.get(f"{ISSUER}/jwks", json=lambda r, c: self.jwks())
        self.token_route = requests_mock.post(f"{ISSUER}/token", json=self._token)
        self.userinfo_route = requests_mock.get(f"{ISSUER}/userinfo", content=self._userinfo)

    def use_ec_key(self):
        """The provider signs with ES256 (P-256) instead of RS256."""
        self.key = self.sign_with = new_ec_key()
        self.alg = "ES256"

    def jwks(self) -> dict:
        algorithm = (
            jwt.algorithms.ECAlgorithm if self.alg == "ES256" else jwt.algorithms.RSAAlgorithm
        )
        public = json.loads(algorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": self.alg, "use": "sig"}]}

    def sign(self, payload: dict, header: dict | None = None) -> str:
        return jwt.encode(
            payload, self.sign_with, algorithm=self.alg, headers={"kid": self.kid, **(header or {})}
        )

    def id_token_payload(self) -> dict:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": self.claims["sub"],
            "exp": now + 60,
            "iat": now,
            "nonce": self.nonce,
            "acr": self.acr,
            "amr": ["pwd"],
        }
        payload.update(self.id_token_claims)
        return {name: value for name, value in payload.items() if value is not None}

    def _token(self, request, context):
        context.status_code = self.token_status
        if self.token_status != 200:
            return {"error": "invalid_grant"}
        token = self.id_token or self.sign(self.id_token_payload(), self.id_token_header)
        return {"access_token": "access-token", "token_type": "Bearer", "id_token": token}

    def _userinfo(self, request, context):
        assert request.headers["Authorization"] == "Bearer access-token"
        claims = {**self.claims, **self.userinfo_claims}
        if self.userinfo_as_jwt:
            context.headers["Content-Type"] = "application/jwt; charset=utf-8"
            return self.sign({"iss": ISSUER, "aud": CLIENT_ID, **claims}).encode()
        context.headers["Content-Type"] = "application/json"
        return json.dumps(claims).encode()

    # --- the browser's side ------------------------------------------------------------------------------

    def start(self, client, next_url: str = ""):
        """Click "S'identifier avec ProConnect": the state and nonce Vigie sent to the provider."""
        url = reverse("accounts:proconnect_login") + (f"?next={next_url}" if next_url else "")
        response = client.get(url)
        assert response.status_code == 302, response.content
        location = urlsplit(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
        query = {name: values[0] for name, values in parse_qs(location.query).items()}
        self.state, self.nonce = query["state"], query["nonce"]
        return query

    def callback(self, client, *, state: str | None = None, code: str = "code-1", **extra):
        params = {"code": code, "state": self.state if state is None else state, **extra}
        return client.get(reverse("accounts:proconnect_callback"), params)

    def sign_in(self, client):
        self.start(client)
        return self.callback(client)


@pytest.fixture
def proconnect(settings, requests_mock):
    from django.core.cache import cache

    settings.VIGIE_PROCONNECT = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "discovery_url": DISCOVERY_URL,
        "scopes": "openid email given_name usual_name siret uid",
    }
    cache.clear()
    yield FakeProConnect(requests_mock)
    cache.clear()
