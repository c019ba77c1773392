from django.db import models


class BodyKind(models.TextChoices):
    CDPD = "cdpd", "Conseil départemental de prévention de la délinquance (CDPD)"
    CLSPD = "clspd", "Conseil local de sécurité et de prévention de la délinquance (CLSPD)"
    CISPD = "cispd", "Conseil intercommunal de sécurité et de prévention de la délinquance (CISPD)"
    STEERING = "copil", "Comité de pilotage opérationnel du plan"
    COORDINATORS = "reseau", "Réseau des coordonnateurs CLSPD/CISPD"
    CLAV = "clav", "Comité local d'aide aux victimes (CLAV)"
    EMS = "ems", "État-major départemental de sécurité"
    CDS = "cds", "Comité départemental de sécurité"
    CROSS = "cross", "Cellule de renseignement opérationnel sur les stupéfiants (CROSS)"
    FUNDERS = "financeurs", "Comité des financeurs"
    ISCG_CELL = "iscg", "Cellule mensuelle de suivi des femmes victimes (ISCG)"
    WORKING_GROUP = "groupe", "Groupe de travail thématique"
    OTHER = "autre", "Autre instance"


# Local councils: the bodies the law of 5 March 2007 requires in communes over 10,000 inhabitants.
LOCAL_COUNCIL_KINDS = (BodyKind.CLSPD, BodyKind.CISPD)


class Cadence(models.TextChoices):
    YEARLY = "annuelle", "Au moins une fois par an"
    TWICE_A_YEAR = "semestrielle", "Au moins deux fois par an"
    MONTHLY = "mensuelle", "Chaque mois"
    NONE = "aucune", "Sans périodicité fixée"


# Months allowed between two meetings for each cadence.
CADENCE_MONTHS = {Cadence.YEARLY: 12, Cadence.TWICE_A_YEAR: 6, Cadence.MONTHLY: 1}

# A meeting held a few days late does not flag the body: documented on the dashboard.
CADENCE_GRACE_DAYS = 7


class CadenceStatus(models.TextChoices):
    UP_TO_DATE = "a_jour", "À jour"
    OVERDUE = "en_retard", "En retard"
    NEVER_MET = "jamais", "Aucune réunion enregistrée"
    NO_CADENCE = "libre", "Sans obligation de périodicité"


class MemberRole(models.TextChoices):
    PRESIDENT = "president", "Présidence"
    MEMBER = "membre", "Membre"
    GUEST = "invite", "Invité permanent"
    SECRETARIAT = "secretariat", "Secrétariat"


class FollowUpStatus(models.TextChoices):
    OPEN = "a_faire", "À faire"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "realise", "Réalisé"
    CANCELLED = "abandonne", "Abandonné"


CLOSED_FOLLOW_UP_STATUSES = (FollowUpStatus.DONE, FollowUpStatus.CANCELLED)


class Scheme(models.TextChoices):
    VIDEO = "videoprotection", "Vidéoprotection"
    CITIZEN_PARTICIPATION = "participation-citoyenne", "Participation citoyenne"
    DEMETER = "demeter", "Convention Demeter et autres conventions"
    TIG = "tig", "Lieux d'accueil de TIG"
    LOCAL_COUNCIL = "clspd", "Couverture CLSPD / CISPD"


# The CLSPD/CISPD coverage is computed from the bodies, never entered commune by commune.
COMPUTED_SCHEMES = (Scheme.LOCAL_COUNCIL,)
RECORDED_SCHEMES = tuple(s for s in Scheme if s not in COMPUTED_SCHEMES)


class SchemeState(models.TextChoices):
    IN_PLACE = "en_place", "En place"
    DIAGNOSIS = "diagnostic", "Diagnostic en cours"
    PROJECT = "projet", "En projet, démarche engagée"
    NONE = "aucun", "Aucun dispositif"


# States that count as "engaged" (the Lot target: equipped, or at least engaged).
ENGAGED_STATES = (SchemeState.IN_PLACE, SchemeState.DIAGNOSIS, SchemeState.PROJECT)

# Wording of each state for a given scheme, where the generic label reads oddly.
SCHEME_STATE_LABELS = {
    Scheme.VIDEO: {
        SchemeState.IN_PLACE: "Équipée",
        SchemeState.DIAGNOSIS: "Diagnostic sûreté en cours",
        SchemeState.PROJECT: "Projet, démarche engagée",
        SchemeState.NONE: "Non équipée",
    },
    Scheme.CITIZEN_PARTICIPATION: {
        SchemeState.IN_PLACE: "Protocole signé",
        SchemeState.PROJECT: "Protocole en préparation",
        SchemeState.NONE: "Aucun protocole",
    },
    Scheme.DEMETER: {
        SchemeState.IN_PLACE: "Convention signée",
        SchemeState.PROJECT: "Convention en préparation",
        SchemeState.NONE: "Aucune convention",
    },
    Scheme.TIG: {
        SchemeState.IN_PLACE: "Lieu d'accueil habilité",
        SchemeState.PROJECT: "Habilitation en cours",
        SchemeState.NONE: "Aucun lieu d'accueil",
    },
    Scheme.LOCAL_COUNCIL: {
        SchemeState.IN_PLACE: "Couverte (CLSPD ou CISPD)",
        SchemeState.NONE: "Non couverte",
    },
}


def state_label(scheme: str, state: str) -> str:
    labels = SCHEME_STATE_LABELS.get(scheme, {})
    return labels.get(state) or SchemeState(state).label


class TargetLevel(models.TextChoices):
    IN_PLACE = "en_place", "Dispositif en place"
    ENGAGED = "engagee", "Dispositif en place ou démarche engagée"
