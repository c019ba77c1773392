"""Who may see and change plans. Small predicates, unit-tested one by one.

Rules: an adopted (or closed) plan is public; everything else (drafts, history, comments)
is visible only to people of the plan's department (and national administrators).
"""

from django.db.models import Q, QuerySet

from vigie.accounts.enums import Role
from vigie.plans.enums import ActorRole, PlanStatus
from vigie.plans.models import Action, Measure, Plan

PUBLIC_STATUSES = (PlanStatus.ADOPTED, PlanStatus.CLOSED)
PILOT_ROLES = (ActorRole.PILOT, ActorRole.PILOT_OR_PARTNER)


def is_member(user, department_id) -> bool:
    """Works in that department (any role), or is a national administrator."""
    return bool(user.is_authenticated) and user.belongs_to(department_id)


def visible_plans(user) -> QuerySet[Plan]:
    """Plans the user sees: public ones, and every plan of its department (all for administrators).
    The queryset counterpart of `can_view_plan`."""
    plans = Plan.objects.all()
    if user.is_authenticated and user.is_national_admin:
        return plans
    public = Q(status__in=PUBLIC_STATUSES)
    if user.is_authenticated and user.department_id and user.role != Role.APPLICANT:
        return plans.filter(public | Q(department_id=user.department_id))
    return plans.filter(public)


def member_plans(user) -> QuerySet[Plan]:
    """Plans whose non-public details the user sees: its department's (every plan for national
    administrators, none for visitors). The queryset counterpart of `can_view_private`."""
    plans = Plan.objects.all()
    if not user.is_authenticated:
        return plans.none()
    if user.is_national_admin:
        return plans
    if not user.department_id or user.role == Role.APPLICANT:
        # A project applicant is attached to a department without working in it (`User.belongs_to`).
        return plans.none()
    return plans.filter(department_id=user.department_id)


def can_view_plan(user, plan: Plan) -> bool:
    return plan.is_public or is_member(user, plan.department_id)


def can_view_private(user, department_id) -> bool:
    """History, comments and other non-public details of a department's plan."""
    return is_member(user, department_id)


def can_edit_plan(user, plan: Plan) -> bool:
    if not is_member(user, plan.department_id):
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE


def pilot_organisation_ids(measure: Measure) -> set[int]:
    """Organisations piloting the measure (uses prefetched actors when available)."""
    return {
        actor.organisation_id
        for actor in measure.actors.all()
        if actor.role in PILOT_ROLES and actor.organisation_id is not None
    }


def is_pilot_of(user, measure: Measure) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.PILOT
        and user.organisation_id is not None
        and user.department_id == measure.axis.plan.department_id
        and user.organisation_id in pilot_organisation_ids(measure)
    )


def can_edit_measure(user, measure: Measure) -> bool:
    plan = measure.axis.plan
    return can_edit_plan(user, plan) or is_pilot_of(user, measure)


def can_edit_action(user, action: Action) -> bool:
    if can_edit_measure(user, action.measure):
        return True
    # A pilot also updates the actions its organisation is responsible for.
    return (
        user.is_authenticated
        and user.role == Role.PILOT
        and action.owner_id is not None
        and action.owner_id == user.organisation_id
        and user.department_id == action.measure.axis.plan.department_id
    )


def can_add_action(user, measure: Measure) -> bool:
    """Adding an action to a measure: whoever may edit the measure itself."""
    return can_edit_measure(user, measure)


def can_delete_action(user, action: Action) -> bool:
    """Deleting is stricter than editing: the owner of an action may update it, not remove it."""
    return can_edit_measure(user, action.measure)


def can_comment(user, measure: Measure) -> bool:
    if not is_member(user, measure.axis.plan.department_id):
        return False
    return user.is_national_admin or user.role in (
        Role.PREFECTURE,
        Role.PILOT,
        Role.COORDINATOR,
        Role.PARTNER,
    )


def can_import_plan(user, department_id) -> bool:
    """Writing a department's plans from a document (a new plan, or a new version of one):
    prefecture agents of the department and national administrators."""
    if not is_member(user, department_id):
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE
