"""Django admin edits are state changes too: record them in the audit log."""

from django.db import transaction

from vigie.audit import services as audit
from vigie.core.concurrency import bump_version


def _department_of(obj):
    for path in (
        "department",
        "plan.department",
        "axis.plan.department",
        "measure.axis.plan.department",
    ):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        if value is not None:
            return value
    return None


class AuditedModelAdmin:
    """Mixin for ModelAdmin: every save and delete goes into the audit log with old → new values."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change and obj.pk:
                previous = type(obj).objects.get(pk=obj.pk)
                before = audit.snapshot(previous)
                if hasattr(obj, "version") and audit.snapshot(obj) != before:
                    bump_version(obj)  # an edit form read before this change is now stale
                super().save_model(request, obj, form, change)
                audit.record_update(
                    acting_user=request.user,
                    instance=obj,
                    before=before,
                    department=_department_of(obj),
                    reason="Modification dans l'administration",
                )
            else:
                super().save_model(request, obj, form, change)
                audit.record_create(
                    acting_user=request.user,
                    instance=obj,
                    department=_department_of(obj),
                    reason="Création dans l'administration",
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record_delete(
                acting_user=request.user,
                instance=obj,
                department=_department_of(obj),
                reason="Suppression dans l'administration",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record_delete(
                    acting_user=request.user,
                    instance=obj,
                    department=_department_of(obj),
                    reason="Suppression dans l'administration",
                )
            super().delete_queryset(request, queryset)
