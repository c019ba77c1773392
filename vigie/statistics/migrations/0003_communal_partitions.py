# The SSMSI communal base leaves series/observations for a table of its own, stored as published: on
# PostgreSQL a table partitioned by edition (each edition loaded by COPY into a new partition, indexed, then
# attached: importers/communal.py), elsewhere a plain table. On PostgreSQL the columns carry no CHECK
# constraints (evaluated for every row, they slow the COPY down): the importers check every cell first.
# Communal series loaded before are removed: the communal file is to be imported again
# (`manage.py import_ssmsi FILE`); the demo ships none.

import django.db.models.deletion
from django.db import migrations, models

PG_TABLE = """
CREATE TABLE statistics_communeobservation (
    edition_id bigint NOT NULL,
    code varchar(10) COLLATE "C" NOT NULL,
    year smallint NOT NULL,
    indicator_label varchar(200) COLLATE "C" NOT NULL,
    unit_label varchar(60) COLLATE "C" NOT NULL,
    count bigint NULL,
    rate varchar(40) NULL,
    diffusion varchar(5) COLLATE "C" NOT NULL,
    population integer NULL,
    population_vintage smallint NULL,
    dwellings integer NULL,
    dwellings_vintage smallint NULL,
    imputed varchar(40) NULL,
    imputed_rate varchar(40) NULL,
    CONSTRAINT statistics_communeobservation_pk
        PRIMARY KEY (code, year, indicator_label, unit_label, edition_id)
) PARTITION BY LIST (edition_id);
CREATE TABLE statistics_communeobservation_default PARTITION OF statistics_communeobservation DEFAULT;
"""


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TABLE)
    else:
        schema_editor.create_model(apps.get_model("statistics", "CommuneObservation"))


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE statistics_communeobservation CASCADE")
    else:
        schema_editor.delete_model(apps.get_model("statistics", "CommuneObservation"))


def remove_communal_series(apps, schema_editor):
    schema_editor.execute(
        "DELETE FROM statistics_observation WHERE series_id IN "
        "(SELECT id FROM statistics_series WHERE level = 'commune')"
    )
    schema_editor.execute("DELETE FROM statistics_series WHERE level = 'commune'")


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0002_lean_observations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CommuneObservation",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "code",
                                "year",
                                "indicator_label",
                                "unit_label",
                                "edition",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("code", models.CharField(max_length=10, verbose_name="code commune")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                        (
                            "indicator_label",
                            models.CharField(
                                max_length=200, verbose_name="indicateur (tel que publié)"
                            ),
                        ),
                        (
                            "unit_label",
                            models.CharField(
                                max_length=60, verbose_name="unité de compte (telle que publiée)"
                            ),
                        ),
                        (
                            "count",
                            models.BigIntegerField(blank=True, null=True, verbose_name="nombre"),
                        ),
                        (
                            "rate",
                            models.CharField(
                                blank=True,
                                max_length=40,
                                null=True,
                                verbose_name="taux pour mille (tel que publié)",
                            ),
                        ),
                        ("diffusion", models.CharField(max_length=5, verbose_name="diffusion")),
                        (
                            "population",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="population"
                            ),
                        ),
                        (
                            "population_vintage",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="millésime de la population"
                            ),
                        ),
                        (
                            "dwellings",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="logements"
                            ),
                        ),
                        (
                            "dwellings_vintage",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="millésime des logements"
                            ),
                        ),
                        (
                            "imputed",
                            models.CharField(
                                blank=True,
                                max_length=40,
                                null=True,
                                verbose_name="valeur imputée (telle que publiée)",
                            ),
                        ),
                        (
                            "imputed_rate",
                            models.CharField(
                                blank=True,
                                max_length=40,
                                null=True,
                                verbose_name="taux imputé (tel que publié)",
                            ),
                        ),
                        (
                            "edition",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="commune_observations",
                                to="statistics.edition",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "valeur communale",
                        "verbose_name_plural": "valeurs communales",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table, drop_table),
        migrations.RunPython(remove_communal_series, migrations.RunPython.noop),
        migrations.CreateModel(
            name="CommuneIndicatorLabel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "indicator_label",
                    models.CharField(max_length=200, verbose_name="indicateur (tel que publié)"),
                ),
                (
                    "unit_label",
                    models.CharField(
                        max_length=60, verbose_name="unité de compte (telle que publiée)"
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("victime", "victimes"),
                            ("infraction", "infractions"),
                            ("vehicule", "véhicules"),
                            ("mis_en_cause", "mis en cause"),
                            ("victime_entendue", "victimes entendues"),
                            ("fait", "faits"),
                            ("accident", "accidents"),
                            ("tue", "personnes tuées"),
                            ("blesse", "personnes blessées"),
                            ("beneficiaire", "bénéficiaires"),
                            ("habitant", "habitants"),
                            ("non_precisee", "unité non précisée"),
                        ],
                        max_length=20,
                        verbose_name="unité de compte",
                    ),
                ),
                ("row_count", models.PositiveIntegerField(default=0, verbose_name="lignes")),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="commune_labels",
                        to="statistics.edition",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="statistics.indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "intitulé d'indicateur communal",
                "verbose_name_plural": "intitulés d'indicateurs communaux",
                "ordering": ["edition", "indicator__order", "indicator__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("edition", "indicator_label", "unit_label"),
                        name="unique_commune_indicator_label",
                    )
                ],
            },
        ),
    ]
