"""Funds, calls for projects, grant applications with their Cerfa 12156 budget, attachments, history, payments.

Money is `Decimal` euros and cents (`MONEY`), never a float. Rates are percentages with two decimals.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from vigie.core.storage import private_storage
from vigie.funding.enums import (
    COST_ACCOUNTS,
    EDITABLE_STATES,
    INCOME_ACCOUNTS,
    ApplicantKind,
    ApplicationState,
    AttachmentKind,
    BudgetAccount,
    CorrectablePart,
    FunderCategory,
    FundKind,
    GrantNature,
    LetterKind,
    NotificationKind,
    PaymentKind,
)
from vigie.indicators.models import Indicator
from vigie.organisations.models import Organisation
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Department, Epci

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Fund(models.Model):
    """A State fund that runs calls (FIPD, MILDECA, PDASR…) or a co-funder named in budgets (ARS, CAF…)."""

    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=FundKind.choices)
    # For a co-funder: the line of the budget's account 74 it belongs to.
    funder_category = models.CharField(
        "catégorie de financeur", max_length=20, choices=FunderCategory.choices
    )
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "fonds"
        verbose_name_plural = "fonds"

    def __str__(self):
        return self.code


class FundProgramme(models.Model):
    """A strand of a fund (FIPD D, R, S, K). A fund without strands has one programme with an empty code."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="programmes")
    code = models.CharField("code", max_length=10, blank=True)
    name = models.CharField("intitulé", max_length=300)
    nature = models.CharField("nature des dépenses", max_length=20, choices=GrantNature.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["fund__order", "order", "code"]
        verbose_name = "programme"
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="unique_programme_code_per_fund")
        ]

    def __str__(self):
        return f"{self.fund.code} {self.code}".strip()


class FundingCall(models.Model):
    """A call for projects: one fund, one year, one department, with its dates and its rules."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="funding_calls"
    )
    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("présentation", blank=True)
    opens_on = models.DateField("ouverture")
    closes_on = models.DateField("clôture")
    # Rules common to the call's programmes (see CallProgramme for the share and the minimum).
    eligible_applicant_kinds = models.JSONField(
        "porteurs éligibles", default=list, help_text="Valeurs de ApplicantKind."
    )
    state_service_equipment_allowed = models.BooleanField(
        "un service de l'État peut acheter de l'équipement", default=False
    )
    in_kind_counted = models.BooleanField(
        "contributions en nature comptées dans le coût total", default=False
    )
    required_attachments = models.JSONField(
        "pièces obligatoires", default=list, help_text="Valeurs de AttachmentKind."
    )
    automatic_renewal = models.BooleanField("reconduction automatique", default=True)
    max_years = models.PositiveSmallIntegerField(
        "nombre maximal d'années de financement d'une même action", null=True, blank=True
    )
    renewal_requires_final_report = models.BooleanField(
        "un renouvellement exige le compte rendu de la subvention précédente", default=True
    )
    is_demo = models.BooleanField("appel de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "department__code", "fund__order", "title"]
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "fund", "year", "title"], name="unique_call_title"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:call", args=[self.pk])

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class CallProgramme(models.Model):
    """A programme of a call: its envelope and its own rules (share of the cost, minimum amount)."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="programmes")
    programme = models.ForeignKey(FundProgramme, on_delete=models.PROTECT, related_name="+")
    envelope = models.DecimalField(
        "enveloppe (€)", **MONEY, validators=NON_NEGATIVE, null=True, blank=True
    )
    max_share = models.DecimalField(
        "part maximale du fonds dans le coût total (%)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        null=True,
        blank=True,
    )
    share_justification_allowed = models.BooleanField(
        "dépassement possible avec une justification écrite", default=False
    )
    min_amount = models.DecimalField(
        "montant minimal demandé (€)", **MONEY, validators=NON_NEGATIVE, null=True, blank=True
    )

    class Meta:
        ordering = ["call", "programme__order"]
        verbose_name = "programme de l'appel"
        verbose_name_plural = "programmes de l'appel"
        constraints = [
            models.UniqueConstraint(fields=["call", "programme"], name="unique_programme_per_call"),
            models.CheckConstraint(
                condition=models.Q(envelope__gte=0) | models.Q(envelope__isnull=True),
                name="call_envelope_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.call} — {self.programme}"


class GrantApplication(models.Model):
    """A grant application to one programme of a call, by an organisation of the directory."""

    call = models.ForeignKey(FundingCall, on_delete=models.PROTECT, related_name="applications")
    call_programme = models.ForeignKey(
        CallProgramme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="programme",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name="porteur",
    )
    applicant_kind = models.CharField(
        "nature du porteur", max_length=20, choices=ApplicantKind.choices
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    state = models.CharField(
        "état", max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    title = models.CharField("intitulé du projet", max_length=300)
    summary = models.TextField("description du projet", blank=True)
    public = models.TextField("public visé", blank=True)
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="communes concernées"
    )
    epcis = models.ManyToManyField(
        Epci, blank=True, related_name="+", verbose_name="intercommunalités concernées"
    )
    starts_on = models.DateField("début de l'action", null=True, blank=True)
    ends_on = models.DateField("fin de l'action", null=True, blank=True)
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="grant_applications", verbose_name="mesures du plan"
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="grant_applications", verbose_name="indicateurs suivis"
    )
    includes_equipment = models.BooleanField(
        "le projet comprend l'achat d'équipement", default=False
    )
    share_justification = models.TextField(
        "justification d'une part du fonds supérieure au plafond", blank=True
    )
    # Renewal of an action already funded: how many years it was, and the previous grant (when in Vigie).
    is_renewal = models.BooleanField("renouvellement d'une action déjà financée", default=False)
    previous_years = models.PositiveSmallIntegerField(
        "années de financement déjà obtenues pour cette action", default=0
    )
    previous_application = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="demande précédente",
    )
    # Declared by the applicant until final reports live in Vigie (see vigie.funding.rules.previous_report_filed).
    previous_report_filed = models.BooleanField(
        "compte rendu de la subvention précédente déposé", default=False
    )
    # Kept equal to the budget's income lines from the call's fund (services.save_budget).
    requested_amount = models.DecimalField(
        "montant demandé (€)", **MONEY, default=Decimal("0"), validators=NON_NEGATIVE
    )
    total_cost = models.DecimalField(
        "coût total (€)", **MONEY, default=Decimal("0"), validators=NON_NEGATIVE
    )
    granted_amount = models.DecimalField(
        "montant accordé (€)", **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    notification_kind = models.CharField(
        "acte de notification", max_length=20, choices=NotificationKind.choices, blank=True
    )
    notified_on = models.DateField("notifiée le", null=True, blank=True)
    # Set when sent back "à corriger": the instructor's message and the names of the parts to fix.
    correction_message = models.TextField("demande de correction", blank=True)
    correction_fields = models.JSONField("points à corriger", default=list, blank=True)
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    # The file number on the platform it came from (démarches simplifiées, FIPD), for imported applications.
    external_reference = models.CharField("numéro de dossier d'origine", max_length=60, blank=True)
    state_changed_at = models.DateTimeField("état modifié le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "demande de subvention"
        verbose_name_plural = "demandes de subvention"
        indexes = [models.Index(fields=["call", "state"], name="funding_app_call_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0),
                name="application_requested_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(granted_amount__gte=0) | models.Q(granted_amount__isnull=True),
                name="application_granted_not_negative",
            ),
            models.UniqueConstraint(
                fields=["call", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="unique_external_reference_per_call",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:application", args=[self.pk])

    @property
    def correction_parts(self) -> list[str]:
        """The labels of the parts sent back for correction."""
        return [
            CorrectablePart(p).label for p in self.correction_fields if p in CorrectablePart.values
        ]

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class GrantBudgetLine(models.Model):
    """One line of the forecast budget. Account 74 lines name their funder (a State fund by fund)."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="budget_lines"
    )
    account = models.CharField("compte", max_length=10, choices=BudgetAccount.choices)
    label = models.CharField("détail", max_length=300, blank=True)
    funder_category = models.CharField(
        "financeur", max_length=20, choices=FunderCategory.choices, blank=True
    )
    fund = models.ForeignKey(
        Fund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fonds",
    )
    amount = models.DecimalField("montant (€)", **MONEY, validators=NON_NEGATIVE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "order", "pk"]
        verbose_name = "ligne du budget"
        verbose_name_plural = "lignes du budget"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_not_negative"
            ),
            # Only subsidies (74) name a funder; a State subsidy names its fund.
            models.CheckConstraint(
                condition=(models.Q(account="74") & ~models.Q(funder_category=""))
                | (~models.Q(account="74") & models.Q(funder_category="")),
                name="budget_funder_only_on_subsidies",
            ),
            models.CheckConstraint(
                condition=~models.Q(funder_category="state") | models.Q(fund__isnull=False),
                name="budget_state_subsidy_names_fund",
            ),
        ]

    def __str__(self):
        return f"{self.get_account_display()} : {self.amount} €"

    @property
    def is_cost(self) -> bool:
        return self.account in COST_ACCOUNTS

    @property
    def is_income(self) -> bool:
        return self.account in INCOME_ACCOUNTS


def attachment_path(instance, filename):
    return f"funding/{instance.application_id}/{filename}"


class GrantAttachment(models.Model):
    """A file joined to an application, kept in the private storage (served by a permission-checked view)."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("nature de la pièce", max_length=30, choices=AttachmentKind.choices)
    file = models.FileField("fichier", upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposée par",
    )
    uploaded_at = models.DateTimeField("déposée le", auto_now_add=True)

    class Meta:
        ordering = ["application", "kind", "pk"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"

    def __str__(self):
        return f"{self.get_kind_display()} : {self.original_name}"


class GrantStateChange(models.Model):
    """One step of an application's life: the timeline of its page (also audited and e-mailed)."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(
        "état précédent", max_length=20, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField("nouvel état", max_length=20, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    at = models.DateTimeField("le")
    message = models.TextField("message", blank=True)
    fields = models.JSONField("points à corriger", default=list, blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"

    def __str__(self):
        return f"{self.get_from_state_display() or '—'} → {self.get_to_state_display()}"


class GrantPayment(models.Model):
    """A payment of a granted subsidy (advance, balance), with the State accounting commitment number."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField("nature", max_length=20, choices=PaymentKind.choices)
    amount = models.DecimalField("montant (€)", **MONEY, validators=NON_NEGATIVE)
    paid_on = models.DateField("versé le")
    commitment_number = models.CharField("numéro d'engagement juridique (Chorus)", max_length=30)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "paid_on", "pk"]
        verbose_name = "versement"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.amount} €"


# --- letters (vigie.funding.letters) and final reports (vigie.funding.final_reports) -----------------


class LetterTemplate(models.Model):
    """The text of one kind of letter for one department, written by the prefecture with {placeholders}."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("modèle", max_length=20, choices=LetterKind.choices)
    title = models.CharField("titre du document", max_length=300)
    body = models.TextField("texte")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department", "kind"]
        verbose_name = "modèle de courrier"
        verbose_name_plural = "modèles de courrier"
        constraints = [
            models.UniqueConstraint(fields=["department", "kind"], name="unique_letter_template")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.department_id})"


def letter_path(instance, filename):
    return f"funding/{instance.application_id}/courriers/{filename}"


class GrantLetter(models.Model):
    """A letter generated for an application (ODT and PDF kept as generated) and its signed copy."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField("courrier", max_length=20, choices=LetterKind.choices)
    text = models.TextField("texte généré")
    odt_file = models.FileField(upload_to=letter_path, storage=private_storage)
    pdf_file = models.FileField(upload_to=letter_path, storage=private_storage)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField("généré le")
    signed_file = models.FileField(
        "copie signée", upload_to=letter_path, storage=private_storage, blank=True
    )
    signed_name = models.CharField("nom de la copie signée", max_length=255, blank=True)
    signed_at = models.DateTimeField("copie signée déposée le", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["application", "-generated_at", "-pk"]
        verbose_name = "courrier"
        verbose_name_plural = "courriers"

    def __str__(self):
        return f"{self.get_kind_display()} — {self.application}"


class FinalReport(models.Model):
    """The end-of-grant report (Cerfa 15059): what was done, the realised budget, the indicators' values."""

    application = models.OneToOneField(
        GrantApplication, on_delete=models.CASCADE, related_name="final_report"
    )
    achievements = models.TextField("actions réalisées")
    differences = models.TextField("écarts au budget prévisionnel, expliqués", blank=True)
    filed_at = models.DateTimeField("déposé le")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    was_late = models.BooleanField("déposé après l'échéance", default=False)

    class Meta:
        verbose_name = "compte rendu financier"
        verbose_name_plural = "comptes rendus financiers"

    def __str__(self):
        return f"Compte rendu — {self.application}"


class FinalReportLine(models.Model):
    """A line of the realised budget, beside the forecast line of the same account and funder."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="lines")
    account = models.CharField("compte", max_length=10, choices=BudgetAccount.choices)
    funder_category = models.CharField(
        "financeur", max_length=20, choices=FunderCategory.choices, blank=True
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField("détail", max_length=300, blank=True)
    forecast = models.DecimalField("prévu (€)", **MONEY, validators=NON_NEGATIVE)
    realised = models.DecimalField("réalisé (€)", **MONEY, validators=NON_NEGATIVE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = "ligne du budget réalisé"
        verbose_name_plural = "lignes du budget réalisé"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(realised__gte=0), name="report_line_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.get_account_display()} : {self.realised} €"


class FinalReportIndicator(models.Model):
    """The value an applicant reports for one of the indicators its application said it would follow."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["report", "indicator"]
        verbose_name = "valeur d'indicateur du compte rendu"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="unique_report_indicator")
        ]

    def __str__(self):
        return f"{self.indicator} : {self.value}"


class FinalReportReminder(models.Model):
    """A reminder e-mailed about an overdue final report."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="report_reminders"
    )
    sent_at = models.DateTimeField("envoyée le")
    recipients = models.TextField("destinataires")

    class Meta:
        ordering = ["application", "-sent_at"]
        verbose_name = "relance du compte rendu"
        verbose_name_plural = "relances du compte rendu"

    def __str__(self):
        return f"Relance du {self.sent_at:%d/%m/%Y}"


class GrantIndicatorSource(models.Model):
    """A plan indicator whose yearly value is the sum of the grants of some programmes (Gers 3.3: « Montant des
    crédits déployés… » = programme S grants of the year), written by vigie.funding.indicator_values."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="grant_source", verbose_name="indicateur"
    )
    programmes = models.ManyToManyField(
        FundProgramme, related_name="+", verbose_name="programmes comptés"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "indicateur calculé à partir des subventions"
        verbose_name_plural = "indicateurs calculés à partir des subventions"

    def __str__(self):
        return f"Subventions → {self.indicator}"


# Instruction and the funders' committee (instruction_models), import mappings (import_models): imported here
# so that Django finds them.
from vigie.funding.import_models import ApplicationImportMapping  # noqa: E402, F401
from vigie.funding.instruction_models import (  # noqa: E402, F401
    CommitteeItem,
    CommitteeSession,
    FunderProposal,
    InstructionNote,
    InstructionReview,
    OpinionRequest,
)
