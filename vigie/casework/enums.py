from django.db import models


class GroupKind(models.TextChoices):
    COUNCIL_GROUP = "conseil", "Groupe de travail d'un CLSPD ou d'un CISPD"
    VICTIMS_CELL = "iscg", "Cellule de suivi des femmes victimes (ISCG)"


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinateur", "Coordonnateur ou coordonnatrice"
    REFERENT = "referent", "Référent ou référente de parcours"
    SOCIAL_WORKER = "travail_social", "Professionnel ou professionnelle de l'action sociale"
    OTHER = "autre", "Autre membre"
