"""Fetching monitoring objects for a user: 404 when not visible, 403 when visible but not allowed."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.indicators import perms
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans import perms as plan_perms
from vigie.plans.models import MeasureActor


def get_indicator_for_user(user, pk, *, for_edit: bool = False) -> Indicator:
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
    elif not perms.can_view_monitoring(user, plan):
        raise Http404
    return indicator


def get_campaign_for_user(
    user, pk, *, for_entry: bool = False, for_manage: bool = False
) -> Campaign:
    """Campaigns are not public: people of the department only (404 for others)."""
    campaign = get_object_or_404(Campaign.objects.select_related("plan__department"), pk=pk)
    plan = campaign.plan
    if not perms.can_view_unvalidated(user, plan):
        raise Http404
    if for_manage and not perms.can_manage_campaigns(user, plan):
        raise PermissionDenied
    if for_entry and not perms.can_collect(user, plan):
        raise PermissionDenied
    return campaign


def get_value_for_user(user, pk) -> IndicatorValue:
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
    return value
