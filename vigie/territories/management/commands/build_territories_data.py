"""Regenerate the shipped compact territories data from Etalab's "découpage administratif"."""

from django.core.management.base import BaseCommand, CommandError

from vigie.territories.datafile import DATA_DIR
from vigie.territories.errors import TerritoryDataError
from vigie.territories.etalab import build_territories_data


class Command(BaseCommand):
    help = (
        "Régénère les fichiers compacts des territoires (vigie/territories/data/) à partir du "
        "dossier data/ du paquet npm @etalab/decoupage-administratif (regions.json, "
        "departements.json, arrondissements.json, epci.json, communes.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_dir", metavar="DOSSIER_DATA_ETALAB")
        parser.add_argument(
            "--output",
            default=str(DATA_DIR),
            help="Dossier où écrire les fichiers (par défaut : vigie/territories/data/).",
        )
        parser.add_argument(
            "--source-version",
            default=None,
            help="Version du paquet Etalab, si le package.json n'est pas à côté du dossier data/.",
        )

    def handle(self, *args, source_dir, output, source_version, **options):
        try:
            build_territories_data(
                source_dir, output_dir=output, source_version=source_version, log=self.stdout.write
            )
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
