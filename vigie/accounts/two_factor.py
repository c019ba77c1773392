"""Who must give a second factor (a TOTP code, or a backup code) after signing in.

The contract with the sign-in views lives in the session:
- `session["vigie_auth_method"]`: "password" after a sign-in with a local password (vigie.accounts.views.LoginView;
  a session without it counts as a password sign-in), "proconnect" after a ProConnect (OpenID Connect) sign-in;
- `session["vigie_acr"]`: the `acr` that ProConnect reported (a string, several values separated by spaces, or a
  list), read only for a ProConnect sign-in.

A person who confirmed a device (any role may) always gives it. With `settings.VIGIE_TWO_FACTOR_REQUIRED`, so do the
national administrators and the prefecture agents signing in with a password, and anyone signing in through
ProConnect without a second factor at the provider (its `acr`).
"""

from django.conf import settings

from vigie.accounts.enums import Role

AUTH_METHOD_SESSION_KEY = "vigie_auth_method"
ACR_SESSION_KEY = "vigie_acr"
PASSWORD = "password"
PROCONNECT = "proconnect"

# Roles that give a second factor after a password sign-in, when VIGIE_TWO_FACTOR_REQUIRED is on: they see
# restricted minutes (and soon nominative data) of whole departments, or of every department.
ROLES_REQUIRING_SECOND_FACTOR = (Role.ADMIN, Role.PREFECTURE)

# eIDAS levels "substantial" and "high" include a second factor; so does any value ending in "-mfa", and the two
# ProConnect assurance levels "…/assurance/self-asserted-2fa" and "…/assurance/consistency-checked-2fa".
_ACR_WITH_SECOND_FACTOR = {"eidas2", "eidas3"}
_ACR_SUFFIXES = ("-mfa", "/assurance/self-asserted-2fa", "/assurance/consistency-checked-2fa")


def _acr_values(acr) -> list[str]:
    if acr is None:
        return []
    if isinstance(acr, str):
        return acr.split()
    if isinstance(acr, list | tuple | set | frozenset):
        return [value for value in acr if isinstance(value, str)]
    return []


def acr_has_second_factor(acr) -> bool:
    """True when an `acr` value reported by the identity provider says a second factor was given there."""
    for value in _acr_values(acr):
        value = value.strip()
        if value.lower() in _ACR_WITH_SECOND_FACTOR or value.endswith(_ACR_SUFFIXES):
            return True
    return False


def auth_method(session) -> str:
    """How this session signed in: PROCONNECT, or PASSWORD (also for any other or missing value)."""
    method = session.get(AUTH_METHOD_SESSION_KEY, PASSWORD) if session is not None else PASSWORD
    return PROCONNECT if method == PROCONNECT else PASSWORD


def role_requires_second_factor(user) -> bool:
    """National administrators (superusers included) and prefecture agents, when the setting is on."""
    if not settings.VIGIE_TWO_FACTOR_REQUIRED:
        return False
    return user.role in ROLES_REQUIRING_SECOND_FACTOR or bool(user.is_superuser)


def policy_requires_second_factor(user, session) -> bool:
    """Required by the rules alone, whether or not the person has a device (setting on, then (a) or (b))."""
    if not settings.VIGIE_TWO_FACTOR_REQUIRED:
        return False
    if auth_method(session) == PROCONNECT:
        return not acr_has_second_factor(session.get(ACR_SESSION_KEY))
    return role_requires_second_factor(user)


def has_confirmed_device(user) -> bool:
    """A confirmed TOTP device (backup codes only ever exist beside one: see two_factor_services)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_required(user, session) -> bool:
    """True when this signed-in session must be verified with a second factor before anything else."""
    if not user.is_authenticated:
        return False
    return has_confirmed_device(user) or policy_requires_second_factor(user, session)


def may_disable(user, session) -> bool:
    """The person may remove their own second factor unless the rules require one (role, or this sign-in)."""
    return not (role_requires_second_factor(user) or policy_requires_second_factor(user, session))
