"""Writes of the API app: personal API tokens.

Each change is audited on the account itself (its history shows it), never with the key: the key
is a secret, and a Token's primary key and text are the key.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.funding import perms as funding_perms
from vigie.indicators import perms

TOKEN_LABEL = "jeton d'API"


def _describe(token: Token | None) -> str:
    if token is None:
        return "aucun"
    created = timezone.localtime(token.created).strftime("%d/%m/%Y %H:%M")
    return f"jeton créé le {created}"


def _record(acting_user, *, old: str, new: str, reason: str) -> None:
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=acting_user,
        department=acting_user.department,
        changes={"api_token": {"label": TOKEN_LABEL, "old": old, "new": new}},
        reason=reason,
    )


def may_have_token(user) -> bool:
    """Those who enter indicator values, and project applicants (their grant applications, vigie.api.funding)."""
    return perms.can_have_api_token(user) or funding_perms.is_applicant(user)


@transaction.atomic
def create_api_token(*, acting_user) -> Token:
    """A new personal token for the acting user; the previous one, if any, stops working."""
    if not may_have_token(acting_user):
        raise PermissionDenied("Votre rôle ne permet pas d'avoir un jeton d'API.")
    previous = Token.objects.select_for_update().filter(user=acting_user).first()
    old = _describe(previous)
    if previous is not None:
        previous.delete()
    token = Token.objects.create(user=acting_user)
    _record(
        acting_user,
        old=old,
        new=_describe(token),
        reason="Nouveau jeton d'API" if previous is None else "Jeton d'API remplacé",
    )
    return token


@transaction.atomic
def revoke_api_token(*, acting_user) -> bool:
    """Delete the acting user's token (False when there was none: nothing changes, nothing is recorded)."""
    current = Token.objects.select_for_update().filter(user=acting_user).first()
    if current is None:
        return False
    old = _describe(current)
    current.delete()
    _record(acting_user, old=old, new="aucun", reason="Jeton d'API révoqué")
    return True


@transaction.atomic
def revoke_api_token_of_account(account, *, acting_user, reason: str) -> bool:
    """Delete another account's token (its deactivation by a manager). False when it had none."""
    current = Token.objects.select_for_update().filter(user=account).first()
    if current is None:
        return False
    old = _describe(current)
    current.delete()
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=account,
        department=account.department,
        changes={"api_token": {"label": TOKEN_LABEL, "old": old, "new": "aucun"}},
        reason=reason,
    )
    return True
