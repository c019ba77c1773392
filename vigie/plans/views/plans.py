"""Department home, plan page, plan edit form and plan history."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Prefetch, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render

from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.audit.models import AuditEntry
from vigie.core.concurrency import StaleEdit
from vigie.core.context_processors import share_department_with_menu
from vigie.plans import perms, services
from vigie.plans.access import get_plan_for_user, require_private
from vigie.plans.enums import AxisKind, PlanStatus
from vigie.plans.forms import PlanForm, add_service_errors
from vigie.plans.models import Axis, Measure, MeasureActor, Plan
from vigie.plans.views._common import (
    add_counts,
    counts_from_annotations,
    department_crumbs,
    paginate_history,
    pilots_as_worded,
    plan_crumbs,
    status_annotations,
    status_rows,
)
from vigie.territories.models import Department

# Which plan a department page shows first: the latest adopted, else the latest closed, else a draft.
CURRENT_PLAN_PREFERENCE = {PlanStatus.ADOPTED: 0, PlanStatus.CLOSED: 1, PlanStatus.DRAFT: 2}


def pick_current_plan(plans: list[Plan]) -> Plan | None:
    if not plans:
        return None
    return min(
        plans, key=lambda p: (CURRENT_PLAN_PREFERENCE.get(p.status, 9), -p.period_start, -p.pk)
    )


def plan_structure(plan: Plan) -> dict:
    """Axes, measures, pilots and action-status counts of a plan, in a fixed number of queries.

    Queries: signatories, axes, axis sections, measures annotated with their counts, actors.
    """
    measures = (
        Measure.objects.annotate(**status_annotations())
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("actors", queryset=MeasureActor.objects.select_related("organisation"))
        )
    )
    axes = list(
        Axis.objects.filter(plan=plan)
        .order_by("order", "pk")
        .prefetch_related("sections", Prefetch("measures", queryset=measures))
    )
    plan_totals: dict[str, int] = {}
    measure_count = 0
    for axis in axes:
        axis_totals: dict[str, int] = {}
        axis.measure_list = list(axis.measures.all())
        for measure in axis.measure_list:
            counts = counts_from_annotations(measure)
            measure.status_counts = status_rows(counts, keep_zero=False)
            measure.action_total = sum(counts.values())
            measure.pilot_list = pilots_as_worded(list(measure.actors.all()))
            add_counts(axis_totals, counts)
        axis.status_totals = status_rows(axis_totals)
        axis.action_total = sum(axis_totals.values())
        axis.section_list = list(axis.sections.all())
        measure_count += len(axis.measure_list)
        add_counts(plan_totals, axis_totals)
    return {
        "signatories": list(plan.signatories.all()),
        "axes": axes,
        "axis_count": sum(1 for axis in axes if axis.kind == AxisKind.AXIS),
        "annex_count": sum(1 for axis in axes if axis.kind == AxisKind.ANNEX),
        "measure_count": measure_count,
        "plan_totals": status_rows(plan_totals),
        "action_total": sum(plan_totals.values()),
    }


def plan_permissions(user, plan: Plan) -> dict:
    return {
        "can_edit_plan": perms.can_edit_plan(user, plan),
        "can_view_private": perms.can_view_private(user, plan.department_id),
    }


def department_home(request, code):
    department = get_object_or_404(Department, code=code)
    share_department_with_menu(request, department)
    plans = list(
        perms.visible_plans(request.user)
        .filter(department=department)
        .order_by("-period_start", "-pk")
    )
    current = pick_current_plan(plans)
    context = {
        "page_title": department.name,
        "breadcrumb": [department_crumbs(department)[0]],
        "department": department,
        "plan": current,
        "other_plans": [p for p in plans if p != current],
        "is_member": perms.is_member(request.user, department.pk),
        "can_import": perms.can_import_plan(request.user, department.pk),
    }
    if current is not None:
        current.department = department
        context.update(plan_structure(current))
        context.update(plan_permissions(request.user, current))
    return render(request, "plans/department.html", context)


def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    context = {
        "page_title": plan.title,
        "breadcrumb": department_crumbs(plan.department),
        "department": plan.department,
        "plan": plan,
        **plan_structure(plan),
        **plan_permissions(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request, pk):
    plan = get_plan_for_user(request.user, pk, for_edit=True)
    # The form works on a copy: the service compares the saved object with the new values.
    form = PlanForm(request.POST if request.method == "POST" else None, instance=copy.copy(plan))
    context = {}
    if form.is_bound and form.is_valid():
        try:
            services.update_plan(
                acting_user=request.user,
                plan=plan,
                data=form.cleaned_data,
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleEdit as stale:
            context = refuse_stale_form(form, stale)
        else:
            messages.success(request, "Le plan a été enregistré.")
            return redirect(plan)
    context.update(
        {
            "page_title": f"Modifier le plan {plan.period_label}",
            "breadcrumb": plan_crumbs(plan),
            "plan": plan,
            "form": form,
        }
    )
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, "plans/plan_form.html", context, status=status)


def plan_history_entries(plan: Plan):
    """Entries about the plan, its measures, and the children of its measures (actions, indicators…)."""
    plan_ct = ContentType.objects.get_for_model(Plan)
    measure_ct = ContentType.objects.get_for_model(Measure)
    measure_ids = (
        Measure.objects.filter(axis__plan=plan)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    return (
        AuditEntry.objects.filter(
            Q(content_type=plan_ct, object_id=str(plan.pk))
            | Q(parent_content_type=plan_ct, parent_object_id=str(plan.pk))
            | Q(content_type=measure_ct, object_id__in=measure_ids)
            | Q(parent_content_type=measure_ct, parent_object_id__in=measure_ids)
        )
        .select_related("content_type")
        .order_by("-created_at", "-pk")
    )


def plan_history(request, pk):
    plan = get_plan_for_user(request.user, pk)
    require_private(request.user, plan.department_id)
    context = {
        "page_title": f"Historique du plan {plan.period_label}",
        "breadcrumb": plan_crumbs(plan),
        "plan": plan,
        "page_obj": paginate_history(request, plan_history_entries(plan)),
        "show_object": True,
    }
    return render(request, "plans/plan_history.html", context)
