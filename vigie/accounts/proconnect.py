"""ProConnect (the State agents' OpenID Connect identity federation): configuration, discovery, errors, sessions.

ProConnect is on when the VIGIE_PROCONNECT_* variables are set (`settings.VIGIE_PROCONNECT`, parsed by
`config.env.proconnect_settings`). Its endpoints (authorization, token, userinfo, JWKS, end of session) come from
the provider's discovery document, fetched once and kept in the cache for DISCOVERY_TTL seconds.

The sign-in itself (tokens and claims) is in `proconnect_backend.py`, the pages in `proconnect_views.py`, the
account matching in `services.sign_in_with_proconnect`.

Session keys written after a ProConnect sign-in (read by the two-factor check, `vigie.accounts.two_factor`):
`vigie_auth_method` = "proconnect" and `vigie_acr` = the assurance level ProConnect reported. Both are removed at
every other sign-in, so a password sign-in in the same browser never inherits them.
"""

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

AUTH_METHOD = "vigie_auth_method"
ACR = "vigie_acr"
PROCONNECT = "proconnect"
# mozilla-django-oidc keeps the ID token there (OIDC_STORE_ID_TOKEN): sent back as `id_token_hint` at logout.
ID_TOKEN = "oidc_id_token"
LOGOUT_STATE = "vigie_proconnect_logout_state"

DISCOVERY_TTL = 3600
HTTP_TIMEOUT = 10
# Signature algorithms accepted for ID tokens and signed userinfo; never "none", never a shared-secret HMAC.
ALGORITHMS = ("RS256", "ES256")
WELL_KNOWN = "/.well-known/openid-configuration"
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class ProConnectError(Exception):
    """A refused or failed ProConnect sign-in: `message` is shown (in French), `detail` is logged."""

    status = 400
    title = "Connexion avec ProConnect impossible"
    message = (
        "La réponse de ProConnect n'a pas pu être vérifiée : vous n'êtes pas connecté. Recommencez la "
        "connexion ; si le problème persiste, adressez-vous à l'administrateur de Vigie."
    )

    def __init__(self, detail: str = "", message: str | None = None):
        super().__init__(detail or self.__class__.__name__)
        self.detail = detail
        if message is not None:
            self.message = message


class InvalidResponse(ProConnectError):
    """Bad or replayed state, nonce mismatch, bad signature, wrong issuer or audience, expired token…"""


class ProviderUnavailable(ProConnectError):
    status = 502
    message = (
        "ProConnect ne répond pas ou sa configuration est illisible. Réessayez dans quelques minutes ; vous "
        "pouvez aussi vous connecter avec votre identifiant et votre mot de passe Vigie."
    )


class AccountRefused(ProConnectError):
    """The identity is valid but no Vigie account may be opened with it (deactivated, ambiguous…)."""

    status = 403
    title = "Connexion refusée"


DEACTIVATED = (
    "Votre compte Vigie est désactivé : vous ne pouvez pas vous connecter. Adressez-vous à l'agent de la "
    "préfecture qui gère les comptes de votre département pour le faire réactiver."
)


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    algorithms: tuple[str, ...]


def client() -> dict | None:
    """{"client_id", "client_secret", "discovery_url", "scopes"}, or None when ProConnect is off."""
    return getattr(settings, "VIGIE_PROCONNECT", None) or None


def is_enabled() -> bool:
    return client() is not None


def _cache_key(url: str) -> str:
    return "vigie:proconnect:discovery:" + hashlib.sha256(url.encode()).hexdigest()[:32]


def _acceptable_url(url) -> bool:
    if not isinstance(url, str):
        return False
    parsed = urlsplit(url)
    loopback = parsed.hostname in _LOOPBACK_HOSTS
    return bool(parsed.netloc) and (
        parsed.scheme == "https" or (parsed.scheme == "http" and loopback)
    )


def parse_discovery(document, discovery_url: str) -> Provider:
    """The endpoints of a discovery document; ProviderUnavailable when one is missing or the issuer is not the
    one the document's address names (OpenID Connect Discovery 1.0, section 4.3)."""
    if not isinstance(document, dict):
        raise ProviderUnavailable("discovery document is not a JSON object")
    issuer = document.get("issuer")
    if not _acceptable_url(issuer):
        raise ProviderUnavailable("discovery document has no valid issuer")
    if discovery_url.endswith(WELL_KNOWN) and issuer.rstrip("/") != discovery_url.removesuffix(
        WELL_KNOWN
    ).rstrip("/"):
        raise ProviderUnavailable(f"issuer {issuer!r} does not match {discovery_url!r}")
    missing = [name for name in ENDPOINTS if not _acceptable_url(document.get(name))]
    if missing:
        raise ProviderUnavailable("discovery document lacks " + ", ".join(missing))
    offered = document.get("id_token_signing_alg_values_supported") or list(ALGORITHMS)
    algorithms = tuple(alg for alg in ALGORITHMS if alg in offered)
    if not algorithms:
        raise ProviderUnavailable(f"no acceptable signature algorithm among {offered!r}")
    return Provider(
        issuer=issuer, algorithms=algorithms, **{name: document[name] for name in ENDPOINTS}
    )


def provider() -> Provider:
    """The provider's endpoints, from its discovery document (cached DISCOVERY_TTL seconds)."""
    url = client()["discovery_url"]
    document = cache.get(_cache_key(url))
    if document is None:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery document unreachable: {exc}") from exc
        parsed = parse_discovery(document, url)  # a bad document is not cached
        cache.set(_cache_key(url), document, DISCOVERY_TTL)
        return parsed
    return parse_discovery(document, url)


def forget_provider() -> None:
    """Drop the cached discovery document (the next sign-in fetches it again)."""
    config = client()
    if config:
        cache.delete(_cache_key(config["discovery_url"]))


def signed_in_with_proconnect(session) -> bool:
    return session.get(AUTH_METHOD) == PROCONNECT


def mark_session(session, *, acr: str) -> None:
    """After a ProConnect sign-in: how the person signed in and at which assurance level."""
    session[AUTH_METHOD] = PROCONNECT
    session[ACR] = acr


@receiver(user_logged_in, dispatch_uid="vigie.accounts.proconnect.forget_previous_sign_in")
def forget_previous_sign_in(sender, request, user, **kwargs):
    """Every sign-in starts without the marks of a previous ProConnect sign-in (the ProConnect callback sets
    them again right after)."""
    session = getattr(request, "session", None)
    if session is not None:
        for key in (AUTH_METHOD, ACR, ID_TOKEN):
            session.pop(key, None)


def end_session_url(session, post_logout_redirect_uri: str) -> tuple[str, str] | None:
    """(address of the provider's end of session, state) for a ProConnect session, else None.

    The address carries `id_token_hint` (the ID token of the sign-in), a fresh `state` and
    `post_logout_redirect_uri`. None when ProConnect is off, when the session did not sign in with ProConnect
    or when the provider cannot be reached (the person is then signed out of Vigie only).
    """
    id_token = session.get(ID_TOKEN)
    if not is_enabled() or not signed_in_with_proconnect(session) or not id_token:
        return None
    try:
        endpoint = provider().end_session_endpoint
    except ProConnectError as exc:
        logger.warning("ProConnect logout: %s", exc.detail)
        return None
    state = get_random_string(48)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{query}", state


@dataclass(frozen=True)
class Claims:
    """What a ProConnect sign-in says about the person (ID token and userinfo, already verified)."""

    sub: str
    email: str
    given_name: str = ""
    usual_name: str = ""
    siret: str = ""
    uid: str = ""
    acr: str = ""
    # None when the provider says nothing about it (ProConnect does not send it: see services).
    email_verified: bool | None = None


def _text(value, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def claims_from(id_token: dict, userinfo: dict) -> Claims:
    """The claims of a sign-in: `sub` and `acr` from the ID token, the rest from userinfo (else the ID token).

    InvalidResponse when userinfo speaks of another person than the ID token (OpenID Connect Core 5.3.2), or
    when `sub` or the e-mail address is missing.
    """
    sub = _text(id_token.get("sub"), 255)
    if not sub or userinfo.get("sub") != id_token.get("sub"):
        raise InvalidResponse("userinfo sub differs from the ID token sub")

    def claim(name: str, limit: int) -> str:
        return _text(userinfo.get(name, id_token.get(name)), limit)

    email = claim("email", 254).lower()
    if "@" not in email:
        raise InvalidResponse(
            "no e-mail address",
            message="ProConnect n'a pas transmis votre adresse électronique : Vigie ne peut pas vous "
            "connecter. Recommencez en acceptant de la partager.",
        )
    siret = claim("siret", 14)
    verified = userinfo.get("email_verified", id_token.get("email_verified"))
    return Claims(
        sub=sub,
        email=email,
        given_name=claim("given_name", 150),
        usual_name=claim("usual_name", 150),
        siret=siret if siret.isdigit() and len(siret) == 14 else "",
        uid=claim("uid", 255),
        acr=_text(id_token.get("acr", userinfo.get("acr")), 100),
        email_verified=verified if isinstance(verified, bool) else None,
    )
