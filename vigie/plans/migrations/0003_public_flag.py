from django.db import migrations, models

HELP = (
    "Sites sensibles, radicalisation… : jamais montré au public "
    "(pages publiques, flux, données ouvertes, API)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="is_restricted",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="non public"),
        ),
        migrations.AddField(
            model_name="action",
            name="is_restricted",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="non public"),
        ),
    ]
