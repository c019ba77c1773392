"""manage.py backup --output FILE: the database and the stored files in one archive (vigie/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from vigie.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers stockés (stockages « default » et « private ») "
        "dans une seule archive tar, avec un manifeste (version, date, moteur, empreinte de chaque fichier)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="archive à écrire (un fichier qui n'existe pas encore)"
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="base à sauvegarder (alias de DATABASES)"
        )

    def handle(self, *args, output, database, **options):
        try:
            report = create_backup(output, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
