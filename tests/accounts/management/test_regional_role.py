"""The regional prefecture's role: granted by a national administrator only, tied to a region, no department."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import RegionFactory
from vigie.accounts import perms, services
from vigie.accounts.enums import Role
from vigie.accounts.roles import RoleAssignment
from vigie.audit.models import AuditEntry


@pytest.fixture
def occitanie(gers):
    return gers.region


def test_only_a_national_administrator_grants_the_regional_role(make_user, gers):
    assert perms.can_grant_role(make_user("admin"), Role.REGIONAL)
    assert not perms.can_grant_role(make_user("prefecture", gers), Role.REGIONAL)


def test_a_regional_role_needs_a_region_and_drops_the_department(gers, occitanie):
    assert RoleAssignment.build(Role.REGIONAL).errors() == {
        "region": "Une préfecture de région suit les départements de sa région : choisissez-la."
    }
    assignment = RoleAssignment.build(Role.REGIONAL, department=gers, region=occitanie)
    assert (assignment.department, assignment.region) == (None, occitanie)
    assert assignment.errors() == {}
    # Other roles never keep a region.
    assert RoleAssignment.build(Role.READER, department=gers, region=occitanie).region is None


def test_the_national_administrator_makes_a_regional_prefecture(national, pilot, occitanie):
    assignment = RoleAssignment.build(Role.REGIONAL, region=occitanie)
    assert services.change_account_role(pilot, acting_user=national, assignment=assignment)
    pilot.refresh_from_db()
    assert (pilot.role, pilot.region, pilot.department, pilot.organisation) == (
        Role.REGIONAL,
        occitanie,
        None,
        None,
    )
    assert (
        pilot.is_regional
        and not pilot.belongs_to(occitanie.departments.first().pk)
        and not pilot.is_national_admin
    )
    entry = AuditEntry.objects.filter(object_id=str(pilot.pk)).latest("pk")
    assert "region" in entry.changes
    # And back to a department role: the region goes.
    back = RoleAssignment.build(Role.READER, department=occitanie.departments.first())
    services.change_account_role(pilot, acting_user=national, assignment=back)
    pilot.refresh_from_db()
    assert (pilot.role, pilot.region) == (Role.READER, None)


def test_a_prefecture_agent_cannot_make_a_regional_prefecture(agent, pilot, occitanie):
    assignment = RoleAssignment.build(Role.REGIONAL, region=occitanie)
    with pytest.raises(PermissionDenied):
        services.change_account_role(pilot, acting_user=agent, assignment=assignment)
    with pytest.raises(ValidationError):
        services.change_account_role(
            pilot, acting_user=agent, assignment=RoleAssignment.build(Role.REGIONAL)
        )
    pilot.refresh_from_db()
    assert pilot.role == Role.PILOT


def test_the_database_refuses_an_inconsistent_regional_account(pilot, gers, occitanie):
    pilot.role = Role.REGIONAL
    with transaction.atomic(), pytest.raises(IntegrityError):
        pilot.save()  # a department, no region
    pilot.refresh_from_db()
    pilot.region = occitanie
    with transaction.atomic(), pytest.raises(IntegrityError):
        pilot.save()  # a reader with a region


def test_the_role_page_grants_the_regional_role(client, national, pilot, occitanie):
    client.force_login(national)
    url = reverse("accounts:account_role", args=[pilot.pk])
    page = client.get(url).content.decode()
    assert "Préfecture de région" in page and "Région (préfecture de région)" in page
    response = client.post(url, {"role": "regional"})
    assert (
        "Une préfecture de région suit les départements de sa région" in response.content.decode()
    )
    response = client.post(url, {"role": "regional", "region": occitanie.pk})
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.role, pilot.region) == (Role.REGIONAL, occitanie)
    detail = client.get(reverse("accounts:account_detail", args=[pilot.pk])).content.decode()
    assert "Région Occitanie" in detail


def test_a_prefecture_agent_is_not_offered_the_regional_role(client, agent, pilot):
    client.force_login(agent)
    page = client.get(reverse("accounts:account_role", args=[pilot.pk])).content.decode()
    assert "Préfecture de région" not in page and 'name="region"' not in page
    response = client.post(
        reverse("accounts:account_role", args=[pilot.pk]),
        {"role": "regional", "region": RegionFactory().pk},
    )
    assert response.status_code == 200
    pilot.refresh_from_db()
    assert pilot.role == Role.PILOT
