"""Governance bodies (CDPD, CLSPD, CISPD…), their meetings and decisions, and local schemes by commune."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from vigie.core.storage import private_storage
from vigie.governance.enums import (
    CLOSED_FOLLOW_UP_STATUSES,
    BodyKind,
    Cadence,
    FollowUpStatus,
    MemberRole,
    Scheme,
    SchemeState,
    TargetLevel,
    state_label,
)
from vigie.organisations.models import Organisation
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Department, Epci


class Body(models.Model):
    """A body that must meet: departmental council, local council, committee, cell or working group."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="governance_bodies",
        verbose_name="département",
    )
    kind = models.CharField("nature", max_length=12, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=300)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="governance_bodies",
        null=True,
        blank=True,
        verbose_name="commune (CLSPD)",
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        related_name="governance_bodies",
        null=True,
        blank=True,
        verbose_name="intercommunalité (CISPD)",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="working_groups",
        null=True,
        blank=True,
        verbose_name="instance de rattachement",
        help_text="Pour un groupe de travail : le CLSPD ou CISPD dont il relève.",
    )
    cadence = models.CharField(
        "périodicité requise", max_length=12, choices=Cadence.choices, default=Cadence.YEARLY
    )
    president = models.CharField(
        "présidence", max_length=300, blank=True, help_text="Par exemple : le maire de Condom."
    )
    coordinator = models.CharField("coordonnateur", max_length=300, blank=True)
    founding_act = models.CharField(
        "acte fondateur", max_length=300, blank=True, help_text="Arrêté, convention, délibération…"
    )
    founded_on = models.DateField("date de création", null=True, blank=True)
    members_renewed_on = models.DateField(
        "dernier renouvellement des membres", null=True, blank=True
    )
    description = models.TextField("présentation", blank=True)
    restricted_by_default = models.BooleanField(
        "réunions en formation restreinte par défaut",
        default=False,
        help_text="Groupes nominatifs : le compte rendu n'est visible que des membres et de la préfecture.",
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        related_name="governance_bodies",
        null=True,
        blank=True,
        verbose_name="mesure du plan",
    )
    source = models.CharField(
        "source", max_length=400, blank=True, help_text="D'où vient l'information."
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["department__code", "kind", "name"]
        verbose_name = "instance"
        constraints = [
            models.UniqueConstraint(fields=["department", "kind", "name"], name="unique_body_name"),
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.CLSPD) | Q(commune__isnull=False),
                name="clspd_has_commune",
            ),
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.CISPD) | Q(epci__isnull=False), name="cispd_has_epci"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:body_detail", args=[self.pk])

    @property
    def is_local_council(self) -> bool:
        return self.kind in (BodyKind.CLSPD, BodyKind.CISPD)

    @property
    def territory(self):
        return self.commune or self.epci


class BodyMember(models.Model):
    """A member of a body: an organisation, a person with an account, or both (a person for an organisation)."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members", verbose_name="instance"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="body_memberships",
        null=True,
        blank=True,
        verbose_name="organisation",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="body_memberships",
        null=True,
        blank=True,
        verbose_name="personne",
    )
    role = models.CharField(
        "qualité", max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    note = models.CharField("précision", max_length=300, blank=True)

    class Meta:
        ordering = ["role", "organisation__name", "user__last_name", "pk"]
        verbose_name = "membre"
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(user__isnull=False),
                name="member_is_someone",
            ),
            models.UniqueConstraint(
                fields=["body", "organisation"],
                condition=Q(user__isnull=True),
                name="unique_member_organisation",
            ),
            models.UniqueConstraint(fields=["body", "user"], name="unique_member_user"),
        ]

    def __str__(self):
        if self.user_id and self.organisation_id:
            return f"{self.user} ({self.organisation})"
        return str(self.user or self.organisation)


def minutes_storage():
    """Minutes are only ever served through the permission-checked download view."""
    return private_storage()


def minutes_upload_to(instance, filename):
    # An unguessable folder: the file name itself is kept for the person downloading it.
    return f"governance/minutes/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="meetings", verbose_name="instance"
    )
    date = models.DateField("date")
    start_time = models.TimeField("heure de début", null=True, blank=True)
    location = models.CharField("lieu", max_length=300, blank=True)
    title = models.CharField(
        "intitulé", max_length=300, blank=True, help_text="Par exemple : réunion plénière."
    )
    agenda = models.TextField("ordre du jour", blank=True)
    attendees = models.ManyToManyField(
        Organisation,
        related_name="attended_meetings",
        blank=True,
        verbose_name="organisations présentes",
    )
    is_restricted = models.BooleanField(
        "formation restreinte",
        default=False,
        help_text="Le compte rendu et les décisions ne sont visibles que des membres de l'instance et de la préfecture.",
    )
    minutes = models.TextField("compte rendu", blank=True)
    minutes_file = models.FileField(
        "compte rendu (fichier)",
        upload_to=minutes_upload_to,
        storage=minutes_storage,
        max_length=300,
        blank=True,
    )
    is_cancelled = models.BooleanField("annulée", default=False)
    source = models.CharField(
        "source", max_length=400, blank=True, help_text="Pour une réunion connue par un document."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = "réunion"
        indexes = [models.Index(fields=["body", "date"])]

    def __str__(self):
        label = self.title or "Réunion"
        return f"{label} — {self.body} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def minutes_filename(self) -> str:
        return PurePath(self.minutes_file.name).name if self.minutes_file else ""


class Decision(models.Model):
    """A decision taken in a meeting; a followed decision has an owner, a due date and a status until closed."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name="réunion"
    )
    text = models.TextField("décision", max_length=4000)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        related_name="governance_decisions",
        null=True,
        blank=True,
        verbose_name="mesure du plan",
    )
    is_followed = models.BooleanField("suivie jusqu'à sa clôture", default=False)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="governance_follow_ups",
        null=True,
        blank=True,
        verbose_name="organisation responsable",
    )
    owner_label = models.CharField(
        "responsable (autre)",
        max_length=300,
        blank=True,
        help_text="Si le responsable n'est pas une organisation de l'annuaire.",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    status_note = models.TextField("point d'avancement", blank=True, max_length=4000)
    closed_on = models.DateField("date de clôture", null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "décision"

    def __str__(self):
        return self.text if len(self.text) <= 120 else self.text[:117] + "…"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#decision-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_FOLLOW_UP_STATUSES

    @property
    def owner_display(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_label

    def is_overdue(self, today) -> bool:
        return (
            self.is_followed
            and not self.is_closed
            and self.due_date is not None
            and self.due_date < today
        )


class SchemeRecord(models.Model):
    """The state of one local scheme in one commune, with its date and source.

    A record read from a document whose commune could not be matched with certainty keeps the document's
    spelling (`source_label`) and no commune: it waits for a person to resolve it ("à rapprocher").
    """

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="scheme_records",
        verbose_name="département",
    )
    scheme = models.CharField("dispositif", max_length=30, choices=Scheme.choices)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="scheme_records",
        null=True,
        blank=True,
        verbose_name="commune",
    )
    source_label = models.CharField("nom dans la source", max_length=200, blank=True)
    candidates = models.CharField(
        "communes possibles",
        max_length=300,
        blank=True,
        help_text="Codes INSEE séparés par des virgules.",
    )
    state = models.CharField("état", max_length=12, choices=SchemeState.choices)
    cameras = models.PositiveIntegerField("nombre de caméras", null=True, blank=True)
    as_of = models.DateField("date de l'information")
    source = models.CharField("source", max_length=400, blank=True)
    note = models.TextField("observations", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["department__code", "scheme", "commune__name", "source_label"]
        verbose_name = "état d'un dispositif dans une commune"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "commune"],
                condition=Q(commune__isnull=False),
                name="unique_scheme_per_commune",
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=False) | ~Q(source_label=""),
                name="scheme_record_names_a_commune",
            ),
        ]

    def __str__(self):
        where = self.commune.name if self.commune_id else f"« {self.source_label} » (à rapprocher)"
        return f"{self.get_scheme_display()} — {where} : {self.state_label}"

    @property
    def state_label(self) -> str:
        return state_label(self.scheme, self.state)

    @property
    def candidate_codes(self) -> list[str]:
        return [code.strip() for code in self.candidates.split(",") if code.strip()]


class SchemeFigure(models.Model):
    """A department-level figure given without the communes' names (e.g. "134 cameras in 3 communes")."""

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="scheme_figures",
        verbose_name="département",
    )
    scheme = models.CharField("dispositif", max_length=30, choices=Scheme.choices)
    as_of = models.DateField("date de l'information")
    communes_count = models.PositiveIntegerField("nombre de communes", null=True, blank=True)
    cameras = models.PositiveIntegerField("nombre de caméras", null=True, blank=True)
    description = models.CharField("libellé", max_length=400)
    source = models.CharField("source", max_length=400, blank=True)

    class Meta:
        ordering = ["department__code", "scheme", "-as_of", "pk"]
        verbose_name = "chiffre départemental d'un dispositif"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "scheme", "as_of", "description"], name="unique_scheme_figure"
            )
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} ({self.as_of:%d/%m/%Y}) : {self.description}"


class SchemeTarget(models.Model):
    """E.g. the Lot plan: every commune over 3,000 inhabitants equipped with video protection, or engaged, by 2022."""

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="scheme_targets",
        verbose_name="département",
    )
    scheme = models.CharField("dispositif", max_length=30, choices=Scheme.choices)
    min_population = models.PositiveIntegerField(
        "communes de plus de (habitants)",
        help_text="Les communes dont la population dépasse ce seuil sont visées.",
    )
    level = models.CharField(
        "niveau attendu", max_length=10, choices=TargetLevel.choices, default=TargetLevel.IN_PLACE
    )
    deadline = models.DateField("échéance", null=True, blank=True)
    label = models.CharField("énoncé de l'objectif", max_length=400, blank=True)
    source = models.CharField("source", max_length=400, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["department__code", "scheme"]
        verbose_name = "objectif de déploiement"
        constraints = [
            models.UniqueConstraint(fields=["department", "scheme"], name="unique_scheme_target")
        ]

    def __str__(self):
        return f"Objectif {self.get_scheme_display()} — {self.department}"
