"""Account management pages: list and filters, invitation by the web, roles, claim, deactivation, history."""

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.accounts.management.helpers import GOOD_PASSWORD, last_link_path, text
from tests.factories import CommuneFactory, EpciFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.accounts.models import User


@pytest.fixture
def lot_reader(lot):
    return UserFactory(
        username="hugo", first_name="Hugo", last_name="Malbec", role=Role.READER, department=lot
    )


@pytest.fixture
def without_role(db):
    return UserFactory(
        username="pc-eric",
        first_name="Éric",
        last_name="Dupouy",
        email="eric.dupouy@interieur.gouv.fr",
        role=Role.NONE,
        department=None,
    )


def page(client, **params):
    response = client.get(reverse("accounts:account_list"), params)
    assert response.status_code == 200
    return text(response)


def test_an_agent_lists_the_accounts_of_their_department_only(
    client, agent, pilot, lot_reader, without_role
):
    client.force_login(agent)
    html = page(client)
    assert "Julien Lafitte" in html and "Nadia Vayssié" in html
    assert "Hugo Malbec" not in html and "Éric Dupouy" not in html
    assert "DSDEN" in html  # the pilot's organisation
    assert "Administrateur national" not in html  # no role filter option they cannot grant


def test_filters(client, agent, pilot, gers):
    UserFactory(
        username="old",
        first_name="Ancien",
        last_name="Agent",
        role=Role.READER,
        department=gers,
        is_active=False,
    )
    client.force_login(agent)
    assert "Ancien Agent" not in page(client, role="pilot")
    assert "Julien Lafitte" in page(client, role="pilot")
    inactive = page(client, etat="desactive")
    assert "Ancien Agent" in inactive and "Julien Lafitte" not in inactive
    assert "Julien Lafitte" in page(client, q="lafit")
    assert "Julien Lafitte" not in page(client, q="inconnu")
    # Bad input: no 500, a French message beside the field.
    html = page(client, role="pirate")
    assert "Ce rôle n'existe pas." in html and "0 compte trouvé" in html


def test_the_national_administrator_sees_every_account(
    client, national, pilot, lot_reader, without_role
):
    client.force_login(national)
    html = page(client)
    assert all(name in html for name in ("Julien Lafitte", "Hugo Malbec", "Éric Dupouy"))
    html = page(client, departement="aucun")
    assert "Éric Dupouy" in html and "Julien Lafitte" not in html
    assert "Hugo Malbec" in page(client, departement="46") and "Julien Lafitte" not in page(
        client, departement="46"
    )
    assert "Éric Dupouy" in page(client, role="none")


def test_an_agent_finds_an_account_without_role_by_its_exact_address(
    client, agent, without_role, gers
):
    client.force_login(agent)
    assert "Lui attribuer un rôle" not in page(
        client, q="eric.dupouy"
    )  # part of the address: nothing
    assert "Lui attribuer un rôle" in page(client, q="Eric.Dupouy@interieur.gouv.fr")
    url = reverse("accounts:account_claim")
    assert "Aucun compte sans rôle n'a cette adresse" in text(client.get(url, {"email": "x@y.fr"}))
    response = client.get(url, {"email": without_role.email})
    assert "Attribuer ce rôle" in text(response)
    response = client.post(url, {"email": without_role.email, "role": Role.READER})
    assert response.status_code == 302
    without_role.refresh_from_db()
    assert (without_role.role, without_role.department) == (Role.READER, gers)
    # Now in the Gers: no longer "without role".
    assert "Aucun compte sans rôle" in text(client.get(url, {"email": without_role.email}))


def test_inviting_through_the_pages_then_the_person_chooses_a_password(client, agent, dsden):
    client.force_login(agent)
    response = client.post(
        reverse("accounts:account_invite"),
        {
            "email": "camille@example.org",
            "first_name": "Camille",
            "last_name": "Roux",
            "role": "pilot",
        },
    )
    assert response.status_code == 200
    assert "Un pilote agit pour une organisation : choisissez-la." in text(response)
    assert not mail.outbox
    response = client.post(
        reverse("accounts:account_invite"),
        {
            "email": "camille@example.org",
            "first_name": "Camille",
            "last_name": "Roux",
            "role": "pilot",
            "organisation": dsden.pk,
        },
    )
    account = User.objects.get(email="camille@example.org")
    assert response.status_code == 302 and response.url == reverse(
        "accounts:account_detail", args=[account.pk]
    )
    link = last_link_path("/comptes/invitation/")

    person = Client()
    form = person.get(link)
    assert "choisissez votre mot de passe pour activer votre compte" in text(form)
    weak = person.post(link, {"new_password1": "motdepasse", "new_password2": "motdepasse"})
    assert weak.status_code == 200
    assert "Le mot de passe doit contenir au moins" in text(weak)
    done = person.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302
    assert person.session["_auth_user_id"] == str(account.pk)
    assert "Camille Roux · Pilote de mesure" in text(
        person.get(reverse("plans:home"))
    )  # stays signed in
    reused = Client().get(link)
    assert reused.status_code == 410
    assert "Ce lien d'invitation a déjà servi" in text(reused)


def test_the_invitation_form_keeps_an_existing_address_beside_its_field(client, agent, pilot):
    client.force_login(agent)
    response = client.post(
        reverse("accounts:account_invite"),
        {"email": pilot.email.upper(), "first_name": "A", "last_name": "B", "role": "reader"},
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse électronique" in text(response)


def test_the_role_page_changes_the_role(client, agent, pilot, gers):
    epci = EpciFactory(name="CC de la Ténarèze")
    epci.departments.add(gers)
    client.force_login(agent)
    url = reverse("accounts:account_role", args=[pilot.pk])
    assert "CC de la Ténarèze" in text(client.get(url))
    response = client.post(url, {"role": "coordinator", "epci": epci.pk})
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.role, pilot.epci, pilot.organisation) == (Role.COORDINATOR, epci, None)
    detail = text(client.get(reverse("accounts:account_detail", args=[pilot.pk])))
    assert "CISPD de CC de la Ténarèze" in detail
    assert (
        "Pilote de mesure" in detail and "Coordonnateur CLSPD/CISPD" in detail
    )  # the history: old → new


def test_the_national_administrator_picks_the_department_and_the_lists_follow(
    client, national, pilot, lot
):
    CommuneFactory(department=lot, code="46042", name="Cahors")
    client.force_login(national)
    url = reverse("accounts:account_role", args=[pilot.pk])
    assert "Cahors" not in text(client.get(url))
    fragment = client.get(
        url, {"role": "coordinator", "department": lot.pk}, HTTP_HX_REQUEST="true"
    )
    html = text(fragment)
    assert 'id="role-attachments"' in html and "Cahors (46042)" in html and "<html" not in html
    response = client.post(url, {"role": "coordinator", "department": lot.pk, "commune": "x"})
    assert "Choisissez une commune du département." in text(response)


def test_deactivation_signs_the_person_out_and_refuses_their_token(client, agent, pilot):
    person = Client()
    person.force_login(pilot)
    home = reverse("plans:home")
    assert "Julien Lafitte" in text(person.get(home))
    token = Token.objects.create(user=pilot)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/indicators/").status_code == 200
    bogus = Client(HTTP_AUTHORIZATION="Token " + "0" * 40).get("/api/indicators/")
    client.force_login(agent)
    response = client.post(reverse("accounts:account_deactivate", args=[pilot.pk]))
    assert response.status_code == 302
    assert "Julien Lafitte" not in text(person.get(home))  # signed out on the next request
    refused = api.get("/api/indicators/")
    # Refused as any unknown token is (the API's first authentication is the session's: DRF answers 403).
    assert refused.status_code == bogus.status_code and refused.status_code in (401, 403)
    assert refused.json() == bogus.json()
    client.post(reverse("accounts:account_reactivate", args=[pilot.pk]))
    # Reactivated: the old session and token do not come back.
    assert "Julien Lafitte" not in text(person.get(home))
    assert api.get("/api/indicators/").status_code == bogus.status_code


def test_account_history_page(client, agent, pilot):
    client.force_login(agent)
    client.post(reverse("accounts:account_deactivate", args=[pilot.pk]))
    html = text(client.get(reverse("accounts:account_detail", args=[pilot.pk])))
    assert "Historique du compte" in html and "Compte désactivé" in html
    assert "Nadia Vayssié (nadia)" in html  # who


def test_two_factor_column_only_with_django_otp(client, agent, pilot):
    client.force_login(agent)
    assert ("Double authentification" in page(client)) is apps.is_installed("django_otp")


@pytest.mark.skipif(
    not apps.is_installed("django_otp.plugins.otp_totp"), reason="django-otp not installed"
)
def test_two_factor_state_is_shown(client, agent, pilot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=pilot, name="téléphone", confirmed=True)
    client.force_login(agent)
    response = client.get(reverse("accounts:account_detail", args=[pilot.pk]))
    assert "Activée" in text(response)


def test_the_list_query_count_is_bounded(client, agent, gers, dsden, django_assert_max_num_queries):
    for n in range(60):
        UserFactory(username=f"u{n}", role=Role.PILOT, department=gers, organisation=dsden)
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        page(client)


def test_header_link_for_account_managers(client, agent, pilot):
    client.force_login(agent)
    assert reverse("accounts:account_list") in text(client.get(reverse("plans:home")))
    client.force_login(pilot)
    html = text(client.get(reverse("plans:home")))
    assert reverse("accounts:account_list") not in html
    assert reverse("accounts:password_change") in html
