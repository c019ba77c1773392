from django.db import models


class SecurityZone(models.TextChoices):
    POLICE = "police", "Zone police"
    GENDARMERIE = "gendarmerie", "Zone gendarmerie"


class SecurityAreaKind(models.TextChoices):
    POLICE_DISTRICT = "circonscription_police", "Circonscription de sécurité publique"
    GENDARMERIE_COMPANY = "compagnie_gendarmerie", "Compagnie de gendarmerie"


class EpciKind(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"
