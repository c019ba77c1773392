"""Writing to the audit log. Call these inside the transaction that changes the object."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.core.bulk import insert_rows


def _display(instance: models.Model, field: models.Field):
    """A readable, JSON-safe rendering of one field's value."""
    if field.choices:
        value = getattr(instance, field.attname)
        return str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else ""
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name)
        return str(related) if related is not None else ""
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


AUDIT_EXCLUDED_FIELDS = {"id", "created_at", "updated_at", "version", "password", "last_login"}


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, str]:
    """Readable values of the concrete fields of an object, to diff before/after a change."""
    result = {}
    for field in instance._meta.concrete_fields:
        if field.name in AUDIT_EXCLUDED_FIELDS or (fields is not None and field.name not in fields):
            continue
        result[field.name] = _display(instance, field)
    return result


def diff(instance: models.Model, before: dict[str, str], after: dict[str, str]) -> dict:
    changes = {}
    for name, new in after.items():
        old = before.get(name, "")
        if old != new:
            label = str(instance._meta.get_field(name).verbose_name)
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def _actor(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def _actor_repr(actor) -> str:
    return f"{actor} ({actor.username})" if actor else "système"


def record(
    *,
    acting_user,
    action: str,
    instance: models.Model,
    changes: dict | None = None,
    parent: models.Model | None = None,
    department=None,
    reason: str = "",
) -> AuditEntry | None:
    """Add one entry. An update that changed nothing is not recorded."""
    if action == AuditAction.UPDATE and not changes:
        return None
    actor = _actor(acting_user)
    return AuditEntry.objects.create(
        actor=actor,
        actor_repr=_actor_repr(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        parent_content_type=ContentType.objects.get_for_model(parent)
        if parent is not None
        else None,
        parent_object_id=str(parent.pk) if parent is not None else "",
        department=department,
        changes=changes or {},
        reason=reason[:500],
    )


def record_create(*, acting_user, instance, parent=None, department=None, reason=""):
    after = snapshot(instance)
    changes = {
        name: {"label": str(instance._meta.get_field(name).verbose_name), "old": "", "new": value}
        for name, value in after.items()
        if value != ""
    }
    return record(
        acting_user=acting_user,
        action=AuditAction.CREATE,
        instance=instance,
        changes=changes,
        parent=parent,
        department=department,
        reason=reason,
    )


def record_update(*, acting_user, instance, before: dict, parent=None, department=None, reason=""):
    changes = diff(instance, before, snapshot(instance, list(before)))
    return record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=instance,
        changes=changes,
        parent=parent,
        department=department,
        reason=reason,
    )


def record_delete(*, acting_user, instance, parent=None, department=None, reason=""):
    before = snapshot(instance)
    changes = {
        name: {"label": str(instance._meta.get_field(name).verbose_name), "old": value, "new": ""}
        for name, value in before.items()
        if value != ""
    }
    return record(
        acting_user=acting_user,
        action=AuditAction.DELETE,
        instance=instance,
        changes=changes,
        parent=parent,
        department=department,
        reason=reason,
    )


def record_read(*, acting_user, instance, parent=None, department=None, reason=""):
    """A consultation of sensitive data: who read which object, and when (the entry's date).

    Nothing changed, so the entry carries no field detail; `reason` says what was read (e.g. "Consultation du
    compte rendu restreint") and the history shows it as "<reason> par <auteur> le <date>". A read is always
    someone's: an anonymous or missing user is a programming error.
    """
    if acting_user is None or not acting_user.is_authenticated:
        raise ValueError("record_read needs the signed-in user who read the object.")
    return record(
        acting_user=acting_user,
        action=AuditAction.READ,
        instance=instance,
        parent=parent,
        department=department,
        reason=reason,
    )


@dataclass(frozen=True)
class PendingEntry:
    """One entry of `record_many`: an object of its model, known by primary key and text."""

    action: str
    object_id: int | str
    object_repr: str
    changes: dict
    parent_id: int | str | None = None


AUDIT_COLUMNS = [
    "created_at",
    "actor",
    "actor_repr",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "parent_content_type",
    "parent_object_id",
    "department",
    "changes",
    "reason",
]


def record_many(
    *,
    acting_user,
    model: type[models.Model],
    entries: list[PendingEntry],
    parent_model: type[models.Model] | None = None,
    department_id: int | None = None,
    reason: str = "",
) -> int:
    """Add many entries at once (imports of thousands of rows), in a few plain INSERTs.

    Every entry is about an object of `model` (parent: an object of `parent_model`, e.g. the measure of
    each value) in one department, by one actor, at one date, for one reason. Updates that changed
    nothing are skipped, as in `record`. Returns the number of entries written.
    """
    actor = _actor(acting_user)
    actor_id, actor_repr = (actor.pk if actor else None), _actor_repr(actor)
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    parent_type_id = ContentType.objects.get_for_model(parent_model).pk if parent_model else None
    now = timezone.now()
    rows = [
        (
            now,
            actor_id,
            actor_repr,
            entry.action,
            content_type_id,
            str(entry.object_id),
            entry.object_repr[:300],
            parent_type_id if entry.parent_id is not None else None,
            str(entry.parent_id) if entry.parent_id is not None else "",
            department_id,
            entry.changes or {},
            reason[:500],
        )
        for entry in entries
        if entry.action != AuditAction.UPDATE or entry.changes
    ]
    insert_rows(AuditEntry, AUDIT_COLUMNS, rows)
    return len(rows)


def history_for(instance: models.Model):
    """Entries about the object itself and about its children (e.g. a measure and its actions)."""
    ct = ContentType.objects.get_for_model(instance)
    pk = str(instance.pk)
    return (
        AuditEntry.objects.filter(
            models.Q(content_type=ct, object_id=pk)
            | models.Q(parent_content_type=ct, parent_object_id=pk)
        )
        .select_related("actor", "content_type")
        .order_by("-created_at", "-pk")
    )


def history_between(model: type[models.Model], object_ids, *, start: datetime, end: datetime):
    """Entries about the given objects of `model` written in [start, end), oldest first (what changed in a
    period, e.g. the state changes of a plan's actions for its annual review)."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return (
        AuditEntry.objects.filter(
            content_type=ct,
            object_id__in=[str(pk) for pk in object_ids],
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("content_type")
        .order_by("created_at", "pk")
    )


STALE_EDIT_ENTRY_LIMIT = 20


def changes_since(instance: models.Model, *, version: int) -> list[AuditEntry]:
    """What others changed on a versioned object since it was read at `version`, oldest first.

    Services and imports bump an object's version only when they change it, and record that change:
    the entries written since are the object's latest `instance.version - version` changes (at most
    STALE_EDIT_ENTRY_LIMIT). Each entry gets `change_list` (its changes as {"label", "old", "new"}).
    """
    count = min(max(instance.version - version, 0), STALE_EDIT_ENTRY_LIMIT)
    if not count:
        return []
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
            object_id=str(instance.pk),
        )
        .exclude(action=AuditAction.READ)
        .order_by("-created_at", "-pk")[:count]
    )
    for entry in entries:
        entry.change_list = list(entry.changes.values()) if isinstance(entry.changes, dict) else []
    return entries[::-1]
