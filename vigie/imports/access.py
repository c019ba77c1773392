"""Fetching import sessions and plan versions for a user, one helper per kind (the shape of
`vigie/plans/access.py`): 404 outside the department (or when the plan is not visible), 403 inside it
without the right to import."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.imports import perms
from vigie.imports.models import ImportSession, PlanVersion
from vigie.plans import perms as plan_perms
from vigie.territories.models import Department


def _check_import(user, department_id) -> None:
    if not plan_perms.is_member(user, department_id):
        raise Http404
    if not perms.can_import(user, department_id):
        raise PermissionDenied


def get_department_for_user(user, code: str) -> Department:
    """A department, by INSEE code, to import a plan into: always for editing (importing), so 404
    outside the department and 403 inside it without the right to import."""
    department = get_object_or_404(Department, code=code)
    _check_import(user, department.pk)
    return department


def get_session_for_user(user, pk) -> ImportSession:
    """An import session: only for those who may import in its department (404 outside, 403 inside)."""
    session = get_object_or_404(
        ImportSession.objects.select_related("department", "plan", "created_by", "version"), pk=pk
    )
    _check_import(user, session.department_id)
    return session


def get_version_for_user(user, pk) -> PlanVersion:
    """A version of a plan, read-only: 404 for whoever may not see the plan's versions."""
    version = get_object_or_404(PlanVersion.objects.select_related("plan__department"), pk=pk)
    if not perms.can_view_versions(user, version.plan):
        raise Http404
    return version
