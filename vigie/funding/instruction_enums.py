"""Choices of the instruction and the funders' committee."""

from django.db import models


class OpinionService(models.TextChoices):
    SAFETY_REFERENT = "safety", "Référent sûreté (police ou gendarmerie)"
    WOMEN_RIGHTS = "women_rights", "Délégation aux droits des femmes et à l'égalité"
    ARS = "ars", "Agence régionale de santé (ARS)"
    MILDECA = "mildeca", "Chef de projet MILDECA"
    OTHER = "other", "Autre service"


class OpinionVerdict(models.TextChoices):
    FAVOURABLE = "favourable", "Favorable"
    RESERVED = "reserved", "Favorable avec réserves"
    UNFAVOURABLE = "unfavourable", "Défavorable"


class CommitteeOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepté"
    REFUSED = "refused", "Refusé"
    DISMISSED = "dismissed", "Classé sans suite"
    DEFERRED = "deferred", "Ajourné"
