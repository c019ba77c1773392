"""DSFR forms of the letters (templates, signed copies) and of the final report. French errors beside fields."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads
from vigie.funding import letters
from vigie.funding.forms import money_field
from vigie.funding.models import LetterTemplate


class LetterTemplateForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = ", ".join(
            f"{{{name}}} ({meaning})" for name, meaning in letters.PLACEHOLDERS.items()
        )
        self.fields[
            "body"
        ].help_text = f"Séparez les paragraphes par une ligne vide. Champs remplacés par les données de la demande : {known}."

    def clean_title(self):
        return self._checked(self.cleaned_data["title"])

    def clean_body(self):
        return self._checked(self.cleaned_data["body"])

    @staticmethod
    def _checked(text: str) -> str:
        letters.check_placeholders(text)
        return text


class SignedCopyForm(DsfrBaseForm, forms.Form):
    file = forms.FileField(
        label="Copie signée",
        help_text=f"Format accepté : {uploads.accepted_label(letters.SIGNED_FORMATS)}.",
        error_messages={"required": "Choisissez le fichier de la copie signée."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = uploads.accept_attribute(
            letters.SIGNED_FORMATS
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload, letters.SIGNED_FORMATS)
        return upload


def _line_label(line) -> str:
    label = line.get_account_display()
    if line.funder_category:
        funder = f"État — {line.fund.code}" if line.fund else line.get_funder_category_display()
        label = f"{label} : {funder}"
    return f"{label} — {line.label}" if line.label else label


class FinalReportForm(DsfrBaseForm, forms.Form):
    """The end-of-grant form: what was done, the realised amount of each forecast line, the indicators."""

    achievements = forms.CharField(
        label="Actions réalisées",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce qui a été fait, pour qui, où et quand ; les écarts au projet déposé.",
        error_messages={"required": "Décrivez les actions réalisées."},
    )
    differences = forms.CharField(
        label="Écarts au budget prévisionnel",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Expliquez les écarts importants entre le prévu et le réalisé (annexe du Cerfa 15059).",
    )

    def __init__(self, *args, forecast_lines=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.forecast_lines = list(forecast_lines)
        self.indicators = list(indicators)
        for position, line in enumerate(self.forecast_lines):
            field = money_field(f"Réalisé — {_line_label(line)} (€)", required=True)
            field.error_messages["required"] = "Indiquez le montant réalisé (0 si rien)."
            field.forecast = line.amount
            self.fields[f"line_{position}"] = field
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"Valeur atteinte — {indicator.label}",
                required=False,
                max_digits=14,
                decimal_places=2,
                error_messages={"invalid": "Saisissez un nombre, par exemple 12 ou 3,5."},
            )

    def line_fields(self):
        return [
            (line, self[f"line_{position}"]) for position, line in enumerate(self.forecast_lines)
        ]

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def realised(self) -> tuple:
        return tuple(
            self.cleaned_data[f"line_{position}"] for position in range(len(self.forecast_lines))
        )

    def indicator_values(self) -> dict:
        return {
            indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}")
            for indicator in self.indicators
            if self.cleaned_data.get(f"indicator_{indicator.pk}") is not None
        }

    def clean(self):
        data = super().clean()
        if not self.forecast_lines:
            raise ValidationError("La demande n'a pas de budget prévisionnel à comparer.")
        return data
