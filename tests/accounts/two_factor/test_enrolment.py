"""Enrolment of a TOTP application: QR code and secret, a wrong then a right code, backup codes shown once."""

import re
from base64 import b32decode

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.two_factor.helpers import code, text
from vigie.accounts.models import BackupCode
from vigie.audit.models import AuditEntry

SETUP = reverse("accounts:two_factor_setup")


def secret_of(html: str) -> str:
    """The key shown as text on the enrolment page, in hexadecimal (as the phone would read it)."""
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert found, html
    return b32decode(found.group(1).replace(" ", "")).hex()


def test_the_page_shows_a_qr_code_drawn_here_and_the_secret_in_text(client, agent):
    client.force_login(agent)
    html = text(client.get(SETUP))
    assert '<svg role="img" aria-label="Code QR à scanner' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    key = secret_of(html)
    assert len(bytes.fromhex(key)) == 20
    assert "Double authentification obligatoire" in html
    # Reloading keeps the same secret (the phone may already hold it); nothing is stored before a right code.
    assert secret_of(text(client.get(SETUP))) == key
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_then_the_right_one(client, agent):
    client.force_login(agent)
    key = secret_of(text(client.get(SETUP)))
    wrong = "000000" if code(key) != "000000" else "111111"
    response = client.post(SETUP, {"code": wrong, "next": "/gouvernance/"})
    assert response.status_code == 200
    assert "Ce code ne correspond pas" in text(response)
    assert not TOTPDevice.objects.exists()

    response = client.post(SETUP, {"code": code(key), "next": "/gouvernance/"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_backup_codes") + "?next=%2Fgouvernance%2F"
    device = TOTPDevice.objects.get(user=agent)
    assert device.confirmed and device.key == key
    # The session is verified by the enrolment itself; the backup codes are shown once.
    page = text(client.get(response.url))
    shown = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    assert len(shown) == 10
    assert 'href="/gouvernance/"' in page
    assert (
        re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", text(client.get(response.url))) == []
    )
    reasons = list(
        AuditEntry.objects.filter(object_id=str(agent.pk)).values_list("reason", flat=True)
    )
    assert "Double authentification activée" in reasons and "Codes de secours générés" in reasons


def test_backup_codes_are_stored_hashed(client, agent):
    client.force_login(agent)
    key = secret_of(text(client.get(SETUP)))
    response = client.post(SETUP, {"code": code(key)})
    page = text(client.get(response.url))
    shown = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    stored = list(BackupCode.objects.filter(device__user=agent))
    assert len(stored) == 10 and len({row.salt for row in stored}) == 10
    for row in stored:
        assert len(row.code_hash) == 64
        for plain in shown:
            assert plain.replace("-", "") not in (row.code_hash, row.salt)


def test_the_code_that_confirmed_the_enrolment_cannot_verify_a_session(client, agent):
    client.force_login(agent)
    key = secret_of(text(client.get(SETUP)))
    first = code(key)
    client.post(SETUP, {"code": first})
    client.logout()
    client.force_login(agent)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": first})
    assert response.status_code == 200
    assert "n'est pas valable" in text(response)


def test_a_verified_person_replaces_the_application(client, enrolled_pilot):
    client.force_login(enrolled_pilot)
    client.post(
        reverse("accounts:two_factor_verify"), {"code": code(enrolled_pilot.totp_key, steps=1)}
    )
    old = TOTPDevice.objects.get(user=enrolled_pilot)
    html = text(client.get(SETUP))
    assert "Vous remplacez votre application" in html
    key = secret_of(html)
    assert client.post(SETUP, {"code": code(key)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=enrolled_pilot).values_list("key", flat=True)) == [
        key
    ]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(reason="Application d'authentification remplacée").exists()


def test_an_unverified_person_with_a_device_cannot_enrol_another(client, enrolled_pilot):
    client.force_login(enrolled_pilot)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
