"""Public pages that list plan data for a place or a body: the home page (plans by department), a
commune's page and an organisation's page. They live here, not in core, territories or organisations,
because those apps sit below plans in the layers (docs/conventions.md)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from vigie.organisations.models import Organisation
from vigie.plans.models import MeasureActor
from vigie.plans.perms import visible_actions, visible_measures, visible_plans
from vigie.territories import selectors
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


def commune(request, code):
    commune = selectors.get_commune_or_404(code)
    department = commune.department
    context = {
        "page_title": commune.name,
        "breadcrumb": [
            {"url": reverse("plans:home"), "title": "Accueil"},
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


def organisation(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("department"), pk=pk)
    roles = list(
        MeasureActor.objects.filter(
            organisation=organisation, measure__in=visible_measures(request.user)
        )
        .select_related("measure__axis__plan__department")
        .order_by(
            "measure__axis__plan__department__code",
            "-measure__axis__plan__period_start",
            "measure__axis__order",
            "measure__order",
            "measure__pk",
            "order",
            "pk",
        )
    )
    actions = list(
        visible_actions(request.user)
        .filter(owner=organisation)
        .select_related("measure__axis__plan")
        .order_by(
            "-measure__axis__plan__period_start",
            "measure__axis__order",
            "measure__order",
            "order",
            "pk",
        )
    )
    breadcrumb = [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("organisations:directory"), "title": "Annuaire des organisations"},
    ]
    context = {
        "page_title": organisation.name,
        "breadcrumb": breadcrumb,
        "organisation": organisation,
        "roles": roles,
        "actions": actions,
    }
    return render(request, "organisations/detail.html", context)
