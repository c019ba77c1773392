"""manage.py import_grant_applications — bring a call's applications in from a platform's spreadsheet export."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigie.accounts.models import User
from vigie.funding.application_import import import_applications
from vigie.funding.models import FundingCall


class Command(BaseCommand):
    help = (
        "Importe les dossiers d'un appel à projets depuis un export XLSX, ODS ou CSV (démarches simplifiées, "
        "plateforme du FIPD), à l'état « Déposé », avec la correspondance des colonnes enregistrée pour l'appel "
        "(à défaut, celle que Vigie devine des en-têtes). Tout ou rien ; --dry-run vérifie sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier exporté.")
        parser.add_argument("--call", type=int, required=True, help="Numéro de l'appel à projets.")
        parser.add_argument(
            "--user", required=True, help="Identifiant de l'agent de la préfecture."
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien écrire.")

    def handle(self, *args, **options):
        call = FundingCall.objects.filter(pk=options["call"]).first()
        user = User.objects.filter(username=options["user"]).first()
        if call is None or user is None:
            raise CommandError("Appel à projets ou identifiant inconnu.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            outcome = import_applications(
                acting_user=user,
                call=call,
                filename=path.name,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
            )
        except PermissionDenied:
            raise CommandError("Cet agent ne gère pas les appels de ce département.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        check = outcome.check
        if not check.ok:
            for error in check.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(check.errors)} erreur(s) : rien n'a été importé.")
        for row, reference in check.skipped:
            self.stdout.write(f"Ligne {row} : dossier {reference} déjà importé, laissé tel quel.")
        verb = "à importer (rien n'est écrit : --dry-run)" if options["dry_run"] else "importé(s)"
        self.stdout.write(self.style.SUCCESS(f"{len(check.rows)} dossier(s) {verb}."))
