"""Groups, members and the confidentiality charter: set-up, versions, acceptance, end of membership."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tests.casework.factories import make_group, make_member, sign_in
from tests.factories import UserFactory
from tests.governance.factories import BodyFactory
from vigie.accounts.enums import Role
from vigie.audit.models import AuditEntry
from vigie.casework import access, services
from vigie.casework.charter import MODEL_CHARTER
from vigie.casework.enums import GroupKind, MemberRole
from vigie.casework.models import CharterAcceptance, GroupMember
from vigie.governance.enums import BodyKind

pytestmark = pytest.mark.django_db


def test_a_new_group_starts_with_the_model_charter_and_is_audited():
    group, _ = make_group()
    charter = group.current_charter()
    assert charter.number == 1
    assert charter.text == MODEL_CHARTER.strip()
    assert "L132-5" in charter.text and "L121-6-2" in charter.text
    assert AuditEntry.objects.filter(object_id=str(group.pk)).exists()


def test_only_the_prefecture_or_an_administrator_sets_a_group_up():
    group, agent = make_group()
    pilot = UserFactory(role=Role.PILOT, department=group.department)
    with pytest.raises(PermissionDenied):
        services.create_group(
            acting_user=pilot,
            department=group.department,
            body=group.body,
            kind=GroupKind.COUNCIL_GROUP,
            data={"name": "x", "controller": agent, "controller_title": "Maire"},
        )


def test_a_victims_cell_must_depend_on_the_iscg_cell():
    group, agent = make_group()
    with pytest.raises(ValidationError) as error:
        services.create_group(
            acting_user=agent,
            department=group.department,
            body=group.body,
            kind=GroupKind.VICTIMS_CELL,
            data={"name": "Cellule", "controller": agent, "controller_title": "Préfet du Gers"},
        )
    assert "cellule de l'ISCG" in error.value.message_dict["body"][0]
    cell = BodyFactory(department=group.department, kind=BodyKind.ISCG_CELL, name="Cellule ISCG")
    created = services.create_group(
        acting_user=agent,
        department=group.department,
        body=cell,
        kind=GroupKind.VICTIMS_CELL,
        data={"name": "Cellule", "controller": agent, "controller_title": "Préfet du Gers"},
    )
    assert created.body == cell


def test_retention_period_is_bounded():
    group, agent = make_group()
    with pytest.raises(ValidationError) as error:
        services.create_group(
            acting_user=agent,
            department=group.department,
            body=group.body,
            kind=GroupKind.COUNCIL_GROUP,
            data={
                "name": "x",
                "controller": agent,
                "controller_title": "Maire",
                "log_retention_months": 24,
            },
        )
    assert "log_retention_months" in error.value.message_dict


def test_a_member_sees_nothing_until_they_accept_the_current_charter():
    group, _ = make_group()
    member = make_member(group, accept=False)
    with pytest.raises(access.CharterNotAccepted):
        access.get_group_for_user(member.user, group.pk)
    # The charter page itself is reachable.
    assert access.get_group_for_user(member.user, group.pk, for_charter=True)[1] == member
    acceptance = services.accept_charter(
        acting_user=member.user, group=group, version=group.current_charter()
    )
    assert acceptance.version.number == 1 and acceptance.user == member.user
    assert acceptance.accepted_at is not None
    assert access.get_group_for_user(member.user, group.pk)[1] == member


def test_a_new_version_blocks_everyone_until_they_accept_it_again():
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    version = services.publish_charter(
        acting_user=coordinator.user,
        group=group,
        manager=coordinator,
        text=MODEL_CHARTER + "\n7. Ajout",
    )
    assert version.number == 2
    for member in (coordinator, referent):
        with pytest.raises(access.CharterNotAccepted):
            access.get_group_for_user(member.user, group.pk)
    # An old version cannot be accepted any more.
    with pytest.raises(ValidationError):
        services.accept_charter(
            acting_user=referent.user, group=group, version=group.charter_versions.get(number=1)
        )
    services.accept_charter(acting_user=referent.user, group=group, version=version)
    assert access.get_group_for_user(referent.user, group.pk)[1] == referent
    assert CharterAcceptance.objects.filter(user=referent.user).count() == 2


def test_only_the_coordinator_publishes_a_charter():
    group, _ = make_group()
    referent = make_member(group)
    with pytest.raises(PermissionDenied):
        services.publish_charter(
            acting_user=referent.user, group=group, manager=referent, text="Autre"
        )


def test_a_non_member_cannot_accept_a_charter():
    group, _ = make_group()
    outsider = UserFactory(role=Role.COORDINATOR, department=group.department)
    with pytest.raises(PermissionDenied):
        services.accept_charter(acting_user=outsider, group=group, version=group.current_charter())


def test_ending_a_membership_cuts_access_and_ends_the_sessions(client):
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    referent = make_member(group)
    sign_in(client, referent.user)
    assert client.get(f"/suivi-individualise/groupes/{group.pk}/").status_code == 200
    ended = services.end_membership(
        acting_user=coordinator.user, member=referent, manager=coordinator
    )
    assert ended == 1
    referent.refresh_from_db()
    assert referent.end_date == timezone.localdate()
    with pytest.raises(Http404):
        access.get_group_for_user(referent.user, group.pk)
    assert not access.is_current_member(referent.user)
    # The session is gone: the next request is anonymous (sent to the sign-in page).
    response = client.get(f"/suivi-individualise/groupes/{group.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(referent.user.pk)
        for s in Session.objects.all()
    )


def test_a_future_membership_gives_no_access_yet():
    group, _ = make_group()
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    member = make_member(group, accept=False, start_date=tomorrow)
    assert not access.is_current_member(member.user)
    with pytest.raises(Http404):
        access.get_group_for_user(member.user, group.pk)


def test_a_person_is_member_once_at_a_time():
    group, agent = make_group()
    member = make_member(group)
    with pytest.raises(ValidationError):
        services.add_member(
            acting_user=agent, group=group, manager=None, user=member.user, role=MemberRole.OTHER
        )
    assert GroupMember.objects.filter(user=member.user).count() == 1


def test_the_rules_document_is_checked_and_kept_private():
    group, _ = make_group()
    coordinator = make_member(group, role=MemberRole.COORDINATOR)
    fake = SimpleUploadedFile("reglement.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.set_rules_document(
            acting_user=coordinator.user, group=group, member=coordinator, upload=fake
        )
    assert "rules_file" in error.value.message_dict
    pdf = SimpleUploadedFile(
        "Règlement intérieur.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    services.set_rules_document(
        acting_user=coordinator.user, group=group, member=coordinator, upload=pdf
    )
    group.refresh_from_db()
    assert group.rules_original_name == "Règlement intérieur.pdf"
    assert (
        group.rules_file.name.startswith("casework/rules/")
        and "glement" not in group.rules_file.name
    )
