"""Fixtures of the account management tests: two departments, their account managers, accounts to manage."""

import pytest

from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from vigie.accounts.enums import Role


@pytest.fixture
def gers(db):
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def lot(db):
    return DepartmentFactory(code="46", name="Lot")


@pytest.fixture
def dsden(gers):
    return OrganisationFactory(
        department=gers, name="Direction des services de l'éducation", acronym="DSDEN"
    )


@pytest.fixture
def agent(gers):
    """The prefecture agent who manages the Gers accounts."""
    return UserFactory(
        username="nadia",
        first_name="Nadia",
        last_name="Vayssié",
        role=Role.PREFECTURE,
        department=gers,
    )


@pytest.fixture
def national(db):
    return UserFactory(
        username="alex",
        first_name="Alex",
        last_name="Administrateur",
        role=Role.ADMIN,
        department=None,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def pilot(gers, dsden):
    return UserFactory(
        username="julien",
        first_name="Julien",
        last_name="Lafitte",
        role=Role.PILOT,
        department=gers,
        organisation=dsden,
    )
