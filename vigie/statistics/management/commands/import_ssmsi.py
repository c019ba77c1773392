from datetime import date

from django.core.management.base import BaseCommand, CommandError

from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.services import import_ssmsi_file


class Command(BaseCommand):
    help = (
        "Importe une base SSMSI (départementale, ancienne départementale ou communale) comme une édition, "
        "publiée aussitôt (commande d'exploitation, lancée sur le serveur) ; avec --apercu, l'édition attend "
        "qu'un administrateur national confirme sa publication sur la page « Éditions de la base SSMSI »."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV publié sur data.gouv.fr")
        parser.add_argument(
            "--edition-date",
            help="Date de publication de l'édition (AAAA-MM-JJ) quand le nom du fichier ne la contient pas.",
        )
        parser.add_argument(
            "--engine",
            choices=["copy", "orm"],
            help="copy (PostgreSQL, par défaut) ou orm (toute base).",
        )
        parser.add_argument(
            "--apercu",
            action="store_true",
            help="Ne pas publier : l'édition attend sa publication après aperçu.",
        )
        parser.add_argument(
            "--partielle",
            action="store_true",
            help="Le fichier ne contient volontairement qu'une partie des indicateurs de la base.",
        )

    def handle(self, *args, **options):
        published_on = None
        if options["edition_date"]:
            try:
                published_on = date.fromisoformat(options["edition_date"])
            except ValueError as exc:
                raise CommandError(
                    f"Date d'édition invalide : {options['edition_date']} (AAAA-MM-JJ)."
                ) from exc
        try:
            batch = import_ssmsi_file(
                acting_user=None,
                path=options["file"],
                published_on=published_on,
                engine=options["engine"],
                partial=options["partielle"],
                publish=not options["apercu"],
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {options['file']}") from exc
        except ImportRefused as refused:
            raise CommandError("Rien n'a été importé :\n" + "\n".join(refused.errors)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch.edition} : {batch.row_count} lignes lues, {batch.created_count} valeurs ajoutées, "
                f"{batch.updated_count} modifiées, {batch.unchanged_count} inchangées "
                f"({batch.duration_ms / 1000:.1f} s, méthode {batch.engine}) ; "
                f"{batch.edition.get_status_display().lower()}."
            )
        )
