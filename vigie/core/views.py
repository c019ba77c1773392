from django.db.models import Prefetch
from django.shortcuts import render

from vigie.plans.models import Plan
from vigie.plans.perms import visible_plans
from vigie.territories.models import Department


def home(request):
    plans = visible_plans(request.user).select_related("department")
    departments = (
        Department.objects.filter(plans__in=plans)
        .distinct()
        .prefetch_related(
            Prefetch("plans", queryset=plans.order_by("-period_start"), to_attr="listed_plans")
        )
        .order_by("code")
    )
    return render(
        request,
        "core/home.html",
        {"page_title": "Accueil", "departments": departments, "plan_count": plans.count()},
    )


def about(request):
    return render(request, "core/about.html", {"page_title": "Sources et licences des données"})


def accessibility(request):
    return render(request, "core/accessibility.html", {"page_title": "Déclaration d'accessibilité"})


__all__ = ["home", "about", "accessibility", "Plan"]
