"""Public pages of a commune and of an EPCI."""

from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from vigie.plans.perms import visible_plans
from vigie.territories.models import Commune, Epci

COMMUNE_SORTS = {
    "nom": ("Nom", ["name", "code"]),
    "population": ("Population", [F("population").desc(nulls_last=True), "name", "code"]),
}


def commune(request, code):
    commune = get_object_or_404(
        Commune.objects.select_related("department__region", "arrondissement", "epci"), code=code
    )
    department = commune.department
    context = {
        "page_title": commune.name,
        "breadcrumb": [
            {"url": reverse("core:home"), "title": "Accueil"},
            {"url": department.get_absolute_url(), "title": department.name},
        ],
        "commune": commune,
        "department": department,
        "security_areas": list(commune.security_areas.order_by("kind", "name")),
        "plans": list(
            visible_plans(request.user)
            .filter(department=department)
            .order_by("-period_start", "-pk")
        ),
    }
    return render(request, "territories/commune.html", context)


def epci(request, siren):
    epci = get_object_or_404(Epci, code=siren)
    sort = request.GET.get("tri", "nom")
    if sort not in COMMUNE_SORTS:
        sort = "nom"
    communes = list(epci.communes.select_related("department").order_by(*COMMUNE_SORTS[sort][1]))
    departments = list(epci.departments.order_by("code"))
    context = {
        "page_title": epci.name,
        "breadcrumb": [{"url": reverse("core:home"), "title": "Accueil"}],
        "epci": epci,
        "communes": communes,
        "departments": departments,
        "communes_population": sum(c.population or 0 for c in communes),
        "sort": sort,
        "sorts": [{"key": key, "label": label} for key, (label, _) in COMMUNE_SORTS.items()],
    }
    return render(request, "territories/epci.html", context)
