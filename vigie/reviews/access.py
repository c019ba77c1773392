"""Fetching review objects for a user (the shape of `vigie/plans/access.py`).

Reviews are not public: outside the plan's department they do not exist (404), whatever the plan's status;
inside it, writing texts or generating (`for_edit`) is for the prefecture, anyone else gets a 403.
Anonymous visitors are sent to the login page by the views (`login_required`) before reaching these.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.plans.models import Plan
from vigie.reviews import perms
from vigie.reviews.models import Review


def _check(user, plan, *, for_edit: bool):
    if not perms.can_view_reviews(user, plan):
        raise Http404
    if for_edit and not perms.can_write_reviews(user, plan):
        raise PermissionDenied


def get_plan_for_user(user, pk, *, for_edit: bool = False) -> Plan:
    """The plan whose reviews are asked for: 404 outside its department, 403 for `for_edit` unless prefecture."""
    plan = get_object_or_404(Plan.objects.select_related("department"), pk=pk)
    _check(user, plan, for_edit=for_edit)
    return plan


def get_review_for_user(user, pk) -> Review:
    """A generated review (read only): 404 outside its plan's department."""
    review = get_object_or_404(Review.objects.select_related("plan__department"), pk=pk)
    _check(user, review.plan, for_edit=False)
    return review
