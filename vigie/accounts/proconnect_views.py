"""ProConnect pages: start the sign-in, its callback, and the return from ProConnect's end of session.

All three answer 404 when ProConnect is off. A refused or failed sign-in shows a French page (400, 403 or 502),
never a server error.
"""

import logging
import time

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from vigie.accounts import proconnect
from vigie.accounts.proconnect import InvalidResponse, ProConnectError
from vigie.accounts.proconnect_backend import SESSION_BACKEND, ProConnectBackend

logger = logging.getLogger(__name__)

STATES = "oidc_states"  # where mozilla-django-oidc keeps each sign-in's state, nonce and start time
# A sign-in must come back from ProConnect within this many seconds.
STATE_MAX_AGE = 600

UNEXPECTED_STATE = (
    "Cette réponse de ProConnect n'est pas celle qu'attendait Vigie (lien déjà utilisé, expiré ou ouvert "
    "dans un autre navigateur) : vous n'êtes pas connecté. Recommencez la connexion."
)
CANCELLED = (
    "La connexion avec ProConnect a été annulée ou refusée : vous n'êtes pas connecté. Vous pouvez "
    "recommencer, ou vous connecter avec votre identifiant et votre mot de passe Vigie."
)


def _require_enabled() -> dict:
    config = proconnect.client()
    if config is None:
        raise Http404
    return config


def error_page(request, error: ProConnectError):
    logger.warning("ProConnect sign-in refused: %s", error.detail or type(error).__name__)
    context = {"page_title": error.title, "message": error.message}
    return render(request, "accounts/proconnect_error.html", context, status=error.status)


def _settings(attr, *args):
    config = proconnect.client() or {}
    if attr == "OIDC_RP_SCOPES":
        return config.get("scopes", "openid")
    if attr == "OIDC_RP_CLIENT_ID":
        return config.get("client_id", "")
    return import_from_settings(attr, *args)


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the person to ProConnect with a fresh state and nonce (OIDC_STATE_SIZE, OIDC_NONCE_SIZE)."""

    get_settings = staticmethod(_settings)

    def __init__(self, **kwargs):
        # Not the parent's __init__: it reads the endpoints from settings (here, from the discovery document).
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        config = _require_enabled()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = proconnect.provider().authorization_endpoint
        except ProConnectError as error:
            return error_page(request, error)
        self.OIDC_RP_CLIENT_ID = config["client_id"]
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """ProConnect's answer: checks the state (once, within STATE_MAX_AGE), then the backend checks the rest."""

    get_settings = staticmethod(_settings)

    def get(self, request):
        config = _require_enabled()
        state = request.GET.get("state", "")
        entry = self._take_state(state)
        if request.GET.get("error"):
            return error_page(
                request, InvalidResponse(f"provider error {request.GET['error']!r}", CANCELLED)
            )
        if entry is None or not request.GET.get("code"):
            return error_page(
                request, InvalidResponse("unknown, replayed or expired state", UNEXPECTED_STATE)
            )
        # As mozilla-django-oidc does: reload the session, so that this slow request does not overwrite
        # what another tab wrote meanwhile.
        request.session = request.session.__class__(request.session.session_key)
        try:
            backend = ProConnectBackend(proconnect.provider(), config)
            user = backend.authenticate(
                request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except ProConnectError as error:
            return error_page(request, error)
        except SuspiciousOperation as exc:
            return error_page(request, InvalidResponse(str(exc)))
        if user is None:
            return error_page(request, InvalidResponse("no account"))
        if not user.is_active:
            return error_page(
                request, proconnect.AccountRefused("deactivated account", proconnect.DEACTIVATED)
            )
        self.user = user
        auth.login(request, user, backend=SESSION_BACKEND)
        proconnect.mark_session(request.session, acr=backend.acr)
        request.session[proconnect.ID_TOKEN] = backend.id_token
        return HttpResponseRedirect(self.success_url)

    def _take_state(self, state: str):
        """The sign-in started with this state (its nonce), removed so that it serves once; None if unknown
        or older than STATE_MAX_AGE."""
        states = self.request.session.get(STATES)
        if not state or not isinstance(states, dict) or state not in states:
            return None
        entry = states.pop(state)
        self.request.session.modified = True
        self.request.session.save()
        if not isinstance(entry, dict) or time.time() - entry.get("added_on", 0) > STATE_MAX_AGE:
            return None
        return entry


def proconnect_logged_out(request):
    """Where ProConnect sends the browser back after ending its session (`post_logout_redirect_uri`)."""
    _require_enabled()
    expected = request.session.pop(proconnect.LOGOUT_STATE, "")
    if expected and constant_time_compare(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté de Vigie et de ProConnect.")
    else:
        messages.info(request, "Vous êtes déconnecté de Vigie.")
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
