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
from vigie.indicators import external_values


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
    if problem := external_values.department_annual_error(
        indicator,
        not_annual="Seul un indicateur annuel peut être la somme des subventions d'une année.",
    ):
        errors["indicator"] = problem
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


@transaction.atomic
def compute_year(*, acting_user, department, year: int) -> list[Computed]:
    """Write each grant-computed indicator's value for `year` (all or nothing)."""
    if not perms.can_manage_calls(acting_user, department.pk):
        raise PermissionDenied
    sources = GrantIndicatorSource.objects.filter(
        indicator__measure__axis__plan__department=department
    ).select_related("indicator__measure__axis__plan__department")
    results = []
    for source in sources:
        value = granted_sum(source, year)
        names = ", ".join(str(p) for p in source.programmes.all())
        result = external_values.save_department_year(
            acting_user=acting_user,
            indicator=source.indicator,
            department=department,
            year=year,
            value=value,
            comment=f"Somme des subventions accordées en {year} ({names}), calculée par Vigie.",
            reason="Recalcul à partir des subventions",
            origin="issus des subventions",
        )
        results.append(Computed(source, value, result.changed))
    return results
