"""Small permission predicates of the nominative groups (each tested on its own)."""

from vigie.accounts.enums import Role
from vigie.casework.enums import MemberRole


def can_create_group(user, department_id) -> bool:
    """National administrators and the department's prefecture agents set groups up (they see no case)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN or user.is_superuser:
        return True
    return user.role == Role.PREFECTURE and user.belongs_to(department_id)


def can_manage_group(member) -> bool:
    """The group's coordinator (a current member who accepted the charter) manages members and the charter."""
    return member is not None and member.role == MemberRole.COORDINATOR


def can_link_indicator(user, department_id) -> bool:
    """The department's prefecture agents tie the plan's indicators to the groups' counts and compute them."""
    return user.is_authenticated and user.role == Role.PREFECTURE and user.belongs_to(department_id)


def can_handle_rights(member) -> bool:
    """The rights of a person followed (export for an access request, rectification, erasure): the group's
    coordinator only. They read every entry, secret ones included, so an export is complete; they answer for the
    group to its data controller. A référent or another member asks the coordinator."""
    return member is not None and member.role == MemberRole.COORDINATOR
