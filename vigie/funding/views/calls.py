"""Calls for projects: list, detail, creation and settings (prefecture), applications of a call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vigie.funding import access, perms, services
from vigie.funding.enums import ApplicationState
from vigie.funding.forms import (
    CallCreateForm,
    CallForm,
    CallProgrammeForm,
    validation_error_to_form,
)
from vigie.funding.models import CallProgramme, GrantApplication
from vigie.funding.views._common import HOME_CRUMB, call_crumbs, calls_crumb
from vigie.territories.models import Department


@login_required
@require_GET
def calls(request):
    today = timezone.localdate()
    user = request.user
    if not (
        perms.is_applicant(user) or user.is_national_admin or user.belongs_to(user.department_id)
    ):
        raise PermissionDenied
    rows = (
        perms.visible_calls(user, today)
        .select_related("fund", "department")
        .prefetch_related(
            Prefetch("programmes", queryset=CallProgramme.objects.select_related("programme__fund"))
        )
        .annotate(application_count=Count("applications"))
    )
    if perms.is_applicant(user):
        rows = rows.filter(closes_on__gte=today)
    department = user.department
    context = {
        "page_title": "Appels à projets",
        "breadcrumb": [HOME_CRUMB],
        "calls": list(rows),
        "today": today,
        "is_applicant": perms.is_applicant(user),
        "can_create": department is not None and perms.can_manage_calls(user, department.pk),
        "department": department,
        "year": today.year,
        "export_formats": [("csv", "CSV"), ("xlsx", "XLSX"), ("ods", "ODS")],
    }
    return render(request, "funding/calls.html", context)


@login_required
@require_GET
def call_detail(request, pk):
    call = access.get_call_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "page_title": call.title,
        "breadcrumb": [calls_crumb()],
        "call": call,
        "programmes": list(call.programmes.all()),
        "is_open": call.is_open_on(today),
        "can_manage": perms.can_manage_calls(request.user, call.department_id),
        "can_apply": perms.can_apply(request.user, call, today),
    }
    return render(request, "funding/call_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request, code):
    department = get_object_or_404(Department, code=code)
    if not perms.can_manage_calls(request.user, department.pk):
        if request.user.belongs_to(department.pk):
            raise PermissionDenied
        raise Http404
    form = CallCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "fund"}
        try:
            call = services.create_call(
                acting_user=request.user,
                department=department,
                fund=form.cleaned_data["fund"],
                data=data,
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(
                request, "L'appel à projets est créé avec les règles par défaut de son fonds."
            )
            return redirect(call.get_absolute_url())
    context = {
        "page_title": f"Nouvel appel à projets — {department.name}",
        "breadcrumb": [calls_crumb()],
        "form": form,
        "cancel_url": reverse("funding:calls"),
    }
    return render(request, "funding/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    call = access.get_call_for_user(request.user, pk, for_edit=True)
    form = CallForm(request.POST or None, instance=type(call).objects.get(pk=call.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(acting_user=request.user, call=call, data=form.cleaned_data)
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "L'appel à projets est enregistré.")
            return redirect(call.get_absolute_url())
    context = {
        "page_title": f"Modifier l'appel « {call.title} »",
        "breadcrumb": call_crumbs(call),
        "form": form,
        "cancel_url": call.get_absolute_url(),
    }
    return render(request, "funding/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_programme_edit(request, pk, programme_pk):
    call = access.get_call_for_user(request.user, pk, for_edit=True)
    line = next((p for p in call.programmes.all() if p.pk == int(programme_pk)), None)
    if line is None:
        raise Http404
    form = CallProgrammeForm(request.POST or None, instance=CallProgramme.objects.get(pk=line.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call_programme(
                acting_user=request.user, call_programme=line, data=form.cleaned_data
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, f"Le programme {line.programme} est enregistré.")
            return redirect(call.get_absolute_url())
    context = {
        "page_title": f"Enveloppe et règles du programme {line.programme}",
        "breadcrumb": call_crumbs(call),
        "form": form,
        "cancel_url": call.get_absolute_url(),
    }
    return render(request, "funding/call_form.html", context)


@login_required
@require_GET
def call_applications(request, pk):
    """The prefecture's list of a call's applications, by state."""
    call = access.get_call_for_user(request.user, pk)
    if not perms.can_manage_calls(request.user, call.department_id):
        raise PermissionDenied
    applications = (
        GrantApplication.objects.filter(call=call)
        .select_related("organisation", "call_programme__programme__fund")
        .order_by("state", "-submitted_at", "title")
    )
    state = request.GET.get("etat", "")
    if state:
        applications = applications.filter(state=state)
    by_state = dict(
        GrantApplication.objects.filter(call=call)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    totals = GrantApplication.objects.filter(call=call).aggregate(
        requested=Sum("requested_amount"), granted=Sum("granted_amount")
    )
    context = {
        "page_title": f"Demandes — {call.title}",
        "breadcrumb": call_crumbs(call),
        "call": call,
        "applications": list(applications),
        "states": [
            (value, label, by_state.get(value, 0)) for value, label in ApplicationState.choices
        ],
        "state": state,
        "totals": totals,
    }
    return render(request, "funding/call_applications.html", context)
