"""Account writes: invitations, roles, deactivation and passwords; unlocking an account locked after wrong
passwords; ProConnect sign-ins (matching an identity to an account); demo accounts for `make demo`."""

import hashlib
from dataclasses import dataclass

from axes.utils import reset as reset_axes_attempts
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.accounts import emails, invitations, lockouts, perms, proconnect, sessions
from vigie.accounts.enums import Role
from vigie.accounts.models import Invitation, ProConnectIdentity, User
from vigie.accounts.roles import ROLE_FIELDS, RoleAssignment
from vigie.accounts.signals import account_deactivated
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.organisations.models import Organisation
from vigie.territories.models import Commune, Department, Epci

UNLOCK_REASON = "Déverrouillage du compte après des mots de passe erronés"

DEMO_PASSWORD = "Demo-Vigie-2026"  # meets the password rules (12+ characters, four kinds)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    department_code: str | None
    first_name: str
    last_name: str
    organisation_acronym: str = ""
    commune_code: str = ""
    epci_code: str = ""


# One account per role for the Gers and the Lot, plus the national administrator.
DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, None, "Alex", "Administrateur"),
    DemoAccount("prefecture32", Role.PREFECTURE, "32", "Claire", "Dupuy"),
    DemoAccount("pilote32", Role.PILOT, "32", "Julien", "Lafitte", organisation_acronym="DSDEN"),
    DemoAccount("coordo32", Role.COORDINATOR, "32", "Inès", "Barrère", epci_code="200066926"),
    DemoAccount("coordo32condom", Role.COORDINATOR, "32", "Éric", "Dupouy", commune_code="32107"),
    DemoAccount("partenaire32", Role.PARTNER, "32", "Marc", "Soulé", organisation_acronym="ADFI"),
    DemoAccount("lecteur32", Role.READER, "32", "Sophie", "Castéra"),
    DemoAccount("porteur32", Role.APPLICANT, "32", "Lucie", "Sarrade", organisation_acronym="AVMP"),
    DemoAccount("prefecture46", Role.PREFECTURE, "46", "Nadia", "Vayssié"),
    DemoAccount("pilote46", Role.PILOT, "46", "Thomas", "Delpech", organisation_acronym="DSDEN"),
    DemoAccount("coordo46", Role.COORDINATOR, "46", "Paul", "Lacoste", commune_code="46042"),
    DemoAccount(
        "partenaire46", Role.PARTNER, "46", "Léa", "Bouyssou", organisation_acronym="CIDFF"
    ),
    DemoAccount("lecteur46", Role.READER, "46", "Hugo", "Malbec"),
    DemoAccount("porteur46", Role.APPLICANT, "46", "Jean", "Lacombe", organisation_acronym="UDAF"),
]


def _organisation(acronym: str, department: Department | None) -> Organisation | None:
    if not acronym or department is None:
        return None
    return Organisation.objects.filter(department=department, acronym__iexact=acronym).first()


@transaction.atomic
def create_demo_accounts(*, acting_user=None, password: str = DEMO_PASSWORD) -> list[User]:
    """Create (or reset) the demo accounts. Demo only: the password is public."""
    users = []
    for spec in DEMO_ACCOUNTS:
        department = (
            Department.objects.get(code=spec.department_code) if spec.department_code else None
        )
        defaults = {
            "role": spec.role,
            "department": department,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@demo.vigie.localhost",
            "organisation": _organisation(spec.organisation_acronym, department),
            "commune": Commune.objects.filter(code=spec.commune_code).first()
            if spec.commune_code
            else None,
            "epci": Epci.objects.filter(code=spec.epci_code).first() if spec.epci_code else None,
            "is_staff": spec.role == Role.ADMIN,
            "is_superuser": spec.role == Role.ADMIN,
        }
        user, created = User.objects.get_or_create(username=spec.username, defaults=defaults)
        if created:
            user.set_password(password)
            user.save()
            audit.record_create(acting_user=acting_user, instance=user, department=department)
        else:
            before = audit.snapshot(user, list(defaults))
            for name, value in defaults.items():
                setattr(user, name, value)
            user.set_password(password)
            user.save()
            audit.record_update(
                acting_user=acting_user, instance=user, before=before, department=department
            )
        users.append(user)
    return users


@transaction.atomic
def unlock_account(account: User, *, acting_user) -> bool:
    """Forget the failed sign-ins of a locked account, so it can sign in again. False if it was not locked."""
    if not lockouts.is_locked(account):
        return False
    reset_axes_attempts(username=account.username)
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=account,
        changes={"locked": {"label": "verrouillage", "old": "verrouillé", "new": "déverrouillé"}},
        department=account.department,
        reason=UNLOCK_REASON,
    )
    return True


# --- Accounts managed in the application: invitations, roles, deactivation, passwords -------------------------

SELF_CHANGE = (
    "Vous ne pouvez ni changer votre propre rôle ni désactiver votre propre compte : demandez-le à une "
    "autre personne qui gère les comptes."
)
ACCOUNT_EXISTS = (
    "Un compte existe déjà avec cette adresse électronique : retrouvez-le dans la liste des comptes pour "
    "changer son rôle ; s'il n'a pas de rôle, utilisez « Attribuer un rôle à un compte sans rôle »."
)
NOT_PENDING = (
    "Cette personne a déjà choisi son mot de passe ou s'est déjà connectée : il n'y a pas d'invitation "
    "à renvoyer. Si elle a oublié son mot de passe, elle utilise « Mot de passe oublié ? »."
)
INACTIVE_INVITATION = "Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation."
PASSWORD_LABEL = "mot de passe"


def _stamp(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _check_assignment(acting_user, assignment: RoleAssignment) -> None:
    """Refuse an inconsistent role (ValidationError by field) or one the acting user may not grant."""
    errors = assignment.errors()
    if errors:
        raise ValidationError(errors)
    if not perms.can_grant_role(acting_user, assignment.role):
        raise PermissionDenied("Seul l'administrateur national nomme un administrateur national.")
    if assignment.role != Role.NONE and not perms.can_manage_accounts(
        acting_user, assignment.department.pk if assignment.department else None
    ):
        raise PermissionDenied("Vous ne gérez pas les comptes de ce département.")


def _lock(account: User, fields: list[str]) -> None:
    """Lock the account's row until the end of the transaction and read its current values."""
    User.objects.select_for_update().filter(pk=account.pk).exists()
    account.refresh_from_db(fields=fields)


def is_invitation_pending(account: User) -> bool:
    """Invited (or created) but never signed in and without a password: an invitation can be (re)sent."""
    return account.last_login is None and not account.has_usable_password()


def _send_new_invitation(account: User, *, acting_user) -> Invitation:
    token = invitations.new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=account,
        token_hash=invitations.hash_token(token),
        invited_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
        created_at=now,
        expires_at=now + invitations.validity(),
    )
    # Last, inside the transaction: when the e-mail cannot be sent, nothing is kept.
    emails.send_invitation(account, token, invited_by=acting_user, expires_at=invitation.expires_at)
    return invitation


@transaction.atomic
def invite_account(
    *, acting_user, email: str, first_name: str, last_name: str, assignment: RoleAssignment
) -> User:
    """Create an account with a role, without a password, and e-mail it a link to choose its password.

    The e-mail address (lower case) is the account's identifier.
    """
    _check_assignment(acting_user, assignment)
    if assignment.role == Role.NONE:
        raise ValidationError({"role": "Choisissez le rôle de la personne invitée."})
    email = email.strip().lower()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": ACCOUNT_EXISTS})
    account = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=assignment.role,
        department=assignment.department,
        organisation=assignment.organisation,
        commune=assignment.commune,
        epci=assignment.epci,
    )
    account.set_unusable_password()
    account.save()
    audit.record_create(
        acting_user=acting_user,
        instance=account,
        department=account.department,
        reason="Compte créé par invitation",
    )
    _send_new_invitation(account, acting_user=acting_user)
    return account


@transaction.atomic
def resend_invitation(account: User, *, acting_user) -> Invitation:
    """A new link for an account that never chose its password; the previous links stop working."""
    _lock(account, ["is_active", "last_login", "password"])
    if not account.is_active:
        raise ValidationError(INACTIVE_INVITATION)
    if not is_invitation_pending(account):
        raise ValidationError(NOT_PENDING)
    now = timezone.now()
    previous = account.invitations.filter(used_at=None, replaced_at=None).order_by("-created_at")
    last = previous.first()
    previous.update(replaced_at=now)
    invitation = _send_new_invitation(account, acting_user=acting_user)
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=account,
        department=account.department,
        changes={
            "invitation": {
                "label": "invitation",
                "old": f"envoyée le {_stamp(last.created_at)}" if last else "aucune",
                "new": f"envoyée le {_stamp(invitation.created_at)}, valable jusqu'au "
                f"{_stamp(invitation.expires_at)}",
            }
        },
        reason="Invitation renvoyée",
    )
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, *, password: str) -> User:
    """The invited person chooses their password (already checked by the password rules); the link is used up."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    problem = invitations.invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    account = invitation.user
    account.set_password(password)
    account.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit.record(
        acting_user=account,
        action=AuditAction.UPDATE,
        instance=account,
        department=account.department,
        changes={"password": {"label": PASSWORD_LABEL, "old": "", "new": "choisi"}},
        reason="Invitation acceptée : mot de passe choisi",
    )
    return account


@transaction.atomic
def set_account_password(account: User, *, acting_user, password: str, reason: str) -> None:
    """A new password (checked by the password rules beforehand); audited without any trace of it."""
    account.set_password(password)
    account.save(update_fields=["password"])
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=account,
        department=account.department,
        changes={"password": {"label": PASSWORD_LABEL, "old": "", "new": "modifié"}},
        reason=reason,
    )


@transaction.atomic
def change_account_role(account: User, *, acting_user, assignment: RoleAssignment) -> bool:
    """Grant, change or remove (Role.NONE) the role of an account. False when nothing changed.

    Removing the role also removes the department (an account without role has none) and the administrator
    rights of the Django admin site.
    """
    if acting_user is not None and account.pk == acting_user.pk:
        raise PermissionDenied(SELF_CHANGE)
    if not (
        perms.can_manage_account(acting_user, account)
        or perms.can_claim_account(acting_user, account)
    ):
        raise PermissionDenied("Vous ne gérez pas ce compte.")
    _check_assignment(acting_user, assignment)
    _lock(account, ROLE_FIELDS)
    before = audit.snapshot(account, ROLE_FIELDS)
    old_department = account.department
    account.role = assignment.role
    account.department = assignment.department
    account.organisation = assignment.organisation
    account.commune = assignment.commune
    account.epci = assignment.epci
    if assignment.role != Role.ADMIN:
        account.is_staff = account.is_superuser = False
    account.save(update_fields=ROLE_FIELDS)
    entry = audit.record_update(
        acting_user=acting_user,
        instance=account,
        before=before,
        department=account.department or old_department,
        reason="Rôle retiré" if assignment.role == Role.NONE else "Rôle attribué ou modifié",
    )
    return entry is not None


def _set_active(account: User, *, acting_user, active: bool, reason: str) -> bool:
    if acting_user is not None and account.pk == acting_user.pk:
        raise PermissionDenied(SELF_CHANGE)
    if not perms.can_change_account(acting_user, account):
        raise PermissionDenied("Vous ne gérez pas ce compte.")
    _lock(account, ["is_active"])
    if account.is_active == active:
        return False
    before = audit.snapshot(account, ["is_active"])
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record_update(
        acting_user=acting_user,
        instance=account,
        before=before,
        department=account.department,
        reason=reason,
    )
    return True


@transaction.atomic
def deactivate_account(account: User, *, acting_user) -> bool:
    """The account can no longer sign in; its sessions end at once, and so do its API tokens (API app).

    False when it was already deactivated (nothing recorded).
    """
    if not _set_active(account, acting_user=acting_user, active=False, reason="Compte désactivé"):
        return False
    sessions.end_sessions(account)
    account_deactivated.send(sender=User, account=account, acting_user=acting_user)
    return True


@transaction.atomic
def reactivate_account(account: User, *, acting_user) -> bool:
    """The account can sign in again (with a new session; API tokens are created anew by the person)."""
    return _set_active(account, acting_user=acting_user, active=True, reason="Compte réactivé")


# --- ProConnect sign-in: which account an identity opens -------------------------------------------------------

SEVERAL_ACCOUNTS = (
    "Plusieurs comptes Vigie portent votre adresse électronique : Vigie ne peut pas choisir. Adressez-vous à "
    "l'agent de la préfecture qui gère les comptes de votre département."
)
LINKED_ELSEWHERE = (
    "Le compte Vigie de votre adresse électronique est déjà lié à une autre identité ProConnect. "
    "Adressez-vous à l'agent de la préfecture qui gère les comptes de votre département."
)


def _account_for_email(claims: proconnect.Claims) -> User | None:
    """The one account with this e-mail address, when the address counts as verified.

    Verified: ProConnect only federates identity providers approved by the State, which vouch for the
    professional address they send; Vigie therefore trusts the `email` claim, unless the provider says
    `email_verified: false`. An account already linked to another identity is never taken over, and an
    address shared by several accounts links none (both refused).
    """
    if claims.email_verified is False:
        return None
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the identity.
    accounts = list(
        User.objects.select_for_update(of=("self",))
        .filter(email__iexact=claims.email)
        .select_related("proconnect_identity")[:2]
    )
    if len(accounts) > 1:
        raise proconnect.AccountRefused("several accounts share the e-mail", SEVERAL_ACCOUNTS)
    if not accounts:
        return None
    if hasattr(accounts[0], "proconnect_identity"):
        raise proconnect.AccountRefused("account linked to another sub", LINKED_ELSEWHERE)
    return accounts[0]


def _new_username(claims: proconnect.Claims) -> str:
    if not User.objects.filter(username__iexact=claims.email).exists():
        return claims.email[:150]
    return "proconnect-" + hashlib.sha256(claims.sub.encode()).hexdigest()[:20]


def _create_account_for(claims: proconnect.Claims) -> User:
    account = User(
        username=_new_username(claims),
        email=claims.email,
        first_name=claims.given_name,
        last_name=claims.usual_name,
        role=Role.NONE,
        department=None,
    )
    account.set_unusable_password()
    account.save()
    audit.record_create(
        acting_user=account,
        instance=account,
        reason="Première connexion avec ProConnect : compte créé sans rôle",
    )
    return account


@transaction.atomic
def sign_in_with_proconnect(claims: proconnect.Claims, *, acting_user=None) -> User:
    """The account a verified ProConnect identity signs in to, linked or created on the way.

    By `sub` (the identity already used Vigie), else by verified e-mail address (`_account_for_email`: the
    account is linked to the identity), else a new account with no role (Role.NONE: public pages only, until
    a department's account manager grants a role). Linking and creating are audited, the person being the
    actor. A deactivated account is refused (AccountRefused) and nothing is written. The identity keeps the
    last `acr`, SIRET, uid and e-mail address ProConnect sent.
    """
    identity = (
        ProConnectIdentity.objects.select_for_update()
        .select_related("user")
        .filter(sub=claims.sub)
        .first()
    )
    account = identity.user if identity else _account_for_email(claims)
    if account is not None and not account.is_active:
        raise proconnect.AccountRefused("deactivated account", proconnect.DEACTIVATED)
    if account is None:
        account = _create_account_for(claims)
    now = timezone.now()
    values = {
        "email": claims.email,
        "siret": claims.siret,
        "uid": claims.uid,
        "last_acr": claims.acr,
        "last_sign_in_at": now,
    }
    if identity is None:
        identity = ProConnectIdentity.objects.create(
            user=account, sub=claims.sub, created_at=now, **values
        )
        audit.record(
            acting_user=account,
            action=AuditAction.UPDATE,
            instance=account,
            department=account.department,
            changes={"proconnect": {"label": "ProConnect", "old": "", "new": "identité liée"}},
            reason="Compte lié à une identité ProConnect",
        )
    else:
        for name, value in values.items():
            setattr(identity, name, value)
        identity.save(update_fields=list(values))
    return account
