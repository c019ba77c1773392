"""Changes to an existing membership (role, end date) and the logged reading of the group's rules document.

Adding and ending a membership are in vigie.casework.services; this module keeps the coordinator's other changes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.accounts import sessions
from vigie.audit import services as audit
from vigie.casework import access_log, perms
from vigie.casework.enums import AccessAction, AccessChannel, MemberRole
from vigie.casework.models import CaseGroup, GroupMember


@transaction.atomic
def change_member(
    *, acting_user, member: GroupMember, manager: GroupMember | None, role: str, end_date=None
) -> GroupMember:
    """The coordinator changes another member's role or planned end date (today or later; today ends access
    and the person's sessions at once, as vigie.casework.services.end_membership does)."""
    group = member.group
    if not perms.can_manage_group(manager) or manager.group_id != group.pk:
        raise PermissionDenied
    if member.pk == manager.pk:
        raise ValidationError(
            {"role": "Votre propre participation est modifiée par un autre coordonnateur."}
        )
    today = timezone.localdate()
    if member.end_date is not None and member.end_date <= today:
        raise ValidationError({"end_date": "Cette participation a déjà pris fin."})
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choisissez un rôle."})
    if end_date is not None and end_date < today:
        raise ValidationError({"end_date": "La date de fin ne peut pas être passée."})
    if end_date is not None and end_date <= member.start_date:
        raise ValidationError({"end_date": "La date de fin doit suivre la date de début."})
    before = audit.snapshot(member, ["role", "end_date"])
    member.role, member.end_date = role, end_date
    member.full_clean()
    member.save(update_fields=["role", "end_date", "updated_at"])
    audit.record_update(
        acting_user=acting_user,
        instance=member,
        before=before,
        parent=group,
        department=group.department,
    )
    if end_date is not None and end_date <= today:
        sessions.end_sessions(member.user)
    return member


def read_rules_document(
    *, user, group: CaseGroup, member: GroupMember | None, channel: str = AccessChannel.PAGE
):
    """The rules document opened for a current member of the group (PermissionDenied otherwise, or when there is
    none); the reading is written in the access log first."""
    if member is None or member.group_id != group.pk or not group.rules_file:
        raise PermissionDenied
    handle = group.rules_file.open("rb")
    try:
        access_log.record_access(user=user, group=group, action=AccessAction.READ, channel=channel)
    except BaseException:
        handle.close()
        raise
    return handle
