"""Helpers of the two-factor tests: TOTP codes as a phone computes them, an enrolled account in one call."""

import html
import time

from django_otp.oath import TOTP

from vigie.accounts import two_factor_services


def code(key: str, *, steps: int = 0) -> str:
    """The 6-digit code of the application holding `key`, now (or `steps` periods of 30 s later)."""
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps
    return f"{totp.token():06d}"


def code_for_verification(user, key: str) -> str:
    """A code the enrolled application of `user` accepts now: one period ahead of the device's clock.

    The enrolment used up its period's code, and recorded the phone's drift (a code typed at the end of a period
    and received in the next one is a drift of −1, which django-otp keeps, as it should for a late phone)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    drift = TOTPDevice.objects.get(user=user, confirmed=True).drift
    return code(key, steps=1 + drift)


def enrol(user) -> tuple[str, list[str]]:
    """Enrol an application for `user` through the service; (its key, the backup codes shown)."""
    key = two_factor_services.new_totp_key()
    _, codes = two_factor_services.confirm_totp_device(
        user, acting_user=user, key=key, token=code(key)
    )
    return key, codes


def text(response) -> str:
    return html.unescape(response.content.decode())
