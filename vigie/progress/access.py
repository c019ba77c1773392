"""Fetching plans for the public progress pages and their publication settings.

404 when the plan does not exist or is not public (a draft has no public page, whoever asks), and for the
publication settings when the user is not of the plan's department; 403 when the user is of the department
but may not choose what is public.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.plans import perms as plan_perms
from vigie.plans.models import Plan
from vigie.progress import perms


def get_plan_for_user(user, pk, *, for_publication: bool = False) -> Plan:
    """The plan of a public page (adopted or closed, else 404), or with `for_publication` the plan
    whose non-public items the user chooses (any status; 404 outside the department, 403 inside)."""
    plan = get_object_or_404(Plan.objects.select_related("department"), pk=pk)
    if for_publication:
        if not plan_perms.is_member(user, plan.department_id):
            raise Http404
        if not perms.can_manage_publication(user, plan):
            raise PermissionDenied
    elif not perms.can_view_public_progress(plan):
        raise Http404
    return plan
