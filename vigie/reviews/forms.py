"""DSFR forms of the review page: the prefecture's texts, and what to generate. Errors beside their field."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from vigie.reviews.enums import ReviewFormat, ReviewKind
from vigie.reviews.params import ReviewParams
from vigie.reviews.services import MAX_TEXT_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def axis_field_name(axis) -> str:
    return f"axe_{axis.pk}"


class ReviewTextsForm(DsfrBaseForm, forms.Form):
    """The introduction, then one comment per axis of the plan."""

    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le mot de la préfecture en tête du bilan.",
    )

    def __init__(self, *args, plan, axes, texts: dict, **kwargs):
        initial = {"introduction": texts.get(None, "")}
        for axis in axes:
            initial[axis_field_name(axis)] = texts.get(axis.pk, "")
        super().__init__(*args, initial=initial, **kwargs)
        self.plan = plan
        self.axes = axes
        for axis in axes:
            prefix = "Annexe" if axis.kind == "annex" else "Axe"
            self.fields[axis_field_name(axis)] = forms.CharField(
                label=f"Commentaire — {prefix} {axis.number} : {axis.title}",
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def changed_texts(self) -> list[tuple[object, str]]:
        """(axis or None, new text) for each text the person changed."""
        result = []
        if "introduction" in self.changed_data:
            result.append((None, self.cleaned_data["introduction"]))
        for axis in self.axes:
            name = axis_field_name(axis)
            if name in self.changed_data:
                result.append((axis, self.cleaned_data[name]))
        return result


class GenerateReviewForm(DsfrBaseForm, forms.Form):
    kind = forms.ChoiceField(
        label="Bilan",
        choices=[
            (ReviewKind.ANNUAL, "Bilan annuel (une année ou une période choisie)"),
            (ReviewKind.FINAL, "Bilan de fin de plan (toute la période du plan)"),
        ],
        initial=ReviewKind.ANNUAL,
        widget=forms.RadioSelect,
    )
    year = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Ou une période ci-dessous.",
    )
    date_from = forms.DateField(label="Début de la période", required=False, widget=DateInput)
    date_to = forms.DateField(label="Fin de la période", required=False, widget=DateInput)
    output_format = forms.ChoiceField(
        label="Format", choices=ReviewFormat.choices, initial=ReviewFormat.PDF
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        years = list(range(plan.period_start, plan.period_end + 1))
        self.fields["year"].choices = [("", "Période choisie ci-dessous")] + [
            (year, str(year)) for year in years
        ]
        self.fields["year"].initial = years[-1]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["kind"] == ReviewKind.FINAL:
            data["params"] = ReviewParams.for_whole_plan(self.plan)
            return data
        if data.get("year"):
            data["params"] = ReviewParams.for_year(self.plan, data["year"])
            return data
        missing = {
            name: "Indiquez une date, ou choisissez une année."
            for name in ("date_from", "date_to")
            if not data.get(name)
        }
        if missing:
            raise ValidationError(missing)
        try:
            data["params"] = ReviewParams(
                self.plan, ReviewKind.ANNUAL, data["date_from"], data["date_to"]
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict) from error
        return data
