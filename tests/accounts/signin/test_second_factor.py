"""The contract with two-factor (vigie.accounts.two_factor): a ProConnect sign-in whose `acr` has no second factor
is asked for a TOTP code; one with a second factor at ProConnect is not."""

import pytest

from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(settings):
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    gers = DepartmentFactory(code="32", name="Gers")
    return UserFactory(
        username="cdupuy", email="claire.dupuy@gers.gouv.fr", role=Role.READER, department=gers
    )


@pytest.mark.parametrize("acr", ["eidas1", ""])
def test_sign_in_without_a_second_factor_at_proconnect_is_asked_for_one(
    client, proconnect, agent, acr
):
    proconnect.acr = acr
    proconnect.sign_in(client)
    response = client.get("/departements/32/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/securite/activer/?next=%2Fdepartements%2F32%2F"


@pytest.mark.parametrize("acr", ["eidas2", "eidas1-mfa"])
def test_sign_in_with_a_second_factor_at_proconnect_goes_on(client, proconnect, agent, acr):
    proconnect.acr = acr
    proconnect.sign_in(client)
    assert client.get("/departements/32/").status_code == 200


def test_a_reader_signing_in_with_a_password_is_not_asked(client, agent):
    """(The same account, its role not requiring a second factor: only the ProConnect acr did.)"""
    client.post("/comptes/connexion/", {"username": "cdupuy", "password": "mot-de-passe-de-test"})
    assert client.get("/departements/32/").status_code == 200
