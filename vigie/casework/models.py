"""Nominative working groups: the group, its members, its confidentiality charter (versioned) and acceptances."""

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vigie.casework.enums import GroupKind, MemberRole
from vigie.core.storage import private_storage


def rules_path(instance, filename: str) -> str:
    """An opaque name: the group's rules are never reachable by a guessable path."""
    return f"casework/rules/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class CaseGroup(models.Model):
    """A nominative working group of a CLSPD/CISPD (e.g. minors exposed to delinquency) or the ISCG victims' cell."""

    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="case_groups"
    )
    kind = models.CharField("nature", max_length=12, choices=GroupKind.choices)
    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.PROTECT,
        related_name="case_groups",
        verbose_name="instance",
        help_text="Le conseil local (CLSPD, CISPD) du groupe, ou la cellule de l'ISCG.",
    )
    name = models.CharField("nom", max_length=200)
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="controlled_case_groups",
        verbose_name="responsable du traitement",
        help_text="Le maire ou le président du conseil, ou le préfet pour la cellule.",
    )
    controller_title = models.CharField(
        "qualité du responsable du traitement",
        max_length=200,
        help_text="Par exemple « Maire de Condom ».",
    )
    rules_file = models.FileField(
        "règlement intérieur", upload_to=rules_path, storage=private_storage, blank=True
    )
    rules_original_name = models.CharField(
        "nom du fichier du règlement", max_length=255, blank=True
    )
    retention_months = models.PositiveSmallIntegerField(
        "durée de conservation des dossiers clos (mois)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    log_retention_months = models.PositiveSmallIntegerField(
        "durée de conservation du journal des accès (mois)",
        default=12,
        validators=[MinValueValidator(6), MaxValueValidator(12)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "groupe de suivi individualisé"
        verbose_name_plural = "groupes de suivi individualisé"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_charter(self):
        return self.charter_versions.order_by("-number").first()


class GroupMember(models.Model):
    """A person's membership of a group, from `start_date`; from `end_date` on (that day included) it gives no access."""

    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=MemberRole.choices)
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "membre d'un groupe de suivi"
        verbose_name_plural = "membres d'un groupe de suivi"
        ordering = ["group", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def is_current(self, today) -> bool:
        return self.start_date <= today and (self.end_date is None or today < self.end_date)


class CharterVersion(models.Model):
    """One version of a group's confidentiality charter; the highest number is the current one."""

    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField("version")
    text = models.TextField("texte de la charte", max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version de la charte"
        verbose_name_plural = "versions de la charte"
        ordering = ["group", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="casework_charter_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Charte de {self.group}, version {self.number}"


class CharterAcceptance(models.Model):
    """Who accepted which version of the charter, and when."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_acceptances"
    )
    accepted_at = models.DateTimeField("acceptée le")

    class Meta:
        verbose_name = "acceptation de la charte"
        verbose_name_plural = "acceptations de la charte"
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="casework_acceptance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} : {self.version}"
