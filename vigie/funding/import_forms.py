"""Forms of the spreadsheet import of a call's applications: the file, then the column of each field."""

from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads
from vigie.funding.application_import import FIELDS, FORMATS

NOT_IMPORTED = "— Colonne absente du fichier —"


class ImportUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Export des dossiers (.xlsx, .ods ou .csv)",
        help_text="L'export de démarches simplifiées ou de la plateforme nationale du FIPD, "
        "une ligne par dossier sous une ligne d'en-tête.",
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute(FORMATS)}),
    )
    remap = forms.BooleanField(
        label="Revoir la correspondance des colonnes avant l'aperçu",
        required=False,
    )

    def clean_file(self):
        # Size, extension and first bytes; the workbook itself is read by application_import.read_table.
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload, FORMATS)
        return upload


class MappingForm(DsfrBaseForm):
    """One select per importable field, offering the headers of the uploaded file."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED)] + [(h, h) for h in dict.fromkeys(headers) if h]
        for import_field in FIELDS:
            label = import_field.label + (" (obligatoire)" if import_field.required else "")
            self.fields[import_field.key] = forms.ChoiceField(
                label=label, choices=choices, required=False, help_text=import_field.help
            )

    def columns(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}
