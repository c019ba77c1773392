"""manage.py import_plan PATH --department CODE [--status adopted|draft] [--dry-run] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from vigie.plans.enums import PlanStatus
from vigie.plans.importers import PlanImportError
from vigie.plans.importers.loader import ImportOutcome, import_plan_file

COUNT_LABELS = (
    ("axes", "axe(s)"),
    ("annexes", "annexe(s)"),
    ("measures", "mesure(s)"),
    ("actions", "action(s)"),
    ("good_practices", "bonne(s) pratique(s)"),
    ("indicators", "indicateur(s)"),
    ("actors", "pilote(s) ou partenaire(s)"),
    ("signatories", "signataire(s)"),
    ("glossary", "sigle(s)"),
)


class Command(BaseCommand):
    help = (
        "Importe un plan départemental de prévention de la délinquance publié (texte ou Markdown) "
        "sous forme structurée : axes, mesures, actions, indicateurs, pilotes et partenaires."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier texte du plan.")
        parser.add_argument("--department", required=True, help="Code du département (ex. 32).")
        parser.add_argument(
            "--status",
            choices=[PlanStatus.ADOPTED.value, PlanStatus.DRAFT.value],
            default=None,
            help="Statut du plan (par défaut : adopté pour un nouveau plan, inchangé sinon).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Analyse sans rien enregistrer.")
        parser.add_argument("--json", action="store_true", help="Affiche la structure lue en JSON.")

    def handle(self, *args, **options):
        try:
            outcome = import_plan_file(
                options["path"],
                options["department"],
                status=options["status"],
                dry_run=options["dry_run"],
                acting_user=None,  # the import is recorded as done by the system
            )
        except PlanImportError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            data = outcome.parsed.to_dict(department=outcome.department.code)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.summary(outcome))

    def summary(self, outcome: ImportOutcome) -> str:
        counts = outcome.parsed.counts()
        found = ", ".join(f"{counts[key]} {label}" for key, label in COUNT_LABELS)
        title = (
            f"{outcome.parsed.title} ({outcome.parsed.period_start}-{outcome.parsed.period_end})"
        )
        if outcome.plan is None:
            return f"Analyse sans enregistrement — {title} : {found}."
        stats = outcome.stats
        if not stats.changed:
            return f"{title} : déjà à jour, rien n'a été modifié ({found})."
        changes = "; ".join(
            f"{verb} : " + ", ".join(f"{count} {name}" for name, count in sorted(counter.items()))
            for verb, counter in (
                ("créés", stats.created),
                ("modifiés", stats.updated),
                ("supprimés", stats.deleted),
            )
            if counter
        )
        return f"{title} importé ({found}). {changes}."
