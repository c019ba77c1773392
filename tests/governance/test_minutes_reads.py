"""Downloads of restricted minutes are logged as reads ("Consultation"); refusals and public minutes are not."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory
from tests.governance.factories import BodyMemberFactory, ClspdFactory, MeetingFactory
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.governance import services
from vigie.governance.models import Meeting

pytestmark = pytest.mark.django_db

SENTENCE = "Consultation du compte rendu restreint par {who} le {when:%d/%m/%Y} à {when:%H:%M}"


def pdf(name="cr-nominatif.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 nominatif\n%%EOF", content_type="application/pdf")


@pytest.fixture
def world(make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    body = ClspdFactory(department=gers, commune=condom, name="CLSPD de Condom")
    organisation = OrganisationFactory(department=gers, name="France Victimes 32")
    BodyMemberFactory(body=body, organisation=organisation)
    member = make_user(
        "partner", gers, organisation=organisation, first_name="Alix", last_name="Durand"
    )
    person = make_user("reader", gers, first_name="Sam", last_name="Petit")
    BodyMemberFactory(body=body, user=person)
    restricted = MeetingFactory(
        body=body, date=date(2024, 1, 10), is_restricted=True, minutes_file=pdf()
    )
    public = MeetingFactory(body=body, date=date(2024, 3, 5), minutes_file=pdf("cr-public.pdf"))
    return {
        "gers": gers,
        "body": body,
        "restricted": restricted,
        "public": public,
        "member": member,
        "person": person,
        "prefect": make_user("prefecture", gers),
        "coordinator": make_user("coordinator", gers, commune=condom),
        "reader": make_user("reader", gers),
        "lot_prefect": make_user("prefecture", lot),
    }


def download(client, meeting):
    return client.get(reverse("governance:meeting_minutes_file", args=[meeting.pk]))


def reads():
    return AuditEntry.objects.filter(action=AuditAction.READ)


@pytest.mark.parametrize("who", ["member", "person", "coordinator", "prefect"])
def test_downloading_restricted_minutes_logs_exactly_one_read(client, world, who):
    user = world[who]
    meeting = world["restricted"]
    client.force_login(user)
    before = timezone.now()
    response = download(client, meeting)
    after = timezone.now()
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 nominatif")
    [entry] = reads()
    assert entry.actor == user and entry.actor_repr == f"{user} ({user.username})"
    assert before <= entry.created_at <= after
    assert entry.content_type.model_class() is Meeting
    assert entry.object_id == str(meeting.pk) and entry.object_repr == str(meeting)
    assert entry.department == world["gers"]
    assert entry.reason == "Consultation du compte rendu restreint"
    # Nothing else was written by the download.
    assert AuditEntry.objects.count() == 1


def test_each_download_is_a_read(client, world):
    client.force_login(world["member"])
    for _ in range(2):
        assert download(client, world["restricted"]).status_code == 200
    assert reads().count() == 2


@pytest.mark.parametrize("who", ["member", "reader", "prefect"])
def test_public_minutes_downloads_are_not_logged(client, world, who):
    client.force_login(world[who])
    response = download(client, world["public"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lot_prefect", 404),  # another department: the meeting does not exist for them
        (
            "reader",
            403,
        ),  # same department, not a member: the meeting exists, its minutes are closed
    ],
)
def test_refused_downloads_are_not_logged(client, world, who, status):
    client.force_login(world[who])
    response = download(client, world["restricted"])
    assert response.status_code == status
    assert not AuditEntry.objects.exists()


def test_no_file_and_unknown_meeting_are_not_logged(client, world):
    client.force_login(world["member"])
    without_file = MeetingFactory(body=world["body"], is_restricted=True)
    assert download(client, without_file).status_code == 404
    missing = client.get(reverse("governance:meeting_minutes_file", args=[999_999]))
    assert missing.status_code == 404
    assert not AuditEntry.objects.exists()


def test_anonymous_download_is_sent_to_login_and_not_logged(client, world):
    response = download(client, world["restricted"])
    assert response.status_code == 302 and "/comptes/connexion/" in response.url
    assert not AuditEntry.objects.exists()


def test_no_file_is_served_when_the_read_cannot_be_logged(client, world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services.audit, "record_read", broken)
    client.force_login(world["member"])
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        download(client, world["restricted"])
    assert not AuditEntry.objects.exists()


def history(client, meeting):
    return client.get(reverse("governance:meeting_history", args=[meeting.pk]))


def test_the_meeting_history_shows_the_read_in_french(client, world):
    meeting = world["restricted"]
    member = world["member"]
    client.force_login(member)
    assert download(client, meeting).status_code == 200
    entry = reads().get()
    client.force_login(world["prefect"])
    response = history(client, meeting)
    assert response.status_code == 200
    content = response.content.decode()
    when = timezone.localtime(entry.created_at)
    assert SENTENCE.format(who="Alix Durand (" + member.username + ")", when=when) in content
    row = content.split(f'id="entree-{entry.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>Consultation</td>" in row
    assert "Motif" not in row and "Aucun détail" not in row


def test_the_meeting_history_keeps_changes_and_decisions(client, world):
    meeting = world["restricted"]
    prefect = world["prefect"]
    services.update_meeting(acting_user=prefect, meeting=meeting, data={"location": "Mairie"})
    services.create_decision(acting_user=prefect, meeting=meeting, data={"text": "Orienter Mme X"})
    client.force_login(world["member"])
    download(client, meeting)
    client.force_login(world["coordinator"])
    response = history(client, meeting)
    assert response.status_code == 200
    entries = list(response.context["page_obj"].object_list)
    assert [e.action for e in entries] == ["read", "create", "update"]
    content = response.content.decode()
    assert "Orienter Mme X" in content and "Mairie" in content
    # The other meeting's history stays empty.
    empty = history(client, world["public"]).content.decode()
    assert "Aucune modification n'a encore été enregistrée." in empty


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("prefect", 200),
        ("coordinator", 200),
        ("member", 403),
        ("person", 403),
        ("reader", 403),
        ("lot_prefect", 404),
    ],
)
def test_who_sees_the_meeting_history(client, world, who, status):
    meeting = world["restricted"]
    audit.record_read(acting_user=world["member"], instance=meeting, reason="Consultation")
    client.force_login(world[who])
    assert history(client, meeting).status_code == status
    page = client.get(meeting.get_absolute_url())
    if status == 404:
        assert page.status_code == 404
    else:
        link = reverse("governance:meeting_history", args=[meeting.pk])
        assert (f'href="{link}"' in page.content.decode()) is (status == 200)


def test_meeting_history_queries_are_bounded(
    client, world, make_user, django_assert_max_num_queries
):
    meeting = world["restricted"]
    prefect = world["prefect"]
    for i in range(40):
        services.create_decision(acting_user=prefect, meeting=meeting, data={"text": f"D {i}"})
        reader = make_user("partner", world["gers"])
        audit.record_read(acting_user=reader, instance=meeting, parent=meeting.body)
    client.force_login(prefect)
    with django_assert_max_num_queries(8):
        response = history(client, meeting)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 80
    # Newest first, 50 a page: reads and decisions alternate, so half of the page are reads.
    assert response.content.decode().count("Consultation par ") == 25
