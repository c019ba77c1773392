from django.contrib import admin

from vigie.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never editable."""

    list_display = [
        "created_at",
        "actor_repr",
        "action",
        "content_type",
        "object_repr",
        "department",
    ]
    list_filter = ["action", "content_type", "department"]
    search_fields = ["object_repr", "actor_repr"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
