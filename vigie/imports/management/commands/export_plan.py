"""manage.py export_plan PLAN_ID --format {pdf,odt,docx,json} --output FILE [--as-signed]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.imports.exporting.export import FORMATS, export_plan
from vigie.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Écrit le document d'un plan (PDF, ODT, DOCX) ou ses données (JSON au format de "
        "l'import) : le texte en vigueur, avenants compris, ou avec --as-signed le texte signé."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="Identifiant du plan.")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", required=True, help="Fichier à écrire.")
        parser.add_argument(
            "--as-signed",
            action="store_true",
            help="Le texte signé (première version) plutôt que le texte en vigueur.",
        )

    def handle(self, *args, **options):
        plan_id, output = options["plan_id"], options["output"]
        plan = Plan.objects.select_related("department").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"Plan introuvable : {plan_id}.")
        edition = "signed" if options["as_signed"] else "current"
        exported = export_plan(plan, fmt=options["format"], edition=edition)
        path = Path(output)
        try:
            path.write_bytes(exported.content)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {path} : {error.strerror}.") from None
        self.stdout.write(f"{plan} : {path} ({len(exported.content)} octets).")
