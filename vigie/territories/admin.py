from django.contrib import admin

from vigie.audit.admin_mixins import AuditedModelAdmin
from vigie.territories.models import Arrondissement, Commune, Department, Epci, Region, SecurityArea


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]


@admin.register(Arrondissement)
class ArrondissementAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "department"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "population"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "department", "epci", "population", "security_zone"]
    list_filter = ["security_zone", "department"]
    search_fields = ["code", "name"]
    list_select_related = ["department", "epci"]
    raw_id_fields = ["arrondissement", "epci"]


@admin.register(SecurityArea)
class SecurityAreaAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "department"]
    filter_horizontal = ["communes"]
