from django.db import models


class OrganisationKind(models.TextChoices):
    STATE = "etat", "Service de l'État"
    JUSTICE = "justice", "Justice"
    SECURITY = "securite", "Forces de sécurité"
    EDUCATION = "education", "Éducation"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    HEALTH = "sante", "Santé"
    SOCIAL = "social", "Protection sociale"
    ASSOCIATION = "association", "Association"
    OTHER = "autre", "Autre"
