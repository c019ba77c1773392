from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.casework.enums import Level, MemberRole, ReferralReason, ReferralSource
from vigie.territories.models import Commune


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


class CaseForm(DsfrBaseForm):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    birth_date = forms.DateField(
        label="Date de naissance", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    commune = forms.ModelChoiceField(label="Commune", queryset=None)
    referral_reason = forms.ChoiceField(
        label="Motif de l'orientation", choices=ReferralReason.choices
    )
    referral_source = forms.ChoiceField(
        label="Origine de l'orientation", choices=ReferralSource.choices
    )
    assigned = forms.ModelMultipleChoiceField(
        label="Professionnels de l'action sociale désignés (niveau secret)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            department=group.department
        ).order_by("name")
        self.fields["assigned"].queryset = members.filter(role=MemberRole.SOCIAL_WORKER)


class EntryForm(DsfrBaseForm):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label="Niveau", choices=Level.choices, initial=Level.CONFIDENTIAL)
    situation = forms.CharField(
        label="Situation", required=False, max_length=8000, widget=forms.Textarea
    )
    orientation = forms.CharField(
        label="Orientation", required=False, max_length=8000, widget=forms.Textarea
    )
    actions = forms.CharField(
        label="Actions engagées", required=False, max_length=8000, widget=forms.Textarea
    )
    next_review_on = forms.DateField(
        label="Prochain point", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CaseSearchForm(DsfrBaseForm):
    name = forms.CharField(label="Nom et prénom", max_length=300)
