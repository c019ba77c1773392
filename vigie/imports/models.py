"""Import sessions of plan documents (upload → analysis → review → confirmation) and plan
versions (the initial plan and its amendments, « avenants »), each a frozen snapshot."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from vigie.core.storage import private_storage
from vigie.imports.enums import FileFormat, ImportStatus
from vigie.plans.models import Plan
from vigie.territories.models import Department


def upload_to(instance, filename: str) -> str:
    """A folder of its own for each document. Object storage (S3) has no atomic "create if absent": two nodes
    storing a document at the same moment would both find a shared name free, and the second would overwrite the
    first's document."""
    suffix = PurePath(filename).suffix.lower()[:10]
    folder = f"imports/{instance.department.code}/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"
    return f"{folder}/document{suffix}"


class PlanVersion(models.Model):
    """A version of a plan as adopted: its structure frozen when the version was recorded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("numéro")
    label = models.CharField("intitulé", max_length=150)
    adopted_on = models.DateField("date d'adoption", null=True, blank=True)
    snapshot = models.JSONField("structure figée", default=dict)
    source_name = models.CharField("document d'origine", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "version de plan"
        verbose_name_plural = "versions de plans"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.label} — {self.plan}"

    def get_absolute_url(self):
        return reverse("imports:version", args=[self.pk])


class ImportSession(models.Model):
    """One uploaded plan document, from its analysis to the confirmed import (or its failure).

    ``structure`` is the detected plan (``ParsedPlan.to_dict()``), edited by the review;
    ``source_blocks`` is the document as read, shown beside it. Nothing is written to the
    plan before confirmation.
    """

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="département"
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_sessions",
        verbose_name="plan",
        help_text="Plan dont le document est une nouvelle version (vide pour un nouveau plan).",
    )
    # Never reachable by URL: served only through the permission-checked review pages.
    file = models.FileField(
        "document", upload_to=upload_to, max_length=255, storage=private_storage
    )
    original_name = models.CharField("nom du fichier", max_length=255)
    file_size = models.PositiveIntegerField("taille (octets)")
    file_format = models.CharField("format", max_length=5, choices=FileFormat.choices)
    version_label = models.CharField("intitulé de la version", max_length=150, blank=True)
    adopted_on = models.DateField("date d'adoption", null=True, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    error_message = models.TextField("message d'erreur", blank=True)
    structure = models.JSONField("structure détectée", default=dict, blank=True)
    source_blocks = models.JSONField("texte du document", default=list, blank=True)
    new_organisations = models.JSONField(
        "organisations à créer",
        default=list,
        blank=True,
        help_text="Formulations de pilotes ou partenaires à ajouter à l'annuaire.",
    )
    revision = models.PositiveIntegerField("révision de la vérification", default=0)
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="version enregistrée",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confirmé par",
    )
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    created_at = models.DateTimeField("déposé le")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import de plan"
        verbose_name_plural = "imports de plans"

    def __str__(self):
        return f"Import de « {self.original_name} » ({self.department.code})"

    def get_absolute_url(self):
        return reverse("imports:session", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.PARSING, ImportStatus.REVIEW)

    @property
    def is_reimport(self) -> bool:
        return self.plan_id is not None and self.status != ImportStatus.CONFIRMED
