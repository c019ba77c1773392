"""Indicators of a plan's measures (their monitoring is built on top of this)."""

from django.db import models

from vigie.indicators.enums import Periodicity, Unit
from vigie.plans.models import Measure


class Indicator(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    label = models.TextField("libellé")
    unit = models.CharField("unité", max_length=10, choices=Unit.choices, default=Unit.NUMBER)
    periodicity = models.CharField(
        "périodicité", max_length=10, choices=Periodicity.choices, default=Periodicity.ANNUAL
    )
    baseline_period = models.CharField("période de référence", max_length=20, blank=True)
    baseline_value = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_period = models.CharField("échéance de la cible", max_length=20, blank=True)
    target_value = models.DecimalField("valeur cible", max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "indicateur"

    def __str__(self):
        return self.label if len(self.label) <= 120 else self.label[:117] + "…"

    def get_absolute_url(self):
        return f"{self.measure.get_absolute_url()}#indicateur-{self.pk}"

    @property
    def has_target(self) -> bool:
        return self.target_value is not None
