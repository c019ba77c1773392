"""Who may see and change plans. Small predicates, unit-tested one by one.

Rules: an adopted (or closed) plan is public; everything else (drafts, history, comments)
is visible only to people of the plan's department (and national administrators). A measure or an
action flagged non-public (`is_restricted`: sensitive sites, radicalisation) is, like the rest of its
plan's non-public details, visible only to people of the department: for everyone else it does not
exist (no page, feed, export or API response shows it).
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


def sees_restricted(user, department_id) -> bool:
    """Non-public measures, actions and indicators of a department's plans: its people only."""
    return is_member(user, department_id)


def can_view_measure(user, measure: Measure) -> bool:
    plan = measure.axis.plan
    if not can_view_plan(user, plan):
        return False
    return not measure.is_restricted or sees_restricted(user, plan.department_id)


def can_view_action(user, action: Action) -> bool:
    if not can_view_measure(user, action.measure):
        return False
    department_id = action.measure.axis.plan.department_id
    return not action.is_restricted or sees_restricted(user, department_id)


def unrestricted(*paths: str) -> Q:
    """Filter of the objects shown to the public: none of the objects reached by `paths` is flagged
    non-public. `unrestricted("", "measure__")` for actions and indicators (themselves and their
    measure), `unrestricted("indicator__", "indicator__measure__")` for indicator values."""
    query = Q()
    for path in paths or ("",):
        query &= Q(**{f"{path}is_restricted": False})
    return query


def is_public_item(obj) -> bool:
    """For exports that walk a plan object by object: not flagged non-public (an object without the
    flag, a signatory or an axis, is public)."""
    return not getattr(obj, "is_restricted", False)


def export_filter(user, department_id):
    """The `include` an export of a department's plan takes for the user: None (everything) for its
    people, `is_public_item` for everyone else."""
    return None if sees_restricted(user, department_id) else is_public_item


def visible_measures(user) -> QuerySet[Measure]:
    """Measures of the plans the user sees, without the non-public ones of other departments
    (queryset counterpart of `can_view_measure`)."""
    return Measure.objects.filter(axis__plan__in=visible_plans(user)).filter(
        Q(is_restricted=False) | Q(axis__plan__in=member_plans(user))
    )


def visible_actions(user) -> QuerySet[Action]:
    """Queryset counterpart of `can_view_action`."""
    return Action.objects.filter(measure__axis__plan__in=visible_plans(user)).filter(
        unrestricted("", "measure__") | Q(measure__axis__plan__in=member_plans(user))
    )


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
