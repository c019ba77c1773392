"""The national and regional overview: every department side by side, and the details behind each figure."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from vigie.governance.perms import can_view_governance
from vigie.overview import access, perms
from vigie.overview.figures import department_figures
from vigie.overview.forms import RegionFilterForm
from vigie.plans import perms as plan_perms
from vigie.plans.perms import can_view_plan


def _title(user) -> str:
    if user.is_national_admin:
        return "Vue nationale des plans départementaux"
    return f"Vue régionale des plans départementaux — {user.region.name}"


@login_required
@require_GET
def index(request):
    user = request.user
    access.require_overview(user)
    departments = perms.overview_departments(user)
    form = None
    if perms.can_filter_regions(user):
        form = RegionFilterForm(request.GET or None)
        if form.is_bound and form.is_valid() and form.cleaned_data["region"] is not None:
            departments = departments.filter(region=form.cleaned_data["region"])
        elif form.is_bound and not form.is_valid():
            departments = departments.none()
    today = timezone.localdate()
    context = {
        "page_title": _title(user),
        "breadcrumb": [{"url": reverse("plans:home"), "title": "Accueil"}],
        "form": form,
        "rows": department_figures(departments, today),
        "today": today,
        "show_region": user.is_national_admin,
    }
    return render(request, "overview/index.html", context)


@login_required
@require_GET
def department(request, code):
    user = request.user
    department = access.get_department_for_user(user, code)
    today = timezone.localdate()
    row = department_figures([department], today)[0]
    # The off-track indicators are named only to whoever sees the plan, and the non-public ones (or those of a
    # non-public measure) only to people of the department; the others count them without names.
    sees_restricted = plan_perms.sees_restricted(user, department.pk)
    named_off_track = [
        item for item in row.off_track if sees_restricted or not item.indicator.hidden_outside
    ]
    context = {
        "page_title": f"{department.name} ({department.code}) — vue d'ensemble",
        "breadcrumb": [
            {"url": reverse("plans:home"), "title": "Accueil"},
            {"url": reverse("overview:index"), "title": _title(user)},
        ],
        "department": department,
        "row": row,
        "today": today,
        "can_view_plan": row.plan is not None and can_view_plan(user, row.plan),
        "named_off_track": named_off_track,
        "can_view_governance": can_view_governance(user, department.pk),
    }
    return render(request, "overview/department.html", context)
