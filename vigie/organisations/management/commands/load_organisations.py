"""manage.py load_organisations [--department CODE]"""

from django.core.management.base import BaseCommand, CommandError

from vigie.organisations.services import DirectoryDataError, load_directory
from vigie.territories.models import Department


class Command(BaseCommand):
    help = (
        "Charge l'annuaire des organisations citées par les plans et les glossaires de sigles "
        "(vigie/organisations/data). Sans effet si les données sont déjà à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department", help="Code du département à charger (par défaut : tous)."
        )

    def handle(self, *args, **options):
        department = None
        if options["department"]:
            department = Department.objects.filter(
                code=options["department"].strip().upper()
            ).first()
            if department is None:
                raise CommandError(f"Département inconnu : « {options['department']} ».")
        try:
            organisations, glossary = load_directory(acting_user=None, department=department)
        except DirectoryDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Organisations : {organisations}. Glossaire : {glossary}.")
        skipped = sorted(organisations.skipped_departments | glossary.skipped_departments)
        if skipped:
            self.stdout.write(
                f"Départements absents de la base, ignorés : {', '.join(skipped)} "
                "(chargez d'abord les territoires)."
            )
