"""Sessions of signed-in people: idle timeout, absolute maximum, and ending every session of an account.

The idle timeout (VIGIE_SESSION_IDLE_MINUTES) and the maximum length (VIGIE_SESSION_MAX_HOURS) are checked
on each request by `SessionTimeoutMiddleware`; the time of the last activity is written at most once a minute,
so a busy page does not write its session on every request.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone

SIGNED_IN_AT = "vigie_signed_in_at"
LAST_ACTIVITY = "vigie_last_activity"
# Seconds between two writes of the last activity.
ACTIVITY_GRANULARITY = 60


def idle_message() -> str:
    minutes = settings.VIGIE_SESSION_IDLE_MINUTES
    return (
        f"Votre session a expiré après {minutes} minute{'s' if minutes > 1 else ''} sans activité. "
        "Connectez-vous de nouveau."
    )


def max_age_message() -> str:
    hours = settings.VIGIE_SESSION_MAX_HOURS
    return (
        f"Votre session a atteint sa durée maximale ({hours} heure{'s' if hours > 1 else ''}). "
        "Connectez-vous de nouveau."
    )


def expiry_message(session, now: int) -> str:
    """Why this signed-in session has ended, or "" while it is still valid."""
    last = session.get(LAST_ACTIVITY)
    started = session.get(SIGNED_IN_AT)
    if last is not None and now - last > settings.VIGIE_SESSION_IDLE_MINUTES * 60:
        return idle_message()
    if started is not None and now - started > settings.VIGIE_SESSION_MAX_HOURS * 3600:
        return max_age_message()
    return ""


@receiver(user_logged_in, dispatch_uid="vigie.accounts.sessions.start_session_clocks")
def start_session_clocks(sender, request, user, **kwargs):
    """Signing in starts both clocks (saved with the sign-in, so the next requests write nothing)."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    """Sign out a session idle too long or open too long; the next page is the sign-in page, with why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is no one to sign out: the session is not even read.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        now = int(time.time())
        message = expiry_message(session, now)
        if message:
            return self._signed_out(request, message)
        if SIGNED_IN_AT not in session:
            session[SIGNED_IN_AT] = now
        if now - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_GRANULARITY:
            session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def _signed_out(self, request, message):
        logout(request)
        messages.warning(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":  # (HtmxMiddleware runs after this one)
            # An HTMX request must not swap the sign-in page into a fragment: send the browser there.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return redirect_to_login(request.get_full_path(), login_url)


def end_sessions(account) -> int:
    """Delete every stored session signed in as this account; the number deleted.

    With database sessions (Django's default, and cached_db) each live session is read once: an account's
    sessions are not indexed by account. Other engines (signed cookies) cannot be reached from the server:
    there, `is_active=False` is what refuses the session on its next request.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    user_id = str(account.pk)
    ended = 0
    live = model.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    for stored in live.iterator(chunk_size=500):
        if str(stored.get_decoded().get(SESSION_KEY)) == user_id:
            store_class(session_key=stored.session_key).delete()
            ended += 1
    return ended
