"""Template context shared by every page."""

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import get_language
from dsfr.models import DsfrConfig


def site_config(request):
    """django-dsfr's site settings (notice, mourning), as `dsfr.context_processors.site_config` gives them — the
    row in the current language, else the first row — in one query instead of two."""
    in_language = Case(
        When(language=get_language(), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return {"SITE_CONFIG": DsfrConfig.objects.order_by(in_language, "pk").first()}


def share_department_with_menu(request, department) -> None:
    """The menu names the signed-in person's department ("Mon département"). When a page has just read that
    same department, the menu takes it from there instead of reading it again: one query fewer per page."""
    user = getattr(request, "user", None)
    if (
        department is not None
        and user is not None
        and user.is_authenticated
        and user.department_id == department.pk
    ):
        user.department = department


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
