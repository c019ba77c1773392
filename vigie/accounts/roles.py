"""What each role is attached to: a department, and an organisation (pilot, partner) or a territory (coordinator).

One set of rules, used by the forms (messages beside the fields) and by the services (nothing inconsistent is ever
saved, whoever calls them).
"""

from dataclasses import dataclass

from vigie.accounts.enums import Role

# The fields of an account that a role change may touch (and that its audit entry compares).
ROLE_FIELDS = ["role", "department", "organisation", "commune", "epci", "is_staff", "is_superuser"]

# Roles without a department: the national administrator works everywhere, an account without role nowhere.
ROLES_WITHOUT_DEPARTMENT = {Role.ADMIN, Role.NONE}
ROLES_WITH_ORGANISATION = {Role.PILOT, Role.PARTNER, Role.APPLICANT}

# The roles a department's account manager grants; the national administrator grants every role.
DEPARTMENT_ROLES = [
    Role.PREFECTURE,
    Role.PILOT,
    Role.COORDINATOR,
    Role.PARTNER,
    Role.READER,
    Role.APPLICANT,
]


@dataclass(frozen=True)
class RoleAssignment:
    """A role and what it is attached to, cleared of what the role does not use."""

    role: str
    department: object = None
    organisation: object = None
    commune: object = None
    epci: object = None

    @classmethod
    def build(cls, role, department=None, organisation=None, commune=None, epci=None):
        if role in ROLES_WITHOUT_DEPARTMENT:
            return cls(role)
        return cls(
            role,
            department,
            organisation if role in ROLES_WITH_ORGANISATION else None,
            commune if role == Role.COORDINATOR else None,
            epci if role == Role.COORDINATOR else None,
        )

    def errors(self) -> dict[str, str]:
        """French messages, by field, for what is missing or does not belong to the department."""
        if self.role not in Role.values:
            return {"role": "Choisissez un rôle de la liste."}
        if self.role in ROLES_WITHOUT_DEPARTMENT:
            return {}
        if self.department is None:
            return {"department": "Choisissez le département du compte."}
        errors = {}
        errors.update(self._organisation_errors())
        if self.role == Role.COORDINATOR:
            errors.update(self._territory_errors())
        return errors

    def _organisation_errors(self) -> dict[str, str]:
        if self.organisation is None:
            if self.role == Role.PILOT:
                return {"organisation": "Un pilote agit pour une organisation : choisissez-la."}
            if self.role == Role.APPLICANT:
                return {
                    "organisation": "Un porteur de projet dépose ses demandes au nom d'une "
                    "organisation : choisissez-la."
                }
            return {}
        if self.organisation.department_id not in (None, self.department.pk):
            return {"organisation": "Cette organisation n'est pas une organisation du département."}
        return {}

    def _territory_errors(self) -> dict[str, str]:
        if self.commune is None and self.epci is None:
            return {
                "commune": "Un coordonnateur agit pour la commune de son CLSPD ou pour "
                "l'intercommunalité de son CISPD : choisissez l'une ou l'autre."
            }
        if self.commune is not None and self.epci is not None:
            return {"epci": "Choisissez la commune ou l'intercommunalité, pas les deux."}
        if self.commune is not None and self.commune.department_id != self.department.pk:
            return {"commune": "Cette commune n'est pas dans le département."}
        if (
            self.epci is not None
            and not self.epci.departments.filter(pk=self.department.pk).exists()
        ):
            return {"epci": "Cette intercommunalité n'a aucune commune dans le département."}
        return {}


def attachment_label(account) -> str:
    """What the account acts for, in a few words: its organisation or its local council's territory."""
    if account.role in ROLES_WITH_ORGANISATION and account.organisation_id:
        return str(account.organisation)
    if account.role == Role.COORDINATOR:
        if account.commune_id:
            return f"CLSPD de {account.commune.name}"
        if account.epci_id:
            return f"CISPD de {account.epci.name}"
    return ""
