"""Public progress pages of the adopted plans, their open data, and the publication settings."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from vigie.indicators.models import Indicator
from vigie.plans.models import Action, Measure, Plan
from vigie.plans.perms import PUBLIC_STATUSES
from vigie.progress import opendata, selectors, services, territory
from vigie.progress.access import get_plan_for_user
from vigie.progress.forms import PublicationForm, TerritoryFilterForm


def _crumbs(plan=None) -> list[dict]:
    crumbs = [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("progress:index"), "title": "Avancement des plans"},
    ]
    if plan is not None:
        crumbs.append({"url": reverse("progress:plan", args=[plan.pk]), "title": _plan_label(plan)})
    return crumbs


def _plan_label(plan) -> str:
    return f"{plan.department.name} — plan {plan.period_label}"


@require_GET
def index(request):
    plans = list(
        Plan.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("department")
        .order_by("department__code", "-period_start")
    )
    context = {
        "page_title": "Avancement des plans",
        "breadcrumb": _crumbs()[:1],
        "plans": plans,
    }
    return render(request, "progress/index.html", context)


@require_GET
def plan(request, pk):
    plan = get_plan_for_user(request.user, pk)
    department = plan.department
    form = TerritoryFilterForm(request.GET or None, department=department)
    focus = None
    if form.is_bound and form.is_valid() and form.cleaned_data["territoire"]:
        focus = territory.resolve(department, form.cleaned_data["territoire"])
    context = {
        "page_title": f"Avancement du plan — {_plan_label(plan)}",
        "breadcrumb": _crumbs()[:2],
        "plan": plan,
        "department": department,
        "form": form,
        "focus": focus,
        **selectors.plan_page(plan),
    }
    context["deployment"] = territory.deployment(department, focus=focus)
    if focus is not None:
        context["concerned"] = territory.concerned(plan, focus, context["axis_rows"])
    template = "progress/plan.html"
    if request.htmx and request.htmx.target == "resultats-territoire":
        template = "progress/includes/territory_results.html"
    return render(request, template, context)


@require_GET
def data_package(request, pk):
    plan = get_plan_for_user(request.user, pk)
    response = HttpResponse(opendata.package_zip(plan), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{opendata.package_filename(plan)}"'
    return response


def _publication_items(plan) -> dict:
    measures = list(
        Measure.objects.filter(axis__plan=plan)
        .select_related("axis")
        .order_by("axis__order", "axis__pk", "order", "pk")
    )
    actions = list(Action.objects.filter(measure__axis__plan=plan).order_by("order", "pk"))
    indicators = list(Indicator.objects.filter(measure__axis__plan=plan).order_by("order", "pk"))
    actions_of, indicators_of = defaultdict(list), defaultdict(list)
    for action in actions:
        actions_of[action.measure_id].append(action)
    for indicator in indicators:
        indicators_of[indicator.measure_id].append(indicator)
    for measure in measures:
        measure.action_list = actions_of[measure.pk]
        measure.indicator_list = indicators_of[measure.pk]
    return {"measures": measures, "actions": actions, "indicators": indicators}


@require_http_methods(["GET", "POST"])
def publication(request, pk):
    """Choosing the non-public items of a plan. Not public: 404 outside the department (anonymous
    visitors included), 403 for its people who are not the prefecture."""
    plan = get_plan_for_user(request.user, pk, for_publication=True)
    items = _publication_items(plan)
    form = PublicationForm(request.POST if request.method == "POST" else None, **items)
    if form.is_bound and form.is_valid():
        try:
            changed = services.set_publication(
                acting_user=request.user,
                plan=plan,
                measure_ids=set(form.cleaned_data["measures"]),
                action_ids=set(form.cleaned_data["actions"]),
                indicator_ids=set(form.cleaned_data["indicators"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Publication enregistrée : {changed} élément(s) modifié(s).")
            return redirect("progress:publication", pk=plan.pk)
    context = {
        "page_title": f"Éléments non publics — {_plan_label(plan)}",
        "breadcrumb": [
            {"url": reverse("plans:home"), "title": "Accueil"},
            {"url": plan.get_absolute_url(), "title": f"Plan {plan.period_label}"},
        ],
        "plan": plan,
        "form": form,
        "measures": items["measures"],
        "restricted_count": sum(
            1
            for kind in ("measures", "actions", "indicators")
            for i in items[kind]
            if i.is_restricted
        ),
    }
    return render(request, "progress/publication.html", context)
