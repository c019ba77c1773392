from django.db import migrations


def load(apps, schema_editor):
    from vigie.funding.reference import load_funds

    load_funds(apps.get_model("funding", "Fund"), apps.get_model("funding", "FundProgramme"))


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
