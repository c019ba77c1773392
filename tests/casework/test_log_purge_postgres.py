"""The database lets the purge, and only the purge, delete expired access-log rows (trigger of migration 0005):
a DELETE passes only in a transaction that set `vigie.casework_log_purge` to 'on' AND for a row older than its
group's log retention period; an UPDATE never passes. TRUNCATE (how the test runner empties tables) still works.

Runs on PostgreSQL only (CI): DATABASE_URL=postgres://…  Old rows are written with the application's clock frozen
in the past (the database's now() is not frozen: the trigger measures from the real date).
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.casework.factories import make_group, make_member
from tests.casework.test_log_retention import log_row_at, months_ago
from vigie.casework.models import AccessLogEntry
from vigie.casework.retention import purge_expired_log

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger"),
]

DELETE = "DELETE FROM casework_accesslogentry WHERE id = %s"


@pytest.fixture
def rows(monkeypatch):
    group, _ = make_group()  # log kept 12 months
    member = make_member(group)
    return {
        "old": log_row_at(monkeypatch, months_ago(12, days=3), group=group, user=member.user),
        "recent": log_row_at(monkeypatch, months_ago(12, days=-3), group=group, user=member.user),
        "now": log_row_at(monkeypatch, timezone.now(), group=group, user=member.user),
    }


def _execute(sql, params, *, purge: bool):
    with transaction.atomic(), connection.cursor() as cursor:
        if purge:
            cursor.execute("SET LOCAL vigie.casework_log_purge = 'on'")
        cursor.execute(sql, params)


@pytest.mark.parametrize("which", ["recent", "now"])
def test_a_recent_row_cannot_be_deleted_even_with_the_setting(rows, which):
    with pytest.raises(DatabaseError, match="append-only"):
        _execute(DELETE, [rows[which].pk], purge=True)
    assert AccessLogEntry.objects.filter(pk=rows[which].pk).exists()


def test_an_old_row_cannot_be_deleted_without_the_setting(rows):
    with pytest.raises(DatabaseError, match="append-only"):
        _execute(DELETE, [rows["old"].pk], purge=False)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=rows["old"].pk).delete()
    assert AccessLogEntry.objects.filter(pk=rows["old"].pk).exists()


def test_an_old_row_is_deleted_with_the_setting(rows):
    _execute(DELETE, [rows["old"].pk], purge=True)
    assert not AccessLogEntry.objects.filter(pk=rows["old"].pk).exists()


@pytest.mark.parametrize("which", ["old", "recent"])
@pytest.mark.parametrize("purge", [False, True])
def test_update_always_fails(rows, which, purge):
    with pytest.raises(DatabaseError, match="append-only"):
        _execute(
            "UPDATE casework_accesslogentry SET user_label = 'x' WHERE id = %s",
            [rows[which].pk],
            purge=purge,
        )
    assert AccessLogEntry.objects.get(pk=rows[which].pk).user_label != "x"


def test_the_purge_removes_only_expired_rows_and_closes_the_gate_behind_it(rows, monkeypatch):
    group = rows["old"].group
    user = make_member(group).user
    other_old = log_row_at(monkeypatch, months_ago(13), group=group, user=user)
    with transaction.atomic():
        counts = purge_expired_log(dry_run=False)
        assert counts == {group.pk: 2}
        # Still in the purge's transaction: the setting is 'off' again, nothing more can go.
        another = log_row_at(monkeypatch, months_ago(14), group=group, user=user)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=another.pk).delete()
    remaining = set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert rows["old"].pk not in remaining and other_old.pk not in remaining
    assert {rows["recent"].pk, rows["now"].pk} <= remaining


def test_truncate_still_empties_the_log(rows):
    with connection.cursor() as cursor:
        # Inside the test's transaction the deferred foreign-key checks of the inserts run first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE casework_accesslogentry")
    assert not AccessLogEntry.objects.exists()


def test_the_row_dates_come_from_the_frozen_clock(rows):
    assert rows["old"].at < timezone.now() - datetime.timedelta(days=365)
