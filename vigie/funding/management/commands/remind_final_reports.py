"""manage.py remind_final_reports — e-mail the applicants whose grant's final report is overdue (run daily)."""

from django.core.management.base import BaseCommand

from vigie.funding.final_reports import send_reminders


class Command(BaseCommand):
    help = (
        "Relance par courriel les porteurs dont le compte rendu financier est en retard "
        "(au plus une relance par dossier tous les 30 jours)."
    )

    def handle(self, *args, **options):
        count = send_reminders(acting_user=None)
        self.stdout.write(self.style.SUCCESS(f"{count} relance(s) envoyée(s)."))
