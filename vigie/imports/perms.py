"""Who may import plan documents: prefecture agents of the department and national
administrators. Plan versions are readable by whoever may read the plan."""

from vigie.accounts.enums import Role
from vigie.plans import perms as plan_perms


def can_import(user, department_id) -> bool:
    if not user.is_authenticated or not user.belongs_to(department_id):
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE


def can_view_versions(user, plan) -> bool:
    return plan_perms.can_view_plan(user, plan)
