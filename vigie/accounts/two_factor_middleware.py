"""Gate of the second factor: a signed-in session that owes one reaches only the pages that give it.

Such a session (vigie.accounts.two_factor.second_factor_required, not yet verified in this session) reaches the
verification page, the enrolment page (only while the person has no confirmed device), sign-out and static files;
any other page redirects to the verification (or enrolment) page with `next`. An HTMX request gets the redirect as
`HX-Redirect`, an API request with the session cookie a 403 in JSON. API token requests are not concerned: the
token is read by the API view itself, after this middleware, which sees them as anonymous.

That a person has no confirmed device is kept in the session for a minute (read again at sign-in and after any
change made in this session), so that the pages of people without a second factor cost no extra query; a device
enrolled from another session is noticed within that minute.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from vigie.accounts import two_factor

# URL names a session that owes a second factor may still reach. A sign-in method that adds its own sign-out (or
# callback) view adds its name here.
ALWAYS_ALLOWED = {"accounts:two_factor_verify", "accounts:logout"}
ENROLMENT = "accounts:two_factor_setup"
API_NAMESPACE = "api"

# The backend of a sign-in with a local password (the sign-in page, an invitation, a password reset).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"

DEVICE_SESSION_KEY = "vigie_2fa_device"
DEVICE_CHECKED_SESSION_KEY = "vigie_2fa_device_checked_at"
DEVICE_CHECK_SECONDS = 60
# Whether a rule registered by another application (two_factor.register_second_factor_rule) requires a second factor
# of the person: read with the device, kept as long. The pages of such an application check it again themselves.
RULE_SESSION_KEY = "vigie_2fa_rule"


def remember_device(session, has_device: bool) -> None:
    """Record in the session whether the person has a confirmed device (after a sign-in or a change)."""
    session[DEVICE_SESSION_KEY] = has_device
    session[DEVICE_CHECKED_SESSION_KEY] = int(time.time())


def session_has_device(request) -> bool:
    """Whether the (unverified) person has a confirmed device. A recent "no" is trusted; a "yes" is read again,
    since the gate is about to send the person to the verification page (a device removed since then)."""
    session = request.session
    checked = session.get(DEVICE_CHECKED_SESSION_KEY)
    fresh = checked is not None and int(time.time()) - checked < DEVICE_CHECK_SECONDS
    if not (fresh and session.get(DEVICE_SESSION_KEY) is False and RULE_SESSION_KEY in session):
        remember_device(session, two_factor.has_confirmed_device(request.user))
        session[RULE_SESSION_KEY] = two_factor.rule_requires_second_factor(request.user)
    return bool(session.get(DEVICE_SESSION_KEY))


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if _is_verified(user):
            return self.get_response(request)
        has_device = session_has_device(request)
        rule = request.session.get(RULE_SESSION_KEY)
        if not (
            has_device or two_factor.policy_requires_second_factor(user, request.session, rule=rule)
        ):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        name = match.view_name if match else ""
        if name in ALWAYS_ALLOWED or (name == ENROLMENT and not has_device):
            return self.get_response(request)
        return self._gate(request, match, has_device)

    def _gate(self, request, match, has_device: bool):
        if match is not None and API_NAMESPACE in match.namespaces:
            return JsonResponse(
                {"detail": "Double authentification requise : validez votre code dans Vigie."},
                status=403,
            )
        target = reverse("accounts:two_factor_verify" if has_device else ENROLMENT)
        if request.method == "GET" and request.headers.get("HX-Request") != "true":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


@receiver(user_logged_in, dispatch_uid="vigie.accounts.two_factor_middleware.on_sign_in")
def on_sign_in(sender, request, user, **kwargs):
    """A sign-in reads whether the person has a device; a password sign-in records its method (the contract of
    vigie.accounts.two_factor). A ProConnect sign-in records its own method and `acr` after signing in."""
    session = getattr(request, "session", None)
    if session is None:
        return
    remember_device(session, two_factor.has_confirmed_device(user))
    session[RULE_SESSION_KEY] = two_factor.rule_requires_second_factor(user)
    if getattr(user, "backend", None) == PASSWORD_BACKEND:
        session[two_factor.AUTH_METHOD_SESSION_KEY] = two_factor.PASSWORD
        session.pop(two_factor.ACR_SESSION_KEY, None)
