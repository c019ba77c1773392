"""Every current member of a nominative group must give a second factor (a rule casework registers in accounts)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.casework.factories import make_group, make_member
from vigie.accounts import two_factor
from vigie.accounts.two_factor import ACR_SESSION_KEY, AUTH_METHOD_SESSION_KEY, PROCONNECT
from vigie.casework import services
from vigie.casework.models import GroupMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rule_off(settings):
    """The general rule (administrators, prefecture) is off: only membership requires the second factor here."""
    settings.VIGIE_TWO_FACTOR_REQUIRED = False


def test_a_member_must_give_a_second_factor_and_cannot_disable_it():
    group, _ = make_group()
    member = make_member(group, accept=False)
    assert two_factor.policy_requires_second_factor(member.user, {})
    assert two_factor.second_factor_required(member.user, {})
    assert not two_factor.may_disable(member.user, {})


def test_the_same_person_outside_any_group_is_not_required_to():
    group, _ = make_group()
    member = make_member(group)
    coordinator = make_member(group, role="coordinateur")
    services.end_membership(acting_user=coordinator.user, member=member, manager=coordinator)
    assert not two_factor.policy_requires_second_factor(member.user, {})


def test_proconnect_with_a_second_factor_at_the_provider_satisfies_the_rule():
    group, _ = make_group()
    member = make_member(group)
    with_mfa = {AUTH_METHOD_SESSION_KEY: PROCONNECT, ACR_SESSION_KEY: "eidas2"}
    without = {AUTH_METHOD_SESSION_KEY: PROCONNECT, ACR_SESSION_KEY: "eidas1"}
    assert not two_factor.policy_requires_second_factor(member.user, with_mfa)
    assert two_factor.policy_requires_second_factor(member.user, without)


def test_the_gate_sends_a_member_without_second_factor_to_enrolment(client):
    group, _ = make_group()
    member = make_member(group)
    client.force_login(member.user)
    response = client.get(f"/suivi-individualise/groupes/{group.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_a_new_member_is_stopped_by_the_group_pages_even_before_the_gate_notices(client):
    """The gate keeps the rule's answer for a minute; the group's pages check it again."""
    group, _ = make_group()
    outsider_now = make_member(
        group, accept=False, start_date=timezone.localdate() + timedelta(days=1)
    )
    client.force_login(outsider_now.user)  # not a member yet: the gate remembers "no rule"
    GroupMember.objects.filter(pk=outsider_now.pk).update(start_date=timezone.localdate())
    services.accept_charter(
        acting_user=outsider_now.user, group=group, version=group.current_charter()
    )
    response = client.get(f"/suivi-individualise/groupes/{group.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
