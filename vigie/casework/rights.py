"""The rights of the person followed (RGPD art. 15 to 21), exercised through the group's coordinator
(vigie.casework.perms.can_handle_rights):

- access: everything held on the person exported (JSON or PDF, vigie.casework.rights_export), the date of the
  request recorded (AccessRequest);
- rectification: identity and case fields corrected, each old → new value kept in the case's rectification
  history, encrypted (CaseRectification) and shown to the group; the audit log says which field was rectified,
  never a value;
- erasure on a justified objection: the case, its entries and its history deleted; the justification (a ground
  from a fixed list and a text that may not name the person) stays in the audit log.

Each is appended to the access log (export, rectification, erasure) and audited in the same transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework import access_log, perms, rights_export
from vigie.casework.crypto import name_hash, normalise_name
from vigie.casework.enums import AccessAction, AccessChannel, ErasureGround, ExportFormat
from vigie.casework.models import Case, GroupMember
from vigie.casework.rights_models import AccessRequest, CaseRectification
from vigie.core.formatting import MONTHS, french_date

RECTIFIABLE_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "commune",
    "referral_reason",
    "referral_source",
    "opened_on",
)
NAME_FIELDS = {"last_name", "first_name"}
JUSTIFICATION_MIN_LENGTH = 20


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes


def _check(member: GroupMember, case: Case) -> None:
    if member is None or member.group_id != case.group_id or not perms.can_handle_rights(member):
        raise PermissionDenied


def _check_request_date(field: str, day, *, required: bool) -> None:
    if day is None:
        if required:
            raise ValidationError({field: "Saisissez la date de la demande de la personne."})
        return
    if day > timezone.localdate():
        raise ValidationError({field: "La date de la demande ne peut pas être dans le futur."})


@transaction.atomic
def export_case(
    *, acting_user, member: GroupMember, case: Case, requested_on, export_format: str
) -> Export:
    """Everything held on the person, for their access request (received on `requested_on`)."""
    _check(member, case)
    _check_request_date("requested_on", requested_on, required=True)
    if export_format not in ExportFormat.values:
        raise ValidationError({"export_format": "Choisissez le format de l'export."})
    request = AccessRequest.objects.create(
        case=case, requested_on=requested_on, export_format=export_format, answered_by=acting_user
    )
    access_log.record_access(
        user=acting_user,
        group=case.group,
        case=case,
        action=AccessAction.EXPORT,
        channel=AccessChannel.EXPORT,
    )
    audit.record_create(
        acting_user=acting_user,
        instance=request,
        parent=case.group,
        department=case.group.department,
        reason="Export pour une demande d'accès de la personne",
    )
    data = rights_export.case_data(member, case, request=request)
    stem = f"donnees-dossier-{case.public_id.hex[:8]}-{timezone.localdate():%Y%m%d}"
    if export_format == ExportFormat.JSON:
        return Export(f"{stem}.json", "application/json", rights_export.render_json(data))
    return Export(f"{stem}.pdf", "application/pdf", rights_export.render_pdf(data))


def value_text(case: Case, name: str) -> str:
    """A rectifiable field's value as kept in the history: text, choices by their label, dates ISO."""
    if name == "commune":
        return f"{case.commune.name} ({case.commune.code})" if case.commune_id else ""
    if name in ("referral_reason", "referral_source"):
        return getattr(case, f"get_{name}_display")()
    value = getattr(case, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _cleaned(name: str, value):
    if name in NAME_FIELDS:
        return (value or "").strip()
    if name == "birth_date":
        return value.isoformat() if isinstance(value, datetime.date) else (value or "")
    return value


@transaction.atomic
def rectify_case(
    *, acting_user, member: GroupMember, case: Case, data: dict, requested_on=None
) -> list[CaseRectification]:
    """Set the rectified values; each changed field leaves an encrypted old → new row in the case's history."""
    _check(member, case)
    _check_request_date("requested_on", requested_on, required=False)
    before = {name: value_text(case, name) for name in RECTIFIABLE_FIELDS}
    for name in RECTIFIABLE_FIELDS:
        if name in data:
            setattr(case, name, _cleaned(name, data[name]))
    case.full_clean(exclude=["name_hash"])
    changed = [name for name in RECTIFIABLE_FIELDS if value_text(case, name) != before[name]]
    if not changed:
        raise ValidationError({NON_FIELD_ERRORS: "Aucune valeur n'a changé : rien à rectifier."})
    if NAME_FIELDS & set(changed):
        case.name_hash = name_hash(f"{case.last_name} {case.first_name}")
    case.save()
    rows = [
        CaseRectification.objects.create(
            case=case,
            field=name,
            old_value=before[name],
            new_value=value_text(case, name),
            requested_on=requested_on,
            rectified_by=acting_user,
        )
        for name in changed
    ]
    access_log.record_access(
        user=acting_user, group=case.group, case=case, action=AccessAction.RECTIFICATION
    )
    # Which fields, never their values (those are in the encrypted history).
    changes = {
        name: {
            "label": str(Case._meta.get_field(name).verbose_name),
            "old": "",
            "new": "valeur rectifiée (historique chiffré du dossier)",
        }
        for name in changed
    }
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=case,
        changes=changes,
        parent=case.group,
        department=case.group.department,
        reason="Rectification à la demande de la personne" if requested_on else "Rectification",
    )
    return rows


def rectification_history(*, user, member: GroupMember, case: Case):
    """The case's rectification history, for the members of its group (a read of named data: logged)."""
    if member is None or member.group_id != case.group_id:
        raise PermissionDenied
    access_log.record_access(user=user, group=case.group, case=case, action=AccessAction.READ)
    return case.rectifications.select_related("rectified_by")


def _identity_tokens(case: Case) -> list[str]:
    """What may not appear in a justification kept after the erasure: the name's words, the birth date's forms."""
    tokens = [
        f" {word} "
        for part in (case.last_name, case.first_name)
        for word in normalise_name(part or "").split()
        if len(word) >= 2
    ]
    if case.birth_date:
        born = datetime.date.fromisoformat(case.birth_date)
        for form in (
            born.isoformat(),
            f"{born:%d/%m/%Y}",
            f"{born.day} {MONTHS[born.month - 1]} {born.year}",
            french_date(born),
        ):
            tokens.append(f" {normalise_name(form)} ")
    return tokens


def names_the_person(text: str, case: Case) -> bool:
    padded = f" {normalise_name(text)} "
    return any(token in padded for token in _identity_tokens(case))


@transaction.atomic
def erase_case(
    *, acting_user, member: GroupMember, case: Case, ground: str, justification: str
) -> None:
    """Delete the case with its entries and history, on a justified objection (or another ground of the list).
    The access log keeps the erasure (opaque id); the audit log keeps the ground and justification, no name."""
    _check(member, case)
    text = " ".join((justification or "").split())
    errors = {}
    if ground not in ErasureGround.values:
        errors["ground"] = "Choisissez le motif de l'effacement."
    if len(text) < JUSTIFICATION_MIN_LENGTH:
        errors["justification"] = (
            f"Justifiez l'effacement (au moins {JUSTIFICATION_MIN_LENGTH} caractères)."
        )
    elif names_the_person(text, case):
        errors["justification"] = (
            "La justification reste dans le journal d'audit après l'effacement : elle ne doit contenir ni le "
            "nom, ni le prénom, ni la date de naissance de la personne."
        )
    if errors:
        raise ValidationError(errors)
    group = case.group
    access_log.record_access(user=acting_user, group=group, case=case, action=AccessAction.ERASURE)
    audit.record(
        acting_user=acting_user,
        action=AuditAction.DELETE,
        instance=case,
        parent=group,
        department=group.department,
        reason=f"Effacement ({ErasureGround(ground).label.lower()}) : {text}",
    )
    case.assigned.clear()
    case.delete()
