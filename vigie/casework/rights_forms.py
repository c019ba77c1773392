from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from vigie.casework.enums import ErasureGround, ExportFormat, ReferralReason, ReferralSource
from vigie.territories.models import Commune


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessRequestForm(DsfrBaseForm):
    requested_on = forms.DateField(
        label="Demande de la personne reçue le",
        widget=_date_input(),
        error_messages={"required": "Saisissez la date de la demande de la personne."},
    )
    export_format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        initial=ExportFormat.PDF,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le format de l'export."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()


class RectificationForm(DsfrBaseForm):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=_date_input())
    commune = forms.ModelChoiceField(label="Commune", queryset=None)
    referral_reason = forms.ChoiceField(
        label="Motif de l'orientation", choices=ReferralReason.choices
    )
    referral_source = forms.ChoiceField(
        label="Origine de l'orientation", choices=ReferralSource.choices
    )
    opened_on = forms.DateField(label="Date d'ouverture", widget=_date_input())
    requested_on = forms.DateField(
        label="Demande de la personne reçue le (facultatif)",
        help_text="Si la rectification répond à une demande de la personne.",
        required=False,
        widget=_date_input(),
    )

    def __init__(self, *args, case, **kwargs):
        initial = {
            "last_name": case.last_name,
            "first_name": case.first_name,
            "birth_date": case.birth_date or None,
            "commune": case.commune_id,
            "referral_reason": case.referral_reason,
            "referral_source": case.referral_source,
            "opened_on": case.opened_on,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            department=case.group.department
        ).order_by("name")


class ErasureForm(DsfrBaseForm):
    ground = forms.ChoiceField(
        label="Motif de l'effacement",
        choices=[("", "Choisir un motif"), *ErasureGround.choices],
        error_messages={"required": "Choisissez le motif de l'effacement."},
    )
    justification = forms.CharField(
        label="Justification",
        help_text="Conservée dans le journal d'audit après l'effacement : sans nom, prénom ni date de naissance.",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Justifiez l'effacement."},
    )
    confirm = forms.BooleanField(
        label="Je confirme l'effacement définitif du dossier et de toutes ses entrées.",
        error_messages={"required": "Cochez la case pour confirmer l'effacement."},
    )
