"""Every write to governance data goes through here, with its audit entry in the same transaction.

Edits of bodies, meetings, decisions and scheme follow-up take `read_version`, the version the person
read (see `vigie.core.concurrency`): a stale one raises StaleEdit and writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.core.concurrency import claim
from vigie.governance.enums import CLOSED_FOLLOW_UP_STATUSES, COMPUTED_SCHEMES, FollowUpStatus
from vigie.governance.models import (
    Body,
    BodyMember,
    Decision,
    Meeting,
    SchemeFigure,
    SchemeRecord,
    SchemeTarget,
)
from vigie.territories.models import Commune, Department


def _stored(instance):
    """The object as saved: forms may already have changed the instance in memory."""
    return type(instance)._default_manager.get(pk=instance.pk)


def _before(instance, names) -> dict:
    concrete = _concrete(instance)
    return audit.snapshot(_stored(instance), [name for name in names if name in concrete])


def _apply(instance, data: dict, read_version: int | None = None) -> dict:
    before = _before(instance, data)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    _save_if_changed(instance, before, read_version)
    return before


def _save_if_changed(instance, before: dict, read_version: int | None) -> None:
    """Save under the next version (StaleEdit when `read_version` is stale); nothing if unchanged."""
    if audit.snapshot(instance, list(before)) != before:
        claim(instance, read_version)
        instance.save()


def _concrete(instance) -> set[str]:
    return {f.name for f in instance._meta.concrete_fields}


# --- Bodies and members --------------------------------------------------------------------------


def validate_body(body: Body) -> None:
    """Territory and parent coherent with the department (raised as field errors)."""
    errors = {}
    if body.commune_id and body.commune.department_id != body.department_id:
        errors["commune"] = "Cette commune n'appartient pas au département."
    if (
        body.epci_id
        and not body.epci.departments.filter(pk=body.department_id).exists()
        and not body.epci.communes.filter(department_id=body.department_id).exists()
    ):
        errors["epci"] = "Cette intercommunalité ne compte aucune commune du département."
    if body.parent_id:
        if body.parent_id == body.pk:
            errors["parent"] = "Une instance ne peut pas relever d'elle-même."
        elif body.parent.department_id != body.department_id:
            errors["parent"] = "L'instance de rattachement doit être du même département."
        elif body.parent.parent_id:
            errors["parent"] = (
                "Un groupe de travail relève d'une instance, pas d'un autre groupe de travail."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_body(*, acting_user, department: Department, data: dict) -> Body:
    body = Body(department=department, **data)
    validate_body(body)
    body.full_clean()
    body.save()
    audit.record_create(acting_user=acting_user, instance=body, department=department)
    return body


@transaction.atomic
def update_body(*, acting_user, body: Body, data: dict, read_version: int | None = None) -> Body:
    before = _before(body, data)
    for name, value in data.items():
        setattr(body, name, value)
    validate_body(body)
    body.full_clean()
    _save_if_changed(body, before, read_version)
    audit.record_update(
        acting_user=acting_user, instance=body, before=before, department=body.department
    )
    return body


@transaction.atomic
def add_body_member(*, acting_user, body: Body, data: dict) -> BodyMember:
    member = BodyMember(body=body, **data)
    errors = {}
    if member.organisation_id and member.organisation.department_id not in (
        None,
        body.department_id,
    ):
        errors["organisation"] = "Cette organisation relève d'un autre département."
    if member.user_id and member.user.department_id != body.department_id:
        errors["user"] = "Cette personne ne travaille pas dans le département."
    if errors:
        raise ValidationError(errors)
    member.full_clean()
    member.save()
    audit.record_create(
        acting_user=acting_user, instance=member, parent=body, department=body.department
    )
    return member


@transaction.atomic
def remove_body_member(*, acting_user, member: BodyMember) -> None:
    body = member.body
    audit.record_delete(
        acting_user=acting_user, instance=member, parent=body, department=body.department
    )
    member.delete()


# --- Meetings and decisions ----------------------------------------------------------------------


def _set_attendees(meeting: Meeting, attendees) -> None:
    if attendees is not None:
        meeting.attendees.set(attendees)


@transaction.atomic
def create_meeting(*, acting_user, body: Body, data: dict, attendees=None) -> Meeting:
    meeting = Meeting(
        body=body, created_by=acting_user if acting_user and acting_user.is_authenticated else None
    )
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    _set_attendees(meeting, attendees)
    entry = audit.record_create(
        acting_user=acting_user, instance=meeting, parent=body, department=body.department
    )
    if attendees:
        entry.changes["attendees"] = {
            "label": "organisations présentes",
            "old": "",
            "new": ", ".join(sorted(str(o) for o in attendees)),
        }
        entry.save(update_fields=["changes"])
    return meeting


@transaction.atomic
def update_meeting(
    *, acting_user, meeting: Meeting, data: dict, attendees=None, read_version: int | None = None
) -> Meeting:
    old_attendees = sorted(str(o) for o in meeting.attendees.all())
    stored_file = _stored(meeting).minutes_file
    old_file = stored_file.name if stored_file else ""
    before = _before(meeting, data)
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    new_attendees = old_attendees if attendees is None else sorted(str(o) for o in attendees)
    if audit.snapshot(meeting, list(before)) == before and new_attendees == old_attendees:
        return meeting
    claim(meeting, read_version)
    meeting.save()
    _set_attendees(meeting, attendees)
    changes = audit.diff(meeting, before, audit.snapshot(meeting, list(before)))
    if new_attendees != old_attendees:
        changes["attendees"] = {
            "label": "organisations présentes",
            "old": ", ".join(old_attendees),
            "new": ", ".join(new_attendees),
        }
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=meeting,
        changes=changes,
        parent=meeting.body,
        department=meeting.body.department,
    )
    new_file = meeting.minutes_file.name if meeting.minutes_file else ""
    if old_file and old_file != new_file:
        storage = meeting.minutes_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return meeting


RESTRICTED_MINUTES_READ = "Consultation du compte rendu restreint"


@transaction.atomic
def record_restricted_minutes_read(*, acting_user, meeting: Meeting):
    """Log that `acting_user` downloaded the minutes file of a restricted meeting (who, when, which meeting).

    Called by the download view once access is granted and the file is open, never for a refused request.
    """
    return audit.record_read(
        acting_user=acting_user,
        instance=meeting,
        parent=meeting.body,
        department=meeting.body.department,
        reason=RESTRICTED_MINUTES_READ,
    )


def validate_decision(decision: Decision) -> None:
    errors = {}
    department_id = decision.meeting.body.department_id
    if decision.measure_id and decision.measure.axis.plan.department_id != department_id:
        errors["measure"] = "Cette mesure relève du plan d'un autre département."
    if decision.owner_id and decision.owner.department_id not in (None, department_id):
        errors["owner"] = "Cette organisation relève d'un autre département."
    if decision.is_followed and not (decision.owner_id or decision.owner_label.strip()):
        errors["owner"] = "Indiquez qui est responsable du suivi de cette décision."
    if errors:
        raise ValidationError(errors)


def _sync_closed_on(decision: Decision) -> None:
    if decision.status in CLOSED_FOLLOW_UP_STATUSES:
        decision.closed_on = decision.closed_on or timezone.localdate()
    else:
        decision.closed_on = None


@transaction.atomic
def create_decision(*, acting_user, meeting: Meeting, data: dict) -> Decision:
    last = meeting.decisions.order_by("-order").values_list("order", flat=True).first()
    decision = Decision(meeting=meeting, order=(last or 0) + 1, **data)
    validate_decision(decision)
    _sync_closed_on(decision)
    decision.full_clean()
    decision.save()
    audit.record_create(
        acting_user=acting_user,
        instance=decision,
        parent=meeting,
        department=meeting.body.department,
    )
    return decision


@transaction.atomic
def update_decision(
    *, acting_user, decision: Decision, data: dict, read_version: int | None = None
) -> Decision:
    before = _before(decision, [*data, "closed_on"])
    for name, value in data.items():
        setattr(decision, name, value)
    validate_decision(decision)
    _sync_closed_on(decision)
    decision.full_clean()
    _save_if_changed(decision, before, read_version)
    audit.record_update(
        acting_user=acting_user,
        instance=decision,
        before=before,
        parent=decision.meeting,
        department=decision.meeting.body.department,
    )
    return decision


def change_decision_status(
    *,
    acting_user,
    decision: Decision,
    status: str,
    note: str | None = None,
    read_version: int | None = None,
) -> Decision:
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": "État inconnu."})
    data = {"status": status}
    if note is not None:
        data["status_note"] = note
    return update_decision(
        acting_user=acting_user, decision=decision, data=data, read_version=read_version
    )


# --- Deployment of local schemes -----------------------------------------------------------------


def _check_scheme(scheme: str) -> None:
    if scheme in COMPUTED_SCHEMES:
        raise ValidationError(
            "La couverture CLSPD/CISPD se déduit des instances ; elle ne se saisit pas."
        )


@transaction.atomic
def set_scheme_record(
    *, acting_user, commune: Commune, scheme: str, data: dict, read_version: int | None = None
) -> SchemeRecord:
    """Create or update the state of a scheme in a commune (`read_version`: of the record updated)."""
    _check_scheme(scheme)
    record = SchemeRecord.objects.filter(scheme=scheme, commune=commune).first()
    department = commune.department
    if record is None:
        record = SchemeRecord(department=department, scheme=scheme, commune=commune, **data)
        record.full_clean()
        record.save()
        audit.record_create(acting_user=acting_user, instance=record, department=department)
        return record
    before = _apply(record, data, read_version)
    audit.record_update(
        acting_user=acting_user, instance=record, before=before, department=department
    )
    return record


@transaction.atomic
def add_unresolved_scheme_record(
    *,
    acting_user,
    department: Department,
    scheme: str,
    source_label: str,
    candidates: list[str],
    data: dict,
) -> SchemeRecord:
    """A record whose commune a person still has to identify ("à rapprocher")."""
    _check_scheme(scheme)
    record = SchemeRecord(
        department=department,
        scheme=scheme,
        commune=None,
        source_label=source_label,
        candidates=",".join(candidates),
        **data,
    )
    record.full_clean()
    record.save()
    audit.record_create(acting_user=acting_user, instance=record, department=department)
    return record


@transaction.atomic
def resolve_scheme_record(
    *, acting_user, record: SchemeRecord, communes: list[Commune]
) -> list[SchemeRecord]:
    """Give an unresolved record its commune(s): "SAMATAN PANASSAC" may be Samatan, Panassac, or both."""
    if record.commune_id is not None:
        raise ValidationError("Cette ligne est déjà rapprochée d'une commune.")
    if not communes:
        raise ValidationError({"communes": "Choisissez au moins une commune."})
    errors = []
    for commune in communes:
        if commune.department_id != record.department_id:
            errors.append(f"{commune.name} n'appartient pas au département.")
        elif SchemeRecord.objects.filter(scheme=record.scheme, commune=commune).exists():
            errors.append(f"{commune.name} a déjà un état pour ce dispositif.")
    if errors:
        raise ValidationError({"communes": errors})
    note = f"Rapproché de « {record.source_label} » ({record.source})."
    created = []
    for commune in communes:
        created.append(
            set_scheme_record(
                acting_user=acting_user,
                commune=commune,
                scheme=record.scheme,
                data={
                    "state": record.state,
                    "cameras": record.cameras if len(communes) == 1 else None,
                    "as_of": record.as_of,
                    "source": record.source,
                    "source_label": record.source_label,
                    "note": "\n".join(filter(None, [record.note, note])),
                },
            )
        )
    audit.record_delete(
        acting_user=acting_user,
        instance=record,
        department=record.department,
        reason="Rapprochement avec " + ", ".join(c.name for c in communes),
    )
    record.delete()
    return created


@transaction.atomic
def set_scheme_target(
    *,
    acting_user,
    department: Department,
    scheme: str,
    data: dict,
    read_version: int | None = None,
) -> SchemeTarget:
    target = SchemeTarget.objects.filter(department=department, scheme=scheme).first()
    if target is None:
        target = SchemeTarget(department=department, scheme=scheme, **data)
        target.full_clean()
        target.save()
        audit.record_create(acting_user=acting_user, instance=target, department=department)
        return target
    before = _apply(target, data, read_version)
    audit.record_update(
        acting_user=acting_user, instance=target, before=before, department=department
    )
    return target


@transaction.atomic
def delete_scheme_target(
    *, acting_user, target: SchemeTarget, read_version: int | None = None
) -> None:
    claim(target, read_version)
    audit.record_delete(acting_user=acting_user, instance=target, department=target.department)
    target.delete()


@transaction.atomic
def record_scheme_figure(
    *, acting_user, department: Department, scheme: str, data: dict
) -> SchemeFigure:
    figure = SchemeFigure(department=department, scheme=scheme, **data)
    figure.full_clean()
    figure.save()
    audit.record_create(acting_user=acting_user, instance=figure, department=department)
    return figure
