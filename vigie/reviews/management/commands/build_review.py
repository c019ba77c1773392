"""manage.py build_review PLAN_ID --year 2024 --format pdf --output bilan.pdf (thin: the same services)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigie.plans.models import Plan
from vigie.reviews.enums import ReviewFormat
from vigie.reviews.params import ReviewParams
from vigie.reviews.services import render


class Command(BaseCommand):
    help = (
        "Produit le bilan d'un plan (une année, ou toute la période du plan sans --year) dans un fichier, "
        "sans l'enregistrer dans Vigie."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument(
            "--year", type=int, help="Année du bilan annuel (sinon : bilan de fin de plan)."
        )
        parser.add_argument("--format", choices=ReviewFormat.values, default=ReviewFormat.PDF)
        parser.add_argument("--output", required=True, help="Fichier à écrire.")

    def handle(self, *args, **options):
        plan = Plan.objects.select_related("department").filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"Aucun plan n°{options['plan_id']}.")
        year = options["year"]
        if year is not None and not plan.period_start <= year <= plan.period_end:
            raise CommandError(
                f"L'année {year} est hors de la période du plan ({plan.period_label})."
            )
        params = ReviewParams.for_year(plan, year) if year else ReviewParams.for_whole_plan(plan)
        try:
            content = render(params, options["format"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{params.title} : {options['output']} ({len(content)} octets)")
