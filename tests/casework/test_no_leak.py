"""Property: over random memberships (group, role, charter accepted or not, membership ended or not), a person
reaches a case exactly when they are a current member of its group who accepted the current charter; and a secret
entry exactly when, besides, they are its group's coordinator or a social-work professional assigned to it."""

import datetime

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casework.factories import make_case, make_group, make_member
from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.casework import access, case_services
from vigie.casework.enums import Level, MemberRole
from vigie.casework.models import GroupMember

membership = st.tuples(
    st.sampled_from([0, 1, None]),  # group index, or no membership
    st.sampled_from(list(MemberRole)),
    st.booleans(),  # accepted the charter
    st.booleans(),  # membership ended
    st.booleans(),  # assigned to the case of that group
)


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(membership, min_size=1, max_size=5))
def test_no_case_or_secret_entry_leaks(people):
    # Each example in its own savepoint, rolled back: examples share the test's database.
    with transaction.atomic():
        _check(people)
        transaction.set_rollback(True)


def _check(people):
    department = DepartmentFactory()
    groups = [
        make_group(department=department, name=f"Groupe {i}", commune_name=f"Commune {i}")[0]
        for i in range(2)
    ]
    coordinators = [make_member(g, role=MemberRole.COORDINATOR) for g in groups]
    social = [make_member(g, role=MemberRole.SOCIAL_WORKER) for g in groups]
    cases = [make_case(coordinators[i], assigned=[social[i]]) for i in range(2)]
    secrets = [
        case_services.add_entry(
            acting_user=social[i].user,
            member=social[i],
            case=cases[i],
            data={"date": datetime.date(2026, 3, 1), "level": Level.SECRET, "situation": "secret"},
        )
        for i in range(2)
    ]
    for index, role, accepted, ended, assigned in people:
        user = UserFactory(role=Role.COORDINATOR, department=department)
        member = None
        if index is not None:
            member = make_member(groups[index], role=role, accept=accepted, user=user)
            if ended:
                GroupMember.objects.filter(pk=member.pk).update(end_date=timezone.localdate())
            if assigned:
                cases[index].assigned.add(member)
        for i, case in enumerate(cases):
            allowed = member is not None and index == i and accepted and not ended
            try:
                _, seen_as = access.get_case_for_user(user, case.public_id)
            except (Http404, access.CharterNotAccepted):
                assert not allowed
                continue
            assert allowed
            reads_secret = role == MemberRole.COORDINATOR or (
                role == MemberRole.SOCIAL_WORKER and assigned
            )
            assert (secrets[i] in access.visible_entries(seen_as, case)) == reads_secret
