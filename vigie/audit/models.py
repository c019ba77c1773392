"""Append-only audit log of every state change of a domain object, and of reads of sensitive data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from vigie.audit.enums import AuditAction


class AuditEntry(models.Model):
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    # Kept as text so the log stays readable when the account is deleted.
    actor_repr = models.CharField("auteur (texte)", max_length=300, blank=True)
    action = models.CharField("opération", max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("objet", max_length=300)
    # The history of a child (an action) also shows on its parent's page (its measure).
    parent_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent_object_id = models.CharField(max_length=64, blank=True)
    # A string reference: audit sits below territories in the layers (docs/conventions.md).
    department = models.ForeignKey(
        "territories.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"field": {"label": "...", "old": "...", "new": "..."}}
    changes = models.JSONField("changements", default=dict, blank=True)
    reason = models.CharField("motif", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["parent_content_type", "parent_object_id"]),
        ]

    def __str__(self):
        return (
            f"{self.get_action_display()} de {self.object_repr} par {self.actor_repr or 'système'}"
        )
