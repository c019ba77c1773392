"""Nominative working groups: the group, its members, its confidentiality charter (versioned) and acceptances."""

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vigie.casework.crypto import SecretCharField, SecretTextField
from vigie.casework.enums import (
    AccessAction,
    AccessChannel,
    ClosureReason,
    CountKind,
    GroupKind,
    InformationMeans,
    Level,
    MemberRole,
    ReferralReason,
    ReferralSource,
)
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
    controller_summary = models.TextField(
        "synthèse pour le responsable du traitement",
        blank=True,
        max_length=4000,
        help_text="Rédigée par le coordonnateur : strictement nécessaire, sans nom.",
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


class Case(models.Model):
    """A person followed by a group. Identity encrypted; found by name only through `name_hash` (keyed hash);
    reached only by its opaque `public_id`, never by a name in a URL."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    group = models.ForeignKey(CaseGroup, on_delete=models.PROTECT, related_name="cases")
    last_name = SecretCharField("nom", max_length=150)
    first_name = SecretCharField("prénom", max_length=150)
    birth_date = SecretCharField(
        "date de naissance (AAAA-MM-JJ)", max_length=10, blank=True, null=True
    )
    name_hash = models.CharField(max_length=64, db_index=True, editable=False)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    referral_reason = models.CharField(
        "motif de l'orientation", max_length=20, choices=ReferralReason.choices
    )
    referral_source = models.CharField(
        "origine de l'orientation", max_length=20, choices=ReferralSource.choices
    )
    referent = models.ForeignKey(
        GroupMember,
        on_delete=models.PROTECT,
        related_name="referred_cases",
        verbose_name="référent de parcours",
    )
    assigned = models.ManyToManyField(
        GroupMember,
        blank=True,
        related_name="assigned_cases",
        verbose_name="professionnels de l'action sociale désignés",
    )
    opened_on = models.DateField("date d'ouverture")
    informed_on = models.DateField("personne informée le", null=True, blank=True)
    informed_how = models.CharField(
        "moyen d'information", max_length=20, choices=InformationMeans.choices, blank=True
    )
    closed_on = models.DateField("date de clôture", null=True, blank=True)
    closure_reason = models.CharField(
        "motif de clôture", max_length=20, choices=ClosureReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dossier de suivi"
        verbose_name_plural = "dossiers de suivi"
        ordering = ["-opened_on", "pk"]

    def __str__(self) -> str:
        # Never the name: this string reaches audit entries and logs.
        return f"Dossier {self.public_id.hex[:8]}"


class CaseEntry(models.Model):
    """A dated entry of a case; its texts are encrypted. A "secret" entry is read only by the social-work
    professionals assigned to the case and the coordinator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField("date")
    level = models.CharField(
        "niveau", max_length=12, choices=Level.choices, default=Level.CONFIDENTIAL
    )
    situation = SecretTextField("situation", blank=True, null=True)
    orientation = SecretTextField("orientation", blank=True, null=True)
    actions = SecretTextField("actions engagées", blank=True, null=True)
    next_review_on = models.DateField("prochain point", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entrée d'un dossier"
        verbose_name_plural = "entrées d'un dossier"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Entrée du {self.date:%d/%m/%Y}"


class AccessLogEntry(models.Model):
    """One read or write of a case (or a read of this log). Append-only: the application never updates or deletes
    a row (save and delete refuse), and on PostgreSQL a trigger refuses it at the database (migrations 0003 and
    0004): only the daily purge (vigie.casework.retention) deletes rows, those older than the group's log retention
    period. No foreign key to the case: a purged case keeps its log for the log's own retention period."""

    group = models.ForeignKey(CaseGroup, on_delete=models.PROTECT, related_name="access_log")
    case_public_id = models.UUIDField(null=True, blank=True)
    user_id_at_time = models.PositiveIntegerField("compte")
    user_label = models.CharField("personne", max_length=300)
    action = models.CharField("action", max_length=20, choices=AccessAction.choices)
    channel = models.CharField("canal", max_length=10, choices=AccessChannel.choices)
    at = models.DateTimeField("date et heure", auto_now_add=True)

    class Meta:
        verbose_name = "accès à un dossier"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["group", "-at"], name="casework_log_group_at")]

    def __str__(self) -> str:
        return f"{self.user_label} : {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Le journal des accès ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal des accès ne se supprime pas.")


class CaseworkIndicatorSource(models.Model):
    """A plan indicator whose yearly value is a count of the department's groups (Gers 1.2, Lot « Nombre de
    personnes suivies par l'ISCG »…), written by vigie.casework.indicator_counts: a count, never a name."""

    indicator = models.OneToOneField(
        "indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="casework_source",
        verbose_name="indicateur",
    )
    count = models.CharField("ce qui est compté", max_length=12, choices=CountKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "indicateur calculé à partir du suivi individualisé"
        verbose_name_plural = "indicateurs calculés à partir du suivi individualisé"

    def __str__(self) -> str:
        return f"{self.get_count_display()} → {self.indicator}"


# The rights of the person (access requests, rectification history) live in their own module.
from vigie.casework.rights_models import AccessRequest, CaseRectification  # noqa: E402, F401
