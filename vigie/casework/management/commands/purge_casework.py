"""Daily: delete the named cases closed for longer than their group's retention period, and the access-log rows
older than their group's log retention period (counts only, no name)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from vigie.casework.retention import purge_expired_cases, purge_expired_log


class Command(BaseCommand):
    help = (
        "Supprime les dossiers nominatifs clos depuis plus que la durée de conservation de leur groupe, "
        "et les lignes du journal des accès plus anciennes que la durée de conservation du journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien supprimer.")

    def handle(self, *args, dry_run=False, **options):
        cases = purge_expired_cases(today=timezone.localdate(), dry_run=dry_run)
        log = purge_expired_log(dry_run=dry_run)
        self._report(cases, "{} dossier(s) {}.", "seraient supprimés" if dry_run else "supprimés")
        self._report(
            log,
            "{} ligne(s) du journal des accès {}.",
            "seraient supprimées" if dry_run else "supprimées",
        )

    def _report(self, counts: dict[int, int], line: str, verb: str) -> None:
        self.stdout.write(line.format(sum(counts.values()), verb))
        for group_id, count in counts.items():
            self.stdout.write(f"  groupe n° {group_id} : {count}")
