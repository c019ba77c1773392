"""Reads of sensitive data in the audit log: `record_read`, the history and the CSV export."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tests.audit.test_export import read_csv
from tests.factories import CommuneFactory, DepartmentFactory
from tests.governance.factories import ClspdFactory, MeetingFactory
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    gers = DepartmentFactory(code="32", name="Gers")
    body = ClspdFactory(department=gers, commune=CommuneFactory(department=gers, name="Condom"))
    return MeetingFactory(body=body, date=date(2024, 1, 10), is_restricted=True)


@pytest.fixture
def reader(make_user, meeting):
    return make_user(
        "partner",
        meeting.body.department,
        first_name="Alix",
        last_name="Durand",
        username="adurand",
    )


def test_record_read_stores_who_when_and_what(reader, meeting):
    before = timezone.now()
    entry = audit.record_read(
        acting_user=reader,
        instance=meeting,
        parent=meeting.body,
        department=meeting.body.department,
        reason="Consultation du compte rendu restreint",
    )
    after = timezone.now()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.action == AuditAction.READ == "read"
    assert entry.get_action_display() == "Consultation"
    assert entry.actor == reader and entry.actor_repr == "Alix Durand (adurand)"
    assert entry.content_type.model == "meeting" and entry.object_id == str(meeting.pk)
    assert entry.object_repr == str(meeting)
    assert entry.department == meeting.body.department
    assert entry.reason == "Consultation du compte rendu restreint"
    assert entry.changes == {}
    assert before <= entry.created_at <= after
    assert str(entry) == f"Consultation de {meeting} par Alix Durand (adurand)"


def test_a_read_shows_in_the_history_of_the_object_and_of_its_parent(reader, meeting):
    entry = audit.record_read(acting_user=reader, instance=meeting, parent=meeting.body)
    assert list(audit.history_for(meeting)) == [entry]
    assert list(audit.history_for(meeting.body)) == [entry]


@pytest.mark.parametrize("who", [None, AnonymousUser()])
def test_a_read_without_a_signed_in_reader_is_refused(meeting, who):
    with pytest.raises(ValueError, match="signed-in user"):
        audit.record_read(acting_user=who, instance=meeting)
    assert not AuditEntry.objects.exists()


def test_reads_are_exported_like_other_entries(client, make_user, reader, meeting):
    entry = audit.record_read(
        acting_user=reader,
        instance=meeting,
        parent=meeting.body,
        department=meeting.body.department,
        reason="Consultation du compte rendu restreint",
    )
    client.force_login(make_user("admin", None))
    for query in ({}, {"departement": "32"}):
        rows = read_csv(client.get(reverse("audit:export"), query))
        assert rows[1:] == [
            [
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                "Alix Durand (adurand)",
                "Consultation",
                "réunion",
                str(meeting),
                "",
                "",
                "",
                "Consultation du compte rendu restreint",
            ]
        ]
