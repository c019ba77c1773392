"""DSFR forms of the indicator monitoring pages (French labels and messages)."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads
from vigie.core.concurrency import VersionedFormMixin
from vigie.indicators import periods
from vigie.indicators.enums import DenominatorKind
from vigie.indicators.models import Campaign, Indicator
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.organisations.models import Organisation
from vigie.plans.enums import ActionStatus


class IndicatorDefinitionForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
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
        ]
        widgets = {
            "label": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "baseline_period": "Par exemple 2020, 2021-S1, 2021-T2 ou 2021-03.",
            "target_period": "Par exemple 2024.",
            "factor": "Par exemple 1000 pour un taux pour 1 000 habitants.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance
        plan = indicator.measure.axis.plan
        others = Indicator.objects.filter(measure__axis__plan=plan, is_computed=False).exclude(
            pk=indicator.pk
        )
        self.fields["numerator"].queryset = others
        self.fields["denominator"].queryset = others
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
            Q(department_id=plan.department_id) | Q(department__isnull=True)
        )

    def _clean_period(self, name):
        value = periods.normalize(self.cleaned_data.get(name))
        if value and periods.parse(value) is None:
            raise forms.ValidationError(
                "Période invalide : écrivez 2024, 2024-S1, 2024-T2 ou 2024-03."
            )
        return value

    def clean_baseline_period(self):
        return self._clean_period("baseline_period")

    def clean_target_period(self):
        return self._clean_period("target_period")

    def clean(self):
        data = super().clean()
        if data.get("is_computed"):
            if not data.get("numerator"):
                self.add_error("numerator", "Un indicateur calculé a besoin d'un numérateur.")
            kind = data.get("denominator_kind")
            if kind == DenominatorKind.INDICATOR and not data.get("denominator"):
                self.add_error("denominator", "Choisissez l'indicateur dénominateur.")
            if data.get("factor") in (None, 0):
                self.add_error("factor", "Le facteur ne peut pas être nul.")
            numerator = data.get("numerator")
            if numerator and numerator.is_computed:
                self.add_error("numerator", "Le numérateur doit être un indicateur saisi.")
        if self.instance.pk and self.instance.values.exists():
            for name in ("territorial_level", "periodicity"):
                if name in self.changed_data:
                    self.add_error(
                        name,
                        "Des valeurs ont déjà été saisies : ce champ ne peut plus changer "
                        "(créez un nouvel indicateur si la collecte change).",
                    )
            if "is_computed" in self.changed_data and data.get("is_computed"):
                self.add_error(
                    "is_computed",
                    "Des valeurs ont déjà été saisies : l'indicateur ne peut devenir calculé.",
                )
        if data.get("target_value") is not None and not data.get("target_period"):
            self.add_error("target_period", "Indiquez l'échéance de la cible.")
        if data.get("baseline_value") is not None and not data.get("baseline_period"):
            self.add_error("baseline_period", "Indiquez la période de la valeur de référence.")
        return data


class CampaignForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "period_start", "period_end", "deadline", "instructions"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": "Par exemple « Bilan 2025 ».",
            "period_start": "Premier jour de la période dont on collecte les valeurs (ex. 01/01/2025).",
            "period_end": "Dernier jour de cette période (ex. 31/12/2025).",
        }

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan or self.instance.plan
        if not self.instance.pk and not self.is_bound:
            year = timezone.localdate().year - 1
            self.initial.setdefault("title", f"Bilan {year}")
            self.initial.setdefault("period_start", date(year, 1, 1))
            self.initial.setdefault("period_end", date(year, 12, 31))
            self.initial.setdefault("deadline", date(year + 1, 3, 31))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "La fin de la période doit suivre son début.")
        title = data.get("title")
        if (
            title
            and Campaign.objects.filter(plan=self.plan, title=title)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("title", "Une campagne de ce plan porte déjà cet intitulé.")
        return data


class ValueForm(DsfrBaseForm):
    value = forms.CharField(
        label="Valeur", max_length=40, help_text="Un nombre ; virgule ou point décimal."
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Source, précision, événement particulier…",
    )
    reason = forms.CharField(
        label="Motif de la correction",
        required=False,
        max_length=500,
        help_text="Obligatoire pour corriger une valeur déjà validée.",
    )

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if not needs_reason:
            del self.fields["reason"]

    def clean_value(self):
        raw = self.cleaned_data["value"]
        try:
            number = parse_number(raw)
        except NotANumber as exc:
            raise forms.ValidationError(f"« {raw} » n'est pas un nombre.") from exc
        if number is None:
            raise forms.ValidationError("Indiquez une valeur.")
        return number

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "").strip()
        if self.needs_reason and not reason:
            raise forms.ValidationError(
                "Cette valeur est validée : indiquez le motif de la correction."
            )
        return reason


class ReturnForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Commentaire pour la personne qui a saisi",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui doit être corrigé.",
    )


class ActionReportForm(VersionedFormMixin, DsfrBaseForm):
    status = forms.ChoiceField(label="État d'avancement", choices=ActionStatus.choices)
    note = forms.CharField(
        label="Point d'avancement",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


SPREADSHEET_FORMATS = (uploads.XLSX, uploads.ODS)


class UploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier rempli (.xlsx ou .ods)",
        help_text="Le modèle téléchargé depuis cette campagne, complété hors ligne.",
        widget=forms.ClearableFileInput(
            attrs={"accept": uploads.accept_attribute(SPREADSHEET_FORMATS)}
        ),
    )

    def clean_file(self):
        # Size, extension and first bytes; the workbook itself is read (archive size bounded,
        # XML without DTD) by ``spreadsheets.read_upload``, which reports what it cannot read.
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload, SPREADSHEET_FORMATS)
        return upload
