"""manage.py compute_grant_indicators — write the year's value of the plan indicators computed from grants."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.accounts.models import User
from vigie.funding.indicator_values import compute_year
from vigie.territories.models import Department


class Command(BaseCommand):
    help = (
        "Calcule la valeur de l'année des indicateurs du plan issus des subventions (somme des montants "
        "accordés des programmes choisis) et l'enregistre dans la campagne de collecte ouverte, au nom d'un "
        "agent de la préfecture (journal d'audit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department", required=True, help="Code du département, par exemple 32."
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
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for result in results:
            self.stdout.write(f"{result.source.indicator.label} : {result.value} €")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} indicateur(s) calculé(s)."))
