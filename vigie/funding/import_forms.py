"""Forms of the spreadsheet import of a call's applications: the file, then the column of each field."""

from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads
from vigie.funding.import_reading import FIELDS, FORMATS
from vigie.funding.models import CallProgramme

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


def _example(value) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return text if len(text) <= 30 else text[:29] + "…"


class MappingForm(DsfrBaseForm):
    """One select per importable field, offering the headers of the uploaded file (with the first file's value
    as an example), and the programme of every file for an export without a programme column."""

    def __init__(self, *args, call, headers: list[str], example: tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED)]
        for index, header in enumerate(headers):
            if header and header not in dict(choices):
                value = _example(example[index]) if index < len(example) else ""
                choices.append((header, f"{header} (ex. : {value})" if value else header))
        for import_field in FIELDS:
            self.fields[import_field.key] = forms.ChoiceField(
                label=import_field.label,
                choices=choices,
                required=import_field.required,
                help_text=import_field.help,
            )
        if len(call.programmes.all()) < 2:
            return
        self.fields["default_programme"] = forms.ModelChoiceField(
            label="Programme de tous les dossiers",
            queryset=CallProgramme.objects.filter(call=call).select_related("programme__fund"),
            required=False,
            empty_label="— Celui de la colonne « Programme » —",
            help_text="Pour un export sans colonne « Programme » (une démarche par programme).",
        )
        self.fields["default_programme"].label_from_instance = lambda line: str(line.programme)

    def columns(self) -> dict[str, str]:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key != "default_programme" and value
        }
