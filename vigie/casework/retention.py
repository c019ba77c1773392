"""Retention of named cases: a case closed for longer than its group's retention period is deleted with its
entries. Reports give counts only, never a name. The access log (no names, opaque case ids) is not purged here:
its rows are protected by the database trigger (see migrations/0003) — its own purge is still to be designed."""

import calendar
import datetime

from django.db import transaction

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework.models import Case, CaseGroup


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expired_cases(group: CaseGroup, today: datetime.date):
    cutoff = months_before(today, group.retention_months)
    return Case.objects.filter(group=group, closed_on__isnull=False, closed_on__lt=cutoff)


@transaction.atomic
def purge_expired_cases(*, today: datetime.date, dry_run: bool) -> dict[int, int]:
    """{group id: number of cases purged (or that would be, with `dry_run`)}, for groups with any."""
    counts = {}
    for group in CaseGroup.objects.select_related("department").order_by("pk"):
        cases = list(expired_cases(group, today))
        if not cases:
            continue
        counts[group.pk] = len(cases)
        if dry_run:
            continue
        for case in cases:
            audit.record(
                acting_user=None,
                action=AuditAction.DELETE,
                instance=case,
                parent=group,
                department=group.department,
                reason="Durée de conservation échue",
            )
            case.assigned.clear()
            case.delete()
    return counts
