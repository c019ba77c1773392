"""The prefecture's own words for a plan's reviews, and the reviews generated from Vigie's data (frozen files)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from vigie.core.storage import private_storage
from vigie.plans.models import Axis, Plan
from vigie.reviews.enums import ReviewFormat, ReviewKind


class ReviewText(models.Model):
    """The introduction of a plan's reviews (no axis), or the comment on one of its axes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_texts")
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="review_texts", null=True, blank=True
    )
    body = models.TextField("texte", max_length=20000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "texte du bilan"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "axis"],
                condition=models.Q(axis__isnull=False),
                name="unique_review_comment_per_axis",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(axis__isnull=True),
                name="unique_review_introduction_per_plan",
            ),
        ]

    def __str__(self):
        if self.axis_id is None:
            return f"Introduction des bilans du plan {self.plan.period_label}"
        return f"Commentaire des bilans sur l'axe {self.axis.number}"


def review_storage():
    """Generated reviews are only ever served through the permission-checked download view."""
    return private_storage()


def review_upload_to(instance, filename):
    return f"reviews/{uuid.uuid4().hex}/{filename}"


class Review(models.Model):
    """A review as generated on a date: never changed afterwards (generating again makes a new one)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField("nature", max_length=10, choices=ReviewKind.choices)
    date_from = models.DateField("début de la période")
    date_to = models.DateField("fin de la période")
    output_format = models.CharField("format", max_length=5, choices=ReviewFormat.choices)
    title = models.CharField("titre", max_length=300)
    parameters = models.JSONField("paramètres", default=dict)
    file = models.FileField(
        "fichier", upload_to=review_upload_to, storage=review_storage, max_length=300
    )
    filename = models.CharField("nom du fichier", max_length=200)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name="auteur",
    )
    created_at = models.DateTimeField("date de génération", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "bilan généré"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:download", args=[self.pk])
