from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads

# What browsers declare for a CSV file (Windows declares Excel's type when Excel is installed).
ACCEPTED_CONTENT_TYPES = {
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
}
SIZE_HINT = "Importez la base communale avec la commande « manage.py import_ssmsi »."


class SsmsiUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier de la base SSMSI",
        help_text=(
            "Fichier CSV publié sur data.gouv.fr (séparateur « ; », UTF-8) : base départementale, ancienne base "
            "départementale ou base communale. Taille maximale : "
            f"{uploads.format_size(uploads.max_upload_bytes())}."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    published_on = forms.DateField(
        label="Date de publication de l'édition",
        required=False,
        help_text="Lue dans le nom du fichier (« produit-le2025-01-26 ») ; à indiquer sinon.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_partial = forms.BooleanField(
        label="Édition partielle",
        required=False,
        help_text=(
            "À cocher si le fichier ne contient volontairement qu'une partie des indicateurs de la base "
            "(sinon, un fichier incomplet est refusé)."
        ),
    )

    def clean_file(self):
        # Size, extension and first bytes (text, not a binary file); the header and every row
        # are checked by the importer.
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload, (uploads.CSV,), size_hint=SIZE_HINT)
        content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if content_type and content_type not in ACCEPTED_CONTENT_TYPES:
            raise forms.ValidationError(
                uploads.format_not_accepted(content_type, (uploads.CSV,)).message,
                code="format",
            )
        return upload


class EditionWithdrawForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du retrait",
        required=False,
        max_length=300,
        help_text="Consigné dans le journal (facultatif).",
    )
