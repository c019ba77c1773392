"""DSFR forms of the funding pages. Errors are French and shown beside their field."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from vigie.core import uploads
from vigie.funding import budget
from vigie.funding.enums import (
    ApplicantKind,
    ApplicationState,
    AttachmentKind,
    BudgetAccount,
    CorrectablePart,
    FunderCategory,
    FundKind,
    NotificationKind,
)
from vigie.funding.models import CallProgramme, Fund, FundingCall, GrantApplication, GrantPayment
from vigie.funding.services import ATTACHMENT_FORMATS
from vigie.indicators.models import Indicator
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Epci


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoneyField(forms.DecimalField):
    """Euros as people type them: "12 000", "12 000,50", "12000.5" (spaces of any kind, comma or point)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def widget_attrs(self, widget):
        # No min/step attributes: a text input accepts "12 000,50"; the bounds are checked on the server.
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.removesuffix("€").replace(",", ".")
        return super().to_python(value)


def money_field(label: str, *, required: bool = False) -> forms.DecimalField:
    return MoneyField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "min_value": "Un montant ne peut pas être négatif.",
            "invalid": "Saisissez un montant en euros, par exemple 12 000 ou 1 250,50.",
            "max_decimal_places": "Pas plus de deux chiffres après la virgule (les centimes).",
            "max_digits": "Ce montant est trop grand.",
        },
    )


# --- calls -----------------------------------------------------------------------------------------


class CallForm(DsfrBaseForm, forms.ModelForm):
    eligible_applicant_kinds = forms.MultipleChoiceField(
        label="Porteurs éligibles",
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une nature de porteur."},
    )
    required_attachments = forms.MultipleChoiceField(
        label="Pièces obligatoires",
        choices=AttachmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = FundingCall
        fields = [
            "title",
            "year",
            "opens_on",
            "closes_on",
            "description",
            "eligible_applicant_kinds",
            "state_service_equipment_allowed",
            "in_kind_counted",
            "required_attachments",
            "automatic_renewal",
            "max_years",
            "renewal_requires_final_report",
        ]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}


class CallCreateForm(DsfrBaseForm, forms.ModelForm):
    """A new call: its fund comes first; the fund's default rules are applied (then editable)."""

    fund = forms.ModelChoiceField(
        label="Fonds", queryset=Fund.objects.filter(kind=FundKind.STATE_FUND), empty_label=None
    )

    class Meta:
        model = FundingCall
        fields = ["fund", "title", "year", "opens_on", "closes_on", "description"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}


class CallProgrammeForm(DsfrBaseForm, forms.ModelForm):
    envelope = money_field("Enveloppe (€)")
    min_amount = money_field("Montant minimal demandé (€)")

    class Meta:
        model = CallProgramme
        fields = ["envelope", "max_share", "share_justification_allowed", "min_amount"]


# --- applications ----------------------------------------------------------------------------------


def adopted_measures(department_id):
    """The measures an application may serve: those of the department's adopted plans."""
    return Measure.objects.filter(
        axis__plan__department_id=department_id, axis__plan__status=PlanStatus.ADOPTED
    ).select_related("axis__plan")


class ProjectForm(DsfrBaseForm, forms.ModelForm):
    measures = forms.ModelMultipleChoiceField(
        label="Mesures du plan que le projet sert",
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une mesure du plan que le projet sert."},
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicateurs que le projet renseignera",
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Seuls les indicateurs des mesures choisies sont retenus.",
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes concernées", queryset=Commune.objects.none(), required=False
    )
    epcis = forms.ModelMultipleChoiceField(
        label="Intercommunalités concernées", queryset=Epci.objects.none(), required=False
    )

    class Meta:
        model = GrantApplication
        fields = [
            "call_programme",
            "title",
            "applicant_kind",
            "summary",
            "public",
            "communes",
            "epcis",
            "starts_on",
            "ends_on",
            "measures",
            "indicators",
            "includes_equipment",
            "share_justification",
            "is_renewal",
            "previous_years",
            "previous_report_filed",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, call: FundingCall, **kwargs):
        super().__init__(*args, **kwargs)
        department_id = call.department_id
        measures = adopted_measures(department_id)
        self.fields["measures"].queryset = measures
        self.fields["measures"].label_from_instance = lambda m: f"{m.number} — {m.title}"
        self.fields["indicators"].queryset = Indicator.objects.filter(
            measure__in=measures
        ).select_related("measure")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.measure.number} — {i.label}"
        self.fields["communes"].queryset = Commune.objects.filter(department_id=department_id)
        self.fields["epcis"].queryset = Epci.objects.filter(departments=department_id).distinct()
        if self.instance.pk:
            del self.fields["call_programme"]
        else:
            self.fields["call_programme"].queryset = call.programmes.select_related(
                "programme__fund"
            )
            self.fields["call_programme"].empty_label = None
            self.fields["call_programme"].label_from_instance = lambda cp: (
                f"{cp.programme} — {cp.programme.name}"
            )
        self.fields["title"].error_messages["required"] = "Donnez un intitulé au projet."

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La fin de l'action doit suivre son début.")
        return data

    def relations(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("measures", "indicators", "communes", "epcis")
        }

    def project_data(self) -> dict:
        skip = {"measures", "indicators", "communes", "epcis", "call_programme"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


@dataclass(frozen=True)
class BudgetRow:
    """One amount of the budget form: an account, and for subsidies (74) the funder."""

    key: str
    account: str
    label: str
    funder_category: str = ""
    fund: Fund | None = None

    def line(self, amount: Decimal) -> budget.Line:
        return budget.Line(
            self.account, amount, self.funder_category, self.fund.pk if self.fund else None
        )


COST_ROWS = ("60", "61", "62", "63", "64", "65", "66", "67", "68", "indirect")
INCOME_ROWS_BEFORE = ("70",)
INCOME_ROWS_AFTER = ("75", "76", "78")


def budget_rows(state_funds) -> dict[str, list[BudgetRow]]:
    """The rows of the budget form, in the order of the Cerfa 12156, in three groups."""
    costs = [BudgetRow(f"c{code}", code, BudgetAccount(code).label) for code in COST_ROWS]
    costs.append(BudgetRow("c86", "86", BudgetAccount.C86.label))
    income = [BudgetRow("i70", "70", BudgetAccount.I70.label)]
    income += [
        BudgetRow(
            f"s_{fund.code}",
            "74",
            f"74 – État : {fund.name} ({fund.code})",
            FunderCategory.STATE,
            fund,
        )
        for fund in state_funds
    ]
    income += [
        BudgetRow(f"s_{category.value}", "74", f"74 – {category.label}", category.value)
        for category in FunderCategory
        if category != FunderCategory.STATE
    ]
    income += [BudgetRow(f"i{code}", code, BudgetAccount(code).label) for code in INCOME_ROWS_AFTER]
    income.append(BudgetRow("i87", "87", BudgetAccount.I87.label))
    return {"costs": costs, "income": income}


class BudgetForm(DsfrBaseForm, forms.Form):
    """One amount per line of the Cerfa 12156 budget; an empty amount is zero."""

    def __init__(self, *args, state_funds, application: GrantApplication | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = budget_rows(state_funds)
        self.rows = [row for group in self.groups.values() for row in group]
        saved = (
            self._saved_amounts(application)
            if application is not None and not self.is_bound
            else {}
        )
        for row in self.rows:
            field = money_field(row.label)
            field.initial = saved.get(row.key)
            self.fields[row.key] = field

    def _saved_amounts(self, application) -> dict[str, Decimal]:
        amounts: dict[str, Decimal] = {}
        for line in application.budget_lines.all():
            key = self._key_for(line)
            if key:
                amounts[key] = amounts.get(key, Decimal("0")) + line.amount
        return amounts

    def _key_for(self, line) -> str | None:
        for row in self.rows:
            same_funder = row.funder_category == line.funder_category and (
                row.fund is None or row.fund.pk == line.fund_id
            )
            if row.account == line.account and same_funder:
                return row.key
        return None

    def lines(self) -> list[budget.Line]:
        """The typed lines (cleaned data), zero amounts left out."""
        return [
            row.line(self.cleaned_data[row.key])
            for row in self.rows
            if self.cleaned_data.get(row.key)
        ]

    def typed_lines(self) -> list[budget.Line]:
        """The valid amounts typed so far, for the live check (an invalid amount is left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return [row.line(cleaned[row.key]) for row in self.rows if cleaned.get(row.key)]

    def grouped_fields(self):
        return {name: [self[row.key] for row in rows] for name, rows in self.groups.items()}


class AttachmentForm(DsfrBaseForm, forms.Form):
    kind = forms.ChoiceField(label="Nature de la pièce", choices=AttachmentKind.choices)
    file = forms.FileField(
        label="Fichier",
        help_text=f"Formats acceptés : {uploads.accepted_label(ATTACHMENT_FORMATS)}.",
        error_messages={"required": "Choisissez le fichier à joindre."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = uploads.accept_attribute(ATTACHMENT_FORMATS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload, ATTACHMENT_FORMATS)
        return upload


class DecisionForm(DsfrBaseForm, forms.Form):
    """What a transition carries; the view keeps only the fields the transition uses."""

    message = forms.CharField(
        label="Message au porteur", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    fields = forms.MultipleChoiceField(
        label="Parties à corriger",
        choices=CorrectablePart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    granted_amount = money_field("Montant accordé (€)")
    notification_kind = forms.ChoiceField(
        label="Acte notifié", choices=[("", "—"), *NotificationKind.choices], required=False
    )
    notified_on = forms.DateField(label="Date de notification", widget=DateInput(), required=False)

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"message"}
        if target == ApplicationState.TO_CORRECT:
            keep.add("fields")
        if target == ApplicationState.ACCEPTED:
            keep.add("granted_amount")
        if target == ApplicationState.NOTIFIED:
            keep |= {"notification_kind", "notified_on"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class PaymentForm(DsfrBaseForm, forms.ModelForm):
    amount = money_field("Montant versé (€)", required=True)

    class Meta:
        model = GrantPayment
        fields = ["kind", "amount", "paid_on", "commitment_number"]
        widgets = {"paid_on": DateInput()}


def validation_error_to_form(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal beside the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
