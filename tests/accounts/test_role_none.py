"""An account without a role (first ProConnect sign-in, or a role removed) sees public pages only."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role


@pytest.fixture
def gers(db):
    return DepartmentFactory(code="32", name="Gers")


def test_an_account_without_role_belongs_to_no_department(gers):
    user = UserFactory(role=Role.NONE, department=None)
    assert not user.belongs_to(gers.pk)
    assert not user.is_national_admin


def test_an_account_without_role_cannot_carry_a_department(gers):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.NONE, department=gers)
