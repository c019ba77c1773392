from django.db import models


class GroupKind(models.TextChoices):
    COUNCIL_GROUP = "conseil", "Groupe de travail d'un CLSPD ou d'un CISPD"
    VICTIMS_CELL = "iscg", "Cellule de suivi des femmes victimes (ISCG)"


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinateur", "Coordonnateur ou coordonnatrice"
    REFERENT = "referent", "Référent ou référente de parcours"
    SOCIAL_WORKER = "travail_social", "Professionnel ou professionnelle de l'action sociale"
    OTHER = "autre", "Autre membre"


class ReferralReason(models.TextChoices):
    SCHOOL_DROPOUT = "decrochage", "Décrochage ou absentéisme scolaire"
    DELINQUENCY_RISK = "risque", "Exposition à la délinquance"
    FIRST_OFFENCE = "primo", "Premiers faits de délinquance"
    RECIDIVISM = "reiteration", "Réitération d'infractions"
    FAMILY_DIFFICULTIES = "famille", "Difficultés familiales ou éducatives"
    DOMESTIC_VIOLENCE = "vif", "Violences au sein du couple"
    SEXUAL_VIOLENCE = "sexuelles", "Violences sexuelles"
    OTHER_VIOLENCE = "violences", "Autres violences subies"


class ReferralSource(models.TextChoices):
    SCHOOL = "education", "Éducation nationale"
    POLICE = "forces", "Police ou gendarmerie"
    JUSTICE = "justice", "Parquet ou protection judiciaire de la jeunesse"
    SOCIAL_SERVICES = "social", "Services sociaux du département"
    COMMUNE = "commune", "Commune ou CCAS"
    ASSOCIATION = "association", "Association"
    HEALTH = "sante", "Professionnel de santé"
    VICTIM_SUPPORT = "aide_victimes", "Association d'aide aux victimes"
    SELF = "personne", "La personne ou sa famille"


class ClosureReason(models.TextChoices):
    GOALS_MET = "objectifs", "Objectifs atteints"
    HANDED_OVER = "relais", "Relais pris par un autre dispositif"
    MOVED = "demenagement", "Déménagement"
    REFUSED = "refus", "Refus de la personne"
    NO_CONTACT = "injoignable", "Personne injoignable"
    OTHER = "autre", "Autre motif"


class Level(models.TextChoices):
    CONFIDENTIAL = "confidentiel", "Confidentiel (tout le groupe)"
    SECRET = "secret", "Secret (professionnels de l'action sociale désignés et coordonnateur)"


class InformationMeans(models.TextChoices):
    INTERVIEW = "entretien", "Entretien"
    LETTER = "courrier", "Courrier"
    LEGAL_GUARDIAN = "representant", "Auprès du représentant légal"
    NOT_INFORMED = "differe", "Information différée (sécurité de la personne)"


class AccessAction(models.TextChoices):
    READ = "lecture", "Lecture"
    CREATE = "creation", "Création"
    UPDATE = "modification", "Modification"
    EXPORT = "export", "Export"
    LOG_READ = "journal", "Lecture du journal des accès"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "effacement", "Effacement"


class AccessChannel(models.TextChoices):
    PAGE = "page", "Page"
    EXPORT = "export", "Export"
    API = "api", "API"


class CountKind(models.TextChoices):
    """What a plan indicator counts of the department's groups (never anyone's name)."""

    COUNCILS_WITH_FOLLOW_UP = (
        "conseils",
        "Conseils locaux (CLSPD, CISPD) dont un groupe a suivi au moins une personne dans l'année",
    )
    PEOPLE_FOLLOWED = "personnes", "Personnes suivies par la cellule de l'ISCG dans l'année"
    CELL_MEETINGS = "reunions", "Réunions de la cellule de l'ISCG dans l'année"


class ExportFormat(models.TextChoices):
    JSON = "json", "JSON (données structurées)"
    PDF = "pdf", "PDF (document à remettre)"


class ErasureGround(models.TextChoices):
    OBJECTION = "opposition", "Opposition de la personne, justifiée par sa situation particulière"
    NOT_NEEDED = "inutile", "Données devenues inutiles au suivi"
    UNLAWFUL = "illicite", "Données traitées de façon illicite"
    ORDER = "decision", "Décision de justice ou de la CNIL"
