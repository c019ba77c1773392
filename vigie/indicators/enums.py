from django.db import models


class Unit(models.TextChoices):
    NUMBER = "number", "Nombre"
    PERCENT = "percent", "Pourcentage"
    EUROS = "euros", "Euros"
    PEOPLE = "people", "Personnes"


class Periodicity(models.TextChoices):
    ANNUAL = "annual", "Annuelle"
    SEMESTER = "semester", "Semestrielle"
    QUARTER = "quarter", "Trimestrielle"
    MONTH = "month", "Mensuelle"
