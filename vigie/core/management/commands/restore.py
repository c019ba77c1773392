"""manage.py restore FILE: an archive of `manage.py backup` into an empty instance (vigie/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from vigie.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaure une archive de « manage.py backup » (base et fichiers) dans une instance vide : base sans "
        "table, stockages sans fichier. Vérifie d'abord toute l'archive ; refuse une archive tronquée ou "
        "altérée, et toute base ou tout stockage qui contient déjà des données."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="archive écrite par manage.py backup")
        parser.add_argument(
            "--check",
            action="store_true",
            help="vérifier seulement l'archive (intégrité, version) sans rien écrire",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="base où restaurer (alias de DATABASES)"
        )

    def handle(self, *args, archive, check, database, **options):
        try:
            report = restore_backup(archive, using=database, check_only=check)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
