"""Recorded-crime statistics as series: indicator × unit × territory × zone × breakdown, per edition of a source.

A figure always belongs to one edition of one source (the SSMSI base of January 2025, the Lot plan signed
on 5 February 2021…). Editions are never merged: a new edition of a base is stored beside the previous one
and every page says which one it shows. Territories are referred to by their official code (not by a
foreign key) so that a base can be imported before, or independently of, the territories referential,
and keep the geography of its own year.
"""

from django.conf import settings
from django.db import models

from vigie.statistics.enums import (
    Breakdown,
    EditionStatus,
    ImportLayout,
    Measure,
    RateBase,
    SourceKind,
    StatedFigureKind,
    TerritoryLevel,
    Unit,
    Zone,
)


class StatisticalIndicator(models.Model):
    slug = models.SlugField("identifiant", max_length=120, unique=True)
    name = models.CharField("intitulé", max_length=200)
    definition = models.TextField("définition", blank=True)
    rate_base = models.CharField(
        "base du taux", max_length=12, choices=RateBase.choices, default=RateBase.INHABITANTS
    )
    is_ssmsi = models.BooleanField("indicateur de la base SSMSI", default=False)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        ordering = ["order", "name"]
        db_table = "statistics_indicator"
        verbose_name = "indicateur statistique"
        verbose_name_plural = "indicateurs statistiques"

    def __str__(self):
        return self.name


class Source(models.Model):
    kind = models.CharField("nature", max_length=20, choices=SourceKind.choices)
    name = models.CharField("intitulé", max_length=300)
    publisher = models.CharField("producteur", max_length=300, blank=True)
    url = models.URLField("adresse", max_length=500, blank=True)
    licence = models.CharField("licence", max_length=200, blank=True)
    # For a plan document: the department whose plan it is.
    department_code = models.CharField("département", max_length=3, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "source statistique"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_statistics_source")
        ]

    def __str__(self):
        return self.name


class Edition(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="editions")
    published_on = models.DateField("date de publication")
    label = models.CharField("intitulé", max_length=300)
    geography_year = models.PositiveSmallIntegerField(
        "année de la géographie", null=True, blank=True
    )
    notes = models.TextField("remarques", blank=True)
    # Pages show published editions only; the newest published one of a source is its default edition.
    status = models.CharField(
        "état", max_length=12, choices=EditionStatus.choices, default=EditionStatus.PUBLISHED
    )
    # Declared by the uploader: the file does not hold every indicator of its layout.
    is_partial = models.BooleanField("édition partielle", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposée par",
    )
    # The uploader's department (none for a national administrator or an operator's command).
    uploader_department = models.ForeignKey(
        "territories.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département de la personne qui l'a déposée",
    )

    class Meta:
        ordering = ["source", "-published_on"]
        verbose_name = "édition"
        constraints = [
            # One published edition per source and date; a pending upload of the same date replaces
            # the published one when it is confirmed.
            models.UniqueConstraint(
                fields=["source", "published_on"],
                condition=models.Q(status="published"),
                name="unique_published_statistics_edition",
            )
        ]

    def __str__(self):
        return f"{self.source.name} — {self.label}"

    @property
    def citation(self) -> str:
        return f"{self.source.name}, {self.label}"


class Series(models.Model):
    # Indexed through the unique constraint and stat_series_dep_idx, which both start with the edition.
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="series", db_index=False
    )
    indicator = models.ForeignKey(
        StatisticalIndicator, on_delete=models.PROTECT, related_name="series", db_index=False
    )
    unit = models.CharField("unité de compte", max_length=20, choices=Unit.choices)
    measure = models.CharField(
        "mesure", max_length=8, choices=Measure.choices, default=Measure.COUNT
    )
    level = models.CharField("niveau", max_length=12, choices=TerritoryLevel.choices)
    code = models.CharField("code du territoire", max_length=40)
    # Display name for territories without an official code (a gendarmerie company…).
    name = models.CharField("nom du territoire", max_length=200, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True)
    region_code = models.CharField("région", max_length=3, blank=True)
    zone = models.CharField("zone", max_length=12, choices=Zone.choices, blank=True)
    breakdown = models.CharField(
        "ventilation", max_length=10, choices=Breakdown.choices, blank=True
    )
    # Figures copied into a plan: their key in plan-figures.json (a plan can give the same indicator twice,
    # in a table and in its text, with different values), who produced them, where they are in the
    # document, and how to compare them with the SSMSI base.
    ref = models.CharField("référence", max_length=120, blank=True)
    original_producer = models.CharField(
        "producteur d'origine", max_length=20, choices=SourceKind.choices, blank=True
    )
    section = models.CharField("partie du document", max_length=300, blank=True)
    context = models.TextField("emplacement dans la source", blank=True)
    note = models.TextField("remarque", blank=True)
    compare_with = models.ForeignKey(
        StatisticalIndicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name="indicateur SSMSI correspondant",
    )
    comparison_note = models.TextField("remarque sur la comparaison", blank=True)

    class Meta:
        # By id: ordering through the edition or indicator would join them on every query of a big table.
        ordering = ["pk"]
        verbose_name = "série statistique"
        verbose_name_plural = "séries statistiques"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "edition",
                    "indicator",
                    "unit",
                    "measure",
                    "level",
                    "code",
                    "zone",
                    "breakdown",
                    "ref",
                ],
                name="unique_statistics_series",
            )
        ]
        indexes = [
            models.Index(
                fields=["edition", "level", "department_code", "indicator"],
                name="stat_series_dep_idx",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.territory_label}"

    @property
    def territory_label(self) -> str:
        return self.name or f"{self.get_level_display()} {self.code}"


class Observation(models.Model):
    """One value of a series for one period.

    The communal base holds about 5 million of these per edition, so the table is kept lean: the primary
    key is (series, year, month) — no serial, no second index — and there is no database-level foreign
    key to the series (a check per row at commit would make the bulk load several times slower).
    Observations are only written by the importers and loaders, which take their series from the same
    transaction; deleting a series or an edition still deletes its observations (Django's collector).
    """

    pk = models.CompositePrimaryKey("series", "year", "month")
    series = models.ForeignKey(
        Series,
        on_delete=models.CASCADE,
        related_name="observations",
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("année")
    # 0 = the whole year; 1-12 = a month.
    month = models.PositiveSmallIntegerField("mois", default=0)
    # None when the value is missing or withheld.
    value = models.DecimalField("valeur", max_digits=14, decimal_places=4, null=True, blank=True)
    # Statistical secrecy (communal base, est_diffuse = ndiff): the value is withheld.
    is_withheld = models.BooleanField("non diffusé", default=False)
    # Imputed by the source for withheld cells (département average); only used inside aggregates.
    imputed_value = models.DecimalField(
        "valeur imputée", max_digits=14, decimal_places=7, null=True, blank=True
    )
    # As published: INSEE estimates, fractional in some editions (dwellings "308491,1600513844").
    population = models.DecimalField(
        "population", max_digits=20, decimal_places=10, null=True, blank=True
    )
    population_vintage = models.PositiveSmallIntegerField(
        "millésime de la population", null=True, blank=True
    )
    dwellings = models.DecimalField(
        "logements", max_digits=20, decimal_places=10, null=True, blank=True
    )
    dwellings_vintage = models.PositiveSmallIntegerField(
        "millésime des logements", null=True, blank=True
    )

    class Meta:
        verbose_name = "observation"

    def __str__(self):
        period = f"{self.year}" if not self.month else f"{self.year}-{self.month:02d}"
        return f"{self.series_id} {period} = {self.value}"


class CommuneObservation(models.Model):
    """One cell of the SSMSI communal base, stored as published.

    About 5.4 million rows per edition, so the rows go straight from the file into the table: on PostgreSQL
    each edition is a partition of its own (list partition on the edition), loaded by COPY into a new table
    that is indexed afterwards and then attached (see importers/communal.py). The indicator and the unit keep
    the file's wording; `CommuneIndicatorLabel` maps them to Vigie's indicators for each edition. Decimal
    cells keep their published text (decimal comma) and are read with `decimal_or_none`.
    On SQLite (and for any other writer), rows go to the default partition through the ORM.
    """

    # Edition last: the partition key must be in the key, and a leading constant column would deprive the
    # index build of PostgreSQL's abbreviated keys (a sort on codes is much faster than on editions).
    pk = models.CompositePrimaryKey("code", "year", "indicator_label", "unit_label", "edition")
    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="commune_observations",
        db_constraint=False,
        db_index=False,
    )
    code = models.CharField("code commune", max_length=10)
    year = models.PositiveSmallIntegerField("année")
    indicator_label = models.CharField("indicateur (tel que publié)", max_length=200)
    unit_label = models.CharField("unité de compte (telle que publiée)", max_length=60)
    # None when the cell is "NA" (and always when the value is withheld).
    count = models.BigIntegerField("nombre", null=True, blank=True)
    rate = models.CharField(
        "taux pour mille (tel que publié)", max_length=40, null=True, blank=True
    )
    # "diff" or "ndiff" (statistical secrecy).
    diffusion = models.CharField("diffusion", max_length=5)
    # As published (decimal comma; fractional estimates in some editions), read with `decimal_or_none`.
    population = models.CharField(
        "population (telle que publiée)", max_length=40, null=True, blank=True
    )
    population_vintage = models.PositiveSmallIntegerField(
        "millésime de la population", null=True, blank=True
    )
    dwellings = models.CharField(
        "logements (tels que publiés)", max_length=40, null=True, blank=True
    )
    dwellings_vintage = models.PositiveSmallIntegerField(
        "millésime des logements", null=True, blank=True
    )
    # complement_info_nombre / _taux: the source's imputed value for a withheld cell (département average).
    imputed = models.CharField(
        "valeur imputée (telle que publiée)", max_length=40, null=True, blank=True
    )
    imputed_rate = models.CharField(
        "taux imputé (tel que publié)", max_length=40, null=True, blank=True
    )

    class Meta:
        verbose_name = "valeur communale"
        verbose_name_plural = "valeurs communales"

    def __str__(self):
        return f"{self.code} {self.year} {self.indicator_label} = {self.count}"

    @property
    def is_withheld(self) -> bool:
        return self.diffusion == "ndiff"


class CommuneIndicatorLabel(models.Model):
    """How one edition of the communal base words an indicator and its unit, and what they are in Vigie."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="commune_labels")
    indicator_label = models.CharField("indicateur (tel que publié)", max_length=200)
    unit_label = models.CharField("unité de compte (telle que publiée)", max_length=60)
    indicator = models.ForeignKey(StatisticalIndicator, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField("unité de compte", max_length=20, choices=Unit.choices)
    row_count = models.PositiveIntegerField("lignes", default=0)

    class Meta:
        ordering = ["edition", "indicator__order", "indicator__name"]
        verbose_name = "intitulé d'indicateur communal"
        verbose_name_plural = "intitulés d'indicateurs communaux"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "indicator_label", "unit_label"],
                name="unique_commune_indicator_label",
            )
        ]

    def __str__(self):
        return f"{self.indicator_label} ({self.unit_label}) → {self.indicator}"


class StatedFigure(models.Model):
    """A derived figure as a document states it (a change in %, a rate), to be recomputed from counts."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stated_figures")
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="stated_figures"
    )
    kind = models.CharField("nature", max_length=10, choices=StatedFigureKind.choices)
    label = models.CharField("objet", max_length=300)
    from_year = models.PositiveSmallIntegerField("année de départ", null=True, blank=True)
    to_year = models.PositiveSmallIntegerField("année d'arrivée", null=True, blank=True)
    stated_value = models.DecimalField("valeur annoncée", max_digits=12, decimal_places=4)
    decimals = models.PositiveSmallIntegerField("décimales annoncées", default=2)
    population = models.PositiveIntegerField("population de référence", null=True, blank=True)
    quote = models.TextField("citation")
    context = models.TextField("emplacement dans la source")
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = "chiffre annoncé"
        verbose_name_plural = "chiffres annoncés"

    def __str__(self):
        return f"{self.label} : {self.stated_value}"


class ImportBatch(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="import_batches")
    layout = models.CharField("format", max_length=24, choices=ImportLayout.choices)
    file_name = models.CharField("fichier", max_length=300)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    engine = models.CharField("méthode", max_length=10)
    row_count = models.PositiveIntegerField("lignes lues", default=0)
    created_count = models.PositiveIntegerField("valeurs ajoutées", default=0)
    updated_count = models.PositiveIntegerField("valeurs modifiées", default=0)
    unchanged_count = models.PositiveIntegerField("valeurs inchangées", default=0)
    duration_ms = models.PositiveIntegerField("durée (ms)", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="importé par",
    )
    created_at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import statistique"
        verbose_name_plural = "imports statistiques"

    def __str__(self):
        return f"Import de {self.file_name} ({self.edition.label})"
