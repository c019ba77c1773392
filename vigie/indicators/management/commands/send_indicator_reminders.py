"""Daily: e-mail reminders before a campaign's deadline and for overdue values (schedule with cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.indicators.reminders import DAYS_BEFORE, OVERDUE_EVERY, send_reminders


class Command(BaseCommand):
    help = "Envoie les relances par courriel des campagnes de collecte d'indicateurs ouvertes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Jour de référence AAAA-MM-JJ (par défaut : aujourd'hui)."
        )
        parser.add_argument(
            "--days-before",
            default=",".join(str(d) for d in DAYS_BEFORE),
            help="Jours avant l'échéance où relancer, séparés par des virgules (défaut : 7,1).",
        )
        parser.add_argument(
            "--overdue-every",
            type=int,
            default=OVERDUE_EVERY,
            help="Après l'échéance, relancer tous les N jours (défaut : 7).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Affiche sans envoyer.")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            days_before = tuple(int(d) for d in options["days_before"].split(",") if d.strip())
        except ValueError as exc:
            raise CommandError(f"Paramètre invalide : {exc}") from exc
        if options["overdue_every"] < 1:
            raise CommandError("--overdue-every doit valoir au moins 1.")
        sent = send_reminders(
            today=today,
            days_before=days_before,
            overdue_every=options["overdue_every"],
            dry_run=options["dry_run"],
        )
        for campaign, user, kind, count in sent:
            self.stdout.write(f"{campaign} → {user.email} ({kind}, {count} élément(s) manquant(s))")
        verb = "à envoyer" if options["dry_run"] else "envoyée(s)"
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} relance(s) {verb}."))
