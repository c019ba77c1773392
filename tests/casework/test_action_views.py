"""The coordinator's pages (members, rules document, summary) and a case's closure and information: what they
write, their French messages beside the fields, the access log and audit entries they leave."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.casework.factories import make_case, make_group, make_member, sign_in
from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.audit.models import AuditEntry
from vigie.casework.enums import AccessAction, MemberRole
from vigie.casework.models import AccessLogEntry, GroupMember
from vigie.governance.models import Meeting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setup(db):
    group, agent = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    case = make_case(referent)
    return {"group": group, "coordinator": coordinator, "referent": referent, "case": case}


def _text(response) -> str:
    import html

    return html.unescape(response.content.decode())


def test_the_coordinator_adds_a_member_of_the_department(client, setup):
    group = setup["group"]
    newcomer = UserFactory(role=Role.PARTNER, department=group.department)
    sign_in(client, setup["coordinator"].user)
    url = reverse("casework:member_add", args=[group.pk])
    response = client.post(
        url, {"user": newcomer.pk, "role": MemberRole.SOCIAL_WORKER, "start_date": "2026-02-01"}
    )
    assert response.status_code == 302
    member = GroupMember.objects.get(group=group, user=newcomer)
    assert (member.role, member.start_date) == (MemberRole.SOCIAL_WORKER, datetime.date(2026, 2, 1))
    assert AuditEntry.objects.filter(object_id=str(member.pk), action="create").exists()


def test_an_account_of_another_department_or_already_member_cannot_be_added(client, setup):
    group = setup["group"]
    stranger = UserFactory(role=Role.PARTNER, department=DepartmentFactory(code="46", name="Lot"))
    sign_in(client, setup["coordinator"].user)
    url = reverse("casework:member_add", args=[group.pk])
    for user in (stranger, setup["referent"].user):
        response = client.post(url, {"user": user.pk, "role": "autre", "start_date": "2026-02-01"})
        assert response.status_code == 200
        assert "Choisissez un compte du département." in _text(response)
    response = client.post(url, {"role": "autre", "start_date": ""})
    assert "Choisissez la personne." in _text(response)
    assert "Saisissez la date de début." in _text(response)
    assert group.members.count() == 2


def test_the_coordinator_changes_a_role_and_ends_a_membership_today(client, setup):
    referent = setup["referent"]
    sign_in(client, setup["coordinator"].user)
    url = reverse("casework:member_change", args=[setup["group"].pk, referent.pk])
    today = timezone.localdate()
    response = client.post(url, {"role": "autre", "end_date": today.isoformat()})
    assert response.status_code == 302
    referent.refresh_from_db()
    assert (referent.role, referent.end_date) == ("autre", today)
    assert not referent.is_current(today)


def test_a_past_end_date_and_one_own_membership_are_refused(client, setup):
    sign_in(client, setup["coordinator"].user)
    group, referent = setup["group"], setup["referent"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    url = reverse("casework:member_change", args=[group.pk, referent.pk])
    response = client.post(url, {"role": "autre", "end_date": yesterday.isoformat()})
    assert "La date de fin ne peut pas être passée." in _text(response)
    own = reverse("casework:member_change", args=[group.pk, setup["coordinator"].pk])
    response = client.post(own, {"role": "autre"})
    assert "Votre propre participation" in _text(response)
    referent.refresh_from_db()
    setup["coordinator"].refresh_from_db()
    assert referent.end_date is None and setup["coordinator"].role == MemberRole.COORDINATOR


def test_rules_uploaded_then_downloaded_by_a_member_with_a_logged_read(client, setup):
    group = setup["group"]
    sign_in(client, setup["coordinator"].user)
    upload = SimpleUploadedFile("Règlement.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("casework:rules_upload", args=[group.pk]), {"rules_file": upload}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.rules_original_name == "Règlement.pdf"
    client.logout()
    sign_in(client, setup["referent"].user)
    response = client.get(reverse("casework:rules_download", args=[group.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    rows = AccessLogEntry.objects.filter(
        group=group, user_id_at_time=setup["referent"].user.pk, case_public_id=None
    )
    assert [row.action for row in rows] == [AccessAction.READ]


def test_a_file_that_is_not_a_document_is_refused_beside_the_field(client, setup):
    group = setup["group"]
    sign_in(client, setup["coordinator"].user)
    upload = SimpleUploadedFile(
        "reglement.pdf", b"MZ\x90\x00binary", content_type="application/pdf"
    )
    response = client.post(
        reverse("casework:rules_upload", args=[group.pk]), {"rules_file": upload}
    )
    assert response.status_code == 200
    assert "un programme Windows" in _text(response)
    group.refresh_from_db()
    assert not group.rules_file


def test_the_summary_reaches_the_controller_who_sees_counts_and_summary_only(client, setup):
    group = setup["group"]
    sign_in(client, setup["coordinator"].user)
    response = client.post(
        reverse("casework:summary_edit", args=[group.pk]), {"text": "Trois situations suivies."}
    )
    assert response.status_code == 302
    client.logout()
    sign_in(client, group.controller)
    page = _text(client.get(reverse("casework:group", args=[group.pk])))
    assert "Trois situations suivies." in page
    assert "Dossiers ouverts : 1" in page
    assert 'id="members"' not in page and str(setup["referent"].user) not in page
    assert "DUPONT" not in page


def test_a_member_closes_a_case_with_a_reason(client, setup):
    case = setup["case"]
    sign_in(client, setup["referent"].user)
    url = reverse("casework:case_close", args=[case.public_id])
    response = client.post(url, {"reason": "", "closed_on": ""})
    assert "Choisissez le motif de clôture." in _text(response)
    early = (case.opened_on - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"reason": "objectifs", "closed_on": early})
    assert "ne peut pas précéder l'ouverture" in _text(response)
    today = timezone.localdate()
    response = client.post(url, {"reason": "objectifs", "closed_on": today.isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.closed_on, case.closure_reason) == (today, "objectifs")
    assert AccessLogEntry.objects.filter(case_public_id=case.public_id, action="modification")
    assert client.get(url).status_code == 302  # already closed: back to the case


def test_a_member_records_the_information_given_to_the_person(client, setup):
    case = setup["case"]
    sign_in(client, setup["referent"].user)
    url = reverse("casework:case_inform", args=[case.public_id])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"informed_on": tomorrow, "how": "courrier"})
    assert "ne peut pas être à venir" in _text(response)
    response = client.post(url, {"informed_on": "2026-03-02", "how": "courrier"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.informed_on, case.informed_how) == (datetime.date(2026, 3, 2), "courrier")


def test_a_member_records_a_meeting_the_group_held(client, setup):

    group = setup["group"]
    sign_in(client, setup["referent"].user)
    url = reverse("casework:meeting_add", args=[group.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "Une réunion à venir ne s'enregistre pas encore" in _text(response)
    assert not Meeting.objects.filter(body=group.body).exists()
    response = client.post(url, {"date": "2026-03-05"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(body=group.body)
    assert (meeting.date, meeting.is_restricted, meeting.minutes) == (
        datetime.date(2026, 3, 5),
        True,
        "",
    )
    assert AuditEntry.objects.filter(object_id=str(meeting.pk), action="create").exists()
    page = _text(client.get(reverse("casework:group", args=[group.pk])))
    assert "5 mars 2026" in page
