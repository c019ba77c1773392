from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur national"
    PREFECTURE = "prefecture", "Agent de préfecture"
    PILOT = "pilot", "Pilote de mesure"
    COORDINATOR = "coordinator", "Coordonnateur CLSPD/CISPD"
    PARTNER = "partner", "Partenaire"
    READER = "reader", "Membre du CDPD (lecteur)"
    # An association, commune, EPCI… that applies for grants (vigie.funding): its own applications only.
    APPLICANT = "applicant", "Porteur de projet"
    # An account that signed in (e.g. first ProConnect sign-in) or lost its role: public pages only, no department.
    NONE = "none", "Sans rôle (en attente d'attribution)"
