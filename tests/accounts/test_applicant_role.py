"""The project applicant role: granted by the department's account managers, always for an organisation."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DepartmentFactory, OrganisationFactory
from vigie.accounts import perms
from vigie.accounts.enums import Role
from vigie.accounts.roles import DEPARTMENT_ROLES, RoleAssignment, attachment_label
from vigie.accounts.services import invite_account

pytestmark = pytest.mark.django_db


def test_a_department_manager_grants_the_applicant_role(make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    association = OrganisationFactory(department=gers, name="Trait d'Union", acronym="")
    agent = make_user("prefecture", gers)
    assert Role.APPLICANT in DEPARTMENT_ROLES and perms.can_grant_role(agent, Role.APPLICANT)
    account = invite_account(
        acting_user=agent,
        email="porteur@example.org",
        first_name="Lucie",
        last_name="Sarrade",
        assignment=RoleAssignment.build(Role.APPLICANT, gers, organisation=association),
    )
    assert (account.role, account.organisation, account.department) == (
        Role.APPLICANT,
        association,
        gers,
    )
    assert account.get_role_display() == "Porteur de projet"
    assert attachment_label(account) == "Trait d'Union"
    assert not account.belongs_to(gers.pk)


def test_an_applicant_always_acts_for_an_organisation_of_its_department(make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    agent = make_user("prefecture", gers)
    with pytest.raises(ValidationError) as refused:
        invite_account(
            acting_user=agent,
            email="porteur@example.org",
            first_name="Lucie",
            last_name="Sarrade",
            assignment=RoleAssignment.build(Role.APPLICANT, gers),
        )
    assert "porteur de projet" in refused.value.message_dict["organisation"][0]
    lot_association = OrganisationFactory(department=DepartmentFactory(code="46", name="Lot"))
    errors = RoleAssignment.build(Role.APPLICANT, gers, organisation=lot_association).errors()
    assert errors == {
        "organisation": "Cette organisation n'est pas une organisation du département."
    }
