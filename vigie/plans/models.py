"""A departmental crime-prevention plan as structured data: plan → axes → measures → actions."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from vigie.organisations.models import Organisation
from vigie.plans.enums import (
    ActionStatus,
    ActorRole,
    AxisKind,
    NationalAxis,
    PlanStatus,
    SectionKind,
)
from vigie.territories.models import Department


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Plan(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("intitulé", max_length=300)
    period_start = models.PositiveSmallIntegerField("première année")
    period_end = models.PositiveSmallIntegerField("dernière année")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    signed_at = models.CharField("lieu de signature", max_length=100, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    introduction = models.TextField("introduction", blank=True)
    source_note = models.TextField(
        "origine du document",
        blank=True,
        help_text="D'où vient le texte du plan (document publié, date).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["department__code", "-period_start"]
        verbose_name = "plan départemental"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "period_start", "period_end"],
                name="unique_plan_period_per_department",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            ),
        ]

    def __str__(self):
        if str(self.period_start) in self.title and str(self.period_end) in self.title:
            return self.title
        return f"{self.title} ({self.period_start}-{self.period_end})"

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in (PlanStatus.ADOPTED, PlanStatus.CLOSED)

    @property
    def period_label(self) -> str:
        return f"{self.period_start}-{self.period_end}"


class Signatory(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField("nom", max_length=200)
    office = models.CharField("qualité", max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "signataire"

    def __str__(self):
        return f"{self.name}, {self.office}"


class Axis(models.Model):
    """An axis (or priority) of the plan; annexes such as the Gers cyber plan are axes of kind annex."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    kind = models.CharField(
        "nature", max_length=10, choices=AxisKind.choices, default=AxisKind.AXIS
    )
    number = models.CharField("numéro", max_length=10)
    title = models.CharField("intitulé", max_length=400)
    national_axis = models.CharField(
        "axe de la stratégie nationale", max_length=1, choices=NationalAxis.choices, blank=True
    )
    introduction = models.TextField("présentation", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = "axe"
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "number"], name="unique_axis_number")
        ]

    def __str__(self):
        prefix = "Annexe" if self.kind == AxisKind.ANNEX else "Axe"
        return f"{prefix} {self.number} — {self.title}"

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#axe-{self.pk}"


class AxisSection(models.Model):
    """Context text of an axis: "État des lieux", "Bilan 2014-2020", "Principaux enjeux"…"""

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField("nature", max_length=20, choices=SectionKind.choices)
    title = models.CharField("titre", max_length=300)
    body = models.TextField("texte")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "section de contexte"

    def __str__(self):
        return self.title


class Measure(models.Model):
    """A measure (fiche action) of the plan."""

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="measures")
    number = models.CharField("numéro", max_length=10)
    title = models.CharField("intitulé", max_length=500)
    actors_wording = models.TextField(
        "pilotes et partenaires (texte du plan)",
        blank=True,
        help_text="Formulation d'origine, conservée telle que publiée.",
    )
    findings = models.TextField(
        "constat partagé / problématiques", blank=True, help_text="Un élément par ligne."
    )
    objectives = models.TextField("objectifs", blank=True, help_text="Un élément par ligne.")
    national_objectives = models.TextField(
        "objectifs de la stratégie nationale", blank=True, help_text="Un élément par ligne."
    )
    situation = models.TextField("état des lieux", blank=True, help_text="Un élément par ligne.")
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["axis__order", "order", "pk"]
        verbose_name = "mesure"
        constraints = [
            models.UniqueConstraint(fields=["axis", "number"], name="unique_measure_number")
        ]

    def __str__(self):
        return f"Mesure {self.number} — {self.title}"

    def get_absolute_url(self):
        return reverse("plans:measure", args=[self.pk])

    @property
    def plan(self) -> Plan:
        return self.axis.plan

    @property
    def findings_list(self):
        return split_lines(self.findings)

    @property
    def objectives_list(self):
        return split_lines(self.objectives)

    @property
    def national_objectives_list(self):
        return split_lines(self.national_objectives)

    @property
    def situation_list(self):
        return split_lines(self.situation)


class MeasureActor(models.Model):
    """A pilot or partner of a measure, as worded in the plan, linked to the directory when known."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="actors")
    role = models.CharField("rôle", max_length=15, choices=ActorRole.choices)
    wording = models.CharField("formulation du plan", max_length=400)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measure_roles", null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "pilote ou partenaire"

    def __str__(self):
        return f"{self.get_role_display()} : {self.wording}"


class Action(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(
        "intitulé court",
        max_length=500,
        blank=True,
        help_text="Partie en gras dans le plan, le cas échéant.",
    )
    text = models.TextField("texte de l'action")
    status = models.CharField(
        "état d'avancement",
        max_length=15,
        choices=ActionStatus.choices,
        default=ActionStatus.PLANNED,
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        null=True,
        blank=True,
        verbose_name="organisation responsable",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    progress_note = models.TextField("point d'avancement", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "action"

    def __str__(self):
        label = self.title or self.text
        return label if len(label) <= 120 else label[:117] + "…"

    def get_absolute_url(self):
        return f"{self.measure.get_absolute_url()}#action-{self.pk}"


class GoodPractice(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="good_practices")
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, related_name="good_practices", null=True, blank=True
    )
    text = models.TextField("bonne pratique")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "bonne pratique"

    def __str__(self):
        return self.text[:120]


class Comment(models.Model):
    """A partner's remark on a measure (not public)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("commentaire", max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "commentaire"

    def __str__(self):
        return f"Commentaire de {self.author} sur {self.measure}"
