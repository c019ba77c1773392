"""Forms of the coordinator's pages (members, rules document, summary) and of a case's closure and information."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.casework.enums import ClosureReason, InformationMeans, MemberRole
from vigie.casework.services import RULES_FORMATS
from vigie.core import uploads

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.get_role_display()})"


class MemberAddForm(DsfrBaseForm):
    user = AccountChoiceField(
        label="Personne",
        queryset=User.objects.none(),
        help_text="Un compte du département qui n'est pas déjà membre du groupe.",
        error_messages={
            "required": "Choisissez la personne.",
            "invalid_choice": "Choisissez un compte du département.",
        },
    )
    role = forms.ChoiceField(
        label="Rôle", choices=MemberRole.choices, error_messages={"required": "Choisissez un rôle."}
    )
    start_date = forms.DateField(
        label="Début de la participation",
        widget=DATE_INPUT,
        error_messages={
            "required": "Saisissez la date de début.",
            "invalid": "Saisissez une date valide.",
        },
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        current = group.members.exclude(end_date__lte=today).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(department=group.department, is_active=True)
            .exclude(role=Role.APPLICANT)
            .exclude(pk__in=current)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["start_date"].initial = today


class MemberChangeForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle", choices=MemberRole.choices, error_messages={"required": "Choisissez un rôle."}
    )
    end_date = forms.DateField(
        label="Fin de la participation (facultatif)",
        required=False,
        widget=DATE_INPUT,
        help_text="À cette date, la personne n'a plus accès au groupe ; aujourd'hui : tout de suite.",
        error_messages={"invalid": "Saisissez une date valide."},
    )


class RulesForm(DsfrBaseForm):
    rules_file = forms.FileField(
        label="Règlement intérieur",
        help_text=f"Un fichier {uploads.accepted_label(RULES_FORMATS)}, "
        f"{uploads.format_size(uploads.max_upload_bytes())} au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute(RULES_FORMATS)}),
        error_messages={"required": "Choisissez le fichier du règlement intérieur."},
    )

    def clean_rules_file(self):
        upload = self.cleaned_data["rules_file"]
        uploads.validate_upload(upload, RULES_FORMATS)
        return upload


class SummaryForm(DsfrBaseForm):
    text = forms.CharField(
        label="Synthèse pour le responsable du traitement",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Strictement nécessaire, sans aucun nom : le responsable du traitement la lit "
        "avec les chiffres du groupe.",
        error_messages={"max_length": "La synthèse compte au plus 4 000 caractères."},
    )


class CloseCaseForm(DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=[("", "Choisissez un motif"), *ClosureReason.choices],
        error_messages={"required": "Choisissez le motif de clôture."},
    )
    closed_on = forms.DateField(
        label="Date de clôture",
        widget=DATE_INPUT,
        error_messages={
            "required": "Saisissez la date de clôture.",
            "invalid": "Saisissez une date valide.",
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["closed_on"].initial = timezone.localdate()

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de clôture ne peut pas être à venir.")
        if value < self.case.opened_on:
            raise forms.ValidationError(
                "La date de clôture ne peut pas précéder l'ouverture du dossier "
                f"({self.case.opened_on:%d/%m/%Y})."
            )
        return value


class InformationForm(DsfrBaseForm):
    informed_on = forms.DateField(
        label="Date de l'information",
        widget=DATE_INPUT,
        error_messages={
            "required": "Saisissez la date de l'information.",
            "invalid": "Saisissez une date valide.",
        },
    )
    how = forms.ChoiceField(
        label="Moyen d'information",
        choices=[("", "Choisissez un moyen"), *InformationMeans.choices],
        error_messages={"required": "Choisissez le moyen d'information."},
    )

    def clean_informed_on(self):
        value = self.cleaned_data["informed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de l'information ne peut pas être à venir.")
        return value


class GroupMeetingForm(DsfrBaseForm):
    date = forms.DateField(
        label="Date de la réunion",
        widget=DATE_INPUT,
        help_text="Une réunion qui a eu lieu. Rien n'est écrit sur les personnes : les échanges restent dans "
        "les dossiers.",
        error_messages={
            "required": "Saisissez la date de la réunion.",
            "invalid": "Saisissez une date valide.",
        },
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                "Une réunion à venir ne s'enregistre pas encore : elle n'a pas eu lieu."
            )
        return date
