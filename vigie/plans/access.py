"""Fetching plan objects for a user: 404 when not visible, 403 when visible but not editable."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.plans import perms
from vigie.plans.models import Action, Measure, MeasureActor, Plan


def _check(user, department_id, *, visible: bool, editable: bool, for_edit: bool):
    if for_edit:
        # Editing pages are never public: outside the department they do not exist.
        if not perms.is_member(user, department_id):
            raise Http404
        if not editable:
            raise PermissionDenied
    elif not visible:
        raise Http404


def require_private(user, department_id) -> None:
    """History and comments: they do not exist (404) for people outside the department."""
    if not perms.can_view_private(user, department_id):
        raise Http404


def get_plan_for_user(user, pk, *, for_edit: bool = False) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("department"), pk=pk)
    _check(
        user,
        plan.department_id,
        visible=perms.can_view_plan(user, plan),
        editable=for_edit and perms.can_edit_plan(user, plan),
        for_edit=for_edit,
    )
    return plan


def measure_queryset():
    return Measure.objects.select_related("axis__plan__department").prefetch_related(
        Prefetch("actors", queryset=MeasureActor.objects.select_related("organisation"))
    )


def get_measure_for_user(user, pk, *, for_edit: bool = False) -> Measure:
    measure = get_object_or_404(measure_queryset(), pk=pk)
    plan = measure.axis.plan
    _check(
        user,
        plan.department_id,
        visible=perms.can_view_measure(user, measure),
        editable=for_edit and perms.can_edit_measure(user, measure),
        for_edit=for_edit,
    )
    return measure


def get_action_for_user(user, pk, *, for_edit: bool = False) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("owner", "measure__axis__plan__department").prefetch_related(
            Prefetch(
                "measure__actors", queryset=MeasureActor.objects.select_related("organisation")
            )
        ),
        pk=pk,
    )
    plan = action.measure.axis.plan
    _check(
        user,
        plan.department_id,
        visible=perms.can_view_action(user, action),
        editable=for_edit and perms.can_edit_action(user, action),
        for_edit=for_edit,
    )
    return action


def get_action_for_delete(user, pk) -> Action:
    """An action the user may delete: 404 outside the department, 403 when not allowed."""
    action = get_action_for_user(user, pk, for_edit=True)
    if not perms.can_delete_action(user, action):
        raise PermissionDenied
    return action
