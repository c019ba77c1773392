"""Fetching governance objects for a user, one helper per kind (the shape of `vigie/plans/access.py`).

Governance pages are not public: an object of another department does not exist for the user (404);
inside the department, an object the user may see but not change as asked (`for_*` flags) is a 403.
Anonymous visitors are sent to the login page by the views (`login_required`) before reaching these.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.governance import perms
from vigie.governance.models import Body, BodyMember, Decision, Meeting, SchemeRecord
from vigie.territories.models import Department


def _check(user, department_id, *, allowed: bool):
    if not perms.can_view_governance(user, department_id):
        raise Http404
    if not allowed:
        raise PermissionDenied


def get_department_for_user(user, code, *, for_edit: bool = False) -> Department:
    """A department's governance, by INSEE code. `for_edit`: managing its bodies, deployment records and
    targets (the prefecture). 404 outside the department, 403 when not allowed to manage."""
    department = get_object_or_404(Department, code=code)
    _check(
        user,
        department.pk,
        allowed=not for_edit or perms.can_manage_department(user, department.pk),
    )
    return department


def body_queryset():
    return Body.objects.select_related(
        "department", "commune", "epci", "parent", "measure__axis__plan"
    )


def get_body_for_user(user, pk, *, for_edit: bool = False, for_meetings: bool = False) -> Body:
    """A body. `for_edit`: editing the body itself (the prefecture); `for_meetings`: recording its
    meetings and managing its members (also its coordinator). 404 outside the department, 403 when
    not allowed."""
    body = get_object_or_404(body_queryset(), pk=pk)
    if for_edit:
        allowed = perms.can_edit_body(user, body)
    elif for_meetings:
        allowed = perms.can_manage_meetings(user, body)
    else:
        allowed = True
    _check(user, body.department_id, allowed=allowed)
    return body


def get_member_for_user(user, pk, *, body: Body) -> BodyMember:
    """A member row of `body`, a body already fetched `for_meetings` by the caller: 404 when the row
    is not one of that body's."""
    return get_object_or_404(
        BodyMember.objects.select_related("organisation", "user"), pk=pk, body=body
    )


def get_meeting_for_user(user, pk, *, for_edit: bool = False, for_history: bool = False) -> Meeting:
    """A meeting. `for_edit`: editing it and its decisions (who manages the body's meetings);
    `for_history`: its history, including who read its restricted minutes (the same people).
    404 outside the department, 403 when not allowed."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "body__department", "body__parent", "body__commune", "body__epci"
        ),
        pk=pk,
    )
    if for_edit:
        allowed = perms.can_manage_meetings(user, meeting.body)
    elif for_history:
        allowed = perms.can_view_meeting_history(user, meeting)
    else:
        allowed = True
    _check(user, meeting.body.department_id, allowed=allowed)
    return meeting


def get_decision_for_user(
    user, pk, *, for_edit: bool = False, for_status: bool = False
) -> Decision:
    """A decision. `for_edit`: editing it (who manages the body's meetings); `for_status`: updating
    its follow-up status (also the organisation responsible for it). 404 outside the department and
    when the minutes of its restricted meeting are not readable by the user, 403 when not allowed."""
    decision = get_object_or_404(
        Decision.objects.select_related(
            "meeting__body__department", "meeting__body__parent", "owner", "measure__axis__plan"
        ),
        pk=pk,
    )
    body = decision.meeting.body
    if not perms.can_view_minutes(user, decision.meeting):
        # A decision of a restricted meeting does not exist for those who may not read it.
        raise Http404
    if for_edit:
        allowed = perms.can_manage_meetings(user, body)
    elif for_status:
        allowed = perms.can_update_decision_status(user, decision)
    else:
        allowed = True
    _check(user, body.department_id, allowed=allowed)
    return decision


def get_scheme_record_for_user(user, pk, *, for_edit: bool = True) -> SchemeRecord:
    """A deployment record of a scheme. Records are only reached to be changed (`for_edit`, the
    default): 404 outside the department, 403 for whoever does not manage the department."""
    record = get_object_or_404(SchemeRecord.objects.select_related("department", "commune"), pk=pk)
    _check(
        user,
        record.department_id,
        allowed=not for_edit or perms.can_manage_department(user, record.department_id),
    )
    return record
