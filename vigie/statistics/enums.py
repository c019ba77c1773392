from django.db import models


class SourceKind(models.TextChoices):
    SSMSI = "ssmsi", "Base statistique du SSMSI"
    PLAN = "plan", "Plan départemental"
    PARQUET = "parquet", "Parquet"
    GENDARMERIE = "gendarmerie", "Groupement de gendarmerie"
    POLICE = "police", "Direction départementale de la sécurité publique (police)"
    EDUCATION = "education", "Éducation nationale"
    ROAD_SAFETY = "road_safety", "Observatoire de la sécurité routière"
    SOCIAL = "social", "Intervenant social en commissariat et gendarmerie"
    INSEE = "insee", "Insee"
    OTHER = "other", "Autre"


class Unit(models.TextChoices):
    """Unit of count. Labels are plural, lower case, to read after a number ("414 victimes")."""

    VICTIM = "victime", "victimes"
    INFRACTION = "infraction", "infractions"
    VEHICLE = "vehicule", "véhicules"
    ACCUSED = "mis_en_cause", "mis en cause"
    HEARD_VICTIM = "victime_entendue", "victimes entendues"
    FACT = "fait", "faits"
    ACCIDENT = "accident", "accidents"
    KILLED = "tue", "personnes tuées"
    INJURED = "blesse", "personnes blessées"
    BENEFICIARY = "beneficiaire", "bénéficiaires"
    INHABITANT = "habitant", "habitants"
    UNSPECIFIED = "non_precisee", "unité non précisée"


class Measure(models.TextChoices):
    COUNT = "count", "Nombre"
    RATE = "rate", "Taux pour 1 000"
    SHARE = "share", "Part (%)"


class RateBase(models.TextChoices):
    INHABITANTS = "inhabitants", "pour 1 000 habitants"
    DWELLINGS = "dwellings", "pour 1 000 logements"
    NONE = "none", "sans taux"


class TerritoryLevel(models.TextChoices):
    COUNTRY = "country", "France"
    REGION = "region", "Région"
    DEPARTMENT = "department", "Département"
    EPCI = "epci", "Intercommunalité"
    COMMUNE = "commune", "Commune"
    FORCE_UNIT = "force_unit", "Unité des forces de sécurité"


class Zone(models.TextChoices):
    ALL = "", "Toutes zones"
    POLICE = "police", "Zone police"
    GENDARMERIE = "gendarmerie", "Zone gendarmerie"


class Breakdown(models.TextChoices):
    ALL = "", "Ensemble"
    WOMEN = "femmes", "dont femmes"
    MEN = "hommes", "dont hommes"
    MINORS = "mineurs", "dont mineurs"
    ADULTS = "majeurs", "dont majeurs"


class StatedFigureKind(models.TextChoices):
    YEAR_OVER_YEAR = "yoy", "Évolution d'une année sur l'autre"
    EVOLUTION = "evolution", "Évolution sur plusieurs années"
    RATE = "rate", "Taux pour 1 000 habitants"


class ImportLayout(models.TextChoices):
    DEPARTMENTAL = "departmental", "Base départementale"
    DEPARTMENTAL_LEGACY = "departmental_legacy", "Base départementale (ancien format)"
    COMMUNAL = "communal", "Base communale"


class EditionStatus(models.TextChoices):
    """Life of an edition. An uploaded SSMSI base waits, unseen by the public, until someone allowed to
    publish it has looked at its preview and confirmed; a published edition can be withdrawn."""

    PENDING = "pending", "En attente de publication (aperçu)"
    PUBLISHED = "published", "Publiée"
    WITHDRAWN = "withdrawn", "Retirée"
