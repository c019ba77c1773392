"""Template context shared by every page."""

from django.urls import reverse


def navigation(request):
    """Main menu entries; the active one is the longest URL prefix of the current path."""
    items = [("Plans", reverse("plans:home"))]
    user = getattr(request, "user", None)
    department = (
        getattr(user, "department", None) if user is not None and user.is_authenticated else None
    )
    if department is not None:
        items.append(
            (
                f"Mon département ({department.code})",
                reverse("plans:department", args=[department.code]),
            )
        )
    items.append(("Statistiques", reverse("statistics:index")))
    if user is not None and user.is_authenticated:
        if user.role == "applicant":
            # A project applicant works outside the department: its own grant applications only.
            items.append(("Mes demandes", reverse("funding:my_applications")))
        else:
            # Councils, meetings and schemes are not public.
            items.append(("Gouvernance", reverse("governance:index")))
        if user.is_national_admin or user.role == "prefecture":
            items.append(("Financements", reverse("funding:calls")))
    items.append(("Organisations", reverse("organisations:directory")))
    path = request.path
    matches = [
        url
        for _, url in items
        if (url == "/" and path == "/") or (url != "/" and path.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    return {
        "main_menu": [{"label": label, "url": url, "active": url == active} for label, url in items]
    }
