"""What the rights of the person followed leave behind (RGPD art. 15 and 16), deleted with the case (cascade): the
access requests answered, and the history of rectified values — encrypted like the case itself, because an old
name is still a name. The audit log only says which field was rectified, never a value."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from vigie.casework.crypto import SecretTextField
from vigie.casework.enums import ExportFormat
from vigie.casework.models import Case


class AccessRequest(models.Model):
    """An access request of the person: when it was received, when and in which format the export was made."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_requests")
    requested_on = models.DateField("demande reçue le")
    export_format = models.CharField("format", max_length=4, choices=ExportFormat.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField("export produit le", auto_now_add=True)

    class Meta:
        verbose_name = "demande d'accès"
        verbose_name_plural = "demandes d'accès"
        ordering = ["-answered_at", "-pk"]

    def __str__(self) -> str:
        return f"Demande d'accès du {self.requested_on:%d/%m/%Y}"


class CaseRectification(models.Model):
    """One field of a case rectified: its old and new values, encrypted; the group reads them in the case's
    rectification history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rectifications")
    field = models.CharField("champ", max_length=40)
    old_value = SecretTextField("ancienne valeur", blank=True, null=True)
    new_value = SecretTextField("nouvelle valeur", blank=True, null=True)
    requested_on = models.DateField("demande de la personne reçue le", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rectified_at = models.DateTimeField("rectifié le", auto_now_add=True)

    class Meta:
        verbose_name = "rectification d'un dossier"
        verbose_name_plural = "rectifications d'un dossier"
        ordering = ["-rectified_at", "-pk"]

    def __str__(self) -> str:
        # Never a value: the field only.
        return f"Rectification : {self.label}"

    @property
    def label(self) -> str:
        try:
            return str(Case._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field since renamed
            return self.field
