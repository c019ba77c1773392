"""Serializers of the public API (indicators and their values)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigie.api.params import ID_SCHEMA, MAX_ID
from vigie.indicators import periods
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import Campaign, Indicator, IndicatorValue
from vigie.indicators.numbers import MAX_ABS


class IndicatorSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="measure.axis.plan_id", read_only=True)
    measure_number = serializers.CharField(source="measure.number", read_only=True)
    responsible_organisation = serializers.StringRelatedField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "measure",
            "measure_number",
            "label",
            "description",
            "unit",
            "periodicity",
            "territorial_level",
            "aggregation",
            "direction",
            "baseline_period",
            "baseline_value",
            "target_period",
            "target_value",
            "responsible_organisation",
            "is_computed",
            "numerator",
            "denominator_kind",
            "denominator",
            "factor",
            "is_demo",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField)
    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_monitoring_url()
        return request.build_absolute_uri(path) if request else path


class TerritorySerializer(serializers.Serializer):
    level = serializers.CharField(help_text="department, epci ou commune")
    code = serializers.CharField(help_text="Code INSEE (département, commune) ou SIREN (EPCI)")
    name = serializers.CharField()


class ValueSerializer(serializers.ModelSerializer):
    territory = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "campaign",
            "period",
            "territory",
            "value",
            "is_below_threshold",
            "status",
            "comment",
            "review_comment",
            "source",
            "is_demo",
            "submitted_at",
            "validated_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TerritorySerializer)
    def get_territory(self, obj) -> dict:
        if obj.commune_id:
            return {"level": "commune", "code": obj.commune.code, "name": obj.commune.name}
        if obj.epci_id:
            return {"level": "epci", "code": obj.epci.code, "name": obj.epci.name}
        return {"level": "department", "code": obj.department.code, "name": obj.department.name}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_below_threshold:
            data["value"] = (
                None  # a count of 1 to 4 people is never published: is_below_threshold says « < 5 »
            )
        return data


@extend_schema_field(ID_SCHEMA)
class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key checked before the lookup: an integer (or its digits) from 1 to 2**63 − 1.

    Anything else is the usual French 400 of the field, never a database error nor a rounded float.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not text.isascii() or not text.isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= int(text) <= MAX_ID:
            self.fail("does_not_exist", pk_value=text)
        return super().to_internal_value(int(text))


class ValueSubmitSerializer(serializers.Serializer):
    """Enter (or correct) one value in an open campaign; `submit` sends it to the prefecture."""

    campaign = IdRelatedField(queryset=Campaign.objects.select_related("plan__department"))
    indicator = IdRelatedField(queryset=Indicator.objects.select_related("measure__axis__plan"))
    territory = serializers.CharField(
        max_length=9,
        help_text="Code du territoire : département (32), commune (32013) ou EPCI (200066926).",
    )
    period = serializers.CharField(max_length=10, help_text="2025, 2025-S1, 2025-T2 ou 2025-03.")
    value = serializers.DecimalField(
        max_digits=16, decimal_places=4, max_value=MAX_ABS, min_value=-MAX_ABS
    )
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(
        default=True, help_text="Soumettre à la préfecture (sinon brouillon)."
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Motif, obligatoire pour corriger une valeur validée.",
    )


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "plan",
            "title",
            "period_start",
            "period_end",
            "deadline",
            "status",
            "is_demo",
        ]
        read_only_fields = fields


STATUS_HELP = ", ".join(ValueStatus.values)


class ErrorSerializer(serializers.Serializer):
    """403 and 404 bodies."""

    detail = serializers.CharField(help_text="Message en français.")


# 400 bodies: the invalid parameters or fields, each with its French messages
# ({"plan": ["…"]}, {"value": ["…"]}, {"detail": ["…"]}, {"territory": "…"}).
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Paramètres ou champs invalides, chacun avec son ou ses messages en français.",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}


class IndicatorDefinitionSerializer(serializers.ModelSerializer):
    """The parts of an indicator's definition that the API may change (PATCH, with If-Match)."""

    class Meta:
        model = Indicator
        fields = [
            "label",
            "description",
            "baseline_period",
            "baseline_value",
            "target_period",
            "target_value",
        ]

    def _period(self, value):
        value = periods.normalize(value or "")
        if value and periods.parse(value) is None:
            raise serializers.ValidationError(
                "Période invalide : écrivez 2024, 2024-S1, 2024-T2 ou 2024-03."
            )
        return value

    def validate_baseline_period(self, value):
        return self._period(value)

    def validate_target_period(self, value):
        return self._period(value)

    def validate_label(self, value):
        if not value.strip():
            raise serializers.ValidationError("Le libellé ne peut pas être vide.")
        return value

    def validate(self, attrs):
        merged = {name: getattr(self.instance, name) for name in self.Meta.fields} | attrs
        errors = {}
        if merged["target_value"] is not None and not merged["target_period"]:
            errors["target_period"] = ["Indiquez l'échéance de la cible."]
        if merged["baseline_value"] is not None and not merged["baseline_period"]:
            errors["baseline_period"] = ["Indiquez la période de la valeur de référence."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ChangeSerializer(serializers.Serializer):
    """One field changed by someone else, from the audit log."""

    date = serializers.DateTimeField()
    author = serializers.CharField()
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class StaleEditSerializer(serializers.Serializer):
    """412 body: the version given by If-Match is not the current one; nothing was written."""

    detail = serializers.CharField(help_text="Message en français.")
    current_version = serializers.IntegerField(
        help_text='Version enregistrée (l\'ETag est « "v<version>" »).'
    )
    changes = ChangeSerializer(many=True, help_text="Ce que d'autres ont changé depuis.")
