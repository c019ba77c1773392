"""Who may see the public progress pages and choose what they show. Small predicates, tested one by one.

- The public progress page, its feed and its data package exist for adopted and closed plans only, for
  everyone (signed in or not), and always show the public view: no non-public measure, action or
  indicator, no unvalidated value, nothing personal (no names of people).
- Marking a measure, an action or an indicator non-public: the prefecture of the plan's department and
  national administrators (who edit the plan).
"""

from vigie.plans import perms as plan_perms


def can_view_public_progress(plan) -> bool:
    return plan.is_public


def can_manage_publication(user, plan) -> bool:
    return plan_perms.can_edit_plan(user, plan)
