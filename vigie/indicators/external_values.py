"""Indicator values that another app computes (vigie.funding: sums of grants; vigie.casework: counts of the
nominative groups): the checks that an indicator can take such a value, and the one way to write it.

The value is a department-level annual one, written by `save_value` (campaign and scope checks, audit) into the
plan's open campaign that covers the year, submitted, with a comment saying where the figure comes from.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from vigie.indicators import services
from vigie.indicators.enums import CampaignStatus, Periodicity, TerritorialLevel, ValueSource
from vigie.indicators.models import Campaign
from vigie.indicators.territory import Territory, make_key


def department_annual_error(indicator, *, not_annual: str) -> str:
    """Why `indicator` cannot take a department's yearly figure ("" when it can); `not_annual` says it in the
    caller's words."""
    if indicator.periodicity != Periodicity.ANNUAL:
        return not_annual
    if indicator.territorial_level != TerritorialLevel.DEPARTMENT or indicator.is_computed:
        return "Choisissez un indicateur saisi au niveau du département."
    return ""


def open_campaign_for_year(plan, year: int, *, origin: str) -> Campaign:
    """The plan's open campaign that accepts the annual period `year` (the latest); `origin` ends the message
    (« issus des subventions »…)."""
    period = str(year)
    campaigns = Campaign.objects.filter(plan=plan, status=CampaignStatus.OPEN)
    for campaign in campaigns.order_by("-period_end"):
        if campaign.accepts(Periodicity.ANNUAL, period):
            return campaign
    raise ValidationError(
        f"Aucune campagne de collecte ouverte du plan « {plan} » ne couvre l'année {period} : ouvrez-en une "
        f"avant de calculer les indicateurs {origin}."
    )


def department_territory(department) -> Territory:
    return Territory(
        key=make_key(TerritorialLevel.DEPARTMENT, department.code),
        level=TerritorialLevel.DEPARTMENT,
        code=department.code,
        name=department.name,
        department_id=department.pk,
    )


def save_department_year(
    *,
    acting_user,
    indicator,
    department,
    year: int,
    value: Decimal | None,
    comment: str,
    reason: str,
    origin: str,
    below_threshold: bool = False,
):
    """Write the department's `year` value of `indicator`, submitted (the caller's transaction)."""
    return services.save_value(
        acting_user=acting_user,
        campaign=open_campaign_for_year(indicator.measure.axis.plan, year, origin=origin),
        indicator=indicator,
        territory=department_territory(department),
        period=str(year),
        value=value,
        below_threshold=below_threshold,
        comment=comment,
        submit=True,
        reason=reason,
        source=ValueSource.IMPORT,
    )
