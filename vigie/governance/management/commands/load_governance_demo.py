"""manage.py load_governance_demo: the bodies, meetings and local schemes given by the Gers and Lot plans."""

from django.core.management.base import BaseCommand, CommandError

from vigie.governance.demo import load_demo


class Command(BaseCommand):
    help = (
        "Charge les instances (CDPD, CLSPD, CISPD…), les dates de réunion et les dispositifs locaux cités par les "
        "plans du Gers et du Lot. Idempotente. Nécessite load_territories ; relie les mesures si les plans sont importés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--departement",
            action="append",
            dest="departments",
            metavar="CODE",
            help="Limiter à ce département (répétable). Par défaut : tous ceux du fichier (32, 46).",
        )

    def handle(self, *args, departments=None, verbosity=1, **options):
        report = load_demo(department_codes=departments)
        if verbosity >= 2:
            for line in report.created:
                self.stdout.write(f"  + {line}")
        for line in report.warnings:
            self.stderr.write(self.style.WARNING(f"  ! {line}"))
        if not report.departments:
            raise CommandError(
                "Aucun département trouvé : lancez d'abord manage.py load_territories."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Gouvernance : {len(report.created)} élément(s) ajouté(s).")
        )
