"""Instruction of grant applications and the funders' committee (imported at the end of vigie.funding.models).

- Instruction: the prefecture's private notes, its structured analysis (eligible base, proposed amount), the
  opinions it asks other services for (with a due date and reminders). None of it is shown to the applicant.
- Committee: a session of the governance body « comité des financeurs » (one governance meeting), its agenda of
  applications, each funder's proposed amount, the decision recorded on each item.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from vigie.funding import budget
from vigie.funding.instruction_enums import CommitteeOutcome, OpinionService, OpinionVerdict

MONEY = {"max_digits": 12, "decimal_places": 2}


class InstructionNote(models.Model):
    """A private note of the prefecture on an application: never shown to the applicant."""

    application = models.ForeignKey(
        "funding.GrantApplication", on_delete=models.CASCADE, related_name="instruction_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("note", max_length=4000)
    created_at = models.DateTimeField("écrite le", auto_now_add=True)

    class Meta:
        ordering = ["application", "-created_at", "-pk"]
        verbose_name = "note d'instruction"
        verbose_name_plural = "notes d'instruction"

    def __str__(self):
        return f"Note sur « {self.application} »"


class InstructionReview(models.Model):
    """The instructor's structured analysis of an application: eligible base and proposed amount (Decimal €)."""

    application = models.OneToOneField(
        "funding.GrantApplication", on_delete=models.CASCADE, related_name="instruction_review"
    )
    eligible_base = models.DecimalField("assiette éligible (€)", **MONEY, null=True, blank=True)
    proposed_amount = models.DecimalField("montant proposé (€)", **MONEY, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "analyse d'instruction"
        verbose_name_plural = "analyses d'instruction"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eligible_base__gte=0) | models.Q(eligible_base__isnull=True),
                name="review_base_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_amount__gte=0) | models.Q(proposed_amount__isnull=True),
                name="review_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"Analyse de « {self.application} »"

    @property
    def rate(self) -> Decimal | None:
        """The proposed amount as a percentage of the eligible base (None when either is missing)."""
        if self.proposed_amount is None or self.eligible_base is None:
            return None
        return budget.share(self.proposed_amount, self.eligible_base)


class OpinionRequest(models.Model):
    """An opinion asked of another service (référent sûreté, droits des femmes, ARS, MILDECA…) on one application.

    The person asked sees this application (and only the applications they were asked about) until they answer.
    """

    application = models.ForeignKey(
        "funding.GrantApplication", on_delete=models.CASCADE, related_name="opinion_requests"
    )
    service = models.CharField("service consulté", max_length=20, choices=OpinionService.choices)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opinion_requests",
        verbose_name="personne consultée",
    )
    question = models.TextField("question posée", max_length=4000)
    due_on = models.DateField("avis attendu le")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    verdict = models.CharField("avis", max_length=20, choices=OpinionVerdict.choices, blank=True)
    opinion = models.TextField("avis motivé", max_length=8000, blank=True)
    given_at = models.DateTimeField("rendu le", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("relances", default=0)
    last_reminded_on = models.DateField("dernière relance", null=True, blank=True)

    class Meta:
        ordering = ["application", "due_on", "pk"]
        verbose_name = "demande d'avis"
        verbose_name_plural = "demandes d'avis"
        indexes = [models.Index(fields=["expert", "given_at"], name="funding_opinion_expert")]

    def __str__(self):
        return f"Avis {self.get_service_display()} sur « {self.application} »"

    def get_absolute_url(self):
        return reverse("instruction:opinion", args=[self.pk])

    @property
    def is_given(self) -> bool:
        return self.given_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_given and self.due_on < today


class CommitteeSession(models.Model):
    """A session of the « comité des financeurs »: one governance meeting and the applications on its agenda."""

    meeting = models.OneToOneField(
        "governance.Meeting",
        on_delete=models.PROTECT,
        related_name="funding_committee",
        verbose_name="réunion",
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année de programmation")
    decided_at = models.DateTimeField("décisions enregistrées le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__date", "-pk"]
        verbose_name = "séance du comité des financeurs"
        verbose_name_plural = "séances du comité des financeurs"

    def __str__(self):
        return f"Comité des financeurs du {self.meeting.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("instruction:session", args=[self.pk])


class CommitteeItem(models.Model):
    """An application on a session's agenda, and the committee's decision on it."""

    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "funding.GrantApplication", on_delete=models.PROTECT, related_name="committee_items"
    )
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(
        "décision", max_length=20, choices=CommitteeOutcome.choices, blank=True
    )

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = "dossier à l'ordre du jour"
        verbose_name_plural = "dossiers à l'ordre du jour"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="unique_application_per_session"
            )
        ]

    def __str__(self):
        return f"{self.application} ({self.session})"


class FunderProposal(models.Model):
    """What one funder (a State fund, or a co-funder) proposes to give to one agenda item."""

    item = models.ForeignKey(CommitteeItem, on_delete=models.CASCADE, related_name="proposals")
    fund = models.ForeignKey(
        "funding.Fund", on_delete=models.PROTECT, related_name="+", verbose_name="financeur"
    )
    amount = models.DecimalField("montant proposé (€)", **MONEY)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "fund__order", "fund__code"]
        verbose_name = "proposition d'un financeur"
        verbose_name_plural = "propositions des financeurs"
        constraints = [
            models.UniqueConstraint(fields=["item", "fund"], name="unique_proposal_per_funder"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="proposal_not_negative"),
        ]

    def __str__(self):
        return f"{self.fund} : {self.amount} €"
