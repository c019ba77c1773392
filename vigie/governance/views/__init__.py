"""Governance pages: dashboard, bodies, meetings, decisions, calendar and deployment trackers."""

from vigie.governance.views.bodies import (
    body_create,
    body_detail,
    body_edit,
    body_member_remove,
    body_members,
)
from vigie.governance.views.decisions import decision_create, decision_edit, decision_status
from vigie.governance.views.departments import calendar, calendar_ics, dashboard, index
from vigie.governance.views.meetings import (
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_history,
    meeting_minutes_file,
)
from vigie.governance.views.trackers import (
    scheme_record_edit,
    scheme_record_resolve,
    target_edit,
    tracker,
)

__all__ = [
    "body_create",
    "body_detail",
    "body_edit",
    "body_member_remove",
    "body_members",
    "calendar",
    "calendar_ics",
    "dashboard",
    "decision_create",
    "decision_edit",
    "decision_status",
    "index",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_history",
    "meeting_minutes_file",
    "scheme_record_edit",
    "scheme_record_resolve",
    "target_edit",
    "tracker",
]
