"""manage.py compute_casework_indicators — write the year's value of the plan indicators fed by the groups' counts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.accounts.models import User
from vigie.casework.indicator_counts import compute_year
from vigie.territories.models import Department


class Command(BaseCommand):
    help = (
        "Calcule la valeur de l'année des indicateurs du plan issus du suivi individualisé (décomptes sans nom ; "
        "moins de 5 : « < 5 ») et l'enregistre dans la campagne de collecte ouverte, au nom d'un agent "
        "de la préfecture du département (journal d'audit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department", required=True, help="Code du département, par exemple 46."
        )
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument(
            "--user", required=True, help="Identifiant de l'agent de la préfecture."
        )

    def handle(self, *args, **options):
        department = Department.objects.filter(code=options["department"]).first()
        user = User.objects.filter(username=options["user"]).first()
        if department is None or user is None:
            raise CommandError("Département ou identifiant inconnu.")
        try:
            results = compute_year(acting_user=user, department=department, year=options["year"])
        except PermissionDenied:
            raise CommandError(
                "Seul un agent de la préfecture du département calcule ces indicateurs."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for result in results:
            self.stdout.write(f"{result.source.indicator.label} : {result.shown}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} indicateur(s) calculé(s)."))
