"""Access-log retention: rows older than their group's own log retention period (6 to 12 months) are purged by
`purge_casework`; younger rows, and rows of a group keeping its log longer, stay. The dry run counts, changes
nothing; the output names no one. Runs on SQLite (the purge's own date filter) and PostgreSQL (with its trigger,
see test_log_purge_postgres.py)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.casework.factories import make_case, make_group, make_member
from tests.factories import DepartmentFactory
from vigie.audit.models import AuditEntry
from vigie.casework import access_log
from vigie.casework.enums import AccessAction
from vigie.casework.models import AccessLogEntry, CaseGroup
from vigie.casework.retention import log_cutoff, purge_expired_log

pytestmark = pytest.mark.django_db


def log_row_at(monkeypatch, when, *, group, user, case=None) -> AccessLogEntry:
    """A log row written at `when` (the application's clock frozen then: the row's date is set on insert)."""
    with monkeypatch.context() as frozen:
        frozen.setattr(timezone, "now", lambda: when)
        return access_log.record_access(user=user, group=group, case=case, action=AccessAction.READ)


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    return log_cutoff(timezone.now(), months) - datetime.timedelta(days=days)


@pytest.fixture
def logs(monkeypatch):
    """Group A keeps its log 6 months, group B 12 months; each has a row just past and just within its period."""
    group_a, _ = make_group()
    group_b, _ = make_group(department=DepartmentFactory(code="46", name="Lot"), name="Cellule")
    CaseGroup.objects.filter(pk=group_a.pk).update(log_retention_months=6)
    group_a.refresh_from_db()
    member_a, member_b = make_member(group_a), make_member(group_b)
    case_a = make_case(member_a)
    rows = {
        "a_old": log_row_at(
            monkeypatch, months_ago(6, days=1), group=group_a, user=member_a.user, case=case_a
        ),
        "a_recent": log_row_at(
            monkeypatch, months_ago(6, days=-1), group=group_a, user=member_a.user, case=case_a
        ),
        "b_seven_months": log_row_at(monkeypatch, months_ago(7), group=group_b, user=member_b.user),
        "b_old": log_row_at(monkeypatch, months_ago(12, days=2), group=group_b, user=member_b.user),
    }
    return {"a": group_a, "b": group_b, "rows": rows}


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_casework", *args, stdout=out)
    return out.getvalue()


def test_log_cutoff_keeps_the_day_within_the_month():
    now = datetime.datetime(2026, 8, 31, 10, 30, tzinfo=datetime.UTC)
    assert log_cutoff(now, 6) == datetime.datetime(2026, 2, 28, 10, 30, tzinfo=datetime.UTC)
    assert log_cutoff(now, 12) == datetime.datetime(2025, 8, 31, 10, 30, tzinfo=datetime.UTC)


def test_dry_run_counts_and_deletes_nothing(logs):
    total = AccessLogEntry.objects.count()
    output = _run("--dry-run")
    assert "2 ligne(s) du journal des accès seraient supprimées." in output
    assert f"groupe n° {logs['a'].pk} : 1" in output and f"groupe n° {logs['b'].pk} : 1" in output
    assert AccessLogEntry.objects.count() == total


def test_the_purge_removes_only_rows_past_their_group_period(logs):
    rows = logs["rows"]
    total = AccessLogEntry.objects.count()
    output = _run()
    assert "2 ligne(s) du journal des accès supprimées." in output
    assert "DUPONT" not in output and "Léo" not in output
    assert AccessLogEntry.objects.count() == total - 2
    remaining = set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert rows["a_old"].pk not in remaining and rows["b_old"].pk not in remaining
    assert {rows["a_recent"].pk, rows["b_seven_months"].pk} <= remaining
    # Audited per group, counts only.
    entry = AuditEntry.objects.get(
        object_id=str(logs["a"].pk), reason="Durée de conservation du journal des accès échue"
    )
    assert entry.changes["access_log"]["old"] == "1 ligne(s) échue(s)"
    # A second run finds nothing more.
    assert purge_expired_log(dry_run=False) == {}


def test_the_model_still_refuses_to_delete_an_expired_row(logs):
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.get(pk=logs["rows"]["a_old"].pk).delete()
