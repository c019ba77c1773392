"""The entry scope, predicate by predicate."""

import pytest

from vigie.indicators.perms import (
    EntryScope,
    can_collect,
    can_have_api_token,
    can_validate,
    coordinator_keys,
)
from vigie.indicators.territory import Directory


@pytest.fixture
def directory(world):
    return Directory.load(world.gers)


def territory(directory, code):
    return directory.by_code(code)


def test_prefecture_enters_everything_of_its_department(world, directory):
    scope = EntryScope(world.users.prefecture, world.plan)
    assert scope.allows(world.dept_indicator, territory(directory, "32"))
    assert scope.allows(world.commune_indicator, territory(directory, "32107"))
    assert scope.allows(world.epci_indicator, territory(directory, "243200409"))
    assert not scope.allows(world.commune_indicator, territory(directory, "32"))  # wrong level
    assert scope.is_validator


def test_pilot_enters_the_indicators_of_the_measures_its_organisation_pilots(world, directory):
    scope = EntryScope(world.users.pilot, world.plan)
    assert scope.allows(world.dept_indicator, territory(directory, "32"))
    assert scope.allows(world.commune_indicator, territory(directory, "32107"))
    assert not scope.allows_indicator(world.epci_indicator)  # measure 1.2 is piloted by the PJJ
    assert not scope.is_validator
    world.epci_indicator.responsible_organisation = world.ddsp
    assert scope.allows_indicator(world.epci_indicator)


def test_cispd_coordinator_scope_is_its_epci_and_its_communes(world, directory):
    scope = EntryScope(world.users.coordinator, world.plan)
    assert coordinator_keys(world.users.coordinator, world.gers) == {
        "E200066926",
        "C32013",
        "C32307",
    }
    assert scope.allows(world.commune_indicator, territory(directory, "32013"))
    assert scope.allows(world.epci_indicator, territory(directory, "200066926"))
    assert not scope.allows(
        world.commune_indicator, territory(directory, "32107")
    )  # Condom: other EPCI
    assert not scope.allows(world.epci_indicator, territory(directory, "243200409"))
    assert not scope.allows_indicator(world.dept_indicator)  # department level


def test_clspd_coordinator_scope_is_its_commune(world, directory):
    scope = EntryScope(world.users.clspd, world.plan)
    assert scope.allows(world.commune_indicator, territory(directory, "32107"))
    assert not scope.allows(world.commune_indicator, territory(directory, "32013"))
    assert not scope.allows(world.epci_indicator, territory(directory, "243200409"))


@pytest.mark.parametrize("name", ["partner", "reader", "lot_prefecture", "lot_coordinator"])
def test_others_enter_nothing(world, directory, name):
    user = getattr(world.users, name)
    scope = EntryScope(user, world.plan)
    assert not scope.active
    assert not scope.allows(world.commune_indicator, territory(directory, "32013"))
    assert not can_collect(user, world.plan)
    assert not can_validate(user, world.plan)


def test_computed_indicators_are_never_entered(world, directory):
    world.dept_indicator.is_computed = True
    assert not EntryScope(world.users.prefecture, world.plan).allows_indicator(world.dept_indicator)


def test_api_token_is_for_roles_that_enter(world):
    assert can_have_api_token(world.users.coordinator)
    assert can_have_api_token(world.users.pilot)
    assert not can_have_api_token(world.users.reader)
    assert not can_have_api_token(world.users.partner)
