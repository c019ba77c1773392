from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from vigie.accounts.models import User
from vigie.audit.admin_mixins import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "department",
        "organisation",
        "is_active",
    ]
    list_filter = ["role", "department", "is_active"]
    autocomplete_fields = ["organisation", "commune", "epci"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Rôle dans Vigie", {"fields": ("role", "department", "organisation", "commune", "epci")}),
    )
