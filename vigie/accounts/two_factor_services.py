"""Writes of the second factor: enrolment of a TOTP application, backup codes, verification, removal and reset.

Every change is recorded in the account's history (vigie.audit), in the same transaction: device confirmed or
removed, backup codes generated or used, verification suspended after repeated wrong codes. A pending enrolment
(the secret shown with its QR code, not yet confirmed by a code) lives only in the session: nothing is written
before the person proves their application works.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from vigie.accounts import backup_codes, perms, two_factor
from vigie.accounts.models import BackupCode, BackupCodeDevice, User
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction

LABEL = "double authentification"
BACKUP_LABEL = "codes de secours"
TOTP_DIGITS = 6
TOTP_TOLERANCE = (
    1  # the code of the previous or next 30 seconds is accepted too (phone clock drift)
)
# Every this many wrong codes in a row, the suspension is recorded in the account's history.
LOCKOUT_AUDIT_EVERY = 5

REQUIRED_BY_ROLE = (
    "La double authentification est obligatoire pour votre rôle : vous ne pouvez pas la désactiver. "
    "Pour changer de téléphone, activez-la de nouveau avec la nouvelle application."
)
NOT_ENROLLED = "La double authentification n'est pas activée sur ce compte."


def new_totp_key() -> str:
    """A new TOTP secret (20 random bytes, in hexadecimal as django-otp stores it)."""
    return random_hex(20)


def _record(account: User, *, acting_user, field: str, label: str, old: str, new: str, reason: str):
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=account,
        changes={field: {"label": label, "old": old, "new": new}},
        department=account.department,
        reason=reason,
    )


def _lock_account(account: User) -> None:
    User.objects.select_for_update().filter(pk=account.pk).exists()


def _code_matches(key: str, token: str) -> TOTP | None:
    """The TOTP computation that accepted `token` for this secret, or None."""
    token = "".join(str(token or "").split())
    if len(token) != TOTP_DIGITS or not token.isdigit():
        return None
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=TOTP_DIGITS, drift=0)
    totp.time = time.time()
    return totp if totp.verify(int(token), tolerance=TOTP_TOLERANCE) else None


def _replace_backup_codes(account: User) -> list[str]:
    """New backup codes (the previous ones stop working); the codes in clear, for showing once."""
    device, _ = BackupCodeDevice.objects.get_or_create(
        user=account, defaults={"name": "Codes de secours", "confirmed": True}
    )
    device.codes.all().delete()
    device.throttle_reset(commit=True)
    codes = backup_codes.generate()
    rows = []
    for code in codes:
        salt = backup_codes.new_salt()
        rows.append(BackupCode(device=device, salt=salt, code_hash=backup_codes.digest(code, salt)))
    BackupCode.objects.bulk_create(rows)
    return codes


@transaction.atomic
def confirm_totp_device(
    account: User, *, acting_user, key: str, token: str
) -> tuple[TOTPDevice, list[str]]:
    """Enrol the application holding `key`, once it gave a right code; new backup codes, shown once.

    A previous application of the account is replaced. ValidationError (French, on "code") when the code is wrong.
    """
    totp = _code_matches(key, token)
    if totp is None:
        raise ValidationError(
            {
                "code": "Ce code ne correspond pas : vérifiez que l'heure de votre téléphone est juste et "
                "saisissez le code à 6 chiffres affiché en ce moment par l'application."
            }
        )
    _lock_account(account)
    previous = TOTPDevice.objects.filter(user=account)
    had_device = previous.filter(confirmed=True).exists()
    previous.delete()
    device = TOTPDevice.objects.create(
        user=account,
        name="Application d'authentification",
        key=key,
        digits=TOTP_DIGITS,
        tolerance=TOTP_TOLERANCE,
        drift=totp.drift,
        last_t=totp.t(),  # the code just typed cannot verify a session
        confirmed=True,
    )
    _record(
        account,
        acting_user=acting_user,
        field="two_factor",
        label=LABEL,
        old="activée (autre application)" if had_device else "non activée",
        new="activée",
        reason="Application d'authentification remplacée"
        if had_device
        else "Double authentification activée",
    )
    codes = _replace_backup_codes(account)
    _record(
        account,
        acting_user=acting_user,
        field="backup_codes",
        label=BACKUP_LABEL,
        old="",
        new=f"{len(codes)} codes générés",
        reason="Codes de secours générés",
    )
    return device, codes


@transaction.atomic
def regenerate_backup_codes(account: User, *, acting_user) -> list[str]:
    """New backup codes for an enrolled account; the previous ones stop working."""
    _lock_account(account)
    if not two_factor.has_confirmed_device(account):
        raise ValidationError(NOT_ENROLLED)
    codes = _replace_backup_codes(account)
    _record(
        account,
        acting_user=acting_user,
        field="backup_codes",
        label=BACKUP_LABEL,
        old="anciens codes",
        new=f"{len(codes)} nouveaux codes",
        reason="Codes de secours régénérés",
    )
    return codes


def _remove_devices(account: User) -> bool:
    _lock_account(account)
    removed, _ = TOTPDevice.objects.filter(user=account).delete()
    removed_codes, _ = BackupCodeDevice.objects.filter(user=account).delete()
    return bool(removed or removed_codes)


@transaction.atomic
def disable_second_factor(account: User, *, acting_user) -> bool:
    """The person removes their own application and backup codes. Refused when their role requires it.

    False when there was nothing to remove.
    """
    if two_factor.role_requires_second_factor(account):
        raise PermissionDenied(REQUIRED_BY_ROLE)
    if not _remove_devices(account):
        return False
    _record(
        account,
        acting_user=acting_user,
        field="two_factor",
        label=LABEL,
        old="activée",
        new="désactivée",
        reason="Double authentification désactivée par la personne",
    )
    return True


@transaction.atomic
def reset_second_factor(account: User, *, acting_user) -> bool:
    """An account manager removes a person's second factor (lost phone): they enrol again at their next sign-in
    if their role requires it. Never on one's own account. False when there was nothing to remove."""
    if not perms.can_change_account(acting_user, account):
        raise PermissionDenied("Vous ne gérez pas ce compte.")
    if not _remove_devices(account):
        return False
    _record(
        account,
        acting_user=acting_user,
        field="two_factor",
        label=LABEL,
        old="activée",
        new="réinitialisée",
        reason="Double authentification réinitialisée par un gestionnaire des comptes",
    )
    return True


@dataclass(frozen=True)
class Verification:
    """The outcome of a code typed on the verification page."""

    device: object = None  # the device that accepted it, or None
    retry_at: datetime | None = None  # when a new try will be heard (after wrong codes), or None
    backup_code: bool = False  # the code typed was a backup code
    backup_codes_left: int | None = None
    throttled: bool = False  # refused without being checked: typed before the delay was over

    @property
    def ok(self) -> bool:
        return self.device is not None


def _is_totp_code(token: str) -> bool:
    token = "".join(str(token or "").split())
    return len(token) == TOTP_DIGITS and token.isdigit()


def _retry_at(device) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    return None if allowed else (info or {}).get("locked_until")


@transaction.atomic
def verify_second_factor(account: User, *, token: str) -> Verification:
    """Check a TOTP code (6 digits) or a backup code, throttled per device (1, 2, 4, 8… seconds after each wrong
    code). A right code before the delay is over is refused too; a used backup code is used up and recorded."""
    is_totp = _is_totp_code(token)
    model = TOTPDevice if is_totp else BackupCodeDevice
    device = model.objects.select_for_update().filter(user=account, confirmed=True).first()
    if device is None:
        return Verification(backup_code=not is_totp)
    blocked_until = _retry_at(device)
    if blocked_until is not None:
        return Verification(retry_at=blocked_until, backup_code=not is_totp, throttled=True)
    if device.verify_token("".join(str(token).split()) if is_totp else token):
        return _accepted(account, device, is_totp)
    failures = device.throttling_failure_count
    retry_at = _retry_at(device)
    if failures % LOCKOUT_AUDIT_EVERY == 0 and retry_at is not None:
        _record(
            account,
            acting_user=account,
            field="two_factor_verification",
            label="vérification de la double authentification",
            old="",
            new=f"suspendue jusqu'au {timezone.localtime(retry_at):%d/%m/%Y à %H:%M:%S}",
            reason=f"{failures} {'codes de secours erronés' if not is_totp else 'codes erronés'} "
            "de suite",
        )
    return Verification(retry_at=retry_at, backup_code=not is_totp)


def _accepted(account: User, device, is_totp: bool) -> Verification:
    if is_totp:
        return Verification(device=device)
    left = device.codes.filter(used_at=None).count()
    _record(
        account,
        acting_user=account,
        field="backup_codes",
        label=BACKUP_LABEL,
        old="",
        new=f"un code utilisé, {left} restant{'s' if left > 1 else ''}",
        reason="Code de secours utilisé",
    )
    return Verification(device=device, backup_code=True, backup_codes_left=left)
