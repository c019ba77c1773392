"""The ProConnect sign-in's checks, on mozilla-django-oidc's authorization code flow.

mozilla-django-oidc exchanges the code for tokens and checks the nonce. It neither checks the ID token's issuer
nor its audience, and takes its endpoints from settings: this backend adds those checks, takes the endpoints
from the discovery document (`proconnect.provider()`), and hands the verified claims to
`services.sign_in_with_proconnect`.

Checks of a token (ID token, and userinfo when ProConnect signs it, as it does: `application/jwt`):
- the header's algorithm is one of `proconnect.ALGORITHMS` that the provider announces (RS256, ES256): a token
  with `alg: none` or a shared-secret algorithm is refused before any key is looked up;
- the signature, with the provider's key of the header's `kid` (JWKS);
- `iss` is the provider's issuer, `aud` contains Vigie's client id (and `azp`, when present, is Vigie);
- the ID token has `exp` (not passed, 60 s of clock leeway), `iat`, `sub` and the `nonce` of the sign-in.

`ProConnectBackend` is not in AUTHENTICATION_BACKENDS: it answers only the ProConnect callback
(`proconnect_views.ProConnectCallbackView`), never a password form. A session signed in through ProConnect is
recorded with `ProConnectSessionBackend` (in AUTHENTICATION_BACKENDS), which loads the account on each request as
Django's model backend does (active accounts only) and authenticates nothing itself: a ProConnect session is
told apart from a password one by its backend.
"""

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vigie.accounts import proconnect, services
from vigie.accounts.proconnect import InvalidResponse, Provider, ProviderUnavailable

LEEWAY = 60
ID_TOKEN_CLAIMS = ("iss", "aud", "exp", "iat", "sub", "nonce")
USERINFO_CLAIMS = ("iss", "aud", "sub")


class ProConnectSessionBackend(ModelBackend):
    """The backend recorded in a session signed in through ProConnect (see the module's docstring)."""

    def authenticate(self, request, **credentials):
        return None


SESSION_BACKEND = f"{ProConnectSessionBackend.__module__}.{ProConnectSessionBackend.__qualname__}"


class ProConnectBackend(OIDCAuthenticationBackend):
    def __init__(self, provider: Provider, client: dict):
        # Not the parent's __init__: it reads the endpoints from settings.
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = client["client_id"]
        self.OIDC_RP_CLIENT_SECRET = client["client_secret"]
        self.OIDC_RP_SIGN_ALGO = provider.algorithms[0]
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.id_token = ""
        self.acr = ""

    # --- tokens -----------------------------------------------------------------------------------------

    def get_token(self, payload):
        try:
            return super().get_token(payload)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if 400 <= status < 500:  # e.g. a code already used or issued to another client
                raise InvalidResponse(f"token endpoint refused the code ({status})") from exc
            raise ProviderUnavailable(f"token endpoint answered {status}") from exc
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"token endpoint unreachable: {exc}") from exc

    def retrieve_matching_jwk(self, token):
        header = jwt.get_unverified_header(token)
        kid, alg = header.get("kid"), header.get("alg")
        try:
            response = requests.get(self.provider.jwks_uri, timeout=proconnect.HTTP_TIMEOUT)
            response.raise_for_status()
            keys = response.json().get("keys", [])
        except (requests.RequestException, ValueError, AttributeError) as exc:
            raise ProviderUnavailable(f"JWKS unreachable: {exc}") from exc
        candidates = [
            key
            for key in keys
            if isinstance(key, dict)
            and (kid is None or key.get("kid") == kid)
            and key.get("alg", alg) == alg
            and key.get("use", "sig") == "sig"
        ]
        if len(candidates) != 1:
            raise InvalidResponse(f"{len(candidates)} keys match kid {kid!r} and alg {alg!r}")
        try:
            return jwt.PyJWK(candidates[0], algorithm=alg)
        except jwt.PyJWTError as exc:
            raise InvalidResponse(f"unusable key: {exc}") from exc

    def decode(self, token, *, required: tuple[str, ...]) -> dict:
        """The verified payload of a signed token (see the module's docstring); InvalidResponse otherwise."""
        if not isinstance(token, str) or not token:
            raise InvalidResponse("no token")
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as exc:
            raise InvalidResponse(f"unreadable token header: {exc}") from exc
        if alg not in self.provider.algorithms:
            raise InvalidResponse(f"signature algorithm {alg!r} refused")
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=LEEWAY,
                options={"require": list(required)},
            )
        except jwt.PyJWTError as exc:
            raise InvalidResponse(f"{type(exc).__name__}: {exc}") from exc
        if payload.get("azp", self.OIDC_RP_CLIENT_ID) != self.OIDC_RP_CLIENT_ID:
            raise InvalidResponse("azp is another client")
        return payload

    def verify_token(self, token, **kwargs):
        """The ID token's payload, once every check passed (including its nonce)."""
        payload = self.decode(token, required=ID_TOKEN_CLAIMS)
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise InvalidResponse("nonce mismatch")
        return payload

    def store_tokens(self, access_token, id_token):
        # Kept until the person is signed in: the callback then stores the ID token (for `id_token_hint` at
        # logout) in the new session. Access tokens are not kept.
        self.id_token = id_token

    # --- userinfo and account -------------------------------------------------------------------------

    def get_userinfo(self, access_token, id_token, payload):
        """Userinfo as JSON or as a signed JWT (`application/jwt`, as ProConnect answers)."""
        try:
            response = requests.get(
                self.OIDC_OP_USER_ENDPOINT,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=proconnect.HTTP_TIMEOUT,
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"userinfo unreachable: {exc}") from exc
        content_type = response.headers.get("Content-Type", "").lower()
        if content_type.startswith("application/jwt"):
            return self.decode(response.text.strip(), required=USERINFO_CLAIMS)
        try:
            userinfo = response.json()
        except ValueError as exc:
            raise InvalidResponse("userinfo is neither JSON nor a JWT") from exc
        if not isinstance(userinfo, dict):
            raise InvalidResponse("userinfo is not a JSON object")
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        claims = proconnect.claims_from(payload, self.get_userinfo(access_token, id_token, payload))
        self.acr = claims.acr
        return services.sign_in_with_proconnect(claims)
