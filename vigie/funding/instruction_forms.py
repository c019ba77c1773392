"""DSFR forms of the instruction and committee pages. Errors are French and shown beside their field."""

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from vigie.accounts.enums import Role
from vigie.accounts.models import User
from vigie.funding.enums import ApplicationState, CorrectablePart
from vigie.funding.forms import money_field
from vigie.funding.instruction_enums import CommitteeOutcome, OpinionService, OpinionVerdict
from vigie.funding.models import FundingCall
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Epci


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class QueueFilterForm(DsfrBaseForm):
    call = forms.ModelChoiceField(
        label="Appel à projets", queryset=FundingCall.objects.none(), required=False
    )
    state = forms.ChoiceField(label="État", required=False)
    measure = forms.ModelChoiceField(
        label="Mesure du plan", queryset=Measure.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(
        label="Commune", queryset=Commune.objects.none(), required=False
    )
    epci = forms.ModelChoiceField(
        label="Intercommunalité", queryset=Epci.objects.none(), required=False
    )
    late = forms.BooleanField(label="En retard seulement", required=False)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = FundingCall.objects.filter(
            department=department
        ).select_related("fund")
        self.fields["state"].choices = [("", "Tous")] + [
            (s.value, s.label) for s in ApplicationState if s != ApplicationState.DRAFT
        ]
        self.fields["measure"].queryset = Measure.objects.filter(
            axis__plan__department=department
        ).select_related("axis__plan")
        self.fields["commune"].queryset = Commune.objects.filter(department=department).only(
            "pk", "name", "code"
        )
        self.fields["epci"].queryset = (
            Epci.objects.filter(Q(departments=department) | Q(communes__department=department))
            .distinct()
            .only("pk", "name")
        )


class NoteForm(DsfrBaseForm):
    text = forms.CharField(
        label="Note privée (jamais montrée au porteur)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ReviewForm(DsfrBaseForm):
    eligible_base = money_field("Assiette éligible (€)")
    proposed_amount = money_field("Montant proposé (€)")


class TransitionForm(DsfrBaseForm):
    target = forms.ChoiceField(widget=forms.HiddenInput, choices=ApplicationState.choices)
    message = forms.CharField(
        label="Message au porteur", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fields = forms.MultipleChoiceField(
        label="Parties à corriger",
        choices=CorrectablePart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class OpinionRequestForm(DsfrBaseForm):
    service = forms.ChoiceField(label="Service consulté", choices=OpinionService.choices)
    expert = forms.ModelChoiceField(
        label="Personne consultée (compte du département)",
        queryset=User.objects.none(),
        required=False,
    )
    email = forms.EmailField(
        label="Ou adresse électronique d'une personne à inviter", required=False
    )
    first_name = forms.CharField(label="Prénom de la personne invitée", required=False)
    last_name = forms.CharField(label="Nom de la personne invitée", required=False)
    question = forms.CharField(
        label="Question posée", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    due_on = forms.DateField(label="Avis attendu le", widget=DateInput)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = (
            User.objects.filter(department=department, is_active=True)
            .exclude(role__in=[Role.APPLICANT, Role.NONE])
            .order_by("last_name", "first_name")
        )


class OpinionForm(DsfrBaseForm):
    verdict = forms.ChoiceField(
        label="Avis", choices=OpinionVerdict.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label="Avis motivé", widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )


class SessionForm(DsfrBaseForm):
    year = forms.IntegerField(label="Année de programmation", min_value=2000, max_value=2100)
    date = forms.DateField(label="Date de la séance", widget=DateInput)
    start_time = forms.TimeField(label="Heure de début", widget=TimeInput, required=False)
    location = forms.CharField(label="Lieu", required=False, max_length=300)


class ProposalForm(DsfrBaseForm):
    amount = money_field("Montant proposé (€)")


OUTCOME_CHOICES = [("", "—"), *CommitteeOutcome.choices]
