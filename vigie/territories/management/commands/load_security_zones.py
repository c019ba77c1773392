"""Load the security zones (police / gendarmerie) alone; territories must be loaded first."""

from django.core.management.base import BaseCommand, CommandError

from vigie.territories.errors import TerritoryDataError
from vigie.territories.zones import SECURITY_ZONES_FILE, load_security_zones


class Command(BaseCommand):
    help = (
        "Charge les zones de sécurité (circonscriptions de police, compagnies de gendarmerie, "
        "zone police ou gendarmerie des communes) du fichier vigie/territories/data/"
        "security-zones.json. Les territoires doivent déjà être chargés (load_territories)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(SECURITY_ZONES_FILE),
            metavar="FICHIER",
            help="Fichier JSON des zones (par défaut : vigie/territories/data/security-zones.json).",
        )

    def handle(self, *args, path, **options):
        try:
            load_security_zones(path, log=self.stdout.write)
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Zones de sécurité chargées."))
