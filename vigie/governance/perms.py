"""Who may see and change governance data. Small predicates, unit-tested one by one.

Rules:
- governance pages are not public: people of the department (any role) and national administrators;
- the prefecture (and national administrators) manages everything in its department;
- a coordinator manages the meetings and members of the council of its territory (`user.commune` for a CLSPD,
  `user.epci` for a CISPD) and of that council's working groups;
- the minutes and decisions of a restricted meeting are visible to the body's members (a person listed, or a
  person of a member organisation), to the people who manage the body and to the prefecture;
- the organisation responsible for a followed decision updates its status;
- a meeting's history (changes, and who downloaded its restricted minutes) is for the people who manage the
  body's meetings: the log of reads is need-to-know, not shared with the other members.
"""

from django.db.models import Q

from vigie.accounts.enums import Role
from vigie.governance.models import Body, Decision, Meeting


def is_member_of_department(user, department_id) -> bool:
    return bool(user.is_authenticated) and user.belongs_to(department_id)


def can_view_governance(user, department_id) -> bool:
    return is_member_of_department(user, department_id)


def can_manage_department(user, department_id) -> bool:
    """Create and edit bodies, deployment records and targets of the department."""
    if not is_member_of_department(user, department_id):
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE


def _council_of(body: Body) -> Body:
    """The local council a working group belongs to (or the body itself)."""
    return body.parent if body.parent_id else body


def is_coordinator_of(user, body: Body) -> bool:
    if not (user.is_authenticated and user.is_active and user.role == Role.COORDINATOR):
        return False
    if user.department_id != body.department_id:
        return False
    council = _council_of(body)
    if council.commune_id is not None and council.commune_id == user.commune_id:
        return True
    return council.epci_id is not None and council.epci_id == user.epci_id


def coordinated_bodies(user) -> Q:
    """Filter of the bodies whose meetings a coordinator manages: the council of its territory and that
    council's working groups, in its department (queryset counterpart of `is_coordinator_of`)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.COORDINATOR):
        return Q(pk__in=[])
    territory = Q(pk__in=[])
    if user.commune_id:
        territory |= Q(commune_id=user.commune_id) | Q(parent__commune_id=user.commune_id)
    if user.epci_id:
        territory |= Q(epci_id=user.epci_id) | Q(parent__epci_id=user.epci_id)
    return Q(department_id=user.department_id) & territory


def can_choose_department(user) -> bool:
    """The governance home lists departments for national administrators and people attached to no
    department; everyone else goes straight to their own department's dashboard."""
    return bool(user.is_authenticated) and (user.is_national_admin or not user.department_id)


def can_edit_body(user, body: Body) -> bool:
    return can_manage_department(user, body.department_id)


def can_manage_meetings(user, body: Body) -> bool:
    """Record and edit meetings and decisions, and manage the members of the body."""
    return can_manage_department(user, body.department_id) or is_coordinator_of(user, body)


def can_manage_members(user, body: Body) -> bool:
    return can_manage_meetings(user, body)


def is_listed_member(user, body: Body, member_rows=None) -> bool:
    """Listed as a member in person or through one's organisation (uses prefetched members when given)."""
    if not user.is_authenticated:
        return False
    rows = member_rows if member_rows is not None else body.members.all()
    for row in rows:
        if row.user_id is not None and row.user_id == user.pk:
            return True
        if (
            row.user_id is None
            and row.organisation_id is not None
            and row.organisation_id == user.organisation_id
        ):
            return True
    return False


def can_view_restricted(user, body: Body, member_rows=None) -> bool:
    """See the minutes and decisions of the body's restricted meetings."""
    if not can_view_governance(user, body.department_id):
        return False
    return can_manage_meetings(user, body) or is_listed_member(user, body, member_rows)


def can_view_minutes(user, meeting: Meeting, member_rows=None) -> bool:
    body = meeting.body
    if not can_view_governance(user, body.department_id):
        return False
    if not meeting.is_restricted:
        return True
    return can_view_restricted(user, body, member_rows)


def can_view_meeting_history(user, meeting: Meeting) -> bool:
    return can_manage_meetings(user, meeting.body)


def can_update_decision_status(user, decision: Decision) -> bool:
    body = decision.meeting.body
    if can_manage_meetings(user, body):
        return True
    return (
        decision.is_followed
        and is_member_of_department(user, body.department_id)
        and user.organisation_id is not None
        and decision.owner_id == user.organisation_id
        and can_view_minutes(user, decision.meeting)
    )
