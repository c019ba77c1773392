"""The region filter of the national overview."""

from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.territories.models import Region


class RegionFilterForm(DsfrBaseForm):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
        error_messages={"invalid_choice": "Cette région n'existe pas."},
    )
