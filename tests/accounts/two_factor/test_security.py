"""The account's security page (status, new backup codes, disabling) and the reset by an account manager."""

import re

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.two_factor.helpers import code, text
from vigie.accounts import two_factor_services
from vigie.accounts.models import BackupCode, BackupCodeDevice
from vigie.audit.models import AuditEntry

SECURITY = reverse("accounts:security")
VERIFY = reverse("accounts:two_factor_verify")


def verified(client, user):
    client.force_login(user)
    assert client.post(VERIFY, {"code": code(user.totp_key, steps=1)}).status_code == 302
    return client


def test_status_without_device(client, pilot):
    client.force_login(pilot)
    html = text(client.get(SECURITY))
    assert "Non activée" in html and "Activer la double authentification" in html
    assert reverse("accounts:security") in text(client.get(reverse("plans:home")))  # header link


def test_status_with_device(client, enrolled_pilot):
    html = text(verified(client, enrolled_pilot).get(SECURITY))
    assert "Activée" in html
    assert re.search(r"Codes de secours inutilisés</dt>\s*<dd>\s*10\s*</dd>", html)
    assert "Désactiver la double authentification" in html


def test_new_backup_codes_replace_the_old_ones(client, enrolled_pilot):
    verified(client, enrolled_pilot)
    old_hashes = set(BackupCode.objects.values_list("code_hash", flat=True))
    response = client.post(reverse("accounts:two_factor_regenerate"))
    assert response.status_code == 302
    page = text(client.get(response.url))
    new_codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    assert len(new_codes) == 10
    assert not old_hashes & set(BackupCode.objects.values_list("code_hash", flat=True))
    assert not two_factor_services.verify_second_factor(
        enrolled_pilot, token=enrolled_pilot.backup_codes[0]
    ).ok
    BackupCodeDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert two_factor_services.verify_second_factor(enrolled_pilot, token=new_codes[0]).ok
    assert AuditEntry.objects.filter(reason="Codes de secours régénérés").count() == 1


def test_a_pilot_disables_it(client, enrolled_pilot):
    verified(client, enrolled_pilot)
    response = client.post(reverse("accounts:two_factor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_pilot).exists()
    assert not BackupCode.objects.exists()
    assert AuditEntry.objects.filter(
        reason="Double authentification désactivée par la personne"
    ).exists()
    assert client.get(reverse("plans:home")).status_code == 200


def test_an_agent_cannot_disable_it(client, enrolled_agent):
    html = text(verified(client, enrolled_agent).get(SECURITY))
    assert "Désactiver la double authentification" not in html
    assert "elle ne peut pas être désactivée" in html
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=enrolled_agent).exists()


def test_the_manager_resets_a_lost_phone(client, agent, enrolled_pilot):
    reset = reverse("accounts:account_two_factor_reset", args=[enrolled_pilot.pk])
    client.force_login(agent)
    session = client.session
    session["vigie_auth_method"] = "proconnect"
    session["vigie_acr"] = "eidas2"  # (an agent signed in with a second factor at ProConnect)
    session.save()
    detail = text(client.get(reverse("accounts:account_detail", args=[enrolled_pilot.pk])))
    assert "Réinitialiser la double authentification" in detail
    response = client.post(reverse("accounts:account_two_factor_reset", args=[enrolled_pilot.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_pilot).exists()
    assert not BackupCodeDevice.objects.filter(user=enrolled_pilot).exists()
    entry = AuditEntry.objects.get(
        reason="Double authentification réinitialisée par un gestionnaire des comptes"
    )
    assert entry.actor == agent and entry.object_id == str(enrolled_pilot.pk)
    assert "Réinitialiser la double authentification" not in text(
        client.get(reverse("accounts:account_detail", args=[enrolled_pilot.pk]))
    )
    assert client.post(reset).status_code == 302  # nothing left: said so, nothing recorded
    assert AuditEntry.objects.filter(reason__startswith="Double authentification réin").count() == 1


def test_the_reset_ends_the_verified_sessions_of_the_person(client, enrolled_pilot, agent):
    verified(client, enrolled_pilot)
    assert client.get(reverse("plans:home")).status_code == 200
    two_factor_services.reset_second_factor(enrolled_pilot, acting_user=agent)
    # The device of the session is gone: the session is no longer verified; nothing else is owed by a pilot.
    assert client.get(reverse("plans:home")).status_code == 200
    assert "Non activée" in text(client.get(SECURITY))
