"""A plan's grants by axis, measure, territory and fund (the department's members)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from vigie.funding.plan_money import plan_money
from vigie.plans import access as plan_access
from vigie.plans import perms as plan_perms

# key, caption, first column's header
TABLES = (
    ("fund", "Par fonds et par année", "Fonds et année"),
    ("axis", "Par axe", "Axe"),
    ("measure", "Par mesure", "Mesure"),
    ("commune", "Par commune", "Commune"),
)


@login_required
def plan_grants(request, pk):
    """404 when the plan is not visible; 403 for people outside its department (the money is not public)."""
    plan = plan_access.get_plan_for_user(request.user, pk)
    if not plan_perms.can_view_private(request.user, plan.department_id):
        raise PermissionDenied
    money = plan_money(plan)
    context = {
        "page_title": f"Subventions du plan — {plan.title}",
        "breadcrumb": [{"url": plan.get_absolute_url(), "title": plan.title}],
        "plan": plan,
        "tables": [(key, title, header, money[key]) for key, title, header in TABLES],
    }
    return render(request, "funding/plan_grants.html", context)
