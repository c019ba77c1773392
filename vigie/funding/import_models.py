"""The column mapping of a call's spreadsheet imports (imported at the end of vigie.funding.models).

Set once per call from the headers of a first export, saved, reused by later imports of the same call, editable.
"""

from django.conf import settings
from django.db import models


class ApplicationImportMapping(models.Model):
    """For each importable field (keys of `vigie.funding.application_import.FIELDS`), the header of its column."""

    call = models.OneToOneField(
        "funding.FundingCall",
        on_delete=models.CASCADE,
        related_name="import_mapping",
        verbose_name="appel à projets",
    )
    columns = models.JSONField("correspondance des colonnes", default=dict)
    # The programme of every file when the export has no programme column (one platform procedure per programme).
    default_programme = models.ForeignKey(
        "funding.CallProgramme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="programme de tous les dossiers",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "correspondance des colonnes d'import"
        verbose_name_plural = "correspondances des colonnes d'import"

    def __str__(self):
        return f"Colonnes d'import — {self.call}"
