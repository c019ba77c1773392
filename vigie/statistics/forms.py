from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from dsfr.forms import DsfrBaseForm

ACCEPTED_CONTENT_TYPES = {
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
}


class SsmsiUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier de la base SSMSI",
        help_text=(
            "Fichier CSV publié sur data.gouv.fr (séparateur « ; », UTF-8) : base départementale, ancienne base "
            "départementale ou base communale. Taille maximale : "
            f"{filesizeformat(settings.VIGIE_MAX_UPLOAD_BYTES)}."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    published_on = forms.DateField(
        label="Date de publication de l'édition",
        required=False,
        help_text="Lue dans le nom du fichier (« produit-le2025-01-26 ») ; à indiquer sinon.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VIGIE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Fichier trop volumineux ({filesizeformat(upload.size)}) : la limite est de "
                f"{filesizeformat(settings.VIGIE_MAX_UPLOAD_BYTES)}. Importez la base communale avec la commande "
                "« manage.py import_ssmsi »."
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Le fichier doit être un CSV (extension .csv).")
        content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if content_type and content_type not in ACCEPTED_CONTENT_TYPES:
            raise forms.ValidationError(
                f"Type de fichier non accepté ({content_type}) : un fichier CSV est attendu."
            )
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head:
            raise forms.ValidationError("Ce fichier n'est pas un fichier texte CSV.")
        return upload
