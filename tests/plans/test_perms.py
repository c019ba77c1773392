"""Unit tests of every predicate of vigie/plans/perms.py and of the access helpers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.factories import ActionFactory, MeasureActorFactory, OrganisationFactory, UserFactory
from tests.plans.factories import two_departments
from vigie.plans import access, perms
from vigie.plans.enums import ActorRole, PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_departments()


@pytest.fixture
def users(world, make_user):
    gers = world.gers
    return {
        "anonymous": AnonymousUser(),
        "admin": make_user("admin", None),
        "prefecture": make_user("prefecture", gers.department),
        "pilot": make_user("pilot", gers.department, organisation=gers.pilot_org),
        "owner_pilot": make_user("pilot", gers.department, organisation=gers.owner_org),
        "coordinator": make_user("coordinator", gers.department),
        "partner": make_user("partner", gers.department, organisation=gers.partner_org),
        "reader": make_user("reader", gers.department),
        "lot_prefecture": make_user("prefecture", world.lot.department),
        "lot_pilot": make_user("pilot", world.lot.department, organisation=world.gers.pilot_org),
    }


def test_is_member(world, users):
    gers_id = world.gers.department.pk
    assert not perms.is_member(users["anonymous"], gers_id)
    assert perms.is_member(users["admin"], gers_id)
    assert perms.is_member(users["reader"], gers_id)
    assert not perms.is_member(users["lot_prefecture"], gers_id)


def test_is_member_refuses_inactive_users(world):
    user = UserFactory(role="prefecture", department=world.gers.department, is_active=False)
    assert not perms.is_member(user, world.gers.department.pk)


def test_visible_plans(world, users):
    gers, lot = world.gers, world.lot
    public = {gers.plan, lot.plan}
    assert set(perms.visible_plans(users["anonymous"])) == public
    assert set(perms.visible_plans(users["admin"])) == public | {gers.draft_plan, lot.draft_plan}
    assert set(perms.visible_plans(users["reader"])) == public | {gers.draft_plan}
    assert set(perms.visible_plans(users["lot_prefecture"])) == public | {lot.draft_plan}


def test_visible_plans_includes_closed_plans(world, users):
    world.gers.draft_plan.status = PlanStatus.CLOSED
    world.gers.draft_plan.save()
    assert world.gers.draft_plan in perms.visible_plans(users["anonymous"])


def test_can_view_plan(world, users):
    assert perms.can_view_plan(users["anonymous"], world.gers.plan)
    assert not perms.can_view_plan(users["anonymous"], world.gers.draft_plan)
    assert perms.can_view_plan(users["reader"], world.gers.draft_plan)
    assert not perms.can_view_plan(users["lot_prefecture"], world.gers.draft_plan)
    assert perms.can_view_plan(users["admin"], world.lot.draft_plan)


def test_can_view_private(world, users):
    gers_id = world.gers.department.pk
    assert not perms.can_view_private(users["anonymous"], gers_id)
    assert perms.can_view_private(users["reader"], gers_id)
    assert perms.can_view_private(users["admin"], gers_id)
    assert not perms.can_view_private(users["lot_prefecture"], gers_id)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", False),
        ("coordinator", False),
        ("partner", False),
        ("reader", False),
        ("lot_prefecture", False),
    ],
)
def test_can_edit_plan(world, users, role, expected):
    assert perms.can_edit_plan(users[role], world.gers.plan) is expected


def test_pilot_organisation_ids(world):
    measure = world.gers.measure
    assert perms.pilot_organisation_ids(measure) == {world.gers.pilot_org.pk}
    both = OrganisationFactory(department=world.gers.department)
    MeasureActorFactory(measure=measure, role=ActorRole.PILOT_OR_PARTNER, organisation=both)
    assert perms.pilot_organisation_ids(measure) == {world.gers.pilot_org.pk, both.pk}


def test_is_pilot_of(world, users):
    measure = world.gers.measure
    assert perms.is_pilot_of(users["pilot"], measure)
    assert not perms.is_pilot_of(users["pilot"], world.gers.other_measure)
    assert not perms.is_pilot_of(users["partner"], measure)
    assert not perms.is_pilot_of(users["anonymous"], measure)
    # Same organisation, but the account works in another department.
    assert not perms.is_pilot_of(users["lot_pilot"], measure)


def test_is_pilot_of_counts_pilot_or_partner_wording(world, make_user):
    measure = world.gers.other_measure
    org = OrganisationFactory(department=world.gers.department)
    MeasureActorFactory(measure=measure, role=ActorRole.PILOT_OR_PARTNER, organisation=org)
    assert perms.is_pilot_of(make_user("pilot", world.gers.department, organisation=org), measure)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", True),
        ("owner_pilot", False),
        ("coordinator", False),
        ("partner", False),
        ("reader", False),
        ("lot_prefecture", False),
        ("lot_pilot", False),
    ],
)
def test_can_edit_measure(world, users, role, expected):
    assert perms.can_edit_measure(users[role], world.gers.measure) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", True),
        ("owner_pilot", True),
        ("coordinator", False),
        ("partner", False),
        ("reader", False),
        ("lot_prefecture", False),
        ("lot_pilot", False),
    ],
)
def test_can_edit_action(world, users, role, expected):
    assert perms.can_edit_action(users[role], world.gers.action) is expected


def test_can_edit_action_owner_must_be_of_the_department(world, make_user):
    # An action of a Lot measure owned by the Gers organisation: a Gers pilot may not touch it.
    action = ActionFactory(measure=world.lot.measure, owner=world.gers.owner_org)
    gers_owner = make_user("pilot", world.gers.department, organisation=world.gers.owner_org)
    assert not perms.can_edit_action(gers_owner, action)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", True),
        ("owner_pilot", False),
        ("coordinator", False),
        ("reader", False),
        ("lot_prefecture", False),
    ],
)
def test_can_add_action(world, users, role, expected):
    assert perms.can_add_action(users[role], world.gers.measure) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", True),
        ("owner_pilot", False),
        ("coordinator", False),
        ("partner", False),
        ("reader", False),
        ("lot_prefecture", False),
    ],
)
def test_can_delete_action(world, users, role, expected):
    assert perms.can_delete_action(users[role], world.gers.action) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("admin", True),
        ("prefecture", True),
        ("pilot", True),
        ("coordinator", True),
        ("partner", True),
        ("reader", False),
        ("lot_prefecture", False),
    ],
)
def test_can_comment(world, users, role, expected):
    assert perms.can_comment(users[role], world.gers.measure) is expected


# --- access helpers: 404 when not visible, 403 when visible but not editable ---


def test_get_plan_for_user(world, users):
    assert access.get_plan_for_user(users["anonymous"], world.gers.plan.pk) == world.gers.plan
    with pytest.raises(Http404):
        access.get_plan_for_user(users["anonymous"], world.gers.draft_plan.pk)
    with pytest.raises(Http404):
        access.get_plan_for_user(users["lot_prefecture"], world.gers.plan.pk, for_edit=True)
    with pytest.raises(PermissionDenied):
        access.get_plan_for_user(users["reader"], world.gers.plan.pk, for_edit=True)
    assert access.get_plan_for_user(users["prefecture"], world.gers.draft_plan.pk, for_edit=True)
    with pytest.raises(Http404):
        access.get_plan_for_user(users["admin"], 999999)


def test_get_measure_for_user(world, users):
    assert (
        access.get_measure_for_user(users["anonymous"], world.gers.measure.pk) == world.gers.measure
    )
    with pytest.raises(Http404):
        access.get_measure_for_user(users["lot_prefecture"], world.gers.draft_measure.pk)
    with pytest.raises(Http404):
        access.get_measure_for_user(users["lot_prefecture"], world.gers.measure.pk, for_edit=True)
    with pytest.raises(PermissionDenied):
        access.get_measure_for_user(users["partner"], world.gers.measure.pk, for_edit=True)
    assert access.get_measure_for_user(users["pilot"], world.gers.measure.pk, for_edit=True)


def test_get_action_for_user(world, users):
    assert access.get_action_for_user(users["anonymous"], world.gers.action.pk) == world.gers.action
    with pytest.raises(Http404):
        access.get_action_for_user(users["anonymous"], world.gers.draft_action.pk)
    with pytest.raises(Http404):
        access.get_action_for_user(users["lot_pilot"], world.gers.action.pk, for_edit=True)
    with pytest.raises(PermissionDenied):
        access.get_action_for_user(users["reader"], world.gers.action.pk, for_edit=True)
    assert access.get_action_for_user(users["owner_pilot"], world.gers.action.pk, for_edit=True)


def test_get_action_for_delete(world, users):
    assert access.get_action_for_delete(users["pilot"], world.gers.action.pk) == world.gers.action
    with pytest.raises(PermissionDenied):
        access.get_action_for_delete(users["owner_pilot"], world.gers.action.pk)
    with pytest.raises(Http404):
        access.get_action_for_delete(users["lot_prefecture"], world.gers.action.pk)


def test_require_private(world, users):
    access.require_private(users["reader"], world.gers.department.pk)
    access.require_private(users["admin"], world.gers.department.pk)
    for role in ("anonymous", "lot_prefecture"):
        with pytest.raises(Http404):
            access.require_private(users[role], world.gers.department.pk)
