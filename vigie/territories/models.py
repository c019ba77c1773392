"""French administrative territories (Etalab "découpage administratif") and security zones."""

from django.db import models
from django.urls import reverse

from vigie.territories.enums import EpciKind, SecurityAreaKind, SecurityZone


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")
    chef_lieu_code = models.CharField("code du chef-lieu", max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("plans:department", args=[self.code])


class Arrondissement(models.Model):
    code = models.CharField("code INSEE", max_length=4, unique=True)
    name = models.CharField("nom", max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="arrondissements"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "arrondissement"

    def __str__(self):
        return self.name


class Epci(models.Model):
    """Établissement public de coopération intercommunale à fiscalité propre."""

    code = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=5, choices=EpciKind.choices)
    population = models.PositiveIntegerField("population totale", null=True, blank=True)
    # An EPCI can straddle departments; these are the departments of its member communes.
    departments = models.ManyToManyField(Department, related_name="epcis", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:epci", args=[self.code])


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, related_name="communes", null=True, blank=True
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, related_name="communes", null=True, blank=True
    )
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)
    security_zone = models.CharField(
        "zone de sécurité", max_length=12, choices=SecurityZone.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"
        indexes = [models.Index(fields=["department", "name"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("plans:commune", args=[self.code])


class SecurityArea(models.Model):
    """A grouping of communes by a security force: police district or gendarmerie company."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="security_areas"
    )
    kind = models.CharField("nature", max_length=30, choices=SecurityAreaKind.choices)
    name = models.CharField("nom", max_length=200)
    communes = models.ManyToManyField(Commune, related_name="security_areas", blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        ordering = ["department", "kind", "name"]
        verbose_name = "zone de sécurité"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "name"], name="unique_security_area"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.name}"
