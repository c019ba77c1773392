import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_none'),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='empreinte du jeton')),
                ('created_at', models.DateTimeField(verbose_name='envoyée le')),
                ('expires_at', models.DateTimeField(verbose_name="valable jusqu'au")),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='utilisée le')),
                ('replaced_at', models.DateTimeField(blank=True, null=True, verbose_name='remplacée le')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invité par')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to=settings.AUTH_USER_MODEL, verbose_name='compte')),
            ],
            options={
                'verbose_name': 'invitation',
                'ordering': ['-created_at', '-pk'],
            },
        ),
    ]
