"""The public, read-only API of the adopted plans: plans, axes, measures, actions, indicators and their
validated values. No account needed, throttled like the rest of the API; everyone, signed in or not,
gets the public view: adopted and closed plans only, nothing flagged non-public (nor the actions and
indicators of a non-public measure), validated values only, nothing personal."""

from django.urls import reverse
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from vigie.api.params import id_param, id_parameter
from vigie.api.serializers import ValueSerializer
from vigie.api.views import ID_PARAMETER, IdLookupMixin, responses
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.plans.models import Action, Axis, Measure, Plan
from vigie.plans.perms import PUBLIC_STATUSES


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class PublicPlanSerializer(serializers.ModelSerializer):
    department_code = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    progress_url = serializers.SerializerMethodField()
    data_package_url = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "department_code",
            "department_name",
            "title",
            "period_start",
            "period_end",
            "status",
            "signed_on",
            "updated_at",
            "progress_url",
            "data_package_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField)
    def get_progress_url(self, obj) -> str:
        return _absolute(self, reverse("progress:plan", args=[obj.pk]))

    @extend_schema_field(serializers.URLField)
    def get_data_package_url(self, obj) -> str:
        return _absolute(self, reverse("progress:data", args=[obj.pk]))


class PublicAxisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Axis
        fields = ["id", "plan", "kind", "number", "title", "national_axis", "order"]
        read_only_fields = fields


class PublicMeasureSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="axis.plan_id", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "axis",
            "number",
            "title",
            "actors_wording",
            "findings",
            "objectives",
            "national_objectives",
            "order",
            "updated_at",
        ]
        read_only_fields = fields


class PublicActionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="measure.axis.plan_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner = serializers.CharField(
        source="owner.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "measure",
            "title",
            "text",
            "status",
            "status_label",
            "owner",
            "due_date",
            "updated_at",
        ]
        read_only_fields = fields


class PublicIndicatorSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="measure.axis.plan_id", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "measure",
            "label",
            "unit",
            "periodicity",
            "territorial_level",
            "direction",
            "baseline_period",
            "baseline_value",
            "target_period",
            "target_value",
            "is_demo",
        ]
        read_only_fields = fields


class PublicValueSerializer(ValueSerializer):
    class Meta(ValueSerializer.Meta):
        fields = [
            "id",
            "indicator",
            "period",
            "territory",
            "value",
            "is_below_threshold",
            "is_demo",
            "validated_at",
        ]
        read_only_fields = fields


def public_plans():
    return Plan.objects.filter(status__in=PUBLIC_STATUSES)


def public_measures():
    return Measure.objects.filter(axis__plan__in=public_plans(), is_restricted=False)


def public_actions():
    return Action.objects.filter(measure__in=public_measures(), is_restricted=False)


def public_indicators():
    return Indicator.objects.filter(measure__in=public_measures(), is_restricted=False)


def _filtered(request, queryset, lookups: dict[str, str]):
    """Applies the optional identifier filters of the query string (400 naming a bad one)."""
    for name, lookup in lookups.items():
        value = id_param(request, name)
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    return queryset


def _id_filter(name: str, what: str):
    return id_parameter(name, f"Identifiant {what}")


def _schema(summary: str, serializer, filters=()):
    return extend_schema_view(
        list=extend_schema(
            summary=f"{summary} (public)",
            parameters=list(filters),
            responses=responses({200: serializer(many=True)}, 400, 403, 404),
            auth=[],
        ),
        retrieve=extend_schema(
            summary=f"{summary} : un élément (public)",
            parameters=[ID_PARAMETER],
            responses=responses({200: serializer}, 400, 403, 404),
            auth=[],
        ),
    )


class PublicViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    not_found = "Aucun élément public ne porte cet identifiant."
    filters: dict[str, str] = {}

    def get_queryset(self):
        return _filtered(self.request, self.base_queryset(), self.filters)


@_schema("Plans adoptés ou clos", PublicPlanSerializer)
class PublicPlanViewSet(PublicViewSet):
    serializer_class = PublicPlanSerializer

    def base_queryset(self):
        return (
            public_plans()
            .select_related("department")
            .order_by("department__code", "-period_start", "pk")
        )


@_schema("Axes des plans", PublicAxisSerializer, [_id_filter("plan", "du plan")])
class PublicAxisViewSet(PublicViewSet):
    serializer_class = PublicAxisSerializer
    filters = {"plan": "plan_id"}

    def base_queryset(self):
        return Axis.objects.filter(plan__in=public_plans()).order_by("plan_id", "order", "pk")


@_schema(
    "Mesures des plans",
    PublicMeasureSerializer,
    [_id_filter("plan", "du plan"), _id_filter("axis", "de l'axe")],
)
class PublicMeasureViewSet(PublicViewSet):
    serializer_class = PublicMeasureSerializer
    filters = {"plan": "axis__plan_id", "axis": "axis_id"}

    def base_queryset(self):
        return (
            public_measures()
            .select_related("axis")
            .order_by("axis__plan_id", "axis__order", "axis_id", "order", "pk")
        )


@_schema(
    "Actions des plans et leur état",
    PublicActionSerializer,
    [_id_filter("plan", "du plan"), _id_filter("measure", "de la mesure")],
)
class PublicActionViewSet(PublicViewSet):
    serializer_class = PublicActionSerializer
    filters = {"plan": "measure__axis__plan_id", "measure": "measure_id"}

    def base_queryset(self):
        return (
            public_actions()
            .select_related("measure__axis", "owner")
            .order_by("measure__axis__plan_id", "measure_id", "order", "pk")
        )


@_schema(
    "Indicateurs publics",
    PublicIndicatorSerializer,
    [_id_filter("plan", "du plan"), _id_filter("measure", "de la mesure")],
)
class PublicIndicatorViewSet(PublicViewSet):
    serializer_class = PublicIndicatorSerializer
    filters = {"plan": "measure__axis__plan_id", "measure": "measure_id"}

    def base_queryset(self):
        return (
            public_indicators()
            .select_related("measure__axis")
            .order_by("measure__axis__plan_id", "measure_id", "order", "pk")
        )


@_schema(
    "Valeurs validées des indicateurs publics",
    PublicValueSerializer,
    [_id_filter("plan", "du plan"), _id_filter("indicator", "de l'indicateur")],
)
class PublicValueViewSet(PublicViewSet):
    serializer_class = PublicValueSerializer
    filters = {"plan": "indicator__measure__axis__plan_id", "indicator": "indicator_id"}

    def base_queryset(self):
        return (
            IndicatorValue.objects.filter(
                indicator__in=public_indicators(), status=ValueStatus.VALIDATED
            )
            .select_related("department", "epci", "commune")
            .order_by("indicator_id", "period", "territory_key")
        )
