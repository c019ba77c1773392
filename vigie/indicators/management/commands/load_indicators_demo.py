"""manage.py load_indicators_demo — invented indicator definitions and values for the Gers and Lot plans."""

from django.core.management.base import BaseCommand

from vigie.indicators.demo import load_demo


class Command(BaseCommand):
    help = (
        "Charge des définitions et valeurs d'indicateurs de démonstration (inventées, marquées comme telles) "
        "pour les plans du Gers et du Lot. À lancer après le chargement des territoires et des plans."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department",
            action="append",
            dest="departments",
            help="Code de département (répétable ; par défaut 32 et 46).",
        )

    def handle(self, *args, **options):
        report = load_demo(department_codes=options["departments"] or ("32", "46"))
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Données de démonstration des indicateurs chargées."))
