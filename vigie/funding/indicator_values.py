"""Plan indicators computed from grants: the year's sum of the grants of some programmes, written as the
indicator's value through vigie.indicators' own service (`save_value`: campaign and scope checks, audit).

Gers 3.3 « Montant des crédits déployés pour soutenir les projets des collectivités… » is the sum of the
programme S (sécurisation) grants of the year. `link_indicator` says which programmes an indicator counts;
`compute_year` (run by `manage.py compute_grant_indicators`) writes the department-level annual value in the
plan's open campaign that covers the year, submitted, with a comment saying where the figure comes from.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.funding import perms
from vigie.funding.enums import GRANTED_STATES
from vigie.funding.models import GrantApplication, GrantIndicatorSource
from vigie.indicators import services as indicator_services
from vigie.indicators.enums import CampaignStatus, Periodicity, TerritorialLevel, ValueSource
from vigie.indicators.models import Campaign
from vigie.indicators.territory import Territory, make_key


def _department_of(indicator):
    return indicator.measure.axis.plan.department


@transaction.atomic
def link_indicator(*, acting_user, indicator, programmes) -> GrantIndicatorSource:
    """Make `indicator` the yearly sum of the grants of `programmes` (a department-level annual indicator)."""
    department = _department_of(indicator)
    if not perms.can_manage_calls(acting_user, department.pk):
        raise PermissionDenied
    programmes = list(programmes)
    errors = {}
    if indicator.periodicity != Periodicity.ANNUAL:
        errors["indicator"] = (
            "Seul un indicateur annuel peut être la somme des subventions d'une année."
        )
    elif indicator.territorial_level != TerritorialLevel.DEPARTMENT or indicator.is_computed:
        errors["indicator"] = "Choisissez un indicateur saisi au niveau du département."
    if not programmes:
        errors["programmes"] = (
            "Choisissez au moins un programme dont les subventions sont comptées."
        )
    if errors:
        raise ValidationError(errors)
    source, created = GrantIndicatorSource.objects.get_or_create(
        indicator=indicator, defaults={"created_by": acting_user}
    )
    source.programmes.set(programmes)
    listed = ", ".join(str(p) for p in programmes)
    if created:
        audit.record_create(
            acting_user=acting_user,
            instance=source,
            department=department,
            reason=f"Programmes comptés : {listed}",
        )
    else:
        audit.record(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=source,
            changes={"programmes": {"label": "programmes comptés", "old": "", "new": listed}},
            department=department,
        )
    return source


def granted_sum(source: GrantIndicatorSource, year: int) -> Decimal:
    """The grants of the year (granted amount, once decided) of the source's programmes in its department."""
    department = _department_of(source.indicator)
    total = GrantApplication.objects.filter(
        call__department=department,
        call__year=year,
        call_programme__programme__in=source.programmes.all(),
        state__in=GRANTED_STATES,
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or Decimal("0")


@dataclass(frozen=True)
class Computed:
    source: GrantIndicatorSource
    value: Decimal
    changed: bool


def _campaign_for(plan, period: str) -> Campaign:
    for campaign in Campaign.objects.filter(plan=plan, status=CampaignStatus.OPEN).order_by(
        "-period_end"
    ):
        if campaign.accepts(Periodicity.ANNUAL, period):
            return campaign
    raise ValidationError(
        f"Aucune campagne de collecte ouverte du plan « {plan} » ne couvre l'année {period} : ouvrez-en une "
        "avant de calculer les indicateurs issus des subventions."
    )


@transaction.atomic
def compute_year(*, acting_user, department, year: int) -> list[Computed]:
    """Write each grant-computed indicator's value for `year` (all or nothing)."""
    if not perms.can_manage_calls(acting_user, department.pk):
        raise PermissionDenied
    sources = GrantIndicatorSource.objects.filter(
        indicator__measure__axis__plan__department=department
    ).select_related("indicator__measure__axis__plan__department")
    territory = Territory(
        key=make_key(TerritorialLevel.DEPARTMENT, department.code),
        level=TerritorialLevel.DEPARTMENT,
        code=department.code,
        name=department.name,
        department_id=department.pk,
    )
    results = []
    for source in sources:
        value = granted_sum(source, year)
        names = ", ".join(str(p) for p in source.programmes.all())
        result = indicator_services.save_value(
            acting_user=acting_user,
            campaign=_campaign_for(source.indicator.measure.axis.plan, str(year)),
            indicator=source.indicator,
            territory=territory,
            period=str(year),
            value=value,
            comment=f"Somme des subventions accordées en {year} ({names}), calculée par Vigie.",
            submit=True,
            reason="Recalcul à partir des subventions",
            source=ValueSource.IMPORT,
        )
        results.append(Computed(source, value, result.changed))
    return results
