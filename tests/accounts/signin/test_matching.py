"""Which account a ProConnect sign-in opens: by sub, else by verified e-mail, else a new account without role."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType

from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.accounts.models import ProConnectIdentity, User
from vigie.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def account_entries(account):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(account.pk)
    ).order_by("pk")


def signed_in_user(client):
    return User.objects.get(pk=client.session[SESSION_KEY])


def test_first_sign_in_creates_an_account_without_role(client, proconnect):
    response = proconnect.sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    account = signed_in_user(client)
    assert account.role == Role.NONE
    assert account.department is None
    assert (account.email, account.first_name, account.last_name) == (
        "claire.dupuy@gers.gouv.fr",
        "Claire",
        "Dupuy",
    )
    assert account.username == "claire.dupuy@gers.gouv.fr"
    assert not account.has_usable_password()
    identity = account.proconnect_identity
    assert (identity.sub, identity.siret, identity.uid, identity.last_acr) == (
        "sub-claire-dupuy",
        "17320001200011",
        "cdupuy",
        "eidas1",
    )
    reasons = [entry.reason for entry in account_entries(account)]
    assert reasons == [
        "Première connexion avec ProConnect : compte créé sans rôle",
        "Compte lié à une identité ProConnect",
    ]
    assert all(entry.actor == account for entry in account_entries(account))


def test_second_sign_in_is_matched_by_sub_even_with_a_new_address(client, proconnect):
    proconnect.sign_in(client)
    first = signed_in_user(client)
    client.logout()
    proconnect.claims["email"] = "claire.dupuy@interieur.gouv.fr"
    proconnect.acr = "eidas2"
    proconnect.sign_in(client)
    assert signed_in_user(client) == first
    assert User.objects.count() == 1
    identity = ProConnectIdentity.objects.get()
    assert (identity.email, identity.last_acr) == ("claire.dupuy@interieur.gouv.fr", "eidas2")
    assert account_entries(first).count() == 2  # nothing more audited: a sign-in is not a change


def test_existing_account_is_matched_by_email_and_keeps_its_role(client, proconnect):
    gers = DepartmentFactory(code="32", name="Gers")
    agent = UserFactory(
        username="cdupuy", email="Claire.Dupuy@gers.gouv.fr", role=Role.PREFECTURE, department=gers
    )
    proconnect.sign_in(client)
    assert signed_in_user(client) == agent
    agent.refresh_from_db()
    assert (agent.role, agent.department) == (Role.PREFECTURE, gers)
    assert agent.proconnect_identity.sub == "sub-claire-dupuy"
    entry = account_entries(agent).get()
    assert entry.reason == "Compte lié à une identité ProConnect"
    assert entry.department == gers


def test_address_said_unverified_is_not_matched(client, proconnect):
    agent = UserFactory(username="cdupuy", email="claire.dupuy@gers.gouv.fr", role=Role.READER)
    proconnect.claims["email_verified"] = False
    proconnect.sign_in(client)
    account = signed_in_user(client)
    assert account != agent
    assert account.role == Role.NONE
    assert not ProConnectIdentity.objects.filter(user=agent).exists()


def test_account_linked_to_another_identity_is_not_taken_over(client, proconnect):
    agent = UserFactory(username="cdupuy", email="claire.dupuy@gers.gouv.fr")
    ProConnectIdentity.objects.create(
        user=agent,
        sub="another-sub",
        created_at="2026-01-01T00:00Z",
        last_sign_in_at="2026-01-01T00:00Z",
    )
    response = proconnect.sign_in(client)
    assert response.status_code == 403
    assert "déjà lié à une autre identité ProConnect" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert User.objects.count() == 1


def test_address_shared_by_two_accounts_is_refused(client, proconnect):
    UserFactory(username="a", email="claire.dupuy@gers.gouv.fr")
    UserFactory(username="b", email="CLAIRE.DUPUY@gers.gouv.fr")
    response = proconnect.sign_in(client)
    assert response.status_code == 403
    assert "Plusieurs comptes Vigie" in response.content.decode()
    assert not ProConnectIdentity.objects.exists()


@pytest.mark.parametrize("linked", [True, False], ids=["by-sub", "by-email"])
def test_deactivated_account_is_refused_in_french(client, proconnect, linked):
    agent = UserFactory(username="cdupuy", email="claire.dupuy@gers.gouv.fr", is_active=False)
    if linked:
        ProConnectIdentity.objects.create(
            user=agent,
            sub="sub-claire-dupuy",
            last_acr="eidas1",
            created_at="2026-01-01T00:00Z",
            last_sign_in_at="2026-01-01T00:00Z",
        )
    response = proconnect.sign_in(client)
    assert response.status_code == 403
    assert "Votre compte Vigie est désactivé" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ProConnectIdentity.objects.filter(user=agent).count() == (1 if linked else 0)
    assert not account_entries(agent).exists()
    if linked:
        assert ProConnectIdentity.objects.get().last_acr == "eidas1"  # untouched


def test_username_taken_by_another_account_gets_a_derived_one(client, proconnect):
    UserFactory(username="claire.dupuy@gers.gouv.fr", email="autre@gers.gouv.fr")
    proconnect.sign_in(client)
    assert signed_in_user(client).username.startswith("proconnect-")


@pytest.mark.parametrize("as_jwt", [False, True], ids=["json", "jwt"])
def test_userinfo_as_json_or_signed_jwt(client, proconnect, as_jwt):
    proconnect.userinfo_as_jwt = as_jwt
    proconnect.userinfo_claims = {"given_name": "Claire-Marie", "siret": "13000000000001"}
    proconnect.sign_in(client)
    account = signed_in_user(client)
    assert account.first_name == "Claire-Marie"
    assert account.proconnect_identity.siret == "13000000000001"
    assert proconnect.userinfo_route.call_count == 1


def test_acr_is_kept_in_the_session_and_the_identity(client, proconnect):
    proconnect.acr = "eidas2-mfa"
    proconnect.sign_in(client)
    assert client.session["vigie_auth_method"] == "proconnect"
    assert client.session["vigie_acr"] == "eidas2-mfa"
    assert ProConnectIdentity.objects.get().last_acr == "eidas2-mfa"


def test_next_page_is_honoured_when_it_is_vigie_s(client, proconnect):
    proconnect.start(client, next_url="/comptes/mot-de-passe/")
    assert proconnect.callback(client)["Location"] == "/comptes/mot-de-passe/"
    client.logout()
    proconnect.start(client, next_url="https://evil.test/")
    assert proconnect.callback(client)["Location"] == "/"


def test_any_other_sign_in_forgets_an_earlier_proconnect_sign_in(rf):
    """The marks two-factor reads never outlive the ProConnect sign-in that wrote them."""
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    agent = UserFactory(username="cdupuy")
    request = rf.get("/")
    request.session = SessionStore()
    request.session.update(
        {"vigie_auth_method": "proconnect", "vigie_acr": "eidas1", "oidc_id_token": "t"}
    )
    request.user = agent  # same account: login() keeps the session's data
    login(request, agent, backend="django.contrib.auth.backends.ModelBackend")
    assert SESSION_KEY in request.session
    for key in ("vigie_auth_method", "vigie_acr", "oidc_id_token"):
        assert key not in request.session


def test_account_page_shows_the_proconnect_link_to_its_manager(client, proconnect):
    gers = DepartmentFactory(code="32", name="Gers")
    agent = UserFactory(
        username="cdupuy", email="claire.dupuy@gers.gouv.fr", role=Role.PILOT, department=gers
    )
    manager = UserFactory(username="manager", role=Role.PREFECTURE, department=gers)
    client.force_login(manager)
    page = client.get(f"/comptes/gestion/{agent.pk}/").content.decode()
    assert "Non lié" in page
    client.logout()
    proconnect.acr = "eidas2"
    proconnect.sign_in(client)
    client.force_login(manager)
    page = client.get(f"/comptes/gestion/{agent.pk}/").content.decode()
    assert "(niveau eidas2, SIRET 17320001200011)" in page


def test_session_records_the_proconnect_session_backend(client, proconnect):
    from django.contrib.auth import BACKEND_SESSION_KEY

    from vigie.accounts.proconnect_backend import SESSION_BACKEND

    agent = UserFactory(username="cdupuy", email="claire.dupuy@gers.gouv.fr")
    proconnect.sign_in(client)
    assert client.session[BACKEND_SESSION_KEY] == SESSION_BACKEND
    assert client.get("/comptes/mot-de-passe/").status_code == 200  # the session loads the account
    agent.is_active = False
    agent.save()
    assert client.get("/comptes/mot-de-passe/").status_code == 302  # deactivated: signed out
