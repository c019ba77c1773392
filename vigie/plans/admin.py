from django.contrib import admin

from vigie.audit.admin_mixins import AuditedModelAdmin
from vigie.plans.models import Action, Axis, Measure, MeasureActor, Plan, Signatory


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["title", "department", "period_start", "period_end", "status"]
    list_filter = ["status", "department"]
    inlines = [SignatoryInline]


@admin.register(Axis)
class AxisAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind", "national_axis"]
    list_filter = ["kind", "plan__department"]


class MeasureActorInline(admin.TabularInline):
    model = MeasureActor
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["number", "title", "axis"]
    list_filter = ["axis__plan__department"]
    search_fields = ["number", "title"]
    inlines = [MeasureActorInline]


@admin.register(Action)
class ActionAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["__str__", "measure", "status", "owner", "due_date"]
    list_filter = ["status", "measure__axis__plan__department"]
    raw_id_fields = ["measure", "owner"]
