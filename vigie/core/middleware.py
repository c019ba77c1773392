"""Request and response guards every page goes through: NUL characters refused, a Permissions-Policy, and no
caching of what a signed-in user sees."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers

# Browser features Vigie never uses, denied to the page and to anything it embeds.
DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "xr-spatial-tracking",
]
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every response to a signed-in user.

    Pages seen by a signed-in user may hold non-public data (draft plans, nominative data): no browser or proxy
    cache may keep them (a shared computer in a town hall, the back button after signing out). Public pages seen
    anonymously stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        signed_in = _sent_credentials(request) and request.user.is_authenticated
        # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires), unless the view
        # already forbade storing (e.g. "private, no-store" on a restricted download).
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


def _sent_credentials(request) -> bool:
    """A session cookie or an Authorization header: without either nobody is signed in, and the session is left
    untouched (no `Vary: Cookie` on public answers such as /sante/)."""
    return hasattr(request, "user") and (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
    )


class RejectNulCharactersMiddleware:
    """A NUL character in the path or the query string is a 400, before any view runs.

    PostgreSQL refuses NUL in text (a 500 deep in a query); no legitimate link carries one. The API checks its own
    parameters and answers in JSON (`vigie/api/params.py`), so it is left to it.
    """

    MESSAGE = "Requête invalide : l'adresse contient un caractère nul."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _holds_nul(request):
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
