"""Who must give a second factor (a TOTP code, or a backup code) after signing in.

The contract with the sign-in views lives in the session:
- `session["vigie_auth_method"]`: "password" after a sign-in with a local password (vigie.accounts.views.LoginView;
  a session without it counts as a password sign-in), "proconnect" after a ProConnect (OpenID Connect) sign-in;
- `session["vigie_acr"]`: the `acr` that ProConnect reported (a string, several values separated by spaces, or a
  list), read only for a ProConnect sign-in.

A person who confirmed a device (any role may) always gives it. With `settings.VIGIE_TWO_FACTOR_REQUIRED`, so do the
national administrators and the prefecture agents signing in with a password, and anyone signing in through
ProConnect without a second factor at the provider (its `acr`).

Higher layers add their own rules with `register_second_factor_rule` (accounts never imports them): a rule is a
function of the user, true when that person must always give a second factor, whatever the setting — the members of
a nominative working group (vigie.casework) register one. A ProConnect sign-in whose `acr` says a second factor was
given at the provider satisfies it.
"""

from collections.abc import Callable

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


_SECOND_FACTOR_RULES: list[Callable] = []


def register_second_factor_rule(rule: Callable) -> None:
    """Add a rule (user → bool) that makes a second factor required; registering the same rule twice is a no-op."""
    if rule not in _SECOND_FACTOR_RULES:
        _SECOND_FACTOR_RULES.append(rule)


def unregister_second_factor_rule(rule: Callable) -> None:
    if rule in _SECOND_FACTOR_RULES:
        _SECOND_FACTOR_RULES.remove(rule)


def rule_requires_second_factor(user) -> bool:
    """True when a rule registered by another application requires a second factor of this person."""
    if not user.is_authenticated:
        return False
    return any(rule(user) for rule in _SECOND_FACTOR_RULES)


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


def role_requires_second_factor(user, *, rule: bool | None = None) -> bool:
    """National administrators (superusers included) and prefecture agents when the setting is on; anyone a
    registered rule names (always). `rule`: the rules' answer when the caller already has it (the gate keeps it
    in the session for a minute)."""
    if rule_requires_second_factor(user) if rule is None else rule:
        return True
    if not settings.VIGIE_TWO_FACTOR_REQUIRED:
        return False
    return user.role in ROLES_REQUIRING_SECOND_FACTOR or bool(user.is_superuser)


def policy_requires_second_factor(user, session, *, rule: bool | None = None) -> bool:
    """Required by the rules alone, whether or not the person has a device (setting on, then (a) or (b); or a
    registered rule, unless the ProConnect provider already asked for a second factor)."""
    if auth_method(session) == PROCONNECT:
        if acr_has_second_factor(session.get(ACR_SESSION_KEY)):
            return False
        if settings.VIGIE_TWO_FACTOR_REQUIRED:
            return True
        return rule_requires_second_factor(user) if rule is None else rule
    return role_requires_second_factor(user, rule=rule)


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


def second_factor_given(user, session) -> bool:
    """This session gave a second factor: verified here (django-otp), or at the ProConnect provider (`acr`)."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return auth_method(session) == PROCONNECT and acr_has_second_factor(
        session.get(ACR_SESSION_KEY)
    )


def may_disable(user, session) -> bool:
    """The person may remove their own second factor unless the rules require one (role, or this sign-in)."""
    return not (role_requires_second_factor(user) or policy_requires_second_factor(user, session))
