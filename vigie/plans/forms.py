"""DSFR forms of the plan pages. Views pass `cleaned_data` to `vigie.plans.services`."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from vigie.core.concurrency import VersionedFormMixin
from vigie.organisations.models import Organisation
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Comment, Measure, Plan

YEAR_MIN, YEAR_MAX = 1990, 2100


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a ValidationError raised by a service beside the matching fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlanForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    period_start = forms.IntegerField(
        label="Première année", min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    period_end = forms.IntegerField(label="Dernière année", min_value=YEAR_MIN, max_value=YEAR_MAX)

    class Meta:
        model = Plan
        fields = [
            "title",
            "period_start",
            "period_end",
            "signed_on",
            "signed_at",
            "status",
            "introduction",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"signed_on": "Format : jj/mm/aaaa."}

    def clean_title(self):
        title = " ".join((self.cleaned_data.get("title") or "").split())
        if not title:
            raise ValidationError("Donnez un intitulé au plan.")
        return title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start is not None and end is not None:
            if end < start:
                self.add_error(
                    "period_end",
                    "La dernière année doit être égale ou postérieure à la première année.",
                )
            elif (
                Plan.objects.filter(
                    department_id=self.instance.department_id, period_start=start, period_end=end
                )
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "period_end", f"Le département a déjà un plan pour la période {start}-{end}."
                )
        return cleaned


class MeasureForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["title", "findings", "objectives", "national_objectives", "situation"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "national_objectives": forms.Textarea(attrs={"rows": 4}),
            "situation": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_title(self):
        title = " ".join((self.cleaned_data.get("title") or "").split())
        if not title:
            raise ValidationError("Donnez un intitulé à la mesure.")
        return title


class ActionForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "text", "status", "owner", "due_date", "progress_note"]
        widgets = {
            "title": forms.TextInput(),
            "text": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "progress_note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = Organisation.objects.filter(
            Q(department=department) | Q(department__isnull=True)
        ).order_by("name")
        owner.empty_label = "— Aucune —"
        owner.help_text = "Organisations du département et organismes nationaux."
        self.fields["due_date"].help_text = "Format : jj/mm/aaaa."

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise ValidationError("Décrivez l'action.")
        return text


class ActionStatusForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["status"]
        error_messages = {
            "status": {
                "invalid_choice": "« %(value)s » n'est pas un état d'avancement valide.",
                "required": "Choisissez un état d'avancement.",
            }
        }


class CommentForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "maxlength": 5000})}
        labels = {"body": "Votre commentaire"}
        help_texts = {
            "body": "Visible des seules personnes du département. 5 000 caractères au plus."
        }

    def clean_body(self):
        body = (self.cleaned_data.get("body") or "").strip()
        if not body:
            raise ValidationError("Le commentaire est vide.")
        return body


STATUS_CHOICES = ActionStatus.choices
