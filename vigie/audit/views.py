"""Audit log export (CSV) for national administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from vigie.audit.models import AuditEntry
from vigie.audit.perms import can_export_audit
from vigie.core.spreadsheets import CSV_TYPE, csv_lines

CSV_HEADER = [
    "date",
    "auteur",
    "opération",
    "type d'objet",
    "objet",
    "champ",
    "ancienne valeur",
    "nouvelle valeur",
    "motif",
]


def _object_type(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def audit_rows(entries):
    """One row per changed field; an entry without detail gives one row with empty change columns."""
    yield CSV_HEADER
    for entry in entries:
        base = [
            timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
            entry.actor_repr or "système",
            entry.get_action_display(),
            _object_type(entry),
            entry.object_repr,
        ]
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if not changes:
            yield [*base, "", "", "", entry.reason]
        for change in changes.values():
            if not isinstance(change, dict):
                continue
            yield [
                *base,
                change.get("label", ""),
                change.get("old", ""),
                change.get("new", ""),
                entry.reason,
            ]


@login_required
def export(request):
    if not can_export_audit(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type").order_by("created_at", "pk")
    suffix = "complet"
    code = request.GET.get("departement", "").strip()
    if code:
        department = get_object_or_404(
            AuditEntry._meta.get_field("department").related_model, code=code
        )
        entries = entries.filter(department=department)
        suffix = department.code
    rows = audit_rows(entries.iterator(chunk_size=2000))
    response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_TYPE)
    filename = f"vigie-journal-{suffix}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
