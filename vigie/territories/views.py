"""Public pages of a commune and of an EPCI (queries through vigie.territories.selectors)."""

from django.shortcuts import render
from django.urls import reverse

from vigie.plans.perms import visible_plans
from vigie.territories import selectors


def _by_name(commune):
    return (commune.name, commune.code)


def _by_population(commune):
    # Most populous first; communes without a population last.
    return (commune.population is None, -(commune.population or 0), commune.name, commune.code)


COMMUNE_SORTS = {"nom": ("Nom", _by_name), "population": ("Population", _by_population)}


def commune(request, code):
    commune = selectors.get_commune_or_404(code)
    department = commune.department
    context = {
        "page_title": commune.name,
        "breadcrumb": [
            {"url": reverse("core:home"), "title": "Accueil"},
            {"url": department.get_absolute_url(), "title": department.name},
        ],
        "commune": commune,
        "department": department,
        "security_areas": list(commune.security_areas.all()),
        "plans": list(
            visible_plans(request.user)
            .filter(department=department)
            .order_by("-period_start", "-pk")
        ),
    }
    return render(request, "territories/commune.html", context)


def epci(request, siren):
    epci = selectors.get_epci_or_404(siren)
    sort = request.GET.get("tri", "nom")
    if sort not in COMMUNE_SORTS:
        sort = "nom"
    communes = sorted(epci.communes.all(), key=COMMUNE_SORTS[sort][1])
    context = {
        "page_title": epci.name,
        "breadcrumb": [{"url": reverse("core:home"), "title": "Accueil"}],
        "epci": epci,
        "communes": communes,
        "departments": list(epci.departments.all()),
        "communes_population": sum(c.population or 0 for c in communes),
        "sort": sort,
        "sorts": [{"key": key, "label": label} for key, (label, _) in COMMUNE_SORTS.items()],
    }
    return render(request, "territories/epci.html", context)
