"""Response headers every page carries: a Permissions-Policy, and no caching of what a signed-in user sees."""

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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires).
            add_never_cache_headers(response)
        return response
