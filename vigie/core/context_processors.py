"""Template context shared by every page."""

from django.urls import reverse


def navigation(request):
    """Main menu entries; pages mark the active one by matching the path prefix."""
    items = [
        ("Accueil", reverse("core:home")),
    ]
    path = request.path
    return {
        "main_menu": [
            {
                "label": label,
                "url": url,
                "active": (url == "/" and path == "/") or (url != "/" and path.startswith(url)),
            }
            for label, url in items
        ]
    }
