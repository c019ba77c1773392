"""Verification after sign-in: a TOTP code or a backup code (single use), throttled, lock-outs recorded."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.two_factor.helpers import code, code_for_verification, text
from vigie.accounts import two_factor_services
from vigie.accounts.models import BackupCode, BackupCodeDevice
from vigie.audit.models import AuditEntry

HOME = reverse("plans:home")
VERIFY = reverse("accounts:two_factor_verify")


def wrong(key: str) -> str:
    return next(
        c
        for c in ("000000", "111111", "222222")
        if c not in {code(key, steps=s) for s in (-1, 0, 1, 2)}
    )


def test_a_totp_code_verifies_the_session(client, enrolled_agent):
    client.force_login(enrolled_agent)
    page = client.get(VERIFY)
    assert "Pour terminer votre connexion" in text(page)
    response = client.post(VERIFY, {"code": code(enrolled_agent.totp_key, steps=1)})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(VERIFY).url == HOME  # already verified


def test_verification_changes_the_session_key(client, enrolled_agent):
    client.force_login(enrolled_agent)
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"code": code(enrolled_agent.totp_key, steps=1)})
    assert client.cookies["sessionid"].value != before


def test_a_wrong_code_is_refused_and_says_when_to_retry(client, enrolled_agent):
    client.force_login(enrolled_agent)
    response = client.post(VERIFY, {"code": wrong(enrolled_agent.totp_key)})
    assert response.status_code == 200
    html = text(response)
    assert "Ce code n'est pas valable. Vous pourrez réessayer dans 1 seconde" in html
    assert client.get(HOME).status_code == 302


def test_a_right_code_typed_too_soon_after_wrong_ones_is_not_checked(client, enrolled_agent):
    client.force_login(enrolled_agent)
    key = enrolled_agent.totp_key
    device = TOTPDevice.objects.get(user=enrolled_agent)
    device.throttling_failure_count = 4
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    response = client.post(VERIFY, {"code": code(key, steps=1)})
    assert "Trop de codes erronés : ce code n'a pas été vérifié. Réessayez dans 8 secondes" in text(
        response
    )
    assert client.get(HOME).status_code == 302
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=9)
    device.save()
    assert client.post(VERIFY, {"code": code(key, steps=1)}).url == HOME
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_each_fifth_wrong_code_in_a_row_is_recorded(enrolled_agent):
    device = TOTPDevice.objects.get(user=enrolled_agent)
    bad = wrong(enrolled_agent.totp_key)
    for attempt in range(1, 6):
        result = two_factor_services.verify_second_factor(enrolled_agent, token=bad)
        assert not result.ok and result.retry_at is not None and not result.throttled
        device.refresh_from_db()
        assert device.throttling_failure_count == attempt
        # (skip the delay, as a patient attacker would)
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - timedelta(days=1)
        )
    entry = AuditEntry.objects.get(reason="5 codes erronés de suite")
    assert entry.object_id == str(enrolled_agent.pk)
    assert "suspendue jusqu'au" in entry.changes["two_factor_verification"]["new"]


def test_a_backup_code_verifies_once(client, enrolled_agent):
    backup = enrolled_agent.backup_codes[0]
    client.force_login(enrolled_agent)
    response = client.post(VERIFY, {"code": backup.upper().replace("-", " ")})
    assert response.status_code == 302 and response.url == HOME
    assert "il vous en reste 9" in text(client.get(HOME))
    assert (
        BackupCode.objects.filter(device__user=enrolled_agent, used_at__isnull=False).count() == 1
    )
    assert AuditEntry.objects.filter(reason="Code de secours utilisé").count() == 1

    client.logout()
    client.force_login(enrolled_agent)
    response = client.post(VERIFY, {"code": backup})
    assert "Ce code de secours n'est pas valable" in text(response)
    assert client.get(HOME).status_code == 302


def test_backup_codes_are_throttled_on_their_own(client, enrolled_agent):
    client.force_login(enrolled_agent)
    response = client.post(VERIFY, {"code": "aaaaa-aaaaa"})
    assert "Ce code de secours n'est pas valable. Vous pourrez réessayer dans 1 seconde" in text(
        response
    )
    device = BackupCodeDevice.objects.get(user=enrolled_agent)
    assert device.throttling_failure_count == 1
    response = client.post(VERIFY, {"code": enrolled_agent.backup_codes[1]})
    assert "Trop de codes erronés" in text(response)
    assert not BackupCode.objects.filter(used_at__isnull=False).exists()


def test_a_backup_code_of_someone_else_does_not_work(client, enrolled_agent, enrolled_pilot):
    client.force_login(enrolled_agent)
    response = client.post(VERIFY, {"code": enrolled_pilot.backup_codes[0]})
    assert response.status_code == 200
    assert not BackupCode.objects.filter(used_at__isnull=False).exists()


def test_codes_survive_a_key_rotation(enrolled_agent, settings):
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "une-toute-nouvelle-cle-secrete-de-test-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    result = two_factor_services.verify_second_factor(
        enrolled_agent, token=enrolled_agent.backup_codes[2]
    )
    assert result.ok and result.backup_codes_left == 9


def test_an_empty_or_odd_code_is_a_message_not_an_error(client, enrolled_agent):
    client.force_login(enrolled_agent)
    assert "Saisissez un code." in text(client.post(VERIFY, {"code": ""}))
    response = client.post(VERIFY, {"code": "x" * 32})
    assert response.status_code == 200 and "n'est pas valable" in text(response)


def test_a_phone_late_by_one_period_at_enrolment_still_verifies_later(db, make_user):
    """A code typed at the end of its period and received in the next one enrols the phone with a drift of −1
    (kept, as django-otp does for a late phone); the next codes of that phone verify sessions."""
    agent = make_user("prefecture", None)
    key = two_factor_services.new_totp_key()
    two_factor_services.confirm_totp_device(
        agent, acting_user=agent, key=key, token=code(key, steps=-1)
    )
    assert TOTPDevice.objects.get(user=agent).drift == -1
    assert two_factor_services.verify_second_factor(agent, token=code(key, steps=1)).ok is False
    # That wrong code delayed the next one by 1 s.
    TOTPDevice.objects.get(user=agent).throttle_reset()
    assert two_factor_services.verify_second_factor(
        agent, token=code_for_verification(agent, key)
    ).ok
