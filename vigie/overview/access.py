"""Fetching what the overview shows: 404 for a department the user does not oversee, 403 for the overview itself
when the user oversees nothing."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.overview import perms
from vigie.territories.models import Department


def require_overview(user) -> None:
    """The overview exists (its address is in the menu of administrators), but only for those who oversee."""
    if not perms.can_view_overview(user):
        raise PermissionDenied


def get_department_for_user(user, code) -> Department:
    """A department the user oversees: 404 otherwise (another region's department does not exist for it)."""
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    if not perms.can_view_department(user, department):
        raise Http404
    return department
