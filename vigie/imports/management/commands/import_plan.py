"""manage.py import_plan PATH --department CODE [--status adopted|draft] [--dry-run] [--json]
[--version-label "Avenant n° 1" [--plan ID] [--adopted-on AAAA-MM-JJ]]"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.imports import services
from vigie.imports.errors import PlanImportError
from vigie.imports.versions import pending_diff
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Plan

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
        "Importe un plan départemental de prévention de la délinquance (.docx, .odt, .pdf avec "
        "texte, .md, .txt) sous forme structurée : axes, mesures, actions, indicateurs, pilotes "
        "et partenaires. Avec --version-label, le document est une nouvelle version (avenant) "
        "d'un plan existant : le suivi saisi est conservé et les différences sont affichées."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier du plan (.docx, .odt, .pdf, .md, .txt).")
        parser.add_argument("--department", required=True, help="Code du département (ex. 32).")
        parser.add_argument(
            "--status",
            choices=[PlanStatus.ADOPTED.value, PlanStatus.DRAFT.value],
            default=None,
            help="Statut du plan (par défaut : adopté pour un nouveau plan, inchangé sinon).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Analyse sans rien enregistrer.")
        parser.add_argument("--json", action="store_true", help="Affiche la structure lue en JSON.")
        parser.add_argument(
            "--version-label",
            default="",
            help="Intitulé de la nouvelle version d'un plan existant (ex. « Avenant n° 1 »).",
        )
        parser.add_argument(
            "--plan",
            type=int,
            default=None,
            help="Identifiant du plan dont le document est une nouvelle version (par défaut : "
            "le plan du département qui couvre la même période).",
        )
        parser.add_argument(
            "--adopted-on", default=None, help="Date d'adoption de la version (AAAA-MM-JJ)."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            department = services.find_department(options["department"])
            parsed = services.parse_file(path, department)
            if options["dry_run"]:
                confirmed = None
            elif options["version_label"]:
                self.import_version(options, department, parsed)
                return
            else:
                # The plan, its version and their audit entries, in one transaction: the same
                # document again writes nothing, not even the version; otherwise the current
                # version follows the plan, with the rows that came from this document.
                confirmed = services.confirm_document(
                    acting_user=None,  # the import is recorded as done by the system
                    parsed=parsed,
                    department=department,
                    source_name=path.name,
                    status=options["status"],
                )
        except PlanImportError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            data = parsed.to_dict(department=department.code)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.summary(parsed, confirmed))

    def import_version(self, options, department, parsed) -> None:
        adopted_on = None
        if options["adopted_on"]:
            try:
                adopted_on = date.fromisoformat(options["adopted_on"])
            except ValueError:
                raise CommandError(
                    f"Date d'adoption invalide : « {options['adopted_on']} » (AAAA-MM-JJ)."
                ) from None
        if options["plan"] is not None:
            plan = Plan.objects.filter(pk=options["plan"], department=department).first()
        else:
            plan = Plan.objects.filter(
                department=department,
                period_start=parsed.period_start,
                period_end=parsed.period_end,
            ).first()
        if plan is None:
            raise CommandError(
                "Aucun plan existant à mettre à jour : importez d'abord le plan (sans "
                "--version-label) ou indiquez-le avec --plan."
            )
        diff = pending_diff(plan, parsed)
        version = services.confirm_document(
            acting_user=None,
            parsed=parsed,
            department=department,
            source_name=Path(options["path"]).name,
            plan=plan,
            version_label=options["version_label"],
            adopted_on=adopted_on,
        ).version
        if version is None:
            self.stdout.write(
                f"{plan} : aucune différence avec le plan actuel, rien n'a été modifié et "
                f"aucune version n'a été enregistrée ({diff.summary()})."
            )
        else:
            self.stdout.write(
                f"{plan} : « {version.label} » enregistrée (version {version.number}). "
                f"Différences : {diff.summary()}."
            )
        for title, items in (
            ("Mesures ajoutées", [f"{m.number} — {m.title}" for m in diff.measures_added]),
            ("Mesures retirées", [f"{m.number} — {m.title}" for m in diff.measures_removed]),
            (
                "Mesures modifiées",
                [f"{m.number} — {m.title} ({', '.join(m.fields)})" for m in diff.measures_changed],
            ),
            ("Actions ajoutées", [f"{i.measure} : {i.text}" for i in diff.actions_added]),
            ("Actions retirées", [f"{i.measure} : {i.old_text}" for i in diff.actions_removed]),
            ("Actions modifiées", [f"{i.measure} : {i.text}" for i in diff.actions_changed]),
            ("Indicateurs ajoutés", [f"{i.measure} : {i.text}" for i in diff.indicators_added]),
            (
                "Indicateurs retirés",
                [f"{i.measure} : {i.old_text}" for i in diff.indicators_removed],
            ),
            ("Indicateurs modifiés", [f"{i.measure} : {i.text}" for i in diff.indicators_changed]),
            ("Ajoutés dans Vigie, conservés", [str(item) for item in diff.kept]),
        ):
            if items:
                self.stdout.write(f"{title} :")
                for item in items:
                    self.stdout.write(f"  - {item}")

    def summary(self, parsed, confirmed: services.ConfirmedDocument | None) -> str:
        counts = parsed.counts()
        found = ", ".join(f"{counts[key]} {label}" for key, label in COUNT_LABELS)
        title = f"{parsed.title} ({parsed.period_start}-{parsed.period_end})"
        if confirmed is None:
            return f"Analyse sans enregistrement — {title} : {found}."
        stats = confirmed.stats
        kept = ""
        if stats.kept:
            kept = " Ajoutés dans Vigie, conservés : " + ", ".join(
                f"{count} {name}" for name, count in sorted(stats.kept.items())
            )
            kept += "."
        if not stats.changed:
            return f"{title} : déjà à jour, rien n'a été modifié ({found}).{kept}"
        changes = "; ".join(
            f"{verb} : " + ", ".join(f"{count} {name}" for name, count in sorted(counter.items()))
            for verb, counter in (
                ("créés", stats.created),
                ("modifiés", stats.updated),
                ("supprimés", stats.deleted),
            )
            if counter
        )
        return f"{title} importé ({found}). {changes}.{kept}"
