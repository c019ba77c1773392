"""The permission predicates, one by one."""

import pytest

from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory, OrganisationFactory
from tests.governance.factories import (
    BodyFactory,
    BodyMemberFactory,
    ClspdFactory,
    DecisionFactory,
    MeetingFactory,
)
from vigie.governance import perms
from vigie.governance.enums import BodyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def other():
    return DepartmentFactory(code="46", name="Lot")


@pytest.fixture
def clspd(department):
    return ClspdFactory(
        department=department, commune=CommuneFactory(department=department, name="Condom")
    )


@pytest.mark.parametrize(
    ("role", "same", "expected"),
    [
        ("anonymous", True, False),
        ("admin", False, True),
        ("prefecture", True, True),
        ("prefecture", False, False),
        ("pilot", True, True),
        ("coordinator", True, True),
        ("partner", True, True),
        ("reader", True, True),
        ("reader", False, False),
    ],
)
def test_can_view_governance(make_user, department, other, role, same, expected):
    user = make_user(role, department if same else other)
    assert perms.can_view_governance(user, department.pk) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", True),
        ("prefecture", True),
        ("pilot", False),
        ("coordinator", False),
        ("partner", False),
        ("reader", False),
    ],
)
def test_can_manage_department(make_user, department, role, expected):
    assert perms.can_manage_department(make_user(role, department), department.pk) is expected


def test_prefecture_of_another_department_manages_nothing(make_user, department, other, clspd):
    user = make_user("prefecture", other)
    assert not perms.can_manage_department(user, department.pk)
    assert not perms.can_manage_meetings(user, clspd)
    assert not perms.can_edit_body(user, clspd)


def test_coordinator_manages_the_council_of_its_commune_only(make_user, department, clspd):
    own = make_user("coordinator", department, commune=clspd.commune)
    elsewhere = make_user("coordinator", department, commune=CommuneFactory(department=department))
    assert perms.is_coordinator_of(own, clspd)
    assert perms.can_manage_meetings(own, clspd)
    assert perms.can_manage_members(own, clspd)
    assert not perms.can_edit_body(own, clspd)
    assert not perms.can_manage_meetings(elsewhere, clspd)


def test_coordinator_of_an_epci_manages_its_cispd_and_its_groups(make_user, department):
    epci = EpciFactory()
    cispd = BodyFactory(department=department, kind=BodyKind.CISPD, epci=epci)
    group = BodyFactory(department=department, kind=BodyKind.WORKING_GROUP, parent=cispd)
    coordinator = make_user("coordinator", department, epci=epci)
    assert perms.can_manage_meetings(coordinator, cispd)
    assert perms.can_manage_meetings(coordinator, group)
    assert not perms.can_manage_meetings(coordinator, BodyFactory(department=department))


def test_coordinator_of_another_department_does_not_manage(make_user, department, other, clspd):
    coordinator = make_user("coordinator", other, commune=clspd.commune)
    assert not perms.can_manage_meetings(coordinator, clspd)


def test_other_roles_do_not_manage_meetings(make_user, department, clspd):
    for role in ("pilot", "partner", "reader"):
        assert not perms.can_manage_meetings(make_user(role, department), clspd)


def test_restricted_minutes_are_for_members_managers_and_prefecture(make_user, department, clspd):
    organisation = OrganisationFactory(department=department)
    meeting = MeetingFactory(body=clspd, is_restricted=True)
    member_in_person = make_user("partner", department)
    member_through_organisation = make_user("pilot", department, organisation=organisation)
    BodyMemberFactory(body=clspd, user=member_in_person)
    BodyMemberFactory(body=clspd, organisation=organisation)
    assert perms.can_view_minutes(member_in_person, meeting)
    assert perms.can_view_minutes(member_through_organisation, meeting)
    assert perms.can_view_minutes(make_user("prefecture", department), meeting)
    assert perms.can_view_minutes(make_user("admin"), meeting)
    assert perms.can_view_minutes(
        make_user("coordinator", department, commune=clspd.commune), meeting
    )
    assert not perms.can_view_minutes(make_user("reader", department), meeting)
    assert not perms.can_view_minutes(
        make_user("pilot", department, organisation=OrganisationFactory()), meeting
    )


def test_open_minutes_are_for_the_whole_department(make_user, department, other, clspd):
    meeting = MeetingFactory(body=clspd, is_restricted=False)
    assert perms.can_view_minutes(make_user("reader", department), meeting)
    assert not perms.can_view_minutes(make_user("reader", other), meeting)


def test_meeting_history_is_for_the_managers_of_the_body_only(make_user, department, other, clspd):
    """Who read restricted minutes is need-to-know: members read the minutes, not the log of reads."""
    meeting = MeetingFactory(body=clspd, is_restricted=True)
    member = make_user("partner", department)
    BodyMemberFactory(body=clspd, user=member)
    assert perms.can_view_meeting_history(make_user("prefecture", department), meeting)
    assert perms.can_view_meeting_history(make_user("admin"), meeting)
    assert perms.can_view_meeting_history(
        make_user("coordinator", department, commune=clspd.commune), meeting
    )
    assert perms.can_view_minutes(member, meeting)
    assert not perms.can_view_meeting_history(member, meeting)
    assert not perms.can_view_meeting_history(make_user("reader", department), meeting)
    assert not perms.can_view_meeting_history(make_user("prefecture", other), meeting)
    assert not perms.can_view_meeting_history(
        make_user("coordinator", department, commune=CommuneFactory(department=department)),
        meeting,
    )


def test_membership_of_a_person_for_an_organisation_is_personal(make_user, department, clspd):
    """A row naming a person and their organisation grants the person, not their colleagues."""
    organisation = OrganisationFactory(department=department)
    person = make_user("partner", department, organisation=organisation)
    colleague = make_user("partner", department, organisation=organisation)
    BodyMemberFactory(body=clspd, user=person, organisation=organisation)
    assert perms.is_listed_member(person, clspd)
    assert not perms.is_listed_member(colleague, clspd)


def test_owner_organisation_updates_the_status_of_its_follow_up(make_user, department, clspd):
    owner = OrganisationFactory(department=department)
    decision = DecisionFactory(meeting=MeetingFactory(body=clspd), is_followed=True, owner=owner)
    assert perms.can_update_decision_status(
        make_user("pilot", department, organisation=owner), decision
    )
    assert not perms.can_update_decision_status(
        make_user("pilot", department, organisation=OrganisationFactory()), decision
    )
    assert not perms.can_update_decision_status(make_user("reader", department), decision)
    assert perms.can_update_decision_status(
        make_user("coordinator", department, commune=clspd.commune), decision
    )


def test_owner_of_a_restricted_decision_must_be_able_to_read_it(make_user, department, clspd):
    owner = OrganisationFactory(department=department)
    decision = DecisionFactory(
        meeting=MeetingFactory(body=clspd, is_restricted=True), is_followed=True, owner=owner
    )
    user = make_user("pilot", department, organisation=owner)
    assert not perms.can_update_decision_status(user, decision)
    BodyMemberFactory(body=clspd, organisation=owner)
    assert perms.can_update_decision_status(user, decision)
