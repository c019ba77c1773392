from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_proconnect_identity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Administrateur national"),
                    ("prefecture", "Agent de préfecture"),
                    ("pilot", "Pilote de mesure"),
                    ("coordinator", "Coordonnateur CLSPD/CISPD"),
                    ("partner", "Partenaire"),
                    ("reader", "Membre du CDPD (lecteur)"),
                    ("applicant", "Porteur de projet"),
                    ("none", "Sans rôle (en attente d'attribution)"),
                ],
                default="reader",
                max_length=20,
                verbose_name="rôle",
            ),
        ),
    ]
