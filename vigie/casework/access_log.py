"""The access log of the named cases: one row per read or write (page, export, API), never changed afterwards.

Rows name the account, never the person followed (the case is identified by its opaque id). The group's data
controller reads the log; that reading is itself logged.
"""

from vigie.casework.enums import AccessAction, AccessChannel
from vigie.casework.models import AccessLogEntry, CaseGroup


def _label(user) -> str:
    return f"{user.get_full_name() or user.username} ({user.username})"[:300]


def record_access(
    *, user, group: CaseGroup, action: str, case=None, channel: str = AccessChannel.PAGE
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        group=group,
        case_public_id=case.public_id if case is not None else None,
        user_id_at_time=user.pk,
        user_label=_label(user),
        action=action,
        channel=channel,
    )


def record_list_access(
    *, user, group: CaseGroup, cases, channel: str = AccessChannel.PAGE
) -> list[AccessLogEntry]:
    """A list shows each case's identity: one read row per case shown (one INSERT whatever their number)."""
    label = _label(user)
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            group=group,
            case_public_id=case.public_id,
            user_id_at_time=user.pk,
            user_label=label,
            action=AccessAction.READ,
            channel=channel,
        )
        for case in cases
    )


def can_read_log(user, group: CaseGroup) -> bool:
    return user.is_authenticated and group.controller_id == user.pk


def read_log(*, user, group: CaseGroup, channel: str = AccessChannel.PAGE):
    """The group's log for its controller (PermissionError otherwise); the reading is logged first."""
    if not can_read_log(user, group):
        raise PermissionError
    record_access(user=user, group=group, action=AccessAction.LOG_READ, channel=channel)
    return AccessLogEntry.objects.filter(group=group)
