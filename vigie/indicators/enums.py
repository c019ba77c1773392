from django.db import models


class Unit(models.TextChoices):
    NUMBER = "number", "Nombre"
    PERCENT = "percent", "Pourcentage"
    EUROS = "euros", "Euros"
    PEOPLE = "people", "Personnes"
    RATE = "rate", "Taux (pour 1 000 ou autre facteur)"
    DAYS = "days", "Jours"


class Periodicity(models.TextChoices):
    ANNUAL = "annual", "Annuelle"
    SEMESTER = "semester", "Semestrielle"
    QUARTER = "quarter", "Trimestrielle"
    MONTH = "month", "Mensuelle"


class TerritorialLevel(models.TextChoices):
    DEPARTMENT = "department", "Département"
    EPCI = "epci", "Intercommunalité (territoire du CISPD)"
    COMMUNE = "commune", "Commune (territoire du CLSPD)"


class Aggregation(models.TextChoices):
    SUM = "sum", "Somme"
    MEAN = "mean", "Moyenne"
    LATEST = "latest", "Dernière valeur connue"
    NONE = "none", "Aucune (pas de consolidation)"


class Direction(models.TextChoices):
    UP = "up", "Plus c'est haut, mieux c'est"
    DOWN = "down", "Plus c'est bas, mieux c'est"
    NEUTRAL = "neutral", "Neutre (suivi sans objectif de sens)"


class DenominatorKind(models.TextChoices):
    NONE = "", "Aucun"
    INDICATOR = "indicator", "Un autre indicateur"
    POPULATION = "population", "La population du territoire"


class CampaignStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Close"


class ValueStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise"
    RETURNED = "returned", "Renvoyée pour correction"
    VALIDATED = "validated", "Validée"


class ValueSource(models.TextChoices):
    FORM = "form", "Formulaire"
    IMPORT = "import", "Import de tableur"
    API = "api", "API"
    DEMO = "demo", "Démonstration"


class TrackStatus(models.TextChoices):
    """An indicator's position against its target (rules in vigie/indicators/progress.py)."""

    ON_TRACK = "on_track", "Sur la trajectoire"
    AT_RISK = "at_risk", "À risque"
    OFF_TRACK = "off_track", "Hors trajectoire"
    NO_DATA = "no_data", "Pas de donnée"
    NO_TARGET = "no_target", "Sans cible chiffrée"


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before", "Avant l'échéance"
    OVERDUE = "overdue", "Retard"
