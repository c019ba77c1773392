"""Writes of the named cases. Each is a member's, in a group whose charter they accepted (the views and the API
reach these through vigie.casework.access), is logged in the access log and audited — the audit entry carries the
case's opaque id only, never a name or a text."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework import access_log, perms
from vigie.casework.access import can_read_secret
from vigie.casework.crypto import name_hash
from vigie.casework.enums import AccessAction, AccessChannel, ClosureReason, Level
from vigie.casework.models import Case, CaseEntry, CaseGroup, GroupMember

CASE_FIELDS = (
    "last_name",
    "first_name",
    "commune",
    "referral_reason",
    "referral_source",
    "opened_on",
)


def _audit(acting_user, action: str, instance, group: CaseGroup, reason: str = "") -> None:
    # `record` with no field detail: the entry says who did what to which opaque case, not what it contains.
    changes = (
        {"operation": {"label": "opération", "old": "", "new": reason}}
        if action == AuditAction.UPDATE
        else {}
    )
    audit.record(
        acting_user=acting_user,
        action=action,
        instance=instance,
        changes=changes,
        parent=group,
        department=group.department,
    )


def _birth_date_text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError({"birth_date": "Saisissez une date valide."}) from None


@transaction.atomic
def open_case(
    *, acting_user, member: GroupMember, data: dict, channel: str = AccessChannel.PAGE
) -> Case:
    """A new case in the member's group; the référent is a member of the group (the author by default)."""
    group = member.group
    referent = data.get("referent") or member
    if referent.group_id != group.pk or not referent.is_current(timezone.localdate()):
        raise ValidationError({"referent": "Le référent de parcours doit être membre du groupe."})
    case = Case(group=group, referent=referent)
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    case.last_name = (case.last_name or "").strip()
    case.first_name = (case.first_name or "").strip()
    case.birth_date = _birth_date_text(data.get("birth_date"))
    case.opened_on = case.opened_on or timezone.localdate()
    case.full_clean(exclude=["name_hash"])
    case.name_hash = name_hash(f"{case.last_name} {case.first_name}")
    case.save()
    assigned = [m for m in data.get("assigned", []) if m.group_id == group.pk]
    case.assigned.set(assigned)
    access_log.record_access(
        user=acting_user, group=group, case=case, action=AccessAction.CREATE, channel=channel
    )
    _audit(acting_user, AuditAction.CREATE, case, group)
    return case


@transaction.atomic
def add_entry(
    *, acting_user, member: GroupMember, case: Case, data: dict, channel: str = AccessChannel.PAGE
) -> CaseEntry:
    """A dated entry; a "secret" one only by someone who may read secret entries of this case."""
    if member.group_id != case.group_id:
        raise PermissionDenied
    if case.closed_on is not None:
        raise ValidationError(
            {"date": "Ce dossier est clos : rouvrez-le pour y ajouter une entrée."}
        )
    level = data.get("level") or Level.CONFIDENTIAL
    if level == Level.SECRET and not can_read_secret(member, case):
        raise ValidationError(
            {
                "level": "Seuls les professionnels de l'action sociale désignés et le coordonnateur écrivent au niveau secret."
            }
        )
    entry = CaseEntry(case=case, level=level, author=acting_user)
    for name in ("date", "situation", "orientation", "actions", "next_review_on"):
        if name in data:
            setattr(entry, name, data[name])
    if not (entry.situation or entry.orientation or entry.actions):
        raise ValidationError(
            {"situation": "Décrivez au moins la situation, l'orientation ou les actions."}
        )
    entry.full_clean()
    entry.save()
    access_log.record_access(
        user=acting_user, group=case.group, case=case, action=AccessAction.UPDATE, channel=channel
    )
    _audit(acting_user, AuditAction.UPDATE, case, case.group, reason="ajout d'une entrée")
    return entry


@transaction.atomic
def close_case(
    *, acting_user, member: GroupMember, case: Case, reason: str, closed_on=None
) -> Case:
    if member.group_id != case.group_id:
        raise PermissionDenied
    if reason not in ClosureReason.values:
        raise ValidationError({"closure_reason": "Choisissez le motif de clôture."})
    case.closed_on = closed_on or timezone.localdate()
    case.closure_reason = reason
    case.save(update_fields=["closed_on", "closure_reason", "updated_at"])
    access_log.record_access(
        user=acting_user, group=case.group, case=case, action=AccessAction.UPDATE
    )
    _audit(acting_user, AuditAction.UPDATE, case, case.group, reason="clôture")
    return case


@transaction.atomic
def record_information(
    *, acting_user, member: GroupMember, case: Case, informed_on, how: str
) -> Case:
    """The person (or their legal representative) was told of the follow-up: when and how."""
    if member.group_id != case.group_id:
        raise PermissionDenied
    case.informed_on, case.informed_how = informed_on, how
    case.full_clean(exclude=["name_hash"])
    case.save(update_fields=["informed_on", "informed_how", "updated_at"])
    access_log.record_access(
        user=acting_user, group=case.group, case=case, action=AccessAction.UPDATE
    )
    _audit(acting_user, AuditAction.UPDATE, case, case.group, reason="information de la personne")
    return case


def read_case(*, user, case: Case, channel: str = AccessChannel.PAGE) -> None:
    """Log a read of the case (page, export, API)."""
    access_log.record_access(
        user=user, group=case.group, case=case, action=AccessAction.READ, channel=channel
    )


def find_cases(*, user, member: GroupMember, name: str):
    """Cases of the member's group whose "last first" name matches exactly (after normalisation), by keyed hash."""
    digest = name_hash(name)
    return (
        Case.objects.filter(group=member.group, name_hash=digest) if digest else Case.objects.none()
    )


@transaction.atomic
def set_controller_summary(*, acting_user, member: GroupMember, text: str) -> CaseGroup:
    """The coordinator writes the strictly necessary summary the controller (mayor, prefect) reads."""
    if not perms.can_manage_group(member):
        raise PermissionDenied
    group = member.group
    before = audit.snapshot(group, ["controller_summary"])
    group.controller_summary = text.strip()
    group.full_clean(exclude=["rules_file"])
    group.save(update_fields=["controller_summary", "updated_at"])
    audit.record_update(
        acting_user=acting_user, instance=group, before=before, department=group.department
    )
    return group
