"""DSFR forms of the governance pages. Errors are French and shown beside their field."""

import zipfile

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from vigie.accounts.models import User
from vigie.core import uploads
from vigie.core.concurrency import VersionedFormMixin
from vigie.governance.enums import LOCAL_COUNCIL_KINDS, BodyKind, FollowUpStatus, Scheme
from vigie.governance.models import Body, BodyMember, Decision, Meeting, SchemeRecord, SchemeTarget
from vigie.governance.selectors import organisation_choices, scheme_states
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Epci

MINUTES_FORMATS = (uploads.PDF, uploads.ODT, uploads.DOCX)
# Extension -> media type, also used to serve the stored file.
MINUTES_EXTENSIONS = {f.extension: f.media_type for f in MINUTES_FORMATS}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _archive_matches(upload, file_format: uploads.FileFormat) -> bool:
    """An ODT or DOCX is a ZIP archive with its own layout: the ODT text mimetype member, or
    ``word/document.xml``. Only the central directory and 100 bytes of ``mimetype`` are read."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if file_format == uploads.ODT:
                if "mimetype" not in names:
                    return False
                with archive.open("mimetype") as member:
                    return member.read(100).strip() == file_format.media_type.encode()
            return "word/document.xml" in names
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # an unknown compression method
    ):
        return False
    finally:
        upload.seek(0)


def validate_minutes_file(upload) -> None:
    """Size, extension and first bytes (shared checks), then the layout of an ODT or DOCX."""
    file_format = uploads.validate_upload(upload, MINUTES_FORMATS)
    if file_format.content == uploads.Content.ZIP and not _archive_matches(upload, file_format):
        raise ValidationError(
            f"Ce fichier n'est pas un document {file_format.label} valide : enregistrez-le à "
            "nouveau depuis votre traitement de texte.",
            code="content",
        )


class UploadInput(forms.FileInput):
    """A plain file input: the current file is shown (and removable) by the page, never linked to storage."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "fr-upload",
                "accept": uploads.accept_attribute(MINUTES_FORMATS),
                **(attrs or {}),
            }
        )
        self.group_class = "fr-upload-group"


class BodyForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Body
        fields = [
            "kind",
            "name",
            "commune",
            "epci",
            "parent",
            "cadence",
            "president",
            "coordinator",
            "founding_act",
            "founded_on",
            "members_renewed_on",
            "description",
            "restricted_by_default",
            "measure",
            "source",
            "is_active",
        ]
        widgets = {
            "founded_on": DateInput(),
            "members_renewed_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["commune"].queryset = Commune.objects.filter(department=department).order_by(
            "name"
        )
        self.fields["epci"].queryset = (
            Epci.objects.filter(communes__department=department).distinct().order_by("name")
        )
        parents = Body.objects.filter(department=department, parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["measure"].queryset = measure_choices(department)
        self.fields["measure"].label_from_instance = measure_label

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == BodyKind.CLSPD and not data.get("commune"):
            self.add_error("commune", "Un CLSPD est rattaché à une commune : choisissez-la.")
        if kind == BodyKind.CISPD and not data.get("epci"):
            self.add_error("epci", "Un CISPD est rattaché à une intercommunalité : choisissez-la.")
        if kind == BodyKind.WORKING_GROUP and not data.get("parent"):
            self.add_error("parent", "Un groupe de travail relève d'une instance : choisissez-la.")
        # Only a CLSPD has a commune and only a CISPD an intercommunality; only a working group has a parent.
        if kind != BodyKind.CLSPD:
            data["commune"] = None
        if kind != BodyKind.CISPD:
            data["epci"] = None
        if kind in LOCAL_COUNCIL_KINDS:
            data["parent"] = None
        return data


def measure_choices(department):
    return (
        Measure.objects.filter(axis__plan__department=department)
        .select_related("axis__plan")
        .order_by("-axis__plan__period_start", "axis__order", "order", "pk")
    )


def measure_label(measure: Measure) -> str:
    title = measure.title if len(measure.title) <= 90 else measure.title[:87] + "…"
    return f"Mesure {measure.number} — {title} (plan {measure.axis.plan.period_label})"


class BodyMemberForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["organisation", "user", "role", "note"]

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["organisation"].queryset = organisation_choices(body.department)
        self.fields["user"].queryset = User.objects.filter(
            department=body.department, is_active=True
        ).order_by("last_name", "first_name")
        self.fields[
            "user"
        ].help_text = "Une personne ayant un compte Vigie, si elle siège à titre personnel."

    def clean(self):
        data = super().clean()
        organisation, user = data.get("organisation"), data.get("user")
        if not organisation and not user:
            raise ValidationError("Choisissez une organisation, une personne, ou les deux.")
        members = BodyMember.objects.filter(body=self.body)
        if user and members.filter(user=user).exists():
            self.add_error("user", "Cette personne est déjà membre de l'instance.")
        elif (
            organisation
            and not user
            and members.filter(organisation=organisation, user__isnull=True).exists()
        ):
            self.add_error("organisation", "Cette organisation est déjà membre de l'instance.")
        return data


class MeetingForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "date",
            "start_time",
            "location",
            "title",
            "agenda",
            "attendees",
            "is_restricted",
            "is_cancelled",
            "minutes",
            "minutes_file",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "attendees": forms.CheckboxSelectMultiple(),
            "minutes_file": UploadInput(),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["attendees"].queryset = organisation_choices(body.department)
        self.fields["minutes_file"].help_text = (
            f"{uploads.accepted_label(MINUTES_FORMATS)} ; "
            f"{uploads.format_size(uploads.max_upload_bytes())} au maximum."
        )
        if not self.instance.pk:
            self.fields["is_restricted"].initial = body.restricted_by_default
            del self.fields["is_cancelled"]
        if self.instance.minutes_file:
            self.fields["remove_minutes_file"] = forms.BooleanField(
                label=f"Retirer le fichier actuel ({self.instance.minutes_filename})",
                required=False,
            )

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        # Only a new upload is checked; an existing file (or a cleared one) is left as it is.
        if upload and hasattr(upload, "content_type"):
            validate_minutes_file(upload)
        return upload

    def meeting_data(self) -> dict:
        """Model fields for the service (attendees are passed apart)."""
        data = {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields
        }
        data.pop("attendees", None)
        if data.get("minutes_file") is None or data.get("minutes_file") is False:
            data.pop("minutes_file", None)
        if self.cleaned_data.get("remove_minutes_file") and "minutes_file" not in self.changed_data:
            data["minutes_file"] = ""
        return data


class DecisionForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "measure", "is_followed", "owner", "owner_label", "due_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        department = meeting.body.department
        self.fields["measure"].queryset = measure_choices(department)
        self.fields["measure"].label_from_instance = measure_label
        self.fields[
            "measure"
        ].help_text = (
            "Facultatif : la mesure du plan départemental à laquelle la décision se rattache."
        )
        self.fields["owner"].queryset = organisation_choices(department)
        self.fields[
            "is_followed"
        ].help_text = "Un responsable et une échéance ; l'état est suivi jusqu'à la clôture."

    def clean(self):
        data = super().clean()
        if (
            data.get("is_followed")
            and not data.get("owner")
            and not (data.get("owner_label") or "").strip()
        ):
            self.add_error("owner", "Indiquez qui est responsable du suivi de cette décision.")
        return data


class DecisionStatusForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["status", "status_note"]
        widgets = {"status_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = FollowUpStatus.choices


class SchemeRecordForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SchemeRecord
        fields = ["state", "cameras", "as_of", "source", "note"]
        widgets = {"as_of": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = scheme_states(scheme)
        if scheme != Scheme.VIDEO:
            del self.fields["cameras"]


class ResolveForm(DsfrBaseForm, forms.Form):
    communes = forms.ModelMultipleChoiceField(
        label="Commune(s) désignée(s) par la source",
        queryset=Commune.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Plusieurs communes si la source en regroupe plusieurs (Ctrl ou Cmd pour en choisir plusieurs).",
        error_messages={"required": "Choisissez au moins une commune."},
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Commune.objects.filter(
            department=record.department
        ).order_by("name")
        if record.candidate_codes and not self.is_bound:
            self.initial["communes"] = list(
                Commune.objects.filter(code__in=record.candidate_codes).values_list("pk", flat=True)
            )


class SchemeTargetForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SchemeTarget
        fields = ["min_population", "level", "deadline", "label", "source"]
        widgets = {"deadline": DateInput()}
