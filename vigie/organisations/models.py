"""Actors named by plans (services, bodies, associations) and the acronyms glossary."""

from django.db import models
from django.urls import reverse

from vigie.organisations.enums import OrganisationKind
from vigie.territories.models import Department


class Organisation(models.Model):
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text="Vide pour un organisme national.",
    )
    name = models.CharField("nom", max_length=300)
    acronym = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("nature", max_length=20, choices=OrganisationKind.choices)
    # Other spellings met in plan documents, one per line, used to match pilots and partners.
    aliases = models.TextField(
        "autres appellations", blank=True, help_text="Une appellation par ligne."
    )
    website = models.URLField("site internet", blank=True)
    description = models.TextField("description", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="unique_organisation_name_per_department"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("plans:organisation", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class GlossaryEntry(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="glossary_entries"
    )
    acronym = models.CharField("sigle", max_length=40)
    definition = models.TextField("définition")
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = "entrée du glossaire"
        verbose_name_plural = "glossaire"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "acronym"], name="unique_acronym_per_department"
            )
        ]

    def __str__(self):
        return f"{self.acronym} : {self.definition}"
