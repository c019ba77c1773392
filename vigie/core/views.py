"""Site pages that show no domain data. The home page lists plans: `vigie.plans.views.public`."""

from django.shortcuts import render


def about(request):
    return render(request, "core/about.html", {"page_title": "Sources et licences des données"})


def accessibility(request):
    return render(request, "core/accessibility.html", {"page_title": "Déclaration d'accessibilité"})


__all__ = ["about", "accessibility"]
