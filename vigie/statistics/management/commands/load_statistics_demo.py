from django.core.management import call_command
from django.core.management.base import BaseCommand

from vigie.statistics.services import DEMO_SSMSI_FILE


class Command(BaseCommand):
    help = "Données de démonstration : base départementale SSMSI de janvier 2025 et chiffres des deux plans."

    def handle(self, *args, **options):
        call_command("import_ssmsi", str(DEMO_SSMSI_FILE), stdout=self.stdout, stderr=self.stderr)
        call_command("load_plan_figures", stdout=self.stdout, stderr=self.stderr)
