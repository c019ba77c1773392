"""Fetching monitoring objects for a user, one helper per kind (the shape of `vigie/plans/access.py`).

404 when the object is not visible to the user (another department's non-public data); 403 when it is
visible but the user may not do what the `for_*` flag asks.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.indicators import perms
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans import perms as plan_perms
from vigie.plans.models import MeasureActor


def get_indicator_for_user(user, pk, *, for_edit: bool = False) -> Indicator:
    """An indicator, seen by whoever sees its plan. `for_edit`: changing its definition (who edits the
    measure); editing pages are never public, so outside the department it is a 404, inside a 403."""
    indicator = get_object_or_404(
        Indicator.objects.select_related(
            "measure__axis__plan__department",
            "numerator",
            "denominator",
            "responsible_organisation",
        ).prefetch_related(
            Prefetch(
                "measure__actors", queryset=MeasureActor.objects.select_related("organisation")
            )
        ),
        pk=pk,
    )
    plan = indicator.measure.axis.plan
    if for_edit:
        if not plan_perms.is_member(user, plan.department_id):
            raise Http404
        if not perms.can_edit_definition(user, indicator):
            raise PermissionDenied
    elif not perms.can_view_indicator(user, indicator):
        raise Http404
    return indicator


def get_campaign_for_user(user, pk, *, for_edit: bool = False, for_entry: bool = False) -> Campaign:
    """A collection campaign. Campaigns are not public: people of the department only (404 for
    others). `for_edit`: opening, changing, closing it (the prefecture); `for_entry`: entering values
    in it (people who collect). 403 when not allowed."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan__department"), pk=pk)
    plan = campaign.plan
    if not perms.can_view_unvalidated(user, plan):
        raise Http404
    if for_edit and not perms.can_manage_campaigns(user, plan):
        raise PermissionDenied
    if for_entry and not perms.can_collect(user, plan):
        raise PermissionDenied
    return campaign


def get_value_for_user(user, pk, *, for_review: bool = False) -> IndicatorValue:
    """A value with its history: people of the department only (404 for others). `for_review`:
    validating it or sending it back (the prefecture), 403 for the others."""
    value = get_object_or_404(
        IndicatorValue.objects.select_related(
            "indicator__measure__axis__plan__department",
            "campaign__plan",
            "department",
            "epci",
            "commune",
            "entered_by",
            "validated_by",
        ),
        pk=pk,
    )
    if not perms.can_view_unvalidated(user, value.indicator.measure.axis.plan):
        raise Http404
    if for_review and not perms.can_validate(user, value.campaign.plan):
        raise PermissionDenied
    return value
