from django.contrib import admin

from vigie.audit.admin_mixins import AuditedModelAdmin
from vigie.organisations.models import GlossaryEntry, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "acronym", "aliases"]


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["acronym", "definition", "department"]
    list_filter = ["department"]
    search_fields = ["acronym", "definition"]
