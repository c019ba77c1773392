"""After a new key is put first in VIGIE_CASEWORK_KEYS: rewrite every named value under it and recompute the search
hashes (counts only, no name). Then the old keys can leave the environment."""

from django.core.management.base import BaseCommand

from vigie.casework.rotation import rotate_keys


class Command(BaseCommand):
    help = (
        "Rechiffre toutes les données nominatives du suivi individualisé avec la première clé de "
        "VIGIE_CASEWORK_KEYS et recalcule les empreintes de recherche avec VIGIE_CASEWORK_SEARCH_KEY. "
        "Ensuite seulement, retirer les anciennes clés de l'environnement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifier que toutes les valeurs se déchiffrent et compter, sans rien réécrire.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = rotate_keys(dry_run=dry_run)
        verb = "seraient rechiffrées" if dry_run else "rechiffrées"
        for label, count in counts.items():
            self.stdout.write(f"{label} : {count} ligne(s) {verb}.")
