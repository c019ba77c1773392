"""Remind by e-mail the people whose opinion on a grant application is overdue (run daily, e.g. by cron)."""

from django.core.management.base import BaseCommand

from vigie.funding.instruction import send_opinion_reminders


class Command(BaseCommand):
    help = "Relance par courriel les avis en retard sur les demandes de subvention."

    def handle(self, *args, **options):
        count = send_opinion_reminders(acting_user=None)
        self.stdout.write(f"{count} avis en retard relancé(s).")
