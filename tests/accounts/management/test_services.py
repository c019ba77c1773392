"""Account management services: invitations, roles, deactivation; each change audited (old → new)."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.accounts.management.helpers import GOOD_PASSWORD, last_link
from tests.factories import CommuneFactory, EpciFactory, OrganisationFactory, UserFactory
from vigie.accounts import invitations, services
from vigie.accounts.enums import Role
from vigie.accounts.models import Invitation, User
from vigie.accounts.roles import RoleAssignment
from vigie.audit.models import AuditEntry


def history(account):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(account.pk)
    ).order_by("pk")


def invite(agent, department, email="camille@example.org", role=Role.READER, **attachments):
    return services.invite_account(
        acting_user=agent,
        email=email,
        first_name="Camille",
        last_name="Roux",
        assignment=RoleAssignment.build(role, department, **attachments),
    )


def token_of_last_mail() -> str:
    return last_link("/comptes/invitation/").rstrip("/").rsplit("/", 1)[1]


def test_an_invitation_creates_an_account_without_password_and_mails_a_link(agent, gers, dsden):
    account = invite(
        agent, gers, email=" Camille.Roux@Example.org ", role=Role.PILOT, organisation=dsden
    )
    assert account.username == account.email == "camille.roux@example.org"
    assert (account.role, account.department, account.organisation) == (Role.PILOT, gers, dsden)
    assert not account.has_usable_password() and services.is_invitation_pending(account)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.roux@example.org"]
    assert "valable 3 jours" in mail.outbox[0].body
    token = token_of_last_mail()
    invitation = Invitation.objects.get(user=account)
    assert (
        invitation.token_hash == invitations.hash_token(token)
        and token not in invitation.token_hash
    )
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)
    entry = history(account).get()
    assert entry.actor == agent and entry.department == gers
    assert entry.reason == "Compte créé par invitation"
    assert entry.changes["role"]["new"] == "Pilote de mesure"
    assert entry.changes["organisation"]["new"] == str(dsden)


def test_the_invitation_validity_is_configurable(agent, gers, settings):
    settings.VIGIE_INVITATION_DAYS = 5
    account = invite(agent, gers)
    invitation = account.invitations.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=5)
    assert "valable 5 jours" in mail.outbox[0].body


def test_an_address_already_used_is_refused(agent, gers, pilot):
    UserFactory(username="autre", email="Camille@example.org", department=gers)
    with pytest.raises(ValidationError) as error:
        invite(agent, gers, email="camille@EXAMPLE.org")
    assert "Un compte existe déjà" in error.value.message_dict["email"][0]
    assert not mail.outbox


@pytest.mark.parametrize(
    ("role", "attachments", "field"),
    [
        (Role.PILOT, {}, "organisation"),
        (Role.COORDINATOR, {}, "commune"),
    ],
)
def test_a_role_without_its_attachment_is_refused(agent, gers, role, attachments, field):
    with pytest.raises(ValidationError) as error:
        invite(agent, gers, role=role, **attachments)
    assert field in error.value.message_dict
    assert not User.objects.filter(email="camille@example.org").exists() and not mail.outbox


def test_attachments_of_another_department_are_refused(agent, gers, lot):
    other_commune = CommuneFactory(department=lot, code="46042", name="Cahors")
    other_organisation = OrganisationFactory(department=lot, name="Service du Lot")
    with pytest.raises(ValidationError) as error:
        invite(agent, gers, role=Role.COORDINATOR, commune=other_commune)
    assert error.value.message_dict["commune"] == ["Cette commune n'est pas dans le département."]
    with pytest.raises(ValidationError):
        invite(agent, gers, role=Role.PARTNER, organisation=other_organisation)
    epci = EpciFactory()
    epci.departments.add(lot)
    with pytest.raises(ValidationError) as error:
        invite(agent, gers, role=Role.COORDINATOR, epci=epci)
    assert "epci" in error.value.message_dict


def test_a_prefecture_agent_invites_only_in_their_department_and_no_administrator(agent, lot, gers):
    with pytest.raises(PermissionDenied):
        invite(agent, lot)
    with pytest.raises(PermissionDenied):
        invite(agent, gers, role=Role.ADMIN)
    assert not User.objects.filter(email="camille@example.org").exists()


def test_a_mail_that_cannot_be_sent_leaves_nothing(agent, gers, monkeypatch):
    def refuse(*args, **kwargs):
        raise SMTPException("injoignable")

    monkeypatch.setattr("vigie.accounts.emails.send_mail", refuse)
    with pytest.raises(SMTPException):
        invite(agent, gers)
    assert not User.objects.filter(email="camille@example.org").exists()
    assert not Invitation.objects.exists() and not AuditEntry.objects.exists()


def test_accepting_sets_the_password_once(agent, gers):
    account = invite(agent, gers)
    lookup = invitations.find_invitation(token_of_last_mail())
    assert lookup.invitation.user == account and not lookup.problem
    services.accept_invitation(lookup.invitation, password=GOOD_PASSWORD)
    account.refresh_from_db()
    assert account.check_password(GOOD_PASSWORD) and not services.is_invitation_pending(account)
    entry = history(account).last()
    assert entry.actor == account and entry.reason == "Invitation acceptée : mot de passe choisi"
    assert GOOD_PASSWORD not in str(entry.changes)
    again = invitations.find_invitation(token_of_last_mail())
    assert again.problem == invitations.USED and again.gone
    with pytest.raises(ValidationError):
        services.accept_invitation(again.invitation, password="Autre-Mot-de-passe-9")


def test_an_expired_link_says_so(agent, gers):
    invite(agent, gers)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    lookup = invitations.find_invitation(token_of_last_mail())
    assert lookup.gone and "a expiré (il était valable 3 jours)" in lookup.problem


def test_an_unknown_link_says_so(db):
    assert invitations.find_invitation("n-importe-quoi").problem == invitations.UNKNOWN
    assert invitations.find_invitation("x" * 500).problem == invitations.UNKNOWN


def test_resending_replaces_the_previous_link(agent, gers):
    account = invite(agent, gers)
    first = token_of_last_mail()
    services.resend_invitation(account, acting_user=agent)
    second = token_of_last_mail()
    assert first != second and len(mail.outbox) == 2
    assert invitations.find_invitation(first).problem == invitations.REPLACED
    assert not invitations.find_invitation(second).problem
    entry = history(account).last()
    assert entry.reason == "Invitation renvoyée"
    assert entry.changes["invitation"]["old"].startswith("envoyée le ")


def test_no_invitation_is_resent_to_someone_who_chose_their_password(agent, gers, pilot):
    with pytest.raises(ValidationError):
        services.resend_invitation(pilot, acting_user=agent)
    account = invite(agent, gers)
    services.deactivate_account(account, acting_user=agent)
    with pytest.raises(ValidationError):
        services.resend_invitation(account, acting_user=agent)
    assert invitations.find_invitation(token_of_last_mail()).problem == invitations.INACTIVE


def test_a_role_change_is_audited_old_to_new(agent, gers, pilot):
    commune = CommuneFactory(department=gers, code="32107", name="Condom")
    changed = services.change_account_role(
        pilot,
        acting_user=agent,
        assignment=RoleAssignment.build(Role.COORDINATOR, gers, commune=commune),
    )
    assert changed
    pilot.refresh_from_db()
    assert (pilot.role, pilot.organisation, pilot.commune) == (Role.COORDINATOR, None, commune)
    changes = history(pilot).last().changes
    assert changes["role"] == {
        "label": "rôle",
        "old": "Pilote de mesure",
        "new": "Coordonnateur CLSPD/CISPD",
    }
    assert changes["organisation"]["new"] == "" and changes["commune"]["new"] == str(commune)
    # The same role again: nothing changes, nothing is recorded.
    count = history(pilot).count()
    assert not services.change_account_role(
        pilot,
        acting_user=agent,
        assignment=RoleAssignment.build(Role.COORDINATOR, gers, commune=commune),
    )
    assert history(pilot).count() == count


def test_removing_the_role_clears_the_department(agent, gers, pilot):
    services.change_account_role(
        pilot, acting_user=agent, assignment=RoleAssignment.build(Role.NONE, gers)
    )
    pilot.refresh_from_db()
    assert (pilot.role, pilot.department, pilot.organisation) == (Role.NONE, None, None)
    entry = history(pilot).last()
    assert entry.reason == "Rôle retiré" and entry.department == gers  # still in the Gers' log
    assert entry.changes["department"] == {"label": "département", "old": "Gers (32)", "new": ""}


def test_removing_an_administrator_role_removes_the_admin_site_rights(national, gers):
    other = UserFactory(
        username="admin2", role=Role.ADMIN, department=None, is_staff=True, is_superuser=True
    )
    services.change_account_role(
        other, acting_user=national, assignment=RoleAssignment.build(Role.NONE)
    )
    other.refresh_from_db()
    assert not other.is_superuser and not other.is_staff and not other.is_national_admin


def test_nobody_changes_their_own_role(agent, national, gers):
    for user in (agent, national):
        with pytest.raises(PermissionDenied):
            services.change_account_role(
                user, acting_user=user, assignment=RoleAssignment.build(Role.NONE)
            )
        with pytest.raises(PermissionDenied):
            services.deactivate_account(user, acting_user=user)
        user.refresh_from_db()
        assert user.role in (Role.PREFECTURE, Role.ADMIN) and user.is_active


def test_a_prefecture_agent_manages_only_their_department(agent, lot, gers):
    other = UserFactory(username="thomas", role=Role.READER, department=lot)
    with pytest.raises(PermissionDenied):
        services.change_account_role(
            other, acting_user=agent, assignment=RoleAssignment.build(Role.NONE)
        )
    with pytest.raises(PermissionDenied):
        services.deactivate_account(other, acting_user=agent)
    pilot_of_gers = UserFactory(username="lea", role=Role.READER, department=gers)
    with pytest.raises(PermissionDenied):  # moving an account to another department
        services.change_account_role(
            pilot_of_gers, acting_user=agent, assignment=RoleAssignment.build(Role.READER, lot)
        )


def test_an_agent_gives_a_role_to_an_account_without_role(agent, gers):
    newcomer = UserFactory(
        username="proconnect-1", email="eric@interieur.gouv.fr", role=Role.NONE, department=None
    )
    services.change_account_role(
        newcomer, acting_user=agent, assignment=RoleAssignment.build(Role.READER, gers)
    )
    newcomer.refresh_from_db()
    assert (newcomer.role, newcomer.department) == (Role.READER, gers)
    assert history(newcomer).last().department == gers


def test_deactivation_ends_sessions_and_api_token_at_once(agent, gers, pilot, client):
    client.force_login(pilot)
    bystander = Client()
    bystander.force_login(UserFactory(username="autre", department=gers))
    token = Token.objects.create(user=pilot)
    assert services.deactivate_account(pilot, acting_user=agent)
    assert not pilot.is_active
    assert not Token.objects.filter(key=token.key).exists()
    assert "_auth_user_id" not in client.session
    assert "_auth_user_id" in bystander.session  # only that account's sessions end
    reasons = [entry.reason for entry in history(pilot)]
    assert reasons == ["Compte désactivé", "Jeton d'API supprimé : compte désactivé"]
    assert history(pilot).first().changes["is_active"]["new"] == "non"
    assert not services.deactivate_account(pilot, acting_user=agent)  # already: nothing recorded
    assert history(pilot).count() == 2
    assert services.reactivate_account(pilot, acting_user=agent)
    pilot.refresh_from_db()
    assert pilot.is_active and not Token.objects.filter(user=pilot).exists()
    assert history(pilot).last().reason == "Compte réactivé"
