from django.core.management.base import BaseCommand, CommandError

from vigie.statistics.services import PLAN_FIGURES_FILE, PlanFiguresError, load_plan_figures


class Command(BaseCommand):
    help = "Charge les tableaux et chiffres des plans (vigie/statistics/data/plan-figures.json)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(PLAN_FIGURES_FILE))

    def handle(self, *args, **options):
        try:
            result = load_plan_figures(acting_user=None, path=options["file"])
        except PlanFiguresError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.editions} plans, {result.series} séries ({result.observations_created} valeurs ajoutées, "
                f"{result.observations_updated} modifiées), {result.stated_figures} chiffres annoncés."
            )
        )
