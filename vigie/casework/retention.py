"""Retention of named data, run daily by `manage.py purge_casework` (its dry run counts, changes nothing).

- A case closed for longer than its group's retention period is deleted with its entries, its rectification
  history and its access requests (cascade).
- The access log (no names: accounts and opaque case ids) is kept for its group's own period (6 to 12 months),
  then deleted. On PostgreSQL the database decides too: its trigger (migrations/0005) lets a DELETE through only in a
  transaction that set `vigie.casework_log_purge` to 'on' and only for a row older than its group's period — so
  this module selects expired rows with the trigger's own clock and arithmetic, and nothing else can delete a row.
  On SQLite (development) there is no trigger: the date filter here is the only guard.

Reports give counts only, never a name.
"""

import calendar
import datetime

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework.models import AccessLogEntry, Case, CaseGroup

LOG_PURGE_SETTING = "vigie.casework_log_purge"


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


def log_cutoff(now: datetime.datetime, months: int) -> datetime.datetime:
    """`now` moved back `months` calendar months, the day kept within the month (31 March − 1 → 28 or 29 February):
    PostgreSQL's `now() - make_interval(months => n)` in the connection's time zone (UTC)."""
    now = now.astimezone(datetime.UTC)
    day = months_before(now.date(), months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def expired_log_rows(group: CaseGroup):
    """The group's access-log rows older than its log retention period."""
    rows = AccessLogEntry.objects.filter(group=group)
    if connection.vendor == "postgresql":
        # The trigger's clock (the transaction's now()) and arithmetic: the purge never asks for a row it refuses.
        older = RawSQL("now() - make_interval(months => %s)", (group.log_retention_months,))
        return rows.filter(at__lt=older)
    return rows.filter(at__lt=log_cutoff(timezone.now(), group.log_retention_months))


def _allow_log_purge(allowed: bool) -> None:
    """Open (or close again) the database's gate for this transaction only (SET LOCAL): PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("The access log is purged inside a transaction only.")
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {LOG_PURGE_SETTING} = '{'on' if allowed else 'off'}'")


@transaction.atomic
def purge_expired_log(*, dry_run: bool) -> dict[int, int]:
    """{group id: number of access-log rows purged (or that would be, with `dry_run`)}, for groups with any."""
    counts = {}
    for group in CaseGroup.objects.select_related("department").order_by("pk"):
        rows = expired_log_rows(group)
        if dry_run:
            count = rows.count()
        else:
            _allow_log_purge(True)
            # A queryset delete (SQL DELETE): AccessLogEntry.delete(), the model's, still refuses.
            count, _ = rows.delete()
            _allow_log_purge(False)
        if not count:
            continue
        counts[group.pk] = count
        if not dry_run:
            audit.record(
                acting_user=None,
                action=AuditAction.UPDATE,
                instance=group,
                changes={
                    "access_log": {
                        "label": "journal des accès",
                        "old": f"{count} ligne(s) échue(s)",
                        "new": "supprimées",
                    }
                },
                department=group.department,
                reason="Durée de conservation du journal des accès échue",
            )
    return counts
