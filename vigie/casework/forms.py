from django import forms
from dsfr.forms import DsfrBaseForm


class CharterAcceptanceForm(DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label="J'ai lu la charte de confidentialité du groupe et je m'engage à la respecter.",
        error_messages={"required": "Cochez la case pour accepter la charte."},
    )


class CharterForm(DsfrBaseForm):
    text = forms.CharField(
        label="Texte de la charte",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Chaque modification crée une nouvelle version que tous les membres doivent accepter.",
        error_messages={"required": "Saisissez le texte de la charte."},
    )


class EndMembershipForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif (facultatif)", max_length=300, required=False)
