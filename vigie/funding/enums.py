"""Choices of the funding app: funds, calls' rules, applications' budget lines and life cycle."""

from django.db import models


class FundKind(models.TextChoices):
    STATE_FUND = "state_fund", "Fonds de l'État (appel à projets)"
    CO_FUNDER = "co_funder", "Cofinanceur"


class GrantNature(models.TextChoices):
    OPERATING = "operating", "Fonctionnement"
    INVESTMENT = "investment", "Investissement"


class ApplicantKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité (EPCI)"
    EPLE = "eple", "Établissement scolaire (EPLE)"
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    STATE_SERVICE = "state_service", "Service de l'État"
    OTHER_PUBLIC = "other_public", "Autre organisme public"
    OTHER = "other", "Autre organisme"


class AttachmentKind(models.TextChoices):
    STATUTES = "statutes", "Statuts"
    BANK_DETAILS = "bank_details", "Relevé d'identité bancaire"
    ACCOUNTS = "accounts", "Derniers comptes approuvés"
    ACTIVITY_REPORT = "activity_report", "Dernier rapport d'activité"
    DELIBERATION = "deliberation", "Délibération de l'organe compétent"
    QUOTE = "quote", "Devis"
    TECHNICAL_STUDY = "technical_study", "Étude ou diagnostic technique"
    SIGNATURE_AUTHORITY = "signature_authority", "Pouvoir du signataire"
    OTHER = "other", "Autre pièce"


class BudgetAccount(models.TextChoices):
    """Lines of the association grant form's budget (Cerfa 12156): costs, income, in-kind contributions."""

    C60 = "60", "60 – Achats"
    C61 = "61", "61 – Services extérieurs"
    C62 = "62", "62 – Autres services extérieurs"
    C63 = "63", "63 – Impôts et taxes"
    C64 = "64", "64 – Charges de personnel"
    C65 = "65", "65 – Autres charges de gestion courante"
    C66 = "66", "66 – Charges financières"
    C67 = "67", "67 – Charges exceptionnelles"
    C68 = "68", "68 – Dotations aux amortissements, provisions et engagements"
    INDIRECT = "indirect", "Charges indirectes affectées à l'action"
    C86 = "86", "86 – Emplois des contributions volontaires en nature"
    I70 = "70", "70 – Ventes de produits finis, prestations de services, marchandises"
    I74 = "74", "74 – Subventions d'exploitation"
    I75 = "75", "75 – Autres produits de gestion courante (cotisations, dons…)"
    I76 = "76", "76 – Produits financiers"
    I78 = "78", "78 – Reprises sur amortissements et provisions"
    I87 = "87", "87 – Contributions volontaires en nature"


COST_ACCOUNTS = (
    BudgetAccount.C60,
    BudgetAccount.C61,
    BudgetAccount.C62,
    BudgetAccount.C63,
    BudgetAccount.C64,
    BudgetAccount.C65,
    BudgetAccount.C66,
    BudgetAccount.C67,
    BudgetAccount.C68,
    BudgetAccount.INDIRECT,
)
INCOME_ACCOUNTS = (
    BudgetAccount.I70,
    BudgetAccount.I74,
    BudgetAccount.I75,
    BudgetAccount.I76,
    BudgetAccount.I78,
)
IN_KIND_COST = BudgetAccount.C86
IN_KIND_INCOME = BudgetAccount.I87


class FunderCategory(models.TextChoices):
    """Who gives a subsidy (account 74)."""

    STATE = "state", "État"
    REGION = "region", "Région"
    DEPARTMENT = "department", "Département"
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    SOCIAL = "social", "Organismes sociaux (CAF, etc.)"
    EUROPE = "europe", "Fonds européens"
    OTHER = "other", "Autres"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposé"
    TO_CORRECT = "to_correct", "À corriger"
    IN_REVIEW = "in_review", "En instruction"
    ACCEPTED = "accepted", "Accepté"
    REFUSED = "refused", "Refusé"
    DISMISSED = "dismissed", "Classé sans suite"
    NOTIFIED = "notified", "Notifié"
    PAID = "paid", "Versé"
    REPORT_DUE = "report_due", "Compte rendu attendu"
    REPORT_RECEIVED = "report_received", "Compte rendu reçu"
    CLOSED = "closed", "Clos"


# States in which the applicant may still change its application.
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.TO_CORRECT)
# States after the decision to grant: the application carries a granted amount.
GRANTED_STATES = (
    ApplicationState.ACCEPTED,
    ApplicationState.NOTIFIED,
    ApplicationState.PAID,
    ApplicationState.REPORT_DUE,
    ApplicationState.REPORT_RECEIVED,
    ApplicationState.CLOSED,
)


class NotificationKind(models.TextChoices):
    ORDER = "order", "Arrêté attributif"
    AGREEMENT = "agreement", "Convention"


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", "Avance"
    BALANCE = "balance", "Solde"
    SINGLE = "single", "Versement unique"


class CorrectablePart(models.TextChoices):
    """The parts of an application an instructor may send back for correction."""

    PROJECT = "project", "Projet (description, public, territoire, dates)"
    MEASURES = "measures", "Mesures du plan et indicateurs"
    BUDGET = "budget", "Budget prévisionnel"
    ATTACHMENTS = "attachments", "Pièces jointes"


class LetterKind(models.TextChoices):
    NOTIFICATION = "notification", "Lettre de notification"
    DECISION = "decision", "Arrêté attributif de subvention"
    REFUSAL = "refusal", "Lettre de refus"
