# The statistics indicator is renamed so that no two models share a name (plans' indicators are
# `indicators.Indicator`). The table keeps its name: pinned first, then the model renamed (no-op in SQL).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_communal_partitions"),
    ]

    operations = [
        migrations.AlterModelTable(name="indicator", table="statistics_indicator"),
        migrations.RenameModel(old_name="Indicator", new_name="StatisticalIndicator"),
    ]
