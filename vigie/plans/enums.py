from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    ADOPTED = "adopted", "Adopté"
    CLOSED = "closed", "Clos"


class NationalAxis(models.TextChoices):
    """The four axes of the national strategy SNPD 2020-2024."""

    YOUTH = "1", "Axe 1 — Les jeunes : agir plus tôt et aller plus loin dans la prévention"
    VULNERABLE = "2", "Axe 2 — Aller vers les personnes vulnérables pour mieux les protéger"
    POPULATION = "3", "Axe 3 — La population, nouvel acteur de la prévention de la délinquance"
    GOVERNANCE = "4", "Axe 4 — Le territoire : vers une gouvernance rénovée et efficace"


class AxisKind(models.TextChoices):
    AXIS = "axis", "Axe"
    ANNEX = "annex", "Annexe"


class SectionKind(models.TextChoices):
    SITUATION = "etat_des_lieux", "État des lieux"
    REVIEW = "bilan", "Bilan"
    STAKES = "enjeux", "Principaux enjeux"
    OTHER = "autre", "Autre"


class ActorRole(models.TextChoices):
    PILOT = "pilot", "Pilote"
    PARTNER = "partner", "Partenaire"
    # The Gers plan lists "Pilotes et partenaires" together without telling them apart.
    PILOT_OR_PARTNER = "pilot_partner", "Pilote ou partenaire"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "À venir"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    PAUSED = "paused", "En pause"
    ABANDONED = "abandoned", "Abandonnée"
