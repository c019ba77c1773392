"""Indicators of a plan's measures and their monitoring: collection campaigns, values, action reports."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from vigie.core.formatting import BELOW_THRESHOLD
from vigie.indicators import periods
from vigie.indicators.enums import (
    Aggregation,
    CampaignStatus,
    DenominatorKind,
    Direction,
    Periodicity,
    ReminderKind,
    TerritorialLevel,
    Unit,
    ValueSource,
    ValueStatus,
)
from vigie.organisations.models import Organisation
from vigie.plans.enums import ActionStatus
from vigie.plans.models import Action, Measure, Plan
from vigie.territories.models import Commune, Department, Epci


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
    target_value = models.DecimalField(
        "valeur cible", max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_restricted = models.BooleanField(
        "non public",
        default=False,
        help_text="Sites sensibles, radicalisation… : jamais montré au public "
        "(pages publiques, flux, données ouvertes, API).",
    )
    # Monitoring definition (added by the indicator monitoring issue).
    description = models.TextField(
        "définition et source", blank=True, help_text="Ce qui est compté, d'où vient la donnée."
    )
    territorial_level = models.CharField(
        "niveau de collecte",
        max_length=12,
        choices=TerritorialLevel.choices,
        default=TerritorialLevel.DEPARTMENT,
        help_text="Territoire pour lequel chaque valeur est saisie.",
    )
    aggregation = models.CharField(
        "consolidation",
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text="Comment les valeurs des territoires (et des périodes d'une année) sont regroupées.",
    )
    direction = models.CharField(
        "sens souhaité", max_length=10, choices=Direction.choices, default=Direction.UP
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="responsible_indicators",
        null=True,
        blank=True,
        verbose_name="organisation responsable",
    )
    is_computed = models.BooleanField(
        "indicateur calculé",
        default=False,
        help_text="Calculé par une formule (numérateur ÷ dénominateur × facteur), jamais saisi.",
    )
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="numérateur",
    )
    denominator_kind = models.CharField(
        "dénominateur",
        max_length=12,
        choices=DenominatorKind.choices,
        blank=True,
        default=DenominatorKind.NONE,
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="indicateur dénominateur",
    )
    factor = models.DecimalField("facteur", max_digits=12, decimal_places=4, default=Decimal("1"))
    is_demo = models.BooleanField(
        "définition de démonstration",
        default=False,
        help_text="Définition et valeurs inventées pour la démonstration (le plan n'en publie pas).",
    )

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "indicateur"

    def __str__(self):
        label = self.display_label
        return label if len(label) <= 120 else label[:117] + "…"

    def get_absolute_url(self):
        return f"{self.measure.get_absolute_url()}#indicateur-{self.pk}"

    def get_monitoring_url(self):
        return reverse("indicators:indicator", args=[self.pk])

    @property
    def display_label(self) -> str:
        """The label without the list punctuation kept from the plan's text (" ;")."""
        return self.label.strip().rstrip(";").rstrip()

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    @property
    def is_collected(self) -> bool:
        return not self.is_computed

    @property
    def formula_label(self) -> str:
        if not self.is_computed or self.numerator_id is None:
            return ""
        if self.denominator_kind == DenominatorKind.POPULATION:
            below = "population du territoire"
        elif self.denominator_kind == DenominatorKind.INDICATOR and self.denominator_id:
            below = f"« {self.denominator} »"
        else:
            below = "1"
        factor = format(Decimal(self.factor).normalize(), "f")
        return f"« {self.numerator} » ÷ {below} × {factor}"


class Campaign(models.Model):
    """A collection campaign opened by the prefecture for a period of its plan (e.g. "Bilan 2025")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicator_campaigns")
    title = models.CharField("intitulé", max_length=200)
    period_start = models.DateField("début de la période couverte")
    period_end = models.DateField("fin de la période couverte")
    deadline = models.DateField("date limite de saisie")
    status = models.CharField(
        "état", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    instructions = models.TextField("consignes", blank=True)
    is_demo = models.BooleanField("campagne de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = "campagne de collecte"
        verbose_name_plural = "campagnes de collecte"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"], name="unique_campaign_title_per_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="campaign_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("indicators:campaign", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def periods_for(self, periodicity: str) -> list[str]:
        return periods.periods_between(periodicity, self.period_start, self.period_end)

    def accepts(self, periodicity: str, code: str) -> bool:
        return code in self.periods_for(periodicity)


class IndicatorValue(models.Model):
    """One figure: an indicator, for one territory and one period, collected in a campaign."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="values")
    period = models.CharField("période", max_length=10)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # "D32", "E200066926" or "C32013": one territory, whatever its level (unique together with the rest).
    territory_key = models.CharField("territoire", max_length=16)
    value = models.DecimalField("valeur", max_digits=16, decimal_places=4)
    # A count of people from 1 to 4 is never published (statistical secrecy): the value is then stored as 0, this
    # flag is set, and every page, export and API shows « < 5 » (vigie.core.formatting.BELOW_THRESHOLD).
    is_below_threshold = models.BooleanField(
        "inférieure à 5 (non publiée)", default=False, db_default=False
    )
    comment = models.TextField("commentaire", blank=True, max_length=2000)
    status = models.CharField(
        "statut", max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    review_comment = models.TextField("commentaire de la préfecture", blank=True, max_length=2000)
    source = models.CharField(
        "origine", max_length=10, choices=ValueSource.choices, default=ValueSource.FORM
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validée par",
    )
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period", "territory_key"]
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "territory_key"],
                name="unique_value_per_indicator_period_territory",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "status", "period"]),
            models.Index(fields=["campaign", "status"]),
        ]

    def __str__(self):
        label = str(self.indicator)
        if len(label) > 150:
            label = label[:147] + "…"
        return f"{label} — {self.territory_name} — {periods.label(self.period)}"

    def get_absolute_url(self):
        return reverse("indicators:value", args=[self.pk])

    @property
    def territory_name(self) -> str:
        if self.commune_id:
            return str(self.commune)
        if self.epci_id:
            return str(self.epci)
        return str(self.department)

    @property
    def period_label(self) -> str:
        return periods.label(self.period)

    @property
    def shown_value(self):
        """What any page shows: the value, or BELOW_THRESHOLD (« < 5 ») for a suppressed small count."""
        return BELOW_THRESHOLD if self.is_below_threshold else self.value


class ActionReport(models.Model):
    """Progress of an action (status and note) reported in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="action_reports")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="campaign_reports")
    status = models.CharField("état d'avancement", max_length=15, choices=ActionStatus.choices)
    note = models.TextField("point d'avancement", blank=True, max_length=5000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclaré par",
    )
    reported_at = models.DateTimeField("déclaré le", auto_now=True)

    class Meta:
        ordering = ["campaign", "action"]
        verbose_name = "point d'avancement d'action"
        verbose_name_plural = "points d'avancement d'actions"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "action"], name="unique_action_report")
        ]

    def __str__(self):
        return f"Avancement « {self.action} » — {self.campaign}"


class ReminderLog(models.Model):
    """E-mail reminders already sent, so the daily command does not repeat itself."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("nature", max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField("envoyé le")
    missing_count = models.PositiveIntegerField("valeurs manquantes", default=0)

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = "relance"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "kind", "sent_on"], name="unique_reminder_per_day"
            )
        ]

    def __str__(self):
        return f"Relance {self.get_kind_display().lower()} à {self.user} ({self.sent_on})"
