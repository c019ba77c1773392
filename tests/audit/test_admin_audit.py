import pytest

from tests.factories import DepartmentFactory, PlanFactory, UserFactory
from vigie.audit.models import AuditEntry


@pytest.mark.django_db
def test_admin_edit_of_a_plan_is_audited(client):
    admin_user = UserFactory(
        username="root", role="admin", is_staff=True, is_superuser=True, department=None
    )
    plan = PlanFactory(department=DepartmentFactory(code="32", name="Gers"), title="Ancien titre")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/plans/plan/{plan.pk}/change/",
        {
            "department": plan.department_id,
            "title": "Nouveau titre",
            "period_start": 2021,
            "period_end": 2024,
            "status": "adopted",
            "introduction": "",
            "source_note": "",
            "signed_at": "",
            "signed_on": "",
            "signatories-TOTAL_FORMS": 0,
            "signatories-INITIAL_FORMS": 0,
            "signatories-MIN_NUM_FORMS": 0,
            "signatories-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_id=str(plan.pk), content_type__model="plan")
    assert entry.actor == admin_user
    assert entry.changes["title"] == {
        "label": "intitulé",
        "old": "Ancien titre",
        "new": "Nouveau titre",
    }
    assert entry.department.code == "32"
    # An edit form of the plan read before this change is now stale (vigie.core.concurrency).
    plan.refresh_from_db()
    assert plan.version == 2


@pytest.mark.django_db
def test_audit_log_cannot_be_edited_in_admin(client):
    admin_user = UserFactory(
        username="root", role="admin", is_staff=True, is_superuser=True, department=None
    )
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
