from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur national"
    PREFECTURE = "prefecture", "Agent de préfecture"
    PILOT = "pilot", "Pilote de mesure"
    COORDINATOR = "coordinator", "Coordonnateur CLSPD/CISPD"
    PARTNER = "partner", "Partenaire"
    READER = "reader", "Membre du CDPD (lecteur)"
