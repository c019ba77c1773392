"""Load or refresh every French territory from the shipped compact data, then security zones."""

import time

from django.core.management.base import BaseCommand, CommandError

from vigie.territories.datafile import DATA_DIR
from vigie.territories.errors import TerritoryDataError
from vigie.territories.loading import load_territories
from vigie.territories.zones import SECURITY_ZONES_FILE


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les régions, départements, arrondissements, EPCI et communes à partir "
        "des fichiers livrés dans vigie/territories/data/, puis les zones de sécurité. "
        "Idempotent ; tout ou rien. Données de référence : résumé sur la sortie standard, sans "
        "entrée au journal d'audit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(DATA_DIR),
            help="Dossier des fichiers compacts (par défaut : vigie/territories/data/).",
        )
        parser.add_argument(
            "--security-zones",
            default=str(SECURITY_ZONES_FILE),
            help="Fichier des zones de sécurité (par défaut : vigie/territories/data/security-zones.json).",
        )
        parser.add_argument(
            "--no-security-zones",
            action="store_true",
            help="Ne pas charger les zones de sécurité.",
        )

    def handle(self, *args, data_dir, security_zones, no_security_zones, **options):
        started = time.perf_counter()
        try:
            report = load_territories(
                data_dir,
                security_zones_path=None if no_security_zones else security_zones,
                log=self.stdout.write,
            )
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        outcome = "Territoires chargés" if report.changed else "Territoires déjà à jour"
        self.stdout.write(self.style.SUCCESS(f"{outcome} en {elapsed:.1f} s."))
