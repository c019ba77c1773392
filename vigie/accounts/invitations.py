"""Invitation links: a random token in the e-mail, only its hash in the database; what an unusable link says."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from vigie.accounts.models import Invitation


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validity() -> timedelta:
    return timedelta(days=settings.VIGIE_INVITATION_DAYS)


def validity_text() -> str:
    days = settings.VIGIE_INVITATION_DAYS
    return f"{days} jour{'s' if days > 1 else ''}"


@dataclass(frozen=True)
class InvitationLookup:
    """The invitation of a link, or why the link cannot be used (a French message)."""

    invitation: Invitation | None
    problem: str = ""
    gone: bool = False  # the link existed but can no longer be used (expired, used, replaced)


UNKNOWN = "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié l'adresse complète du courriel."
USED = (
    "Ce lien d'invitation a déjà servi : votre mot de passe est choisi. Connectez-vous avec votre "
    "identifiant ; si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié ? »."
)
REPLACED = (
    "Une invitation plus récente vous a été envoyée : ce lien ne fonctionne plus. Utilisez le lien du "
    "dernier courriel reçu."
)
INACTIVE = "Ce compte est désactivé : adressez-vous à la personne qui gère les comptes de votre département."


def expired_message() -> str:
    return (
        f"Ce lien d'invitation a expiré (il était valable {validity_text()}). Demandez à la personne "
        "qui vous a invité de vous renvoyer une invitation."
    )


def find_invitation(token: str) -> InvitationLookup:
    if not token or len(token) > 100:
        return InvitationLookup(None, UNKNOWN)
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        return InvitationLookup(None, UNKNOWN)
    problem = invitation_problem(invitation)
    return InvitationLookup(invitation, problem, gone=bool(problem))


def invitation_problem(invitation: Invitation) -> str:
    """Why this invitation's link can no longer be used, or "" while it can."""
    if invitation.used_at is not None:
        return USED
    if invitation.replaced_at is not None:
        return REPLACED
    if invitation.expires_at <= timezone.now():
        return expired_message()
    if not invitation.user.is_active:
        return INACTIVE
    return ""
