"""Who may import plan documents: whoever may write the department's plans from a document
(``vigie.plans.perms.can_import_plan``: prefecture agents of the department and national
administrators). Plan versions are readable by whoever may read the plan."""

from vigie.plans import perms as plan_perms


def can_import(user, department_id) -> bool:
    return plan_perms.can_import_plan(user, department_id)


def can_view_versions(user, plan) -> bool:
    return plan_perms.can_view_plan(user, plan)
