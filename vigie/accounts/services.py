"""Account writes: unlocking an account locked after wrong passwords; demo accounts for `make demo`."""

from dataclasses import dataclass

from axes.utils import reset as reset_axes_attempts
from django.db import transaction

from vigie.accounts import lockouts
from vigie.accounts.enums import Role
from vigie.accounts.models import User
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
    DemoAccount("prefecture46", Role.PREFECTURE, "46", "Nadia", "Vayssié"),
    DemoAccount("pilote46", Role.PILOT, "46", "Thomas", "Delpech", organisation_acronym="DSDEN"),
    DemoAccount("coordo46", Role.COORDINATOR, "46", "Paul", "Lacoste", commune_code="46042"),
    DemoAccount(
        "partenaire46", Role.PARTNER, "46", "Léa", "Bouyssou", organisation_acronym="CIDFF"
    ),
    DemoAccount("lecteur46", Role.READER, "46", "Hugo", "Malbec"),
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
