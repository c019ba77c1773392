"""DSFR forms of the import pages. Views pass ``cleaned_data`` to ``vigie.imports.services``."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.safety import ACCEPTED, check_size, format_for_name, megabytes
from vigie.plans.models import Plan


class UploadForm(DsfrBaseForm, forms.Form):
    file = forms.FileField(
        label="Document du plan",
        help_text="",
        error_messages={
            "required": "Choisissez le fichier du plan.",
            "empty": "Le fichier est vide.",
        },
    )
    plan = forms.ModelChoiceField(
        label="Ce document est-il une nouvelle version d'un plan déjà dans Vigie ?",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="Non : c'est un nouveau plan",
        help_text="Pour un avenant, choisissez le plan qu'il modifie : le suivi déjà saisi est conservé.",
    )
    version_label = forms.CharField(
        label="Intitulé de la version",
        max_length=150,
        required=False,
        help_text="Pour une nouvelle version : par exemple « Avenant n° 1 ».",
    )
    adopted_on = forms.DateField(
        label="Date d'adoption de la version",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format : jj/mm/aaaa.",
    )

    def __init__(self, *args, department, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(department=department).order_by(
            "-period_start"
        )
        self.fields["file"].help_text = (
            f"Formats acceptés : {ACCEPTED} (PDF avec du texte, pas un scan) ; "
            f"{megabytes(max_bytes)} au plus."
        )
        self.fields["file"].widget.attrs["accept"] = ".docx,.odt,.pdf,.md,.txt"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            format_for_name(upload.name)
        except PlanImportError as error:
            raise ValidationError(str(error)) from None
        return upload

    def clean_version_label(self):
        return " ".join(self.cleaned_data.get("version_label", "").split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan") and not cleaned.get("version_label"):
            self.add_error(
                "version_label", "Donnez un intitulé à cette nouvelle version (« Avenant n° 1 »)."
            )
        return cleaned
