"""Daily: delete the named cases closed for longer than their group's retention period (counts only, no name)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from vigie.casework.retention import purge_expired_cases


class Command(BaseCommand):
    help = "Supprime les dossiers nominatifs clos depuis plus que la durée de conservation de leur groupe."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien supprimer.")

    def handle(self, *args, dry_run=False, **options):
        counts = purge_expired_cases(today=timezone.localdate(), dry_run=dry_run)
        total = sum(counts.values())
        verb = "seraient supprimés" if dry_run else "supprimés"
        self.stdout.write(f"{total} dossier(s) {verb}.")
        for group_id, count in counts.items():
            self.stdout.write(f"  groupe n° {group_id} : {count}")
