"""The access log refuses UPDATE and DELETE at the database itself (PostgreSQL trigger, migration 0003).

Runs on PostgreSQL only (CI): DATABASE_URL=postgres://…  The application-side refusal is in test_cases.py.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.casework.factories import make_case, make_group, make_member
from vigie.casework.models import AccessLogEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger"),
]


@pytest.fixture
def row():
    group, _ = make_group()
    make_case(make_member(group))
    return AccessLogEntry.objects.get()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE casework_accesslogentry SET user_label = 'x' WHERE id = %s",
        "DELETE FROM casework_accesslogentry WHERE id = %s",
    ],
)
def test_update_and_delete_fail_at_the_database(row, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [row.pk])
    assert AccessLogEntry.objects.get(pk=row.pk).user_label == row.user_label


def test_a_queryset_update_or_delete_fails_too(row):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=row.pk).update(user_label="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=row.pk)._raw_delete(connection.alias)
    assert AccessLogEntry.objects.filter(pk=row.pk).exists()
