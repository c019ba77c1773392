"""Fixtures of the two-factor tests: the Gers and the Lot, accounts of several roles, the rule switched on."""

import pytest

from tests.accounts.two_factor.helpers import enrol
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from vigie.accounts.enums import Role


@pytest.fixture(autouse=True)
def required(settings):
    """These tests run with the production rule: VIGIE_TWO_FACTOR_REQUIRED on."""
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    return settings


@pytest.fixture
def gers(db):
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def lot(db):
    return DepartmentFactory(code="46", name="Lot")


@pytest.fixture
def agent(gers):
    """A prefecture agent of the Gers: second factor required, and manager of the Gers accounts."""
    return UserFactory(
        username="nadia",
        first_name="Nadia",
        last_name="Vayssié",
        role=Role.PREFECTURE,
        department=gers,
    )


@pytest.fixture
def pilot(gers):
    """A pilot of the Gers: second factor optional."""
    dsden = OrganisationFactory(department=gers, name="DSDEN du Gers", acronym="DSDEN")
    return UserFactory(
        username="julien",
        first_name="Julien",
        last_name="Lafitte",
        role=Role.PILOT,
        department=gers,
        organisation=dsden,
    )


@pytest.fixture
def enrolled_pilot(pilot):
    """The pilot with a confirmed TOTP application (its key on `.totp_key`) and backup codes (`.backup_codes`)."""
    pilot.totp_key, pilot.backup_codes = enrol(pilot)
    return pilot


@pytest.fixture
def enrolled_agent(agent):
    agent.totp_key, agent.backup_codes = enrol(agent)
    return agent
