"""record_many: many audit entries in a few INSERTs, the same content as `record` would write."""

import re
from pathlib import Path

import pytest

from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.organisations.models import Organisation
from vigie.territories.models import Department

pytestmark = pytest.mark.django_db

VIGIE = Path(__file__).resolve().parents[2] / "vigie"


def test_record_many_writes_one_entry_per_object(django_assert_max_num_queries):
    department = DepartmentFactory()
    user = UserFactory(role="prefecture", department=department)
    organisations = [OrganisationFactory(department=department) for _ in range(30)]
    entries = [
        audit.PendingEntry(
            AuditAction.UPDATE,
            organisation.pk,
            str(organisation),
            {"name": {"label": "nom", "old": "A", "new": "B"}},
            parent_id=department.pk,
        )
        for organisation in organisations
    ]
    entries.append(
        audit.PendingEntry(AuditAction.UPDATE, 1, "rien", {})
    )  # nothing changed: skipped
    with django_assert_max_num_queries(4):
        count = audit.record_many(
            acting_user=user,
            model=Organisation,
            entries=entries,
            parent_model=Department,
            department_id=department.pk,
            reason="Import du fichier x.ods",
        )
    assert count == 30
    entry = AuditEntry.objects.get(object_id=str(organisations[0].pk))
    assert (entry.actor, entry.actor_repr) == (user, f"{user} ({user.username})")
    assert entry.action == AuditAction.UPDATE and entry.department == department
    assert entry.content_type.model_class() is Organisation
    assert entry.parent_content_type.model_class() is Department
    assert entry.parent_object_id == str(department.pk)
    assert entry.changes == {"name": {"label": "nom", "old": "A", "new": "B"}}
    assert entry.reason == "Import du fichier x.ods" and entry.created_at is not None
    assert list(audit.history_for(organisations[0])) == [entry]


def test_record_many_without_user_or_parent():
    organisation = OrganisationFactory()
    audit.record_many(
        acting_user=None,
        model=Organisation,
        entries=[audit.PendingEntry(AuditAction.CREATE, organisation.pk, "x" * 400, {})],
    )
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_repr == "système"
    assert entry.parent_content_type is None and entry.parent_object_id == ""
    assert len(entry.object_repr) == 300


def test_only_the_audit_app_writes_audit_entries():
    pattern = re.compile(
        r"AuditEntry\(|AuditEntry\.objects\.(create|bulk_create|get_or_create)|AuditEntry,"
    )
    offenders = [
        str(path.relative_to(VIGIE))
        for path in VIGIE.rglob("*.py")
        if "migrations" not in path.parts
        and path.parent.name != "audit"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
