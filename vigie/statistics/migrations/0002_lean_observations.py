# Observations: composite primary key (series, year, month), no database foreign key, fewer series indexes,
# so that the communal base (≈ 5 million rows per edition) loads fast. Observations are reloaded from
# their files (`manage.py import_ssmsi`, `load_plan_figures`): the table is recreated.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="Observation"),
        migrations.CreateModel(
            name="Observation",
            fields=[
                ("pk", models.CompositePrimaryKey("series", "year", "month", blank=True, editable=False, primary_key=True, serialize=False)),
                ("series", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="observations", to="statistics.series")),
                ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                ("month", models.PositiveSmallIntegerField(default=0, verbose_name="mois")),
                ("value", models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name="valeur")),
                ("is_withheld", models.BooleanField(default=False, verbose_name="non diffusé")),
                ("imputed_value", models.DecimalField(blank=True, decimal_places=7, max_digits=14, null=True, verbose_name="valeur imputée")),
                ("population", models.PositiveIntegerField(blank=True, null=True, verbose_name="population")),
                ("population_vintage", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="millésime de la population")),
                ("dwellings", models.PositiveIntegerField(blank=True, null=True, verbose_name="logements")),
                ("dwellings_vintage", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="millésime des logements")),
            ],
            options={
                "verbose_name": "observation",
            },
        ),
        migrations.AlterModelOptions(
            name="series",
            options={"ordering": ["pk"], "verbose_name": "série statistique", "verbose_name_plural": "séries statistiques"},
        ),
        migrations.RemoveIndex(model_name="series", name="stat_series_territory_idx"),
        migrations.AlterField(
            model_name="series",
            name="compare_with",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="statistics.indicator", verbose_name="indicateur SSMSI correspondant"),
        ),
        migrations.AlterField(
            model_name="series",
            name="edition",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="series", to="statistics.edition"),
        ),
        migrations.AlterField(
            model_name="series",
            name="indicator",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="series", to="statistics.indicator"),
        ),
    ]
