"""Fetching governance objects for a user: 404 when not visible, 403 when visible but not editable.

Anonymous visitors are sent to the login page by the views (`login_required`) before reaching these.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.governance import perms
from vigie.governance.models import Body, BodyMember, Decision, Meeting, SchemeRecord
from vigie.territories.models import Department


def _check(user, department_id, *, can_do: bool):
    if not perms.can_view_governance(user, department_id):
        raise Http404
    if not can_do:
        raise PermissionDenied


def get_department_for_user(user, code, *, manage: bool = False) -> Department:
    department = get_object_or_404(Department, code=code)
    _check(
        user, department.pk, can_do=not manage or perms.can_manage_department(user, department.pk)
    )
    return department


def body_queryset():
    return Body.objects.select_related(
        "department", "commune", "epci", "parent", "measure__axis__plan"
    )


def get_body_for_user(user, pk, *, edit: bool = False, manage_meetings: bool = False) -> Body:
    body = get_object_or_404(body_queryset(), pk=pk)
    if edit:
        allowed = perms.can_edit_body(user, body)
    elif manage_meetings:
        allowed = perms.can_manage_meetings(user, body)
    else:
        allowed = True
    _check(user, body.department_id, can_do=allowed)
    return body


def get_member_for_user(user, body: Body, pk) -> BodyMember:
    return get_object_or_404(
        BodyMember.objects.select_related("organisation", "user"), pk=pk, body=body
    )


def get_meeting_for_user(user, pk, *, edit: bool = False, history: bool = False) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "body__department", "body__parent", "body__commune", "body__epci"
        ),
        pk=pk,
    )
    if edit:
        allowed = perms.can_manage_meetings(user, meeting.body)
    elif history:
        allowed = perms.can_view_meeting_history(user, meeting)
    else:
        allowed = True
    _check(user, meeting.body.department_id, can_do=allowed)
    return meeting


def get_decision_for_user(user, pk, *, edit: bool = False, status: bool = False) -> Decision:
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
    if edit:
        allowed = perms.can_manage_meetings(user, body)
    elif status:
        allowed = perms.can_update_decision_status(user, decision)
    else:
        allowed = True
    _check(user, body.department_id, can_do=allowed)
    return decision


def get_scheme_record_for_user(user, pk) -> SchemeRecord:
    record = get_object_or_404(SchemeRecord.objects.select_related("department", "commune"), pk=pk)
    _check(
        user, record.department_id, can_do=perms.can_manage_department(user, record.department_id)
    )
    return record
