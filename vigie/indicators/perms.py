"""Who may see, enter, validate and define indicator values. Small predicates, tested one by one.

- Monitoring pages of a plan: whoever sees the plan; validated values only, unless the user works in
  the plan's department (then drafts, submitted and returned values, campaigns and history too).
- Campaigns (open, close, validate, send back): the prefecture of the department, national administrators.
- Entering values, within an open campaign of the plan:
  * prefecture (and administrators): every collected indicator, every territory of the department;
  * pilot: indicators of the measures its organisation pilots (or of which it is the responsible
    organisation), every territory of the department;
  * coordinator: indicators collected at EPCI or commune level, for its CISPD territory (its EPCI and
    the EPCI's communes in the department) or its CLSPD commune.
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from vigie.accounts.enums import Role
from vigie.indicators.enums import TerritorialLevel, ValueStatus
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.plans import perms as plan_perms
from vigie.plans.models import MeasureActor
from vigie.territories.models import Commune, Epci

ENTRY_ROLES = (Role.ADMIN, Role.PREFECTURE, Role.PILOT, Role.COORDINATOR)


def _plan_of(indicator):
    return indicator.measure.axis.plan


def can_view_monitoring(user, plan) -> bool:
    return plan_perms.can_view_plan(user, plan)


def can_view_unvalidated(user, plan) -> bool:
    """Drafts, submitted and returned values, campaigns, history: people of the department only."""
    return plan_perms.can_view_private(user, plan.department_id)


def can_view_indicator(user, indicator) -> bool:
    """Whoever sees its measure; a non-public indicator only by people of the department."""
    measure = indicator.measure
    if not plan_perms.can_view_measure(user, measure):
        return False
    department_id = measure.axis.plan.department_id
    return not indicator.is_restricted or plan_perms.sees_restricted(user, department_id)


def visible_indicators(user) -> QuerySet[Indicator]:
    """Indicators of the plans the user sees, without the non-public ones (the indicator or its
    measure flagged) of other departments (queryset counterpart of `can_view_indicator`)."""
    return Indicator.objects.filter(measure__axis__plan__in=plan_perms.visible_plans(user)).filter(
        plan_perms.unrestricted("", "measure__")
        | Q(measure__axis__plan__in=plan_perms.member_plans(user))
    )


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns are not public: those of the user's department, every one for national
    administrators (queryset counterpart of `can_view_unvalidated`)."""
    return Campaign.objects.filter(plan__in=plan_perms.member_plans(user))


def visible_values(user) -> QuerySet[IndicatorValue]:
    """Validated values of the indicators the user sees; every value of its own department's plans."""
    return IndicatorValue.objects.filter(indicator__in=visible_indicators(user)).filter(
        Q(status=ValueStatus.VALIDATED)
        | Q(indicator__measure__axis__plan__in=plan_perms.member_plans(user))
    )


def can_manage_campaigns(user, plan) -> bool:
    return plan_perms.can_edit_plan(user, plan)


def can_validate(user, plan) -> bool:
    return plan_perms.can_edit_plan(user, plan)


def can_edit_definition(user, indicator) -> bool:
    return plan_perms.can_edit_measure(user, indicator.measure)


def can_report_action(user, action) -> bool:
    return plan_perms.can_edit_action(user, action)


def is_entry_role(user) -> bool:
    return (
        bool(user.is_authenticated)
        and user.is_active
        and (user.is_national_admin or user.role in ENTRY_ROLES)
    )


def can_collect(user, plan) -> bool:
    """May take part in the plan's campaigns (some indicators or actions, some territories)."""
    return is_entry_role(user) and plan_perms.is_member(user, plan.department_id)


def can_have_api_token(user) -> bool:
    return is_entry_role(user)


def coordinator_keys(user, department) -> set[str]:
    """Territory keys a coordinator reports for, within the department."""
    keys: set[str] = set()
    if user.epci_id:
        epci = Epci.objects.filter(pk=user.epci_id).values_list("code", flat=True).first()
        if epci:
            keys.add(f"E{epci}")
        keys |= {
            f"C{code}"
            for code in Commune.objects.filter(
                epci_id=user.epci_id, department=department
            ).values_list("code", flat=True)
        }
    if user.commune_id:
        commune = Commune.objects.filter(pk=user.commune_id, department=department).values_list(
            "code", flat=True
        )
        keys |= {f"C{code}" for code in commune}
    return keys


class EntryScope:
    """What one user may enter in one plan, computed once (a few queries) and asked many times."""

    def __init__(self, user, plan):
        self.user = user
        self.plan = plan
        self.department = plan.department
        self.active = can_collect(user, plan)
        self.is_validator = self.active and can_validate(user, plan)

    @cached_property
    def pilot_measure_ids(self) -> set[int]:
        user = self.user
        if not self.active or user.role != Role.PILOT or not user.organisation_id:
            return set()
        return set(
            MeasureActor.objects.filter(
                measure__axis__plan=self.plan,
                role__in=plan_perms.PILOT_ROLES,
                organisation_id=user.organisation_id,
            ).values_list("measure_id", flat=True)
        )

    @cached_property
    def territory_keys(self) -> set[str] | None:
        """None: every territory of the department."""
        if self.user.role == Role.COORDINATOR and not self.user.is_national_admin:
            return coordinator_keys(self.user, self.department)
        return None

    @property
    def is_coordinator(self) -> bool:
        return (
            self.active and self.user.role == Role.COORDINATOR and not self.user.is_national_admin
        )

    def allows_indicator(self, indicator) -> bool:
        if (
            not self.active
            or indicator.is_computed
            or indicator.measure.axis.plan_id != self.plan.pk
        ):
            return False
        user = self.user
        if user.is_national_admin or user.role == Role.PREFECTURE:
            return True
        if user.role == Role.PILOT:
            return indicator.measure_id in self.pilot_measure_ids or (
                user.organisation_id is not None
                and indicator.responsible_organisation_id == user.organisation_id
            )
        if user.role == Role.COORDINATOR:
            return indicator.territorial_level != TerritorialLevel.DEPARTMENT and bool(
                self.territory_keys
            )
        return False

    def allows_territory(self, indicator, territory) -> bool:
        if territory is None or territory.level != indicator.territorial_level:
            return False
        if territory.department_id != self.department.pk:
            return False
        keys = self.territory_keys
        return keys is None or territory.key in keys

    def allows(self, indicator, territory) -> bool:
        return self.allows_indicator(indicator) and self.allows_territory(indicator, territory)


def can_enter_value(user, indicator, territory) -> bool:
    return EntryScope(user, _plan_of(indicator)).allows(indicator, territory)
