"""The accounts an account manager sees, their filters, and what the list shows of each (state, second factor)."""

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import OuterRef, Q, Subquery

from vigie.accounts.enums import Role
from vigie.accounts.models import Invitation, User

# The "État" filter: its values in the address and what they select.
STATE_ACTIVE = "actif"
STATE_INACTIVE = "desactive"
STATE_INVITED = "invitation"
STATE_CHOICES = [
    (STATE_ACTIVE, "Actif"),
    (STATE_INACTIVE, "Désactivé"),
    (STATE_INVITED, "Invitation en attente"),
]
# The "Département" filter value for accounts without a department (national administrators, no role).
NO_DEPARTMENT = "aucun"

# Invited or created without a password and never signed in (see services.is_invitation_pending).
PENDING = Q(last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def accounts_for_manager(user):
    """Every account for the national administrator; the accounts of their department for a prefecture agent."""
    open_invitations = Invitation.objects.filter(
        user=OuterRef("pk"), used_at=None, replaced_at=None
    ).order_by("-created_at")
    accounts = User.objects.select_related(
        "department", "region", "organisation", "commune", "epci"
    ).annotate(invitation_expires_at=Subquery(open_invitations.values("expires_at")[:1]))
    if user.is_national_admin:
        return accounts
    return accounts.filter(department_id=user.department_id)


def filter_accounts(accounts, *, query: str = "", role: str = "", state: str = "", department=""):
    query = query.strip()
    if query:
        for word in query.split():
            accounts = accounts.filter(
                Q(username__icontains=word)
                | Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    if role:
        accounts = accounts.filter(role=role)
    if state == STATE_ACTIVE:
        accounts = accounts.filter(is_active=True).exclude(PENDING)
    elif state == STATE_INACTIVE:
        accounts = accounts.filter(is_active=False)
    elif state == STATE_INVITED:
        accounts = accounts.filter(PENDING, is_active=True)
    if department == NO_DEPARTMENT:
        accounts = accounts.filter(department__isnull=True)
    elif department:
        accounts = accounts.filter(department__code=department)
    return accounts


def account_without_role(email: str) -> User | None:
    """The active account without a role that has exactly this e-mail address (case aside), if one does."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return None
    found = list(
        User.objects.filter(
            role=Role.NONE, is_active=True, is_superuser=False, email__iexact=email
        )[:2]
    )
    # Two accounts with one address: ambiguous, the national administrator sorts it out.
    return found[0] if len(found) == 1 else None


def two_factor_user_ids(user_ids) -> set[int] | None:
    """Accounts (among these) with a confirmed second-factor device; None when django-otp is not installed."""
    if not apps.is_installed("django_otp"):
        return None
    from django_otp.models import Device

    ids: set[int] = set()
    for model in apps.get_models():
        if issubclass(model, Device):
            ids.update(
                model.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
                    "user_id", flat=True
                )
            )
    return ids
