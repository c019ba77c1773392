"""Public page of an EPCI (queries through vigie.territories.selectors). A commune's page lists the
plans of its department: `vigie.plans.views.public`."""

from django.shortcuts import render
from django.urls import reverse

from vigie.territories import selectors


def _by_name(commune):
    return (commune.name, commune.code)


def _by_population(commune):
    # Most populous first; communes without a population last.
    return (commune.population is None, -(commune.population or 0), commune.name, commune.code)


COMMUNE_SORTS = {"nom": ("Nom", _by_name), "population": ("Population", _by_population)}


def epci(request, siren):
    epci = selectors.get_epci_or_404(siren)
    sort = request.GET.get("tri", "nom")
    if sort not in COMMUNE_SORTS:
        sort = "nom"
    communes = sorted(epci.communes.all(), key=COMMUNE_SORTS[sort][1])
    context = {
        "page_title": epci.name,
        "breadcrumb": [{"url": reverse("plans:home"), "title": "Accueil"}],
        "epci": epci,
        "communes": communes,
        "departments": list(epci.departments.all()),
        "communes_population": sum(c.population or 0 for c in communes),
        "sort": sort,
        "sorts": [{"key": key, "label": label} for key, (label, _) in COMMUNE_SORTS.items()],
    }
    return render(request, "territories/epci.html", context)
