"""Writes: validation, audit entries in the same transaction, nothing half-written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    MeasureFactory,
    OrganisationFactory,
    PlanFactory,
)
from tests.governance.factories import (
    BodyFactory,
    ClspdFactory,
    DecisionFactory,
    MeetingFactory,
    SchemeRecordFactory,
)
from vigie.audit.models import AuditEntry
from vigie.governance import services
from vigie.governance.enums import BodyKind, FollowUpStatus, SchemeState
from vigie.governance.models import Body, Meeting, SchemeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers_department():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def prefect(make_user, gers_department):
    return make_user("prefecture", gers_department)


def entries_for(instance):
    return AuditEntry.objects.filter(
        object_id=str(instance.pk), content_type__model=instance._meta.model_name
    )


def test_create_body_is_audited(prefect, gers_department):
    commune = CommuneFactory(department=gers_department, name="Condom")
    body = services.create_body(
        acting_user=prefect,
        department=gers_department,
        data={"kind": BodyKind.CLSPD, "name": "CLSPD de Condom", "commune": commune},
    )
    [entry] = entries_for(body)
    assert entry.action == "create"
    assert entry.department == gers_department
    assert entry.changes["commune"]["new"] == str(commune)


def test_body_territory_must_be_in_the_department(prefect, gers_department):
    foreign = CommuneFactory(department=DepartmentFactory(code="46"))
    with pytest.raises(ValidationError) as error:
        services.create_body(
            acting_user=prefect,
            department=gers_department,
            data={"kind": BodyKind.CLSPD, "name": "CLSPD ailleurs", "commune": foreign},
        )
    assert "commune" in error.value.message_dict
    assert not Body.objects.exists()
    assert not AuditEntry.objects.exists()


def test_cispd_needs_an_epci_in_the_department(prefect, gers_department):
    with pytest.raises(ValidationError) as error:
        services.create_body(
            acting_user=prefect,
            department=gers_department,
            data={"kind": BodyKind.CISPD, "name": "CISPD", "epci": EpciFactory()},
        )
    assert "epci" in error.value.message_dict


def test_update_body_records_the_diff_even_when_a_form_changed_the_instance(
    prefect, gers_department
):
    body = BodyFactory(department=gers_department, president="Ancien")
    body.president = "Changé par le formulaire"  # what a ModelForm does before the service runs
    services.update_body(acting_user=prefect, body=body, data={"president": "Nouveau"})
    entry = entries_for(body).get(action="update")
    assert entry.changes["president"] == {"label": "présidence", "old": "Ancien", "new": "Nouveau"}


def test_a_working_group_cannot_hang_under_another_group(prefect, gers_department):
    council = BodyFactory(department=gers_department)
    group = BodyFactory(department=gers_department, kind=BodyKind.WORKING_GROUP, parent=council)
    with pytest.raises(ValidationError):
        services.create_body(
            acting_user=prefect,
            department=gers_department,
            data={"kind": BodyKind.WORKING_GROUP, "name": "Sous-groupe", "parent": group},
        )


def test_members(prefect, gers_department, make_user):
    body = BodyFactory(department=gers_department)
    organisation = OrganisationFactory(department=gers_department)
    member = services.add_body_member(
        acting_user=prefect, body=body, data={"organisation": organisation}
    )
    assert entries_for(member).get().parent_object_id == str(body.pk)
    with pytest.raises(ValidationError):
        services.add_body_member(
            acting_user=prefect,
            body=body,
            data={"organisation": OrganisationFactory(department=DepartmentFactory(code="46"))},
        )
    with pytest.raises(ValidationError):
        services.add_body_member(
            acting_user=prefect,
            body=body,
            data={"user": make_user("reader", DepartmentFactory(code="47"))},
        )
    services.remove_body_member(acting_user=prefect, member=member)
    assert not body.members.exists()
    assert AuditEntry.objects.filter(action="delete").count() == 1


def test_meeting_with_attendees_is_audited(prefect, gers_department):
    body = BodyFactory(department=gers_department)
    organisations = [
        OrganisationFactory(department=gers_department, name=n) for n in ("DDSP", "Gendarmerie")
    ]
    meeting = services.create_meeting(
        acting_user=prefect,
        body=body,
        data={"date": date(2024, 3, 1), "agenda": "Bilan"},
        attendees=organisations,
    )
    assert set(meeting.attendees.all()) == set(organisations)
    assert meeting.created_by == prefect
    entry = entries_for(meeting).get()
    assert "DDSP" in entry.changes["attendees"]["new"]
    services.update_meeting(
        acting_user=prefect,
        meeting=meeting,
        data={"minutes": "Compte rendu"},
        attendees=organisations[:1],
    )
    update = entries_for(meeting).get(action="update")
    assert set(update.changes) == {"minutes", "attendees"}


def test_an_invalid_meeting_writes_nothing(prefect, gers_department):
    body = BodyFactory(department=gers_department)
    with pytest.raises(ValidationError):
        services.create_meeting(acting_user=prefect, body=body, data={"date": None})
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.exists()


def test_decision_linked_to_a_measure_of_the_department(prefect, gers_department):
    meeting = MeetingFactory(body=BodyFactory(department=gers_department))
    measure = MeasureFactory(axis__plan=PlanFactory(department=gers_department), number="4.2")
    decision = services.create_decision(
        acting_user=prefect,
        meeting=meeting,
        data={
            "text": "Relancer le CLSPD",
            "measure": measure,
            "is_followed": True,
            "owner_label": "Mairie",
            "due_date": date(2024, 9, 1),
        },
    )
    assert decision.measure == measure
    assert decision.order == 1
    assert entries_for(decision).get().parent_object_id == str(meeting.pk)
    foreign = MeasureFactory(axis__plan=PlanFactory(department=DepartmentFactory(code="46")))
    with pytest.raises(ValidationError) as error:
        services.create_decision(
            acting_user=prefect, meeting=meeting, data={"text": "x", "measure": foreign}
        )
    assert "measure" in error.value.message_dict


def test_a_followed_decision_needs_an_owner(prefect, gers_department):
    meeting = MeetingFactory(body=BodyFactory(department=gers_department))
    with pytest.raises(ValidationError) as error:
        services.create_decision(
            acting_user=prefect, meeting=meeting, data={"text": "x", "is_followed": True}
        )
    assert "owner" in error.value.message_dict


def test_status_is_followed_until_closed(prefect, gers_department):
    decision = DecisionFactory(
        meeting=MeetingFactory(body=BodyFactory(department=gers_department)),
        is_followed=True,
        owner_label="SPIP",
    )
    services.change_decision_status(
        acting_user=prefect, decision=decision, status=FollowUpStatus.IN_PROGRESS, note="Lancé"
    )
    assert decision.closed_on is None
    services.change_decision_status(
        acting_user=prefect, decision=decision, status=FollowUpStatus.DONE
    )
    assert decision.closed_on is not None
    services.change_decision_status(
        acting_user=prefect, decision=decision, status=FollowUpStatus.OPEN
    )
    assert decision.closed_on is None
    assert entries_for(decision).filter(action="update").count() == 3
    with pytest.raises(ValidationError):
        services.change_decision_status(acting_user=prefect, decision=decision, status="bidon")


def test_set_scheme_record_creates_then_updates(prefect, gers_department):
    commune = CommuneFactory(department=gers_department)
    data = {"state": SchemeState.PROJECT, "as_of": date(2021, 6, 30), "source": "Plan"}
    record = services.set_scheme_record(
        acting_user=prefect, commune=commune, scheme="videoprotection", data=data
    )
    services.set_scheme_record(
        acting_user=prefect,
        commune=commune,
        scheme="videoprotection",
        data={**data, "state": SchemeState.IN_PLACE, "cameras": 12},
    )
    record.refresh_from_db()
    assert (record.state, record.cameras) == (SchemeState.IN_PLACE, 12)
    assert entries_for(record).count() == 2


def test_coverage_is_not_entered_by_hand(prefect, gers_department):
    with pytest.raises(ValidationError):
        services.set_scheme_record(
            acting_user=prefect,
            commune=CommuneFactory(department=gers_department),
            scheme="clspd",
            data={"state": SchemeState.IN_PLACE, "as_of": date(2021, 1, 1)},
        )


def test_resolving_an_ambiguous_spelling_to_two_communes(prefect, gers_department):
    samatan = CommuneFactory(department=gers_department, name="Samatan")
    panassac = CommuneFactory(department=gers_department, name="Panassac")
    pending = services.add_unresolved_scheme_record(
        acting_user=prefect,
        department=gers_department,
        scheme="videoprotection",
        source_label="SAMATAN PANASSAC",
        candidates=[samatan.code, panassac.code],
        data={"state": SchemeState.DIAGNOSIS, "as_of": date(2021, 6, 30), "source": "Plan"},
    )
    created = services.resolve_scheme_record(
        acting_user=prefect, record=pending, communes=[samatan, panassac]
    )
    assert {r.commune for r in created} == {samatan, panassac}
    assert all(r.state == SchemeState.DIAGNOSIS and "SAMATAN PANASSAC" in r.note for r in created)
    assert not SchemeRecord.objects.filter(commune__isnull=True).exists()
    assert AuditEntry.objects.filter(action="delete", reason__contains="Samatan").exists()


def test_resolving_onto_a_commune_that_already_has_a_state_fails_whole(prefect, gers_department):
    samatan = CommuneFactory(department=gers_department, name="Samatan")
    panassac = CommuneFactory(department=gers_department, name="Panassac")
    SchemeRecordFactory(commune=panassac)
    pending = services.add_unresolved_scheme_record(
        acting_user=prefect,
        department=gers_department,
        scheme="videoprotection",
        source_label="SAMATAN PANASSAC",
        candidates=[],
        data={"state": SchemeState.DIAGNOSIS, "as_of": date(2021, 6, 30)},
    )
    with pytest.raises(ValidationError):
        services.resolve_scheme_record(
            acting_user=prefect, record=pending, communes=[samatan, panassac]
        )
    assert SchemeRecord.objects.filter(commune=samatan).count() == 0
    assert SchemeRecord.objects.filter(pk=pending.pk).exists()


def test_targets(prefect, gers_department):
    target = services.set_scheme_target(
        acting_user=prefect,
        department=gers_department,
        scheme="videoprotection",
        data={"min_population": 3000, "level": "engagee"},
    )
    services.set_scheme_target(
        acting_user=prefect,
        department=gers_department,
        scheme="videoprotection",
        data={"min_population": 5000, "level": "engagee"},
    )
    target.refresh_from_db()
    assert target.min_population == 5000
    pk = target.pk
    services.delete_scheme_target(acting_user=prefect, target=target)
    assert (
        AuditEntry.objects.filter(object_id=str(pk), content_type__model="schemetarget").count()
        == 3
    )


def test_clspd_factory_builds_a_valid_body(gers_department):
    body = ClspdFactory(department=gers_department)
    body.full_clean()
