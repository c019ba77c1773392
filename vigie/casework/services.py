"""Writes of the nominative groups: set-up, members, charter versions and acceptances, rules document.

Every write is audited in its own transaction (vigie.audit.services). The audit entries name the group and the
member accounts, never a person followed.
"""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.accounts import sessions
from vigie.audit import services as audit
from vigie.casework import perms
from vigie.casework.access import current_membership
from vigie.casework.charter import MODEL_CHARTER
from vigie.casework.enums import GroupKind
from vigie.casework.models import CaseGroup, CharterAcceptance, CharterVersion, GroupMember
from vigie.core import uploads
from vigie.governance.enums import BodyKind

RULES_FORMATS = (uploads.PDF, uploads.ODT, uploads.DOCX)
BODY_KINDS = {
    GroupKind.COUNCIL_GROUP: {BodyKind.CLSPD, BodyKind.CISPD},
    GroupKind.VICTIMS_CELL: {BodyKind.ISCG_CELL},
}


def _check_body(kind: str, body, department) -> None:
    if body.department_id != department.pk:
        raise ValidationError({"body": "Cette instance n'appartient pas au département du groupe."})
    if body.kind not in BODY_KINDS[kind]:
        expected = (
            "un CLSPD ou un CISPD" if kind == GroupKind.COUNCIL_GROUP else "la cellule de l'ISCG"
        )
        raise ValidationError({"body": f"Un groupe de cette nature dépend de {expected}."})


@transaction.atomic
def create_group(*, acting_user, department, body, kind: str, data: dict) -> CaseGroup:
    """A new group, with the model charter as its version 1 (members accept it before seeing anything)."""
    if not perms.can_create_group(acting_user, department.pk):
        raise PermissionDenied
    _check_body(kind, body, department)
    group = CaseGroup(department=department, body=body, kind=kind)
    for name in (
        "name",
        "controller",
        "controller_title",
        "retention_months",
        "log_retention_months",
    ):
        if name in data:
            setattr(group, name, data[name])
    group.full_clean(exclude=["rules_file"])
    group.save()
    audit.record_create(acting_user=acting_user, instance=group, department=department)
    _add_charter_version(acting_user=acting_user, group=group, text=MODEL_CHARTER)
    return group


@transaction.atomic
def set_rules_document(
    *, acting_user, group: CaseGroup, member: GroupMember | None, upload
) -> CaseGroup:
    """The group's rules (règlement intérieur), checked by vigie.core.uploads, kept in the private storage."""
    if not perms.can_manage_group(member) or member.group_id != group.pk:
        raise PermissionDenied
    try:
        uploads.check_file(upload.name, upload.size, uploads.read_head(upload), RULES_FORMATS)
    except uploads.UploadRefused as error:
        raise ValidationError({"rules_file": error.message}) from None
    before = audit.snapshot(group)
    name = PurePath(upload.name).name
    group.rules_original_name = name[:255]
    group.rules_file.save(name, upload, save=False)
    group.save()
    audit.record_update(
        acting_user=acting_user, instance=group, before=before, department=group.department
    )
    return group


@transaction.atomic
def add_member(
    *, acting_user, group: CaseGroup, manager: GroupMember | None, user, role: str, start_date=None
) -> GroupMember:
    """A new member (set up by the prefecture when the group is created, then by the coordinator)."""
    if not (
        (perms.can_manage_group(manager) and manager.group_id == group.pk)
        or perms.can_create_group(acting_user, group.department_id)
    ):
        raise PermissionDenied
    today = timezone.localdate()
    if GroupMember.objects.filter(group=group, user=user).exclude(end_date__lte=today).exists():
        raise ValidationError({"user": "Cette personne est déjà membre du groupe."})
    member = GroupMember(group=group, user=user, role=role, start_date=start_date or today)
    member.full_clean()
    member.save()
    audit.record_create(
        acting_user=acting_user, instance=member, parent=group, department=group.department
    )
    return member


@transaction.atomic
def end_membership(
    *, acting_user, member: GroupMember, manager: GroupMember | None, reason: str = ""
) -> int:
    """End a membership today: access stops at once, and every session of the person ends (they sign in again,
    without the group). Returns the number of sessions ended."""
    group = member.group
    if not (
        (perms.can_manage_group(manager) and manager.group_id == group.pk)
        or perms.can_create_group(acting_user, group.department_id)
    ):
        raise PermissionDenied
    before = audit.snapshot(member)
    member.end_date = timezone.localdate()
    member.save(update_fields=["end_date", "updated_at"])
    audit.record_update(
        acting_user=acting_user,
        instance=member,
        before=before,
        parent=group,
        department=group.department,
        reason=reason,
    )
    return sessions.end_sessions(member.user)


def _add_charter_version(*, acting_user, group: CaseGroup, text: str) -> CharterVersion:
    last = group.charter_versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = CharterVersion(
        group=group, number=last + 1, text=text.strip(), created_by=acting_user
    )
    version.full_clean()
    version.save()
    audit.record_create(
        acting_user=acting_user, instance=version, parent=group, department=group.department
    )
    return version


@transaction.atomic
def publish_charter(
    *, acting_user, group: CaseGroup, manager: GroupMember | None, text: str
) -> CharterVersion:
    """A new version of the charter: from now on every member (its author included) accepts it again."""
    if not perms.can_manage_group(manager) or manager.group_id != group.pk:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "Saisissez le texte de la charte."})
    current = group.current_charter()
    if current is not None and current.text == text.strip():
        raise ValidationError({"text": "Le texte est identique à la version en vigueur."})
    # Serialise concurrent publications: the group row is locked while the next number is chosen.
    CaseGroup.objects.select_for_update().filter(pk=group.pk).first()
    return _add_charter_version(acting_user=acting_user, group=group, text=text)


@transaction.atomic
def accept_charter(*, acting_user, group: CaseGroup, version: CharterVersion) -> CharterAcceptance:
    """Record that a current member accepted this version (it must be the current one)."""
    if current_membership(acting_user, group) is None:
        raise PermissionDenied
    current = group.current_charter()
    if current is None or version.pk != current.pk:
        raise ValidationError(
            {"version": "Une nouvelle version de la charte a été publiée : lisez-la."}
        )
    acceptance, created = CharterAcceptance.objects.get_or_create(
        version=version, user=acting_user, defaults={"accepted_at": timezone.now()}
    )
    if created:
        audit.record_create(
            acting_user=acting_user, instance=acceptance, parent=group, department=group.department
        )
    return acceptance
