"""Who sees the national and regional overview. Small predicates, tested one by one.

Rules:
- the national administrator sees every department; a regional prefecture (Role.REGIONAL) the departments of its
  region (`user.region`); nobody else sees the overview;
- the overview shows, for each department, figures (plan period and state, share of actions done, indicators off
  track, councils overdue), drafts included: aggregates only. It grants no other access: a regional prefecture is
  a member of no department, so the pages of plans, indicators and governance apply their own rules to it (public
  pages only). The overview's department page therefore lists the off-track indicators only when the user may see
  the plan (`plans.perms.can_view_plan`), and the overdue councils only when the user may see the department's
  governance (`governance.perms.can_view_governance`); otherwise it gives their numbers.
"""

from django.db.models import QuerySet

from vigie.territories.models import Department


def can_view_overview(user) -> bool:
    return bool(user.is_authenticated) and (user.is_national_admin or user.is_regional)


def can_filter_regions(user) -> bool:
    """The national administrator chooses a region; a regional prefecture sees its own."""
    return bool(user.is_authenticated) and user.is_national_admin


def overview_departments(user) -> QuerySet[Department]:
    """The departments the user oversees (queryset counterpart of `can_view_department`)."""
    departments = Department.objects.select_related("region").order_by("code")
    if not user.is_authenticated:
        return departments.none()
    if user.is_national_admin:
        return departments
    if user.is_regional:
        return departments.filter(region_id=user.region_id)
    return departments.none()


def can_view_department(user, department: Department) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return user.is_regional and department.region_id == user.region_id
