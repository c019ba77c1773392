from django.db import migrations, models

HELP = (
    "Sites sensibles, radicalisation… : jamais montré au public "
    "(pages publiques, flux, données ouvertes, API)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="is_restricted",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="non public"),
        ),
    ]
